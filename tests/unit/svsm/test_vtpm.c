// SPDX-License-Identifier: MIT
/*
 * The vTPM protocol (protocols/vtpm.c) against the fake engine
 * (fakes/fake_vtpm.c): VTPM_QUERY, and VTPM_CMD's checks of the guest
 * page - platform command, locality, sizes, address - and that the
 * response goes back in place and never past the page.
 */
#include "svsm/abi/vtpm.h"

#include "svsm_test.h"

#define BUF FREE_4K

static uint64_t vtpm(uint32_t id, uint64_t rcx)
{
	return call_as(bsp, SVSM_PROTO_VTPM, id, rcx, 0x55, 0);
}

/* A TPM_SEND_COMMAND request of @n TPM bytes at @g. */
static void put_req(uint64_t g, uint32_t plat, uint8_t loc, uint32_t n)
{
	struct svsm_vtpm_cmd_req h = {plat, loc, n};
	uint8_t *p = fake_mem(g);

	memset(p, 0xcc, 4096);
	memcpy(p, &h, sizeof(h));
}

static uint32_t get32(uint64_t g)
{
	uint32_t v = 0;

	memcpy(&v, fake_mem(g), sizeof(v));
	return v;
}

TAP_CASE(query)
{
	setup();
	CHECK_EQ(vtpm(SVSM_VTPM_QUERY, 0), SVSM_SUCCESS);
	CHECK_EQ(last.out.rcx, UINT64_C(1) << 8);
	CHECK_EQ(last.out.rdx, 0);
	CHECK_TRUE((last.out.set & (SVSM_OUT_RCX | SVSM_OUT_RDX)) ==
		   (SVSM_OUT_RCX | SVSM_OUT_RDX));
	CHECK_EQ(vtpm(2, 0), SVSM_ERR_UNSUPPORTED_CALL);
}

TAP_CASE(send_command)
{
	setup();
	put_req(BUF, 8, 0, 12);
	CHECK_EQ(vtpm(SVSM_VTPM_CMD, BUF), SVSM_SUCCESS);
	CHECK_EQ(fake_vtpm_calls, 1);
	CHECK_EQ(get32(BUF), 10);
	CHECK_EQ(fake_mem(BUF)[4], 0x80);
	/* Nothing past the response. */
	CHECK_TRUE(all_bytes(BUF + 14, 4096 - 14, 0xcc));
	CHECK_EQ(last.out.set, 0);
}

TAP_CASE(bad_requests_do_not_reach_the_tpm)
{
	setup();
	put_req(BUF, 8, 1, 12);
	CHECK_EQ(vtpm(SVSM_VTPM_CMD, BUF), SVSM_ERR_INVALID_PARAMETER);
	put_req(BUF, 8, 0, 4096 - 9 + 1);
	CHECK_EQ(vtpm(SVSM_VTPM_CMD, BUF), SVSM_ERR_INVALID_PARAMETER);
	put_req(BUF, 8, 0, UINT32_MAX);
	CHECK_EQ(vtpm(SVSM_VTPM_CMD, BUF), SVSM_ERR_INVALID_PARAMETER);
	put_req(BUF, 1, 0, 12); /* POWER_ON: defined, not served */
	CHECK_EQ(vtpm(SVSM_VTPM_CMD, BUF), SVSM_ERR_UNSUPPORTED_CALL);
	put_req(BUF, 0, 0, 12);
	CHECK_EQ(vtpm(SVSM_VTPM_CMD, BUF), SVSM_ERR_INVALID_PARAMETER);
	put_req(BUF, 0x12345678, 0, 12);
	CHECK_EQ(vtpm(SVSM_VTPM_CMD, BUF), SVSM_ERR_INVALID_PARAMETER);
	put_req(BUF, 8, 0, 12);
	CHECK_EQ(vtpm(SVSM_VTPM_CMD, 0), SVSM_ERR_INVALID_PARAMETER);
	CHECK_EQ(vtpm(SVSM_VTPM_CMD, BUF + 8), SVSM_ERR_INVALID_PARAMETER);
	CHECK_TRUE(vtpm(SVSM_VTPM_CMD, FAKE_SVSM_BASE) != SVSM_SUCCESS);
	CHECK_TRUE(vtpm(SVSM_VTPM_CMD, FAKE_RAM_SIZE) != SVSM_SUCCESS);
	CHECK_EQ(fake_vtpm_calls, 0);
	/* Nothing written back on a refusal. */
	CHECK_EQ(get32(BUF), 8);
}

TAP_CASE(engine_failures)
{
	setup();
	/* Shorter than a TPM header: a platform-level size error. */
	put_req(BUF, 8, 0, 4);
	CHECK_EQ(vtpm(SVSM_VTPM_CMD, BUF), SVSM_ERR_INVALID_PARAMETER);
	/* No response from the engine: TPM_RC_FAILURE inside, RAX success. */
	fake_vtpm_result = SVSM_E_FORMAT;
	put_req(BUF, 8, 0, 12);
	CHECK_EQ(vtpm(SVSM_VTPM_CMD, BUF), SVSM_SUCCESS);
	CHECK_EQ(get32(BUF), 10);
	CHECK_EQ(fake_mem(BUF)[4 + 9], 0x01);
	CHECK_EQ(fake_mem(BUF)[4 + 8], 0x01);
	/* A vTPM that stopped. */
	fake_vtpm_running = false;
	CHECK_EQ(vtpm(SVSM_VTPM_CMD, BUF), SVSM_ERR_UNSUPPORTED_PROTOCOL);
}

TAP_MAIN(TAP_ENTRY(query), TAP_ENTRY(send_command),
	 TAP_ENTRY(bad_requests_do_not_reach_the_tpm),
	 TAP_ENTRY(engine_failures))
