// SPDX-License-Identifier: MIT
/*
 * Linux 64-bit boot data the SVSM writes (src/boot/linux_params.c): the
 * e820 map, the zero page, the boot area (tables, GDT, SETUP_CC_BLOB) and
 * the startup_64 VMSA, checked against the layouts Linux reads.
 */
#include "boot/linux_params.h"
#include "tap.h"

#define MIB(x) ((uint64_t)(x) << 20)
#define CBIT (UINT64_C(1) << 47)
#define AREA 0xF00000u

static struct linux_e820 map[LINUX_E820_MAX];
static uint8_t area[SVSM_LINUX_BOOT_PAGES * 4096];
static uint8_t zp[4096];
static struct snp_vmsa v;

static uint64_t rd64(const uint8_t *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return x;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t x;

	memcpy(&x, p, 4);
	return x;
}

TAP_CASE(e820_svsm_hole_and_reserved_pages)
{
	const struct mem_range ram[] = {{0, MIB(256)}};
	const struct mem_range svsm = {MIB(128), MIB(16)};
	const struct mem_range res[] = {{AREA, 0x8000},
					{0xFFD000, 0x1000},
					{0xFFE000, 0x1000},
					{0xFFF000, 0x1000}};
	size_t n = linux_e820_build(ram, 1, &svsm, res, 4, map, 128);

	CHECK_EQ(n, 8);
	CHECK_TRUE(map[0].addr == 0 && map[0].size == AREA &&
		   map[0].type == LINUX_E820_RAM);
	CHECK_TRUE(map[1].addr == AREA && map[1].size == 0x8000 &&
		   map[1].type == LINUX_E820_RESERVED);
	CHECK_TRUE(map[2].addr == AREA + 0x8000 &&
		   map[2].addr + map[2].size == 0xFFD000 &&
		   map[2].type == LINUX_E820_RAM);
	CHECK_TRUE(map[5].addr == 0xFFF000 &&
		   map[5].type == LINUX_E820_RESERVED);
	/* The SVSM region is absent: neither RAM nor reserved. */
	CHECK_TRUE(map[6].addr == MIB(16) && map[6].size == MIB(112) &&
		   map[6].type == LINUX_E820_RAM);
	CHECK_TRUE(map[7].addr == MIB(144) && map[7].size == MIB(112));
	/* Too small an output refuses instead of truncating. */
	CHECK_EQ(linux_e820_build(ram, 1, &svsm, res, 4, map, 7), 0);
}

TAP_CASE(boot_area_tables_gdt_and_cc_blob)
{
	const uint64_t *pml4 = (const uint64_t *)(void *)area;
	const uint64_t *pd0 = pml4 + 2 * 512;
	const uint64_t *gdt = (const uint64_t *)(void *)(area + 0x6000);
	const uint8_t *sd = area + LINUX_AREA_SETUP_DATA;
	const uint8_t *cc = area + LINUX_AREA_CC_BLOB;

	memset(area, 0, sizeof(area));
	linux_boot_area_fill(area, gpa(AREA), CBIT, gpa(0xFFD000),
			     gpa(0xFFE000));
	CHECK_EQ(pml4[0], (AREA + 0x1000) | CBIT | 3);
	CHECK_EQ(pml4[512 + 3], (AREA + 0x5000) | CBIT | 3);
	/* 16 MiB (the kernel) maps to itself, 2 MiB page, private. */
	CHECK_EQ(pd0[8], 0x1000000 | CBIT | 0x83);
	CHECK_EQ(pml4[5 * 512 + 511], 0xFFE00000 | CBIT | 0x83);
	CHECK_EQ(gdt[0], 0);
	CHECK_EQ(gdt[2], UINT64_C(0x00af9b000000ffff)); /* __BOOT_CS, L=1 */
	CHECK_EQ(gdt[3], UINT64_C(0x00cf93000000ffff)); /* __BOOT_DS */
	CHECK_EQ(rd64(sd), 0);                          /* last entry */
	CHECK_EQ(rd32(sd + 8), LINUX_SETUP_CC_BLOB);
	CHECK_EQ(rd32(sd + 12), 4);
	CHECK_EQ(rd32(sd + 16), AREA + LINUX_AREA_CC_BLOB);
	CHECK_EQ(rd32(cc), 0x45444d41); /* "AMDE" */
	CHECK_EQ(rd64(cc + 8), 0xFFD000);
	CHECK_EQ(rd32(cc + 0x10), 4096);
	CHECK_EQ(rd64(cc + 0x18), 0xFFE000);
	CHECK_EQ(rd32(cc + 0x20), 4096);
}

