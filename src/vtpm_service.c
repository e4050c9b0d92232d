// SPDX-License-Identifier: MIT
/*
 * The vTPM inside the SVSM: libvtpm (vtpm/, Debian's libtpms with a
 * freestanding OpenSSL) started at boot and run for protocols/vtpm.c.
 *
 * Memory: the engine's heap is a fixed arena in its own .bss
 * (vtpm/shim/heap.c) and it runs on the stack below, both inside the SVSM
 * image, so the vTPM never takes memory at run time and its footprint is
 * printed at boot. Entropy: RDSEED, else RDRAND, nothing else
 * (vtpm/shim/entropy.c); without it the vTPM stops the SVSM
 * (vtpm_plat_abort) rather than make guessable keys. The canary the
 * engine reads at %fs:0x28 is the SVSM's own (src/percpu.h), and SSE is
 * on (arch_fpu_enable) before svsm_vtpm_start. The SVSM runs with
 * interrupts off, which the one red-zone function in libtpms needs.
 *
 * The state is NOT persistent: every SVSM start manufactures a new TPM
 * (new seeds, new EK).
 *
 * The endorsement keys of the attestation manifest (docs/attestation.md
 * §4.3) are created on first use: by the first VTPM_CMD before the
 * guest's command runs, or by the first attestation request, whichever
 * comes first. Deriving the RSA-2048 key from the seed takes ~1.4 s on
 * snpemu (3.3 G TSC cycles), which a boot should not pay for a guest that
 * never uses the TPM; and because no guest command has run yet, the keys
 * depend on the endorsement seed alone, whatever the guest later does to
 * the endorsement hierarchy (an auth value, disabling it).
 */
#include "vtpm_service.h"

#include <vtpm/vtpm.h>
#include <vtpm/vtpm_platform.h>

#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/panic.h"
#include "lib/spinlock.h"

#include "svsm/vtpm.h"

#include "svsm/abi/tpm_ek.h"

/* The engine's stack: the host measured a peak of about 13 KB; four times
 * that, and the peak is printed at boot. */
#define VTPM_STACK_SIZE (64u * 1024u)
#define STACK_PAINT 0xa5u

static uint8_t vtpm_stack[VTPM_STACK_SIZE] __attribute__((aligned(64)));
static bool vtpm_running;

/* The engine is not reentrant and has one stack: one caller at a time,
 * from either protocol, on whichever vCPU. */
static struct spinlock engine_lock = SPINLOCK_INIT;

/* The EKs' public areas, written once under engine_lock, then read-only. */
#define EK_PUBLIC_MAX 512u
_Static_assert(EK_PUBLIC_MAX >= TPM_EK_RSA2048_PUBLIC_SIZE &&
		       EK_PUBLIC_MAX >= TPM_EK_ECC_P256_PUBLIC_SIZE,
	       "docs/attestation.md §4.3");
static struct {
	uint8_t pub[EK_PUBLIC_MAX];
	size_t len;
} eks[2];
static enum { EK_PENDING, EK_READY, EK_FAILED } ek_state;

void vtpm_on_stack(void (*fn)(void *), void *arg, void *top);

void vtpm_plat_log(const char *msg, size_t len)
{
	con_printf("vtpm: %.*s\n", (int)len, msg);
}

/* The TPM clock counts TSC cycles as nanoseconds: monotonic, which is all
 * libtpms requires; its rate is the TSC's, not exactly 1 GHz. */
uint64_t vtpm_plat_monotonic_ns(void)
{
	return rdtsc();
}

_Noreturn void vtpm_plat_abort(const char *why)
{
	panic("vtpm: %s", why);
}

static size_t stack_peak(void)
{
	size_t untouched = 0;

	while (untouched < sizeof(vtpm_stack) &&
	       vtpm_stack[untouched] == STACK_PAINT) {
		untouched++;
	}
	return sizeof(vtpm_stack) - untouched;
}

static void *stack_top(void)
{
	return vtpm_stack + sizeof(vtpm_stack);
}

static void do_start(void *arg)
{
	int *rc = arg;

	*rc = vtpm_init(NULL, 0, false);
}

void svsm_vtpm_start(void)
{
	int rc = VTPM_E_INIT;
	uint64_t t0 = 0, t1 = 0;

	__builtin_memset(vtpm_stack, STACK_PAINT, sizeof(vtpm_stack));
	t0 = rdtsc();
	vtpm_on_stack(do_start, &rc, stack_top());
	t1 = rdtsc();
	vtpm_running = rc == VTPM_OK;
	con_printf(
		"vtpm: %s (rc %d) in %llu Mcycles; heap %zu KiB (peak "
		"%zu KiB), stack %u KiB (peak %zu KiB); state not "
		"persistent\n",
		vtpm_running ? "started" : "FAILED, protocol 2 absent", rc,
		(unsigned long long)((t1 - t0) / 1000000u),
		vtpm_heap_size() / 1024u, vtpm_heap_peak() / 1024u,
		VTPM_STACK_SIZE / 1024u, (stack_peak() + 1023u) / 1024u);
}

