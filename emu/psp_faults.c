// SPDX-License-Identifier: MIT
/*
 * psp_faults.h.
 */
#include "psp_faults.h"

#include "lib/console.h"
#include "lib/string.h"

#include "svsm/abi/snp_certs.h"
#include "svsm/abi/snp_guest_msg.h"

bool psp_greq_stats;

enum mode { NONE, BUSY, GARBAGE, REPLAY, FWERR, BIGCERTS };

static enum mode mode;
static uint64_t target, count;
static unsigned busy_left = 3;
static uint8_t last_resp[4096];

bool psp_fault_config(const char *arg)
{
	static const struct {
		const char *name;
		enum mode m;
	} modes[] = {{"busy", BUSY},
		     {"garbage", GARBAGE},
		     {"replay", REPLAY},
		     {"fwerr", FWERR},
		     {"bigcerts", BIGCERTS}};
	const char *colon = strchr(arg, ':');

	if (colon == NULL) {
		return false;
	}
	target = 0;
	for (const char *p = colon + 1; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || target > 1000000) {
			return false;
		}
		target = target * 10 + (uint64_t)(*p - '0');
	}
	for (unsigned i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strlen(modes[i].name) == (size_t)(colon - arg) &&
		    strncmp(arg, modes[i].name, (size_t)(colon - arg)) == 0) {
			mode = modes[i].m;
			con_printf(
				"snpemu: hostile host: %s on guest request "
				"%llu\n",
				modes[i].name, (unsigned long long)target);
			return target != 0;
		}
	}
	return false;
}

enum psp_fault_act psp_fault_before(bool ext, uint8_t *resp,
				    uint64_t *exitinfo2, uint64_t *rbx)
{
	/* BUSY answers do not count as requests: the same one comes back. */
	if (mode == BUSY && count + 1 == target && busy_left > 0) {
		busy_left--;
		con_printf("snpemu: hostile host: BUSY\n");
		*exitinfo2 = (uint64_t)SNP_GUEST_VMM_ERR_BUSY << 32;
		return PSP_FAULT_ANSWER;
	}
	if (++count != target) {
		return PSP_FAULT_NONE;
	}
	switch (mode) {
	case REPLAY:
		con_printf("snpemu: hostile host: replaying a response\n");
		memcpy(resp, last_resp, sizeof(last_resp));
		*exitinfo2 = 0;
		return PSP_FAULT_ANSWER;
	case FWERR:
		con_printf("snpemu: hostile host: firmware error\n");
		*exitinfo2 = SNP_FW_INVALID_PARAM;
		return PSP_FAULT_ANSWER;
	case BIGCERTS:
		if (!ext) {
			return PSP_FAULT_NONE;
		}
		con_printf("snpemu: hostile host: INVALID_LEN, 100 pages\n");
		*rbx = 100;
		*exitinfo2 = (uint64_t)SNP_GUEST_VMM_ERR_INVALID_LEN << 32;
		return PSP_FAULT_ANSWER;
	case GARBAGE:
		return PSP_FAULT_MANGLE;
	case NONE:
	case BUSY:
		break;
	}
	return PSP_FAULT_NONE;
}

void psp_fault_after(uint8_t *resp, bool mangle)
{
	if (mangle) {
		con_printf("snpemu: hostile host: flipping a response byte\n");
		resp[sizeof(struct snp_guest_msg_hdr) + 40] ^= 0x20;
	}
	memcpy(last_resp, resp, sizeof(last_resp));
}
