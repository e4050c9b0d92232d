/* SPDX-License-Identifier: MIT */
/*
 * OVMF's GUIDed footer table and SEV metadata (docs/abi.md §15; edk2
 * OvmfPkg/ResetVector/X64/OvmfSevMetadata.nasm.inc): where the firmware
 * expects its copies of the secrets and CPUID pages and the SVSM calling
 * area. The firmware file is input: every offset is bounds-checked.
 *
 * Layout at the end of the image (4 GiB - 0x20 is the reset vector area):
 *   ... | entry data | u16 len | GUID |  footer: u16 table_len | GUID |
 * walked backwards; each len covers data + 18 bytes.
 */
#include <string.h>

#include "layout.h"

/* 96b582de-1fb2-45f7-baea-a366c55a082d, in on-disk byte order. */
static const uint8_t footer_guid[16] = {0xde, 0x82, 0xb5, 0x96, 0xb2, 0x1f,
					0xf7, 0x45, 0xba, 0xea, 0xa3, 0x66,
					0xc5, 0x5a, 0x08, 0x2d};
/* dc886566-984a-4798-a75e-5585a7bf67cc: SEV metadata offset. */
static const uint8_t sev_meta_guid[16] = {0x66, 0x65, 0x88, 0xdc, 0x4a, 0x98,
					  0x98, 0x47, 0xa7, 0x5e, 0x55, 0x85,
					  0xa7, 0xbf, 0x67, 0xcc};

#define SEV_META_MAX_DESC 64
enum {
	SEV_DESC_MEM = 1,
	SEV_DESC_SECRETS = 2,
	SEV_DESC_CPUID = 3,
	SEV_DESC_SVSM_CAA = 4,
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/* Find the SEV metadata offset (from the end of the image) in the table. */
static bool find_meta_offset(const uint8_t *fw, size_t len, uint32_t *off)
{
	size_t start, cur;
	uint16_t tlen;

	if (len < 0x32 || memcmp(fw + len - 0x30, footer_guid, 16) != 0) {
		return false;
	}
	tlen = rd16(fw + len - 0x32);
	if (tlen < 18 || tlen > len - 0x20) {
		return false;
	}
	start = len - 0x20 - tlen;
	cur = len - 0x32;
	while (cur >= start + 18) {
		uint16_t ln = rd16(fw + cur - 18);

		if (ln < 18 || ln > cur - start) {
			return false;
		}
		if (!memcmp(fw + cur - 16, sev_meta_guid, 16) && ln >= 22) {
			*off = rd32(fw + cur - ln);
			return true;
		}
		cur -= ln;
	}
	return false;
}

bool ovmf_parse(struct cfg *cfg, int line, const uint8_t *fw, size_t len,
		struct ovmf_meta *out)
{
	uint32_t off = 0, count;
	const uint8_t *m;

	memset(out, 0, sizeof(*out));
	if (!find_meta_offset(fw, len, &off)) {
		cfg_error(cfg, line,
			  "firmware has no OVMF GUID table with SEV metadata");
		return false;
	}
	if (off > len || off < 16 || len - off < 16 ||
	    memcmp(fw + len - off, "ASEV", 4) != 0) {
		cfg_error(cfg, line, "firmware SEV metadata malformed");
		return false;
	}
	m = fw + len - off;
	count = rd32(m + 12);
	if (rd32(m + 8) != 1 || count > SEV_META_MAX_DESC ||
	    (uint64_t)count * 12 > off - 16) {
		cfg_error(cfg, line,
			  "firmware SEV metadata: unsupported version or bad "
			  "descriptor count");
		return false;
	}
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *d = m + 16 + 12 * i;
		uint32_t base = rd32(d), size = rd32(d + 4), type = rd32(d + 8);

		switch (type) {
		case SEV_DESC_SECRETS:
			out->secrets = base;
			break;
		case SEV_DESC_CPUID:
			out->cpuid = base;
			break;
		case SEV_DESC_SVSM_CAA:
			out->caa = base;
			break;
		case SEV_DESC_MEM:
			out->mem_pages += size / 4096;
			break;
		default:
			break; /* kernel hashes etc.: not our business */
		}
	}
	out->found = true;
	return true;
}
