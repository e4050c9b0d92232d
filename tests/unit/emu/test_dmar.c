// SPDX-License-Identifier: MIT
/*
 * Host tests of the ACPI walk that finds the IOMMU (emu/dmar.h): tables
 * built here as QEMU's firmware lays them out (RSDP -> XSDT/RSDT -> DMAR
 * with DRHD structures), then broken one way at a time.
 */
#define _GNU_SOURCE /* MAP_32BIT */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "dmar.h"
#include "tap.h"

#define BASE UINT64_C(0xfed90000)

/* Below 4 GiB (MAP_32BIT): the RSDT holds 32-bit table addresses. */
#define MEM_SIZE 4096u
static uint8_t *mem;
static uint8_t *rsdp, *xsdt, *rsdt, *apic, *dmar;

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void sum_fix(uint8_t *p, uint32_t len, uint32_t at)
{
	uint8_t s = 0;

	p[at] = 0;
	for (uint32_t i = 0; i < len; i++) {
		s = (uint8_t)(s + p[i]);
	}
	p[at] = (uint8_t)-s;
}

static void header(uint8_t *t, const char *sig, uint32_t len)
{
	memcpy(t, sig, 4);
	memcpy(t + 4, &len, 4);
	t[8] = 1; /* revision */
}

static void table_sum(uint8_t *t)
{
	uint32_t len = 0;

	memcpy(&len, t + 4, 4);
	sum_fix(t, len, 9);
}

/* A DRHD: type 0, @len bytes, @flags, @seg, @base (VT-d §8.3). */
static uint32_t drhd(uint8_t *s, uint16_t len, uint8_t flags, uint16_t seg,
		     uint64_t base)
{
	uint16_t type = 0;

	memset(s, 0, len);
	memcpy(s, &type, 2);
	memcpy(s + 2, &len, 2);
	s[4] = flags;
	memcpy(s + 6, &seg, 2);
	memcpy(s + 8, &base, 8);
	return len;
}

/* The layout QEMU 7.2 gives: one DRHD, no INCLUDE_PCI_ALL, a device
 * scope after it (here 8 bytes of scope). */
static void build(void)
{
	uint32_t len = 0;
	uint64_t x = 0;
	uint32_t r = 0;

	if (mem == NULL) {
		mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		CHECK_TRUE(mem != MAP_FAILED);
	}
	memset(mem, 0, MEM_SIZE);
	rsdp = mem;
	xsdt = mem + 64;
	rsdt = mem + 192;
	apic = mem + 320;
	dmar = mem + 448;

	header(apic, "APIC", 44);
	table_sum(apic);

	len = 48 + drhd(dmar + 48, 24, 0, 0, BASE);
	header(dmar, "DMAR", len);
	dmar[36] = 38; /* host address width - 1 */
	table_sum(dmar);

	header(xsdt, "XSDT", 36 + 16);
	x = addr(apic);
	memcpy(xsdt + 36, &x, 8);
	x = addr(dmar);
	memcpy(xsdt + 44, &x, 8);
	table_sum(xsdt);

	header(rsdt, "RSDT", 36 + 8);
	r = (uint32_t)addr(apic);
	memcpy(rsdt + 36, &r, 4);
	r = (uint32_t)addr(dmar);
	memcpy(rsdt + 40, &r, 4);
	table_sum(rsdt);

	memcpy(rsdp, "RSD PTR ", 8);
	rsdp[15] = 2;
	r = (uint32_t)addr(rsdt);
	memcpy(rsdp + 16, &r, 4);
	len = 36;
	memcpy(rsdp + 20, &len, 4);
	x = addr(xsdt);
	memcpy(rsdp + 24, &x, 8);
	sum_fix(rsdp, 20, 8);
	sum_fix(rsdp, 36, 32);
}

static uint64_t find(void)
{
	return dmar_drhd_base(acpi_find_table(addr(rsdp), "DMAR", UINT64_MAX),
			      UINT64_MAX);
}

