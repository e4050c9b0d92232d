// SPDX-License-Identifier: MIT
/* Boot-parameter page and IGVM memory-map checks (src/boot/params.c). */
#include "boot/params.h"
#include "tap.h"

static struct svsm_boot_params bp;

static void good(void)
{
	memset(&bp, 0, sizeof(bp));
	bp.magic = SVSM_BOOT_PARAMS_MAGIC;
	bp.version = SVSM_BOOT_PARAMS_VERSION;
	bp.svsm_base = 0x8000000;
	bp.svsm_size = 0x1000000;
	bp.pool_base = 0x8400000;
	bp.pool_size = 0x800000;
	bp.secrets_gpa = 0x8201000;
	bp.cpuid_gpa = 0x8202000;
	bp.memmap_gpa = 0x8204000;
	bp.memmap_size = 0x1000;
	bp.general_gpa = 0x8203000;
	bp.vp_count_offset = 0;
	bp.payload_base = 0x1000000;
	bp.payload_size = 0x100000;
	bp.payload_entry = 0x1000000;
	bp.guest_secrets_gpa = 0x100000;
	bp.guest_cpuid_gpa = 0x101000;
	bp.guest_caa_gpa = 0x102000;
}

TAP_CASE(good_layout)
{
	good();
	CHECK_EQ(bp_check(&bp), BP_OK);
}

TAP_CASE(bad_layouts)
{
	good();
	bp.magic++;
	CHECK_EQ(bp_check(&bp), BP_E_MAGIC);
	good();
	bp.guest_caa_gpa += 8;
	CHECK_EQ(bp_check(&bp), BP_E_ALIGN);
	good();
	bp.pool_base = 0x9000000; /* outside the SVSM region */
	CHECK_EQ(bp_check(&bp), BP_E_LAYOUT);
	good();
	bp.pool_size = UINT64_C(0) - 0x8400000; /* wraps */
	CHECK_EQ(bp_check(&bp), BP_E_RANGE);
	good();
	bp.payload_base = 0x7ff0000; /* runs into the SVSM */
	CHECK_EQ(bp_check(&bp), BP_E_OVERLAP);
	good();
	bp.guest_caa_gpa = 0x8300000; /* guest page in the SVSM region */
	CHECK_EQ(bp_check(&bp), BP_E_OVERLAP);
	good();
	bp.guest_cpuid_gpa = bp.guest_secrets_gpa;
	CHECK_EQ(bp_check(&bp), BP_E_OVERLAP);
	good();
	bp.payload_mode = 3;
	CHECK_EQ(bp_check(&bp), BP_E_MODE);
	good();
	bp.vp_count_offset = 4094;
	CHECK_EQ(bp_check(&bp), BP_E_RANGE);
}

static struct svsm_igvm_memmap_entry map[8];
static struct mem_range ram[8];

TAP_CASE(memmap_parse)
{
	size_t n = 0;

	memset(map, 0, sizeof(map));
	map[0] = (struct svsm_igvm_memmap_entry){0, 0xa0, 0, 0, 0};
	map[1] = (struct svsm_igvm_memmap_entry){0xa0, 0x60, 1, 0, 0};
	map[2] = (struct svsm_igvm_memmap_entry){0x100, 0x7ff00, 0, 0, 0};
	CHECK_EQ(bp_parse_memmap(map, 8, ram, 8, &n), BP_OK);
	CHECK_EQ(n, 2);
	CHECK_EQ(ram[1].base, 0x100000);
	CHECK_EQ(ram[1].size, 0x7ff00000);
	CHECK_TRUE(bp_is_ram(ram, n, gpa(0x1000000), 0x1000));
	CHECK_TRUE(!bp_is_ram(ram, n, gpa(0xa0000), 0x1000));
	CHECK_TRUE(!bp_is_ram(ram, n, gpa(0x9f000), 0x2000)); /* straddles */
	good();
	CHECK_EQ(bp_check_guest_pages(&bp, ram, n), BP_OK);
	bp.guest_caa_gpa = 0xa0000;
	CHECK_EQ(bp_check_guest_pages(&bp, ram, n), BP_E_NOT_RAM);
}

TAP_CASE(memmap_hostile)
{
	size_t n = 7;

	memset(map, 0, sizeof(map));
	CHECK_EQ(bp_parse_memmap(map, 8, ram, 8, &n), BP_E_MEMMAP); /* empty */
	CHECK_EQ(n, 0);
	map[0] = (struct svsm_igvm_memmap_entry){0x100, 0x10, 0, 0, 0};
	map[1] = (struct svsm_igvm_memmap_entry){0x108, 0x10, 0, 0, 0};
	CHECK_EQ(bp_parse_memmap(map, 8, ram, 8, &n), BP_E_MEMMAP);
	map[1] = (struct svsm_igvm_memmap_entry){UINT64_MAX >> 12, 2, 0, 0, 0};
	CHECK_EQ(bp_parse_memmap(map, 8, ram, 8, &n), BP_E_MEMMAP);
	map[1] = (struct svsm_igvm_memmap_entry){UINT64_MAX, 1, 0, 0, 0};
	CHECK_EQ(bp_parse_memmap(map, 8, ram, 8, &n), BP_E_MEMMAP);
	/* Too many RAM ranges for the output. */
	for (uint64_t i = 0; i < 8; i++) {
		map[i] = (struct svsm_igvm_memmap_entry){i * 0x100, 1, 0, 0, 0};
	}
	CHECK_EQ(bp_parse_memmap(map, 8, ram, 4, &n), BP_E_MEMMAP);
	/* An unterminated full area is accepted. */
	CHECK_EQ(bp_parse_memmap(map, 8, ram, 8, &n), BP_OK);
	CHECK_EQ(n, 8);
}

TAP_MAIN(TAP_ENTRY(good_layout), TAP_ENTRY(bad_layouts),
	 TAP_ENTRY(memmap_parse), TAP_ENTRY(memmap_hostile))
