/* SPDX-License-Identifier: MIT */
/*
 * Shared harness of the igvm.cfg tests: a base config, input files made on
 * the fly (ELF, OVMF stand-in, bzImage, P-384 keys), and helpers that run
 * the builder on edited configs and check refusals name file:line.
 */
#pragma once

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igvm/parse.h"

extern const char base_cfg[];
extern char fw_sha[65];
extern EVP_PKEY *id_key, *author_key;
extern struct igvm_file pf;

struct result {
	bool ok;
	char error[512];
	uint8_t *file;
	size_t len;
	char map[4096];
};

/* Setup-header fields of the generated test bzImage. */
struct bz_fields {
	uint16_t version;
	uint8_t xloadflags, relocatable;
	uint32_t kernel_alignment, cmdline_size, init_size;
	uint64_t pref_address;
};
extern const struct bz_fields bz_default;
/** Write a bzImage with @f's header into the temp dir; returns its path. */
const char *harness_bzimage(const struct bz_fields *f);

void harness_setup(void);
void harness_cleanup(void);
/** @text with the first @from replaced by @to (malloc'd). */
char *edit(const char *text, const char *from, const char *to);
/** Line number of the first @needle in @text. */
int line_of(const char *text, const char *needle);
/** Build @text as "t.cfg" with the harness's ${variables}. */
void run(const char *text, struct result *r);
/** Edit base_cfg and expect a refusal "t.cfg:<line of marker>: ...msg". */
void expect_refusal(const char *from, const char *to, const char *marker,
		    const char *message);
/** Data of the PAGE_DATA at @gpa (NULL for zero pages); type via @type. */
const uint8_t *page_at(const struct igvm_file *f, uint64_t gpa, uint16_t *type);
