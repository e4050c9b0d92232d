// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the vTPM command path (protocols/vtpm.c ->
 * src/vtpm_service.c -> libvtpm, i.e. Debian's libtpms with the
 * freestanding OpenSSL; docs/abi.md §5): the guest writes a VTPM_CMD
 * request page (table 16) whose TPM command is the raw input, and calls
 * VTPM_CMD. The engine is the real one, started once as the SVSM starts
 * it (svsm_vtpm_start); its state carries over from input to input as it
 * does for a guest, so an input's outcome may depend on earlier ones.
 * libtpms is a prebuilt archive without coverage instrumentation: the
 * fuzzer sees coverage of the SVSM's side only, and reaches into the TPM
 * through the seed commands (tests/fuzz/corpus/svsm-vtpm) and mutation.
 *
 * Invariants, besides those of every call (fuzz_invariants.c):
 *  T1 SUCCESS leaves a response of rsp_size <= 4092 bytes that is a TPM
 *     response: a tag TPM_ST_NO_SESSIONS or TPM_ST_SESSIONS, and a size
 *     field equal to rsp_size (TPM 2.0 part 1 §18.8; §5.2 of docs/abi.md:
 *     TPM-level failures travel inside a response);
 *  T2 nothing in the page past the response changes, nor the next page;
 *  T3 any other result leaves the page as the guest wrote it.
 *
 * Input: one flags byte (header forms, buffer placement), the command.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/console.h"

#include "svsm/vtpm.h"

#include "svsm/abi/svsm_call.h"
#include "svsm/abi/vtpm.h"

#include "../fuzz_check.h"
#include "fakes/fake_platform.h"
#include "fuzz_input.h"
#include "fuzz_svsm.h"
#include "vtpm_service.h"

#define BUF FUZZ_SCRATCH

/* The fake engine's knobs, which fake_reset() sets; unused here. */
bool fake_vtpm_running;
svsm_err_t fake_vtpm_result;
unsigned fake_vtpm_calls;

/* The SVSM's console, for the engine's start-up line and its log. */
int con_printf(const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	svsm_vtpm_start();
	if (!plat_vtpm_ready()) {
		fprintf(stderr, "fuzz-svsm-vtpm: the vTPM did not start\n");
		__builtin_trap();
	}
	return 0;
}

static uint32_t be(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		v = (v << 8) | p[i];
	}
	return v;
}

NO_COV static void check(uint64_t rax, uint64_t at, const uint8_t *before)
{
	const uint8_t *now = fake_mem(BUF);
	uint32_t n = 0;

	if (rax != SVSM_SUCCESS) {
		if (memcmp(now, before, 2 * PAGE_SIZE) != 0) {
			FAIL("T3: result %#llx, yet the page changed",
			     (unsigned long long)rax);
		}
		return;
	}
	memcpy(&n, fake_mem(at), 4);
	if (n < 10 || n > SVSM_VTPM_RSP_MAX ||
	    (be(fake_mem(at + 4), 2) != 0x8001 &&
	     be(fake_mem(at + 4), 2) != 0x8002) ||
	    be(fake_mem(at + 6), 4) != n) {
		FAIL("T1: response of %u bytes, tag %#x, size field %u", n,
		     be(fake_mem(at + 4), 2), be(fake_mem(at + 6), 4));
	}
	if (memcmp(now + (at - BUF) + 4 + n, before + (at - BUF) + 4 + n,
		   2 * PAGE_SIZE - (at - BUF) - 4 - n) != 0) {
		FAIL("T2: bytes written past the %u-byte response", n);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t before[2 * PAGE_SIZE];
	struct fuzz_in in = {data, size};
	uint8_t flags = u8(&in);
	struct svsm_vtpm_cmd_req h = {SVSM_VTPM_PLAT_SEND_COMMAND, 0, 0};
	uint64_t at = BUF;
	struct fuzz_call c;
	size_t len = in.n < SVSM_VTPM_CMD_MAX ? in.n : SVSM_VTPM_CMD_MAX;

	fuzz_setup(0, 0);
	h.cmd_size = (uint32_t)len;
	switch (flags & 7) {
	case 1: /* another platform command, locality or size */
		h.platform_cmd = u8(&in);
		h.locality = u8(&in);
		h.cmd_size = u16(&in);
		len = in.n < SVSM_VTPM_CMD_MAX ? in.n : SVSM_VTPM_CMD_MAX;
		break;
	case 2: /* a size larger than what follows */
		h.cmd_size += flags >> 3;
		break;
	case 3: /* the buffer not page aligned */
		at += 8u * (flags >> 3);
		break;
	default:
		break;
	}
	fuzz_guest_write(at, &h, sizeof(h));
	fuzz_guest_write(at + sizeof(h), in.p, len);
	memcpy(before, fake_mem(BUF), sizeof(before));
	memset(&c, 0, sizeof(c));
	c.caller = vcpu_by_apic_id(0);
	c.protocol = SVSM_PROTO_VTPM;
	c.call_id = SVSM_VTPM_CMD;
	c.rcx = at;
	check(fuzz_call(&c), at, before);
	return 0;
}
