/* SPDX-License-Identifier: MIT */
/*
 * The image described by igvm.cfg, after validation: memory ranges, regions
 * (with their loaded contents), parameter areas, the BSP VMSA and the guest
 * pages the SVSM fills. layout_load() refuses a bad config with
 * "file:line: cause"; layout_emit() turns a valid layout into IGVM bytes.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cfg.h"
#include "igvm/measure.h"

#define LAYOUT_MAX_MEMORY 16
#define LAYOUT_MAX_REGIONS 32
#define LAYOUT_MAX_PARAMS 8

enum region_kind {
	REGION_ELF,         /* PT_LOAD segments of an ELF64 file */
	REGION_FIRMWARE,    /* a raw file (OVMF.fd), optionally hash-pinned */
	REGION_ZERO,        /* measured zero pages */
	REGION_UNMEASURED,  /* unmeasured pages */
	REGION_SECRETS,     /* SNP secrets page */
	REGION_CPUID,       /* SNP CPUID page */
	REGION_BOOT_PARAMS, /* generated svsm_boot_params page */
	REGION_PAGE_TABLES, /* generated identity map for long64 entry */
	REGION_POOL,        /* reserved for the SVSM; no pages emitted */
	REGION_BZIMAGE,     /* Linux protected-mode kernel (bzimage.c) */
	REGION_DATA,        /* bytes generated from another region */
};

struct memory {
	const char *name;
	int line;
	uint64_t gpa, size;
	bool required;
};

/* What OVMF's SEV metadata says (docs/abi.md §15); ovmf.c. */
struct ovmf_meta {
	bool found;
	uint64_t secrets, cpuid, caa; /* 0 = not described */
	uint64_t mem_pages;           /* pages OVMF expects pre-validated */
};

struct region {
	const char *name;
	int line;
	enum region_kind kind;
	uint64_t gpa, size; /* page-aligned extent of the emitted pages */
	uint64_t span;      /* claimed extent (>= size; bzImage init_size) */
	char *owned_name;   /* generated sub-region name, freed with it */
	uint8_t *image;     /* size bytes for ELF/FIRMWARE, else NULL */
	uint64_t entry;     /* ELF entry point */
	bool payload;
	struct ovmf_meta meta; /* firmware with metadata = yes */
};

#define PARAM_NONE UINT32_MAX

struct param {
	const char *name;
	int line;
	uint32_t index;
	uint64_t size, gpa;
	uint32_t vp_count, env_info, memory_map; /* offsets or PARAM_NONE */
};

enum entry_mode {
	ENTRY_PROTECTED32,
	ENTRY_LONG64,
};

struct vmsa_cfg {
	int line;
	uint64_t gpa;
	enum entry_mode mode;
	uint64_t rip, rsp, sev_features;
	uint32_t cbit; /* long64: C-bit position for the generated tables */
	const struct region *page_tables;
};

/* [id_block]: sign an SNP ID block over the predicted digest. */
struct id_block_cfg {
	bool enabled;
	int line;
	char id_key[256];
	char author_key[256]; /* "" = no author key */
	uint8_t family_id[16], image_id[16];
	uint32_t guest_svn;
};

struct layout {
	uint32_t compat_mask;
	uint8_t highest_vtl;
	uint64_t policy;
	enum igvm_profile profile;
	uint32_t vcpus, vcpu_sig;
	struct memory memory[LAYOUT_MAX_MEMORY];
	size_t memory_count;
	struct region regions[LAYOUT_MAX_REGIONS];
	size_t region_count;
	struct param params[LAYOUT_MAX_PARAMS];
	size_t param_count;
	struct vmsa_cfg vmsa;
	uint64_t guest_secrets, guest_cpuid, guest_caa; /* 0 = none */
	/* bzImage payload: the SVSM's Linux boot area ([guest]) and the
	 * measured zero page (bzimage.c); 0 = none. */
	uint64_t guest_boot_area, linux_zero_page;
	uint32_t linux_flags; /* SVSM_LINUX_* (boot_params.h) */
	int guest_line;
	struct id_block_cfg id_block;
};

/** Build and validate the layout from a parsed config. */
bool layout_load(struct layout *l, struct cfg *cfg);
void layout_free(struct layout *l);

/** Cross-checks (overlap, containment, VMSA placement); layout_check.c. */
bool layout_check(const struct layout *l, struct cfg *cfg);

/** The region of @kind, or NULL (kinds that occur at most once). */
const struct region *layout_find(const struct layout *l, enum region_kind kind);

/**
 * Emit the IGVM file. @map (may be NULL) receives the text layout map,
 * including the predicted launch digest.
 */
bool layout_emit(const struct layout *l, struct cfg *cfg, uint8_t **file,
		 size_t *len, FILE *map);

/** Build and sign the SNP ID block for digest @ld; id_block.c. */
bool id_block_make(const struct layout *l, struct cfg *cfg,
		   const uint8_t ld[48], struct igvm_snp_id_block *blk);

/** Parse OVMF's footer table and SEV metadata; ovmf.c. */
bool ovmf_parse(struct cfg *cfg, int line, const uint8_t *fw, size_t len,
		struct ovmf_meta *out);

/** Place a bzImage, its command line, zero page and initrd; bzimage.c. */
bool bzimage_load(struct layout *l, struct cfg *cfg, struct cfg_section *s,
		  struct region *r);

/** Load an ELF64 x86-64 executable's PT_LOAD segments; elf.c. */
bool elf_load(struct cfg *cfg, int line, const uint8_t *data, size_t len,
	      struct region *r);