bool plat_vtpm_ready(void)
{
	return vtpm_running;
}

struct ek_job {
	enum vtpm_ek_kind kind;
	int32_t n;
};

static void do_ek(void *arg)
{
	struct ek_job *j = arg;

	j->n = vtpm_ek_public(j->kind, eks[j->kind].pub,
			      sizeof(eks[j->kind].pub));
}

/* Creates one EK and keeps its public area; returns the TSC cycles it took
 * (at least 1), or 0 on failure. */
static uint64_t make_ek(enum vtpm_ek_kind kind)
{
	struct ek_job j = {kind, VTPM_E_NOTREADY};
	uint64_t t0 = rdtsc();

	vtpm_on_stack(do_ek, &j, stack_top());
	if (j.n <= 0) {
		return 0;
	}
	eks[kind].len = (size_t)j.n;
	return rdtsc() - t0 + 1;
}

/* The first use of the vTPM creates both EKs, once, before anything the
 * guest asked for runs. Caller holds engine_lock. */
static void eks_create(void)
{
	uint64_t rsa = 0, ecc = 0;

	if (ek_state != EK_PENDING) {
		return;
	}
	rsa = make_ek(VTPM_EK_RSA2048);
	ecc = rsa != 0 ? make_ek(VTPM_EK_ECC_P256) : 0;
	ek_state = rsa != 0 && ecc != 0 ? EK_READY : EK_FAILED;
	con_printf(
		"vtpm: EKs %s on first use: RSA-2048 %llu Mcycles, ECC "
		"P-256 %llu Mcycles; heap peak %zu KiB, stack peak %zu "
		"KiB\n",
		ek_state == EK_READY ? "created" : "FAILED (not attested)",
		(unsigned long long)(rsa / 1000000u),
		(unsigned long long)(ecc / 1000000u), vtpm_heap_peak() / 1024u,
		(stack_peak() + 1023u) / 1024u);
}

svsm_err_t plat_vtpm_ek_public(uint32_t version, const uint8_t **pub,
			       size_t *len)
{
	_Static_assert(
		SVSM_VTPM_MANIFEST_EK_RSA2048 == VTPM_EK_RSA2048 &&
			SVSM_VTPM_MANIFEST_EK_ECC_P256 == VTPM_EK_ECC_P256,
		"manifest versions index eks[]");
	bool ready = false;

	*pub = NULL;
	*len = 0;
	if (version > SVSM_VTPM_MANIFEST_EK_ECC_P256) {
		return SVSM_E_INVAL;
	}
	if (!vtpm_running) {
		return SVSM_E_REQUEST;
	}
	spin_lock(&engine_lock);
	eks_create();
	ready = ek_state == EK_READY;
	spin_unlock(&engine_lock);
	if (!ready) {
		return SVSM_E_REQUEST;
	}
	*pub = eks[version].pub;
	*len = eks[version].len;
	return SVSM_OK;
}

struct vtpm_exec {
	const uint8_t *cmd;
	size_t cmd_len;
	uint8_t *rsp;
	size_t rsp_cap;
	int32_t n;
	size_t heap_in_use; /* set every HEAP_REPORT_EVERY commands */
};

/* Guest commands run so far (under engine_lock). Every HEAP_REPORT_EVERY
 * of them the heap in use is printed, so a long session shows whether it
 * grows (emu test svsm-vtpm-soak: equal figures, README vTPM row). */
#define HEAP_REPORT_EVERY 1024u
static uint32_t cmd_count;

static void do_cmd(void *arg)
{
	struct vtpm_exec *e = arg;

	e->n = vtpm_cmd(e->cmd, e->cmd_len, e->rsp, e->rsp_cap);
	if (++cmd_count % HEAP_REPORT_EVERY == 0) {
		e->heap_in_use = vtpm_heap_in_use();
	}
}

svsm_err_t plat_vtpm_execute(const uint8_t *cmd, size_t cmd_len, uint8_t *rsp,
			     size_t rsp_cap, size_t *rsp_len)
{
	struct vtpm_exec e = {cmd, cmd_len, rsp, rsp_cap, VTPM_E_NOTREADY, 0};
	uint32_t count = 0;
	size_t peak = 0;

	*rsp_len = 0;
	if (!vtpm_running) {
		return SVSM_E_REQUEST;
	}
	spin_lock(&engine_lock);
	eks_create();
	vtpm_on_stack(do_cmd, &e, stack_top());
	count = cmd_count;
	peak = vtpm_heap_peak();
	spin_unlock(&engine_lock);
	if (e.heap_in_use != 0) {
		con_printf(
			"vtpm: %u commands; heap in use %zu B, peak %zu "
			"KiB\n",
			count, e.heap_in_use, peak / 1024u);
	}
	if (e.n > 0) {
		*rsp_len = (size_t)e.n;
		return SVSM_OK;
	}
	if (e.n == VTPM_E_PARAM) {
		return SVSM_E_INVAL;
	}
	return SVSM_E_FORMAT;
}
