// SPDX-License-Identifier: MIT
/*
 * Linux 64-bit boot protocol data (see linux_params.h).
 */
#include "boot/linux_params.h"

#include <assert.h>

#include "arch/vmsa_reset.h"

#include "lib/compiler.h"
#include "lib/string.h"

/* A flat 4 GiB GDT descriptor with the VMSA's packed attributes @attr. */
#define GDT_FLAT(attr)                              \
	(UINT64_C(0xffff) | (UINT64_C(0xf) << 48) | \
	 ((uint64_t)((attr)&0xffu) << 40) | ((uint64_t)((attr) >> 8) << 52))
static_assert(GDT_FLAT(VMSA_SEG_CODE64) == UINT64_C(0x00af9b000000ffff),
	      "boot.rst __BOOT_CS: 64-bit code");
static_assert(GDT_FLAT(VMSA_SEG_DATA32) == UINT64_C(0x00cf93000000ffff),
	      "boot.rst __BOOT_DS: data");

static bool put(struct linux_e820 *out, size_t out_max, size_t *n,
		uint64_t addr, uint64_t end, uint32_t type)
{
	if (end <= addr) {
		return true;
	}
	if (*n == out_max) {
		return false;
	}
	out[*n].addr = addr;
	out[*n].size = end - addr;
	out[*n].type = type;
	(*n)++;
	return true;
}

/* One piece of RAM, [s, e), split around the reserved ranges inside it. */
static bool put_piece(uint64_t s, uint64_t e, const struct mem_range *res,
		      size_t res_count, struct linux_e820 *out, size_t out_max,
		      size_t *n)
{
	uint64_t cur = s;

	for (size_t i = 0; i < res_count; i++) {
		uint64_t rs = res[i].base;
		uint64_t re = res[i].base + res[i].size;

		if (re <= s || rs >= e) {
			continue;
		}
		rs = rs < s ? s : rs;
		re = re > e ? e : re;
		if (!put(out, out_max, n, cur, rs, LINUX_E820_RAM) ||
		    !put(out, out_max, n, rs, re, LINUX_E820_RESERVED)) {
			return false;
		}
		cur = re;
	}
	return put(out, out_max, n, cur, e, LINUX_E820_RAM);
}

size_t linux_e820_build(const struct mem_range *ram, size_t ram_count,
			const struct mem_range *svsm,
			const struct mem_range *res, size_t res_count,
			struct linux_e820 *out, size_t out_max)
{
	const uint64_t ss = svsm->base, se = svsm->base + svsm->size;
	size_t n = 0;

	/* bp_parse_memmap() returns RAM sorted and disjoint. */
	for (size_t i = 0; i < ram_count; i++) {
		const uint64_t s = ram[i].base, e = ram[i].base + ram[i].size;
		bool ok = true;

		if (se <= s || ss >= e) {
			ok = put_piece(s, e, res, res_count, out, out_max, &n);
		} else {
			/* The SVSM region is neither RAM nor reserved for
			 * Linux: it is simply not there. */
			ok = (ss <= s || put_piece(s, ss, res, res_count, out,
						   out_max, &n)) &&
			     (se >= e || put_piece(se, e, res, res_count, out,
						   out_max, &n));
		}
		if (!ok) {
			return 0;
		}
	}
	return n;
}

static void wr64(uint8_t *p, uint64_t v)
{
	RT_SYM(memcpy)(p, &v, sizeof(v));
}

static void wr32(uint8_t *p, uint32_t v)
{
	RT_SYM(memcpy)(p, &v, sizeof(v));
}

bool linux_e820_retype(struct linux_e820 *map, size_t count,
		       const struct mem_range *r, uint32_t type)
{
	for (size_t i = 0; i < count; i++) {
		if (map[i].addr == r->base && map[i].size == r->size) {
			map[i].type = type;
			return true;
		}
	}
	return false;
}

void linux_zero_page_fill(uint8_t *zp, const struct linux_e820 *map,
			  size_t count, gpa_t setup_data, gpa_t rsdp)
{
	zp[LINUX_ZP_E820_ENTRIES] = (uint8_t)count;
	RT_SYM(memcpy)(zp + LINUX_ZP_E820_TABLE, map, count * sizeof(*map));
	wr64(zp + LINUX_ZP_SETUP_DATA, gpa_val(setup_data));
	wr64(zp + LINUX_ZP_ACPI_RSDP, gpa_is_invalid(rsdp) ? 0 : gpa_val(rsdp));
}

