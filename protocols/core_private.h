/* SPDX-License-Identifier: MIT */
/*
 * Shared between the core-protocol files (protocols/core*.c); not an
 * interface for the rest of the SVSM.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "svsm/request.h"
#include "svsm/types.h"

#include "svsm/abi/svsm_call.h"

/*
 * Work done by one PVALIDATE/DEPOSIT call before it answers INCOMPLETE,
 * in 4K pages (each validated page is zeroed: 4096 pages = 16 MiB). A
 * full CAA of 510 4K entries completes in one call, as Linux's 2M→4K
 * fallback expects; 510 2M entries take 64 calls.
 */
#define CORE_BATCH_PAGES 4096u

/* Entries copied into SVSM memory per guest read (bounded stack use). */
#define CORE_LIST_CHUNK 64u

/*
 * A page list at RCX (PVALIDATE, DEPOSIT_MEM, WITHDRAW_MEM; docs/abi.md
 * §3.2, §3.5), walked by a handler as a plain loop:
 *
 *	err = core_list_open(&l, req->rcx);
 *	if (err != SVSM_OK)
 *		return err;
 *	while (err == SVSM_OK && core_list_next(&l, &e, &err)) {
 *		err = handle(e);
 *		if (err == SVSM_OK)
 *			core_list_done(&l, e);
 *	}
 *	return core_list_close(&l, err);
 *
 * Entries are copied into SVSM memory in chunks (each read once, G6).
 */
struct core_list {
	struct svsm_pvalidate_hdr hdr; /* the guest's header, read once */
	uint64_t rcx;                  /* GPA of the header */
	uint16_t next;                 /* first entry not yet done */
	uint16_t have;                 /* entries in chunk[] */
	uint16_t at;                   /* next entry of chunk[] to hand out */
	uint32_t pages;                /* 4K pages done in this call */
	uint64_t chunk[CORE_LIST_CHUNK];
};

/*
 * Read and check the header at @rcx: 8-byte aligned, header and entries in
 * one 4K page, not in a VMSA, 1 to as many entries as fit. `next` is the
 * caller's to check (core_list_open() requires next < entries).
 */
__must_check svsm_err_t core_list_header(uint64_t rcx,
					 struct svsm_pvalidate_hdr *hdr);

/* core_list_header() and next < entries (G7); the walk starts at next. */
__must_check svsm_err_t core_list_open(struct core_list *l, uint64_t rcx);

/*
 * The next entry to handle in *@e. False when the walk stops: all entries
 * done (*@err untouched), a batch of CORE_BATCH_PAGES done (*@err =
 * SVSM_E_INCOMPLETE), the guest read failed, or the entry names the page
 * that holds the list (*@err set).
 */
bool core_list_next(struct core_list *l, uint64_t *e, svsm_err_t *err);

/* The entry @e took effect: count its pages and move past it. */
void core_list_done(struct core_list *l, uint64_t e);

/*
 * Write `next` back (on failure too: it names the failing entry, which
 * Linux's 2M→4K fallback relies on, docs/abi.md §11.4) and return @err, or
 * the write's error if @err is SVSM_OK.
 */
svsm_err_t core_list_close(struct core_list *l, svsm_err_t err);