TAP_CASE(qemu_layout_found_through_xsdt)
{
	build();
	CHECK_EQ(acpi_find_table(addr(rsdp), "DMAR", UINT64_MAX), addr(dmar));
	CHECK_EQ(acpi_find_table(addr(rsdp), "APIC", UINT64_MAX), addr(apic));
	CHECK_EQ(acpi_find_table(addr(rsdp), "HPET", UINT64_MAX), 0);
	CHECK_EQ(find(), BASE);
}

TAP_CASE(rsdt_when_xsdt_absent_or_broken)
{
	build();
	/* ACPI 1.0 RSDP: the RSDT only. */
	rsdp[15] = 0;
	sum_fix(rsdp, 20, 8);
	CHECK_EQ(find(), BASE);
	/* An XSDT with a bad checksum: the RSDT. */
	build();
	xsdt[20] ^= 1;
	CHECK_EQ(find(), BASE);
	/* Both broken: nothing. */
	rsdt[20] ^= 1;
	CHECK_EQ(find(), 0);
}

TAP_CASE(broken_rsdp_or_dmar_refused)
{
	build();
	rsdp[0] = 'X';
	CHECK_EQ(find(), 0);
	build();
	rsdp[19] ^= 1; /* first checksum */
	CHECK_EQ(find(), 0);
	build();
	dmar[60] ^= 1; /* inside the DRHD: table checksum now wrong */
	CHECK_EQ(find(), 0);
	CHECK_EQ(acpi_find_table(0, "DMAR", UINT64_MAX), 0);
}

TAP_CASE(drhd_choice)
{
	uint32_t len = 0;

	/* Two units, the second covering all devices: that one. */
	build();
	len = 48;
	len += drhd(dmar + len, 16, 0, 0, BASE);
	len += drhd(dmar + len, 16, 1, 0, BASE + 0x1000);
	header(dmar, "DMAR", len);
	table_sum(dmar);
	CHECK_EQ(find(), BASE + 0x1000);
	/* Two units without the flag: refused. */
	dmar[48 + 16 + 4] = 0;
	table_sum(dmar);
	CHECK_EQ(find(), 0);
	/* One unit, for PCI segment 1 only: none for segment 0. */
	build();
	len = 48 + drhd(dmar + 48, 16, 1, 1, BASE);
	header(dmar, "DMAR", len);
	table_sum(dmar);
	CHECK_EQ(find(), 0);
}

TAP_CASE(bad_structure_lengths_refused)
{
	uint16_t bad = 0;

	/* A structure length of 0 would loop; one past the table's end
	 * would read beyond it. */
	build();
	memcpy(dmar + 50, &bad, 2);
	table_sum(dmar);
	CHECK_EQ(find(), 0);
	build();
	bad = 200;
	memcpy(dmar + 50, &bad, 2);
	table_sum(dmar);
	CHECK_EQ(find(), 0);
	/* A table claiming more than 64 KiB: refused before its bytes are
	 * summed (they are not there to read). */
	build();
	header(dmar, "DMAR", 0x20000);
	CHECK_EQ(find(), 0);
}

TAP_CASE(tables_past_the_limit_not_followed)
{
	build();
	/* Everything below the limit: found. */
	CHECK_EQ(acpi_find_table(addr(rsdp), "DMAR", addr(mem) + MEM_SIZE),
		 addr(dmar));
	/* The limit inside the DMAR table: the DMAR is refused. */
	CHECK_EQ(acpi_find_table(addr(rsdp), "DMAR", addr(dmar) + 40), 0);
	CHECK_EQ(dmar_drhd_base(addr(dmar), addr(dmar) + 60), 0);
	/* The RSDP itself past the limit. */
	CHECK_EQ(acpi_find_table(addr(rsdp), "DMAR", addr(rsdp) + 20), 0);
}

TAP_MAIN(TAP_ENTRY(qemu_layout_found_through_xsdt),
	 TAP_ENTRY(rsdt_when_xsdt_absent_or_broken),
	 TAP_ENTRY(broken_rsdp_or_dmar_refused), TAP_ENTRY(drhd_choice),
	 TAP_ENTRY(bad_structure_lengths_refused),
	 TAP_ENTRY(tables_past_the_limit_not_followed))
