/* SPDX-License-Identifier: MIT */
/*
 * CRC-32 for the IGVM fixed-header checksum (docs/abi.md §12.2: IEEE
 * polynomial, reflected, init and xorout 0xFFFFFFFF, identical to zlib's
 * crc32()). Bitwise rather than table-driven: headers are a few KiB, and no
 * table means nothing to initialise in a freestanding build.
 */
#include "igvm/parse.h"

uint32_t igvm_crc32(uint32_t crc, const uint8_t *buf, size_t len)
{
	crc = ~crc;
	for (size_t i = 0; i < len; i++) {
		crc ^= buf[i];
		for (int bit = 0; bit < 8; bit++) {
			uint32_t lsb = crc & 1u;

			crc >>= 1;
			if (lsb) {
				crc ^= 0xEDB88320u;
			}
		}
	}
	return ~crc;
}

uint32_t igvm_file_checksum(const uint8_t *file, uint32_t hdr_off,
			    uint32_t hdr_end)
{
	/* The checksum field itself counts as zero (docs/abi.md §12.2). */
	static const uint8_t zero[4] = {0, 0, 0, 0};
	uint32_t crc = 0;

	crc = igvm_crc32(crc, file, IGVM_FIXED_HEADER_CHECKSUM_OFFSET);
	crc = igvm_crc32(crc, zero, sizeof(zero));
	crc = igvm_crc32(crc, file + IGVM_FIXED_HEADER_CHECKSUM_OFFSET + 4,
			 hdr_off - (IGVM_FIXED_HEADER_CHECKSUM_OFFSET + 4));
	return igvm_crc32(crc, file + hdr_off, hdr_end - hdr_off);
}
