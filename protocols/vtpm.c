// SPDX-License-Identifier: MIT
/*
 * The vTPM protocol (protocol 2; docs/abi.md §5): VTPM_QUERY and VTPM_CMD
 * with the one platform command any client uses, TPM_SEND_COMMAND.
 *
 * Decode, then commit (docs/style.md §2): the guest's page is copied once
 * into SVSM memory and checked there (platform command, locality, size),
 * the page is checked writable before the TPM runs (a command with effects,
 * e.g. PCR_Extend, must not run when its answer cannot be delivered), and
 * the response goes back in place, never past the page. TPM-level failures
 * travel inside the TPM response with RAX = SUCCESS: a non-zero RAX makes
 * Linux's tpm_svsm_send fail the whole command (docs/abi.md §5.2).
 */
#include "svsm/vtpm.h"

#include "lib/spinlock.h"

#include "svsm/guest_mem.h"
#include "svsm/lock_stat.h"
#include "svsm/request.h"

#include "svsm/abi/svsm_call.h"
#include "svsm/abi/vtpm.h"

#define PAGE 4096u
#define TPM_HEADER_SIZE 10u
#define TPM_ST_NO_SESSIONS 0x8001u
#define TPM_RC_FAILURE 0x101u

/* Both buffers live in SVSM memory; calls are serialised by the loop. */
static uint8_t cmd_page[SVSM_VTPM_BUFFER_SIZE];
static uint8_t rsp_page[SVSM_VTPM_BUFFER_SIZE];

static void put_be(uint8_t *p, uint32_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	}
}

/* The engine gave no usable answer: a TPM_RC_FAILURE response, which
 * Linux reports as a failed TPM command (the TPM's own failure mode). */
static size_t failure_response(uint8_t *rsp)
{
	put_be(rsp, TPM_ST_NO_SESSIONS, 2);
	put_be(rsp + 2, TPM_HEADER_SIZE, 4);
	put_be(rsp + 6, TPM_RC_FAILURE, 4);
	return TPM_HEADER_SIZE;
}

static svsm_err_t vtpm_send_command(const struct svsm_req *req)
{
	struct svsm_vtpm_cmd_req h;
	struct svsm_vtpm_cmd_rsp r;
	gpa_t buf = gpa(req->rcx);
	size_t rsp_len = 0;
	svsm_err_t err = SVSM_OK;

	/* Linux and OVMF pass a whole page; any other address could make
	 * the 4096-byte buffer cross into a page the guest did not mean. */
	if (req->rcx == 0 || (req->rcx & (PAGE - 1)) != 0) {
		return SVSM_E_INVAL;
	}
	err = guest_mem_read(cmd_page, buf, sizeof(cmd_page));
	if (err != SVSM_OK) {
		return err;
	}
	__builtin_memcpy(&h, cmd_page, sizeof(h));
	if (h.platform_cmd != SVSM_VTPM_PLAT_SEND_COMMAND) {
		/* A simulator command we do not serve vs. no command at all
		 * (docs/abi.md §5.2). */
		return h.platform_cmd >= 1 &&
				       h.platform_cmd <= SVSM_VTPM_PLAT_MAX
			       ? SVSM_E_NOCALL
			       : SVSM_E_INVAL;
	}
	if (h.locality != 0 || h.cmd_size > SVSM_VTPM_CMD_MAX) {
		return SVSM_E_INVAL;
	}
	err = guest_mem_check_write(buf, sizeof(rsp_page));
	if (err != SVSM_OK) {
		return err;
	}
	err = plat_vtpm_execute(cmd_page + sizeof(h), h.cmd_size,
				rsp_page + sizeof(r), SVSM_VTPM_RSP_MAX,
				&rsp_len);
	if (err == SVSM_E_FORMAT) {
		rsp_len = failure_response(rsp_page + sizeof(r));
	} else if (err != SVSM_OK) {
		return err;
	}
	if (rsp_len > SVSM_VTPM_RSP_MAX) {
		rsp_len = failure_response(rsp_page + sizeof(r));
	}
	r.rsp_size = (uint32_t)rsp_len;
	__builtin_memcpy(rsp_page, &r, sizeof(r));
	return guest_mem_write(buf, rsp_page, sizeof(r) + rsp_len);
}

/*
 * One command at a time, whichever vCPU sends it: libtpms is
 * single-threaded and runs on one stack of its own (src/vtpm_service.c),
 * and the response page here is shared (lock order: docs/architecture.md
 * §3).
 */
static struct spinlock vtpm_lock = SPINLOCK_INIT;
static struct lock_stat vtpm_stat = LOCK_STAT_INIT("vtpm_lock", 16);

svsm_err_t vtpm_call(struct svsm_req *req)
{
	svsm_err_t err = SVSM_OK;

	if (!plat_vtpm_ready()) {
		/* The vTPM did not start: Linux then has no TPM (§11.6). */
		return SVSM_E_NOPROTO;
	}
	switch (req->call_id) {
	case SVSM_VTPM_QUERY:
		/* Only TPM_SEND_COMMAND; no vTPM features (§5.1). */
		svsm_req_set_out(req, SVSM_OUT_RCX,
				 UINT64_C(1) << SVSM_VTPM_PLAT_SEND_COMMAND);
		svsm_req_set_out(req, SVSM_OUT_RDX, 0);
		return SVSM_OK;
	case SVSM_VTPM_CMD:
		stat_lock(&vtpm_lock, &vtpm_stat);
		err = vtpm_send_command(req);
		stat_unlock(&vtpm_lock, &vtpm_stat);
		return err;
	default:
		return SVSM_E_NOCALL;
	}
}