TAP_CASE(zero_page_keeps_the_measured_header)
{
	map[0] = (struct linux_e820){0, 0x9F000, LINUX_E820_RAM};
	map[1] = (struct linux_e820){0x100000, MIB(100), LINUX_E820_RAM};
	memset(zp, 0, sizeof(zp));
	memcpy(zp + 0x202, "HdrS", 4);
	zp[0x210] = 0xFF;
	linux_zero_page_fill(zp, map, 2, gpa(AREA + LINUX_AREA_SETUP_DATA),
			     gpa(0xF08000));
	CHECK_EQ(zp[0x1e8], 2);
	CHECK_EQ(rd64(zp + 0x2d0), 0);
	CHECK_EQ(rd64(zp + 0x2d0 + 20), 0x100000);
	CHECK_EQ(rd64(zp + 0x2d0 + 28), MIB(100));
	CHECK_EQ(rd32(zp + 0x2d0 + 36), LINUX_E820_RAM);
	CHECK_EQ(rd64(zp + 0x250), AREA + LINUX_AREA_SETUP_DATA);
	CHECK_TRUE(memcmp(zp + 0x202, "HdrS", 4) == 0 && zp[0x210] == 0xFF);
	/* boot_params.acpi_rsdp_addr; 0 when there are no tables. */
	CHECK_EQ(rd64(zp + 0x070), 0xF08000);
	linux_zero_page_fill(zp, map, 2, gpa(AREA + LINUX_AREA_SETUP_DATA),
			     gpa_invalid());
	CHECK_EQ(rd64(zp + 0x070), 0);
}

TAP_CASE(e820_acpi_tables_retyped)
{
	const struct mem_range ram[] = {{0, MIB(256)}};
	const struct mem_range svsm = {MIB(128), MIB(16)};
	const struct mem_range res[] = {{AREA, 0x8000},
					{AREA + 0x8000, 0x20000}};
	const struct mem_range acpi = {AREA + 0x8000, 0x20000};
	const struct mem_range part = {AREA + 0x8000, 0x1000};
	size_t n = linux_e820_build(ram, 1, &svsm, res, 2, map, 128);

	CHECK_EQ(n, 5);
	CHECK_TRUE(linux_e820_retype(map, n, &acpi, LINUX_E820_ACPI));
	CHECK_TRUE(map[1].type == LINUX_E820_RESERVED && map[1].size == 0x8000);
	CHECK_TRUE(map[2].addr == AREA + 0x8000 && map[2].size == 0x20000 &&
		   map[2].type == LINUX_E820_ACPI);
	/* Only an exact entry is retyped. */
	CHECK_TRUE(!linux_e820_retype(map, n, &part, LINUX_E820_ACPI));
}

TAP_CASE(startup_64_register_state)
{
	struct guest_vmsa_cfg cfg = {SVSM_PAYLOAD_LINUX64, 0x1000200, 1, 0, 0};

	CHECK_TRUE(linux_vmsa_init(&v, &cfg, gpa(0x21000), gpa(AREA), CBIT));
	CHECK_EQ(v.vmpl, 2);
	CHECK_EQ(v.cs.selector, LINUX_BOOT_CS);
	CHECK_TRUE((v.cs.attrib & 0x200) != 0); /* L: 64-bit code */
	CHECK_TRUE(v.ds.selector == LINUX_BOOT_DS &&
		   v.ss.selector == LINUX_BOOT_DS &&
		   v.es.selector == LINUX_BOOT_DS);
	CHECK_EQ(v.gdtr.base, AREA + 0x6000);
	CHECK_EQ(v.gdtr.limit, 31);
	CHECK_EQ(v.cr3, AREA | CBIT);
	CHECK_TRUE((v.cr0 & 0x80000001) == 0x80000001); /* PG, PE */
	CHECK_TRUE((v.cr4 & 0x20) != 0);                /* PAE */
	CHECK_TRUE((v.efer & 0x1500) == 0x1500);        /* SVME, LMA, LME */
	CHECK_EQ(v.rip, 0x1000200);
	CHECK_EQ(v.rsi, 0x21000);
	CHECK_EQ(v.rflags, 2); /* interrupts off */
	CHECK_EQ(v.sev_features, 1);
	/* The tables map only 4 GiB and the CC pointer is 32 bits. */
	CHECK_TRUE(!linux_vmsa_init(&v, &cfg, gpa(0x21000),
				    gpa(UINT64_C(1) << 32), CBIT));
}

TAP_MAIN(TAP_ENTRY(e820_svsm_hole_and_reserved_pages),
	 TAP_ENTRY(boot_area_tables_gdt_and_cc_blob),
	 TAP_ENTRY(zero_page_keeps_the_measured_header),
	 TAP_ENTRY(e820_acpi_tables_retyped),
	 TAP_ENTRY(startup_64_register_state))
