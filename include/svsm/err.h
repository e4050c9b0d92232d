/* SPDX-License-Identifier: MIT */
/*
 * The SVSM's one internal error type (docs/style.md §4). Every fallible
 * function returns it; only svsm_err_to_rax() in src/dispatch.c turns it
 * into a guest-visible result code, so lower layers never produce ABI
 * numbers.
 */
#pragma once

#include "lib/compiler.h"

enum svsm_err {
	SVSM_OK = 0,
	SVSM_E_INVAL,      /* a parameter is wrong: INVALID_PARAMETER */
	SVSM_E_FORMAT,     /* a structure is malformed: INVALID_FORMAT */
	SVSM_E_ADDR,       /* a guest address is not usable: INVALID_ADDRESS */
	SVSM_E_REQUEST,    /* the call is not valid now: INVALID_REQUEST */
	SVSM_E_BUSY,       /* retry later, progress made: BUSY */
	SVSM_E_INCOMPLETE, /* partial progress recorded: INCOMPLETE */
	SVSM_E_NOCALL,     /* unknown call id: UNSUPPORTED_CALL */
	SVSM_E_NOPROTO,    /* unknown/absent protocol: UNSUPPORTED_PROTOCOL */
	SVSM_E_PROTO,      /* protocol-specific: 0x80001000 + detail */
	SVSM_E_NOMEM,      /* SVSM resource exhausted: BUSY (never fatal) */
	SVSM_E_FAULT,      /* a guest page faulted during a copy */
};

typedef enum svsm_err svsm_err_t;
