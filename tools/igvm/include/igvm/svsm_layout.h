/* SPDX-License-Identifier: MIT */
/*
 * What svsm-igvm tells the SVSM about the image it built: the boot-parameter
 * page. One measured 4 KiB page, little-endian, placed by the builder where
 * igvm.cfg says ([region ...] kind = boot-params); the VMPL0 VMSA passes its
 * GPA in RSI (ESI: the page must be below 4 GiB for the 32-bit entry).
 *
 * This mirrors, byte for byte, the SVSM side's
 * src/include/svsm_boot/boot_params.h (issue 5); the offsets are pinned with
 * static_asserts on both sides. Self-contained: <stdint.h> only.
 *
 * Why a measured page: IGVM parameter areas are unmeasured and written by
 * the host (igvm.md §1.4), so the layout of the SVSM region and the payload,
 * which must be part of the launch digest, lives here instead.
 */
#pragma once

#include <stdint.h>

#define SVSM_LAYOUT_MAGIC UINT32_C(0x50425653) /* "SVBP" */
#define SVSM_LAYOUT_VERSION 1u

/* How the VMPL2 payload starts. */
enum svsm_layout_payload_mode {
	/* 32-bit protected mode, flat segments, paging off (ELF payload). */
	SVSM_LAYOUT_PAYLOAD_PROT32 = 0,
	/* Real-mode reset state at a reset vector (OVMF). */
	SVSM_LAYOUT_PAYLOAD_RESET = 1,
};

struct svsm_layout_boot_params {
	uint32_t magic;             /* 0x00 SVSM_LAYOUT_MAGIC */
	uint32_t version;           /* 0x04 SVSM_LAYOUT_VERSION */
	uint64_t svsm_base;         /* 0x08 [memory] range holding this page */
	uint64_t svsm_size;         /* 0x10 */
	uint64_t pool_base;         /* 0x18 kind = pool: not launched, the */
	uint64_t pool_size;         /* 0x20 SVSM PVALIDATEs it itself */
	uint64_t secrets_gpa;       /* 0x28 kind = secrets (PSP page) */
	uint64_t cpuid_gpa;         /* 0x30 kind = cpuid (PSP page) */
	uint64_t memmap_gpa;        /* 0x38 area with memory_map = 0 */
	uint64_t memmap_size;       /* 0x40 its size in bytes */
	uint64_t general_gpa;       /* 0x48 area with vp_count */
	uint32_t vp_count_offset;   /* 0x50 u32 VP count in that area */
	uint32_t payload_mode;      /* 0x54 enum svsm_layout_payload_mode */
	uint64_t payload_base;      /* 0x58 region with payload = yes */
	uint64_t payload_size;      /* 0x60 */
	uint64_t payload_entry;     /* 0x68 RIP (PROT32) / reset IP */
	uint64_t guest_secrets_gpa; /* 0x70 [guest] pages the SVSM fills */
	uint64_t guest_cpuid_gpa;   /* 0x78 */
	uint64_t guest_caa_gpa;     /* 0x80 */
	uint8_t reserved[4096 - 0x88];
};
_Static_assert(sizeof(struct svsm_layout_boot_params) == 4096, "one page");
_Static_assert(__builtin_offsetof(struct svsm_layout_boot_params, cpuid_gpa) ==
		       0x30,
	       "src/entry.S reads cpuid_gpa at 0x30");
_Static_assert(__builtin_offsetof(struct svsm_layout_boot_params,
				  vp_count_offset) == 0x50,
	       "boot_params.h layout");
_Static_assert(__builtin_offsetof(struct svsm_layout_boot_params,
				  guest_caa_gpa) == 0x80,
	       "boot_params.h layout");
