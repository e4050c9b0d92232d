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
 */
#include "vtpm_service.h"

#include <vtpm/vtpm.h>
#include <vtpm/vtpm_platform.h>

#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/panic.h"

#include "svsm/vtpm.h"

/* The engine's stack: the host measured a peak of about 13 KB; four times
 * that, and the peak is printed at boot. */
#define VTPM_STACK_SIZE (64u * 1024u)
#define STACK_PAINT 0xa5u

static uint8_t vtpm_stack[VTPM_STACK_SIZE] __attribute__((aligned(64)));
static bool vtpm_running;

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

struct vtpm_exec {
	const uint8_t *cmd;
	size_t cmd_len;
	uint8_t *rsp;
	size_t rsp_cap;
	int32_t n;
};

static void do_cmd(void *arg)
{
	struct vtpm_exec *e = arg;

	e->n = vtpm_cmd(e->cmd, e->cmd_len, e->rsp, e->rsp_cap);
}

svsm_err_t plat_vtpm_execute(const uint8_t *cmd, size_t cmd_len, uint8_t *rsp,
			     size_t rsp_cap, size_t *rsp_len)
{
	struct vtpm_exec e = {cmd, cmd_len, rsp, rsp_cap, VTPM_E_NOTREADY};

	*rsp_len = 0;
	if (!vtpm_running) {
		return SVSM_E_REQUEST;
	}
	vtpm_on_stack(do_cmd, &e, stack_top());
	if (e.n > 0) {
		*rsp_len = (size_t)e.n;
		return SVSM_OK;
	}
	if (e.n == VTPM_E_PARAM) {
		return SVSM_E_INVAL;
	}
	return SVSM_E_FORMAT;
}
