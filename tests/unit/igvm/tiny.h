/* SPDX-License-Identifier: MIT */
/*
 * The tiny worked file of docs/abi.md §12.7, built with our writer. Shared by
 * the unit tests and the fuzz seed generator.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/** Build the §1.7 file; returns a malloc'd buffer (or NULL). */
uint8_t *tiny_build(size_t *len);
