/* SPDX-License-Identifier: MIT */
/*
 * The one libc header the images need besides gcc's freestanding set:
 * C11 static_assert. Runtime assert() is deliberately absent: images use
 * CHECK() from lib/panic.h.
 */
#pragma once

#ifndef static_assert
#define static_assert _Static_assert
#endif
