// SPDX-License-Identifier: MIT
/*
 * The ACPI walk that finds the DMA-remapping unit (dmar.h): RSDP ->
 * XSDT (or RSDT) -> DMAR -> DRHD, every length and checksum checked before
 * a byte past the header is read (ACPI 6.x §5.2.5-5.2.8; VT-d spec §8.1,
 * §8.3). Pure: tables are read at their addresses as pointers (snpemu's
 * identity map; the tests' buffers).
 */
#include "dmar.h"

#include <stdbool.h>

/* The same code runs in snpemu and in a hosted unit test: the compiler's
 * builtins resolve to whichever memcpy/memcmp the link provides. */
#define memcpy __builtin_memcpy
#define memcmp __builtin_memcmp

static bool acpi_sum_ok(uint64_t pa, uint32_t len)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)pa;
	uint8_t sum = 0;

	for (uint32_t i = 0; i < len; i++) {
		sum = (uint8_t)(sum + p[i]);
	}
	return sum == 0;
}

/* A table header at @pa, wholly below @limit, with a good checksum; its
 * length, or 0. */
static uint32_t acpi_table(uint64_t pa, const char *sig, uint64_t limit)
{
	uint32_t len = 0;

	if (pa == 0 || limit < 36 || pa > limit - 36) {
		return 0;
	}
	memcpy(&len, (const void *)(uintptr_t)(pa + 4), 4);
	if (len < 36 || len > 0x10000 || len > limit - pa ||
	    (sig && memcmp((const void *)(uintptr_t)pa, sig, 4) != 0) ||
	    !acpi_sum_ok(pa, len)) {
		return 0;
	}
	return len;
}

uint64_t acpi_find_table(uint64_t rsdp, const char *sig, uint64_t limit)
{
	const uint8_t *r = (const uint8_t *)(uintptr_t)rsdp;
	uint64_t sdt = 0;
	unsigned esz = 4;
	uint32_t len = 0;

	if (rsdp == 0 || limit < 36 || rsdp > limit - 36 ||
	    memcmp(r, "RSD PTR ", 8) != 0 || !acpi_sum_ok(rsdp, 20)) {
		return 0;
	}
	if (r[15] >= 2 && acpi_sum_ok(rsdp, 36)) {
		memcpy(&sdt, r + 24, 8); /* XSDT */
		esz = 8;
		len = acpi_table(sdt, "XSDT", limit);
	}
	if (len == 0) {
		sdt = 0;
		memcpy(&sdt, r + 16, 4); /* RSDT */
		esz = 4;
		len = acpi_table(sdt, "RSDT", limit);
	}
	for (uint32_t o = 36; len != 0 && o + esz <= len; o += esz) {
		uint64_t t = 0;

		memcpy(&t, (const void *)(uintptr_t)(sdt + o), esz);
		if (acpi_table(t, sig, limit) != 0) {
			return t;
		}
	}
	return 0;
}

/*
 * The register base of the DRHD for segment 0: the one that covers all
 * devices (flag INCLUDE_PCI_ALL), or else the only one (QEMU 7.2 lists
 * its PCI host bridge's buses as a device scope instead of setting the
 * flag: hw/i386/acpi-build.c, build_dmar_q35). Several units without
 * the flag are not supported: 0.
 */
uint64_t dmar_drhd_base(uint64_t dmar, uint64_t limit)
{
	uint32_t len = acpi_table(dmar, "DMAR", limit);
	uint64_t only = 0;
	unsigned units = 0;

	for (uint32_t o = 48; len != 0 && o + 16 <= len;) {
		const uint8_t *s = (const uint8_t *)(uintptr_t)(dmar + o);
		uint16_t type = 0, slen = 0, seg = 0;
		uint64_t base = 0;

		memcpy(&type, s, 2);
		memcpy(&slen, s + 2, 2);
		if (slen < 4 || slen > len - o) {
			return 0;
		}
		memcpy(&seg, s + 6, 2);
		memcpy(&base, s + 8, 8);
		/* Type 0 = DRHD, flag bit 0 = INCLUDE_PCI_ALL. */
		if (type == 0 && slen >= 16 && seg == 0) {
			if (s[4] & 1) {
				return base;
			}
			only = base;
			units++;
		}
		o += slen;
	}
	return units == 1 ? only : 0;
}
