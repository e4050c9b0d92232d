/* SPDX-License-Identifier: MIT */
/*
 * docs/abi.md §12.7: SNP platform (mask 1, VTL 2), policy 0x30000, parameter
 * area 0 (4 KiB) with VP_COUNT at 0 inserted at 0x1F000, a data page at 0x10000
 * with bytes (i*7+3)&0xff, a zero page at 0x11000, SECRETS at 0x20000, CPUID
 * at 0x21000 and a VMSA at 0xFFFFFFFFF000 (zero page, byte 0x3B0 = 1).
 */
#include "tiny.h"

#include <stdlib.h>
#include <string.h>

#include "igvm/builder.h"
#include "igvm/measure.h"

uint8_t *tiny_build(size_t *len)
{
	struct igvm_builder b;
	uint8_t page[IGVM_PAGE_SIZE];
	uint8_t vmsa[IGVM_PAGE_SIZE] = {0};
	uint8_t *out = NULL;

	for (size_t i = 0; i < sizeof(page); i++) {
		page[i] = (uint8_t)((i * 7 + 3) & 0xff);
	}
	vmsa[0x3B0] = 1; /* sev_features = SNP */
	igvm_builder_init(&b);
	igvm_builder_platform(&b, 1, IGVM_PLATFORM_SEV_SNP, 2, 0);
	igvm_builder_policy(&b, 1, 0x30000);
	igvm_builder_area(&b, 0, IGVM_PAGE_SIZE);
	igvm_builder_param(&b, IGVM_VHT_VP_COUNT_PARAMETER, 0, 0);
	igvm_builder_insert(&b, 1, 0x1F000, 0);
	igvm_builder_page(&b, 1, 0x10000, 0, IGVM_PAGE_DATA_NORMAL, page,
			  sizeof(page));
	igvm_builder_page(&b, 1, 0x11000, 0, IGVM_PAGE_DATA_NORMAL, NULL, 0);
	igvm_builder_page(&b, 1, 0x20000, 0, IGVM_PAGE_DATA_SECRETS, NULL, 0);
	igvm_builder_page(&b, 1, 0x21000, 0, IGVM_PAGE_DATA_CPUID_DATA, NULL,
			  0);
	igvm_builder_vmsa(&b, 1, IGVM_KVM_VMSA_GPA, 0, vmsa);
	if (!igvm_builder_finish(&b, &out, len)) {
		out = NULL;
	}
	igvm_builder_free(&b);
	return out;
}
