/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the IGVM parser (tools/igvm): any input must either
 * be refused with an error code or parse into headers that the iterator,
 * the dump, the VMSA decoder and the launch-digest walk can all consume
 * without touching memory outside the input.
 *
 * The digest uses a cheap stand-in hash: the chaining logic is what is under
 * test here, and SHA-384 would only slow the fuzzer down.
 */
#include <stdio.h>
#include <string.h>

#include "igvm/host.h"
#include "igvm/measure.h"
#include "igvm/qemu.h"
#include "igvm/vmsa.h"

static void fake_sha384(const void *data, size_t len, uint8_t out[48])
{
	const uint8_t *p = data;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++) {
		h = (h ^ p[i]) * 0x100000001b3ull;
	}
	for (size_t i = 0; i < 48; i++) {
		out[i] = (uint8_t)(h >> (8 * (i % 8))) ^ (uint8_t)i;
	}
}

/* QEMU's launch order must name only page-aligned, typed pages. */
static void launch_page(void *ctx, const struct igvm_launch_page *p)
{
	(void)ctx;
	if ((p->gpa & 0xfff) || p->page_type < IGVM_SNP_PAGE_NORMAL ||
	    p->page_type > IGVM_SNP_PAGE_CPUID) {
		__builtin_trap();
	}
}

static void exercise(const uint8_t *data, size_t size)
{
	static struct igvm_file f;
	static FILE *null_out;
	static uint8_t scratch[4096];
	struct igvm_measure_opts o = {.vcpus = 3, .scratch = scratch};
	struct igvm_header h;
	struct igvm_iter it;
	uint8_t ld[48];

	if (!null_out) {
		null_out = fopen("/dev/null", "w");
	}
	if (igvm_parse(data, size, &f) != IGVM_OK) {
		return;
	}
	igvm_iter_init(&it, &f, 0);
	while (igvm_iter_next(&it, &h)) {
		if (h.type == IGVM_VHT_VP_CONTEXT) {
			struct igvm_vmsa_regs r;
			const uint8_t *page =
				igvm_file_page(&f, h.u.vp.file_offset);

			if (!page) {
				__builtin_trap(); /* parse promised a page */
			}
			igvm_vmsa_read(page, &r);
		}
	}
	if (null_out) {
		igvm_dump(null_out, &f);
	}
	/* snpemu runs these on hostile files (emu/igvm_load.c). */
	(void)igvm_qemu_check_file(&f, NULL);
	igvm_qemu_launch_pages(&f, UINT32_MAX, launch_page, NULL);
	o.profile = IGVM_PROFILE_KVM;
	igvm_measure(&f, fake_sha384, &o, ld);
	o.profile = IGVM_PROFILE_DIRECT;
	igvm_measure(&f, fake_sha384, &o, ld);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t fixed[1 << 17];
	uint32_t off, hsize;

	exercise(data, size);
	/*
	 * Almost every mutation breaks the CRC, which would stop the fuzzer
	 * at the first check. Parse a copy with the CRC repaired as well, so
	 * the header walker sees the mutations.
	 */
	if (size < 24 || size > sizeof(fixed)) {
		return 0;
	}
	memcpy(fixed, data, size);
	memcpy(&off, fixed + 8, 4);
	memcpy(&hsize, fixed + 12, 4);
	if (off < 24 || off > size || hsize > size - off) {
		return 0;
	}
	off = igvm_file_checksum(fixed, off, off + hsize);
	memcpy(fixed + 20, &off, 4);
	exercise(fixed, size);
	return 0;
}