void linux_boot_area_fill(uint8_t *area, gpa_t area_at, uint64_t cbit_mask,
			  gpa_t secrets, gpa_t cpuid)
{
	const uint64_t area_gpa = gpa_val(area_at);
	uint64_t *pml4 = (uint64_t *)(void *)(area + LINUX_AREA_PML4);
	uint64_t *pdpt = pml4 + 512;
	uint8_t *sd = area + LINUX_AREA_SETUP_DATA;
	uint8_t *cc = area + LINUX_AREA_CC_BLOB;
	uint64_t *gdt = (uint64_t *)(void *)(area + LINUX_AREA_GDT);

	/* Identity map of the low 4 GiB: present, writable, private. */
	pml4[0] = (area_gpa + PAGE_SIZE) | cbit_mask | 0x3;
	for (uint64_t g = 0; g < 4; g++) {
		uint64_t *pd = pml4 + (2 + g) * 512;

		pdpt[g] = (area_gpa + (2 + g) * PAGE_SIZE) | cbit_mask | 0x3;
		for (uint64_t i = 0; i < 512; i++) {
			/* P | RW | PS (2 MiB) */
			pd[i] = ((g << 30) | (i << 21)) | cbit_mask | 0x83;
		}
	}
	/* Flat 4 GiB descriptors boot.rst asks for at 0x10 and 0x18. */
	gdt[LINUX_BOOT_CS / 8] = GDT_FLAT(VMSA_SEG_CODE64);
	gdt[LINUX_BOOT_DS / 8] = GDT_FLAT(VMSA_SEG_DATA32);
	/*
	 * struct setup_data {u64 next; u32 type; u32 len;} then, for
	 * SETUP_CC_BLOB, a u32 physical address of the blob (Linux
	 * arch/x86/boot/startup/sev-shared.c, find_cc_blob_setup_data).
	 */
	wr64(sd, 0);
	wr32(sd + 8, LINUX_SETUP_CC_BLOB);
	wr32(sd + 12, 4);
	wr32(sd + 16, (uint32_t)(area_gpa + LINUX_AREA_CC_BLOB));
	/* struct cc_blob_sev_info (40 bytes, arch/x86/include/asm/sev.h). */
	wr32(cc, LINUX_CC_BLOB_MAGIC);
	cc[4] = 1; /* version */
	wr64(cc + 0x08, gpa_val(secrets));
	wr32(cc + 0x10, PAGE_SIZE);
	wr64(cc + 0x18, gpa_val(cpuid));
	wr32(cc + 0x20, PAGE_SIZE);
}

bool linux_vmsa_init(struct snp_vmsa *v, const struct guest_vmsa_cfg *cfg,
		     gpa_t zero_page_at, gpa_t area_at, uint64_t cbit_mask)
{
	const uint64_t zero_page = gpa_val(zero_page_at);
	const uint64_t area_gpa = gpa_val(area_at);
	struct guest_vmsa_cfg common = *cfg;

	/* The area and the zero page must be below 4 GiB: the tables only
	 * map that much, and the CC-blob pointer is 32 bits. */
	if (area_gpa > UINT32_MAX - SVSM_LINUX_BOOT_PAGES * PAGE_SIZE ||
	    zero_page > UINT32_MAX - PAGE_SIZE) {
		return false;
	}
	common.mode = SVSM_PAYLOAD_PROT32;
	common.rsi = 0;
	common.rdi = 0;
	if (!snp_vmsa_init_guest(v, &common)) {
		return false;
	}
	/* boot.rst: CS = __BOOT_CS (64-bit code), DS/ES/SS = __BOOT_DS. */
	vmsa_long_mode(v, LINUX_BOOT_CS, LINUX_BOOT_DS,
		       (area_gpa + LINUX_AREA_PML4) | cbit_mask);
	vmsa_seg_set(&v->gdtr, 0, 0, 4 * 8 - 1, area_gpa + LINUX_AREA_GDT);
	v->rip = cfg->entry;
	v->rsi = zero_page;
	v->rsp = area_gpa + LINUX_AREA_STACK_TOP;
	return true;
}
