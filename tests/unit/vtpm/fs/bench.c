/* SPDX-License-Identifier: MIT */
/*
 * Latency of commands through vtpm_cmd, in process (no transport): prints
 * "bench NAME n=N median_ns=M min_ns=A max_ns=B cpu_sum_ns=C" lines that
 * bench/vtpm/bench_vtpm.py puts next to swtpm's figures (C: the thread's
 * CPU time over all samples, which the machine's load does not inflate).
 *
 * A primary key's cost depends on the seed (the RSA prime search takes
 * 1-10x the median). With "states", the primaries run on TPMs whose state
 * blobs (vtpm_state_export: the seeds) come on stdin, written by
 * `vtpm-fs mkstates`: the engine and Debian's hosted libtpms (hosted.c)
 * then derive the same keys, doing the same work, so the ratio of their
 * CPU sums compares the engines and not the seeds.
 */
#include <stdbool.h>
#include <stdint.h>
#include <vtpm/vtpm.h>

#include "sys.h"
#include "tpm2.h"

#define MAX_RUNS 1000
#define MAX_STATES 64
#define STATE_MAX (16u * 1024u)

static struct tpm2_cmd cmd;
static struct tpm2_rsp rsp;
static uint64_t samples[MAX_RUNS];
static uint64_t cpu_sum;
static uint8_t states[MAX_STATES][STATE_MAX];
static uint32_t state_len[MAX_STATES];
static int state_count;

/* Reads (u32 length, blob) records from stdin until its end. */
static void read_states(void)
{
	uint32_t len = 0;

	while (state_count < MAX_STATES && in_read_all(&len, sizeof(len)) &&
	       len <= STATE_MAX && in_read_all(states[state_count], len)) {
		state_len[state_count++] = len;
	}
}

int mkstates_main(int count)
{
	static uint8_t blob[STATE_MAX];

	for (int i = 0; i < count; i++) {
		int32_t n = vtpm_init(NULL, 0, false) == VTPM_OK
				    ? vtpm_state_export(blob, sizeof(blob))
				    : VTPM_E_INIT;
		uint32_t len = n > 0 ? (uint32_t)n : 0;

		if (len == 0 || !out_write_all(&len, sizeof(len)) ||
		    !out_write_all(blob, len)) {
			return 1;
		}
		vtpm_terminate();
	}
	return 0;
}

static void sort(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		uint64_t x = v[i];
		int j = i - 1;
		while (j >= 0 && v[j] > x) {
			v[j + 1] = v[j];
			j--;
		}
		v[j + 1] = x;
	}
}

static void report(const char *name, int n)
{
	sort(samples, n);
	out_str("bench ");
	out_str(name);
	out_str(" n=");
	out_u64((uint64_t)n);
	out_str(" median_ns=");
	out_u64(n % 2 ? samples[n / 2]
		      : (samples[n / 2 - 1] + samples[n / 2]) / 2);
	out_str(" min_ns=");
	out_u64(samples[0]);
	out_str(" max_ns=");
	out_u64(samples[n - 1]);
	out_str(" cpu_sum_ns=");
	out_u64(cpu_sum);
	out_str("\n");
}

/*
 * Times one command n times; a primary is flushed after each (untimed).
 * A primary key is derived from the hierarchy seed, so its cost (for RSA,
 * the prime search) is the same on every run on one TPM and differs from
 * one TPM to the next: with fresh_tpm, each sample is on another TPM: the
 * next of the states read from stdin, else a newly manufactured one (new
 * seeds; the median is then over seeds).
 */
static bool run(const char *name, int n, int kind, bool fresh_tpm)
{
	static const uint8_t digest[32] = {1, 2, 3};

	cpu_sum = 0;
	for (int i = 0; i < n; i++) {
		if (fresh_tpm) {
			int k = state_count > 0 ? i % state_count : 0;

			vtpm_terminate();
			/* Untimed full self-test: libtpms otherwise tests
			 * each algorithm on its first use, inside the
			 * command we time. */
			tc_begin(&cmd, TPM2_ST_NO_SESSIONS, TPM2_CC_SELF_TEST);
			tc_u8(&cmd, 1);
			if (vtpm_init(state_count > 0 ? states[k] : NULL,
				      state_len[k], false) != VTPM_OK ||
			    !tpm2_exec(&cmd, &rsp) || rsp.rc != 0) {
				out_str("# bench: vtpm_init or SelfTest "
					"failed\n");
				return false;
			}
		}
		if (kind == 0) {
			cmd_get_random(&cmd, 32);
		} else if (kind == 1) {
			cmd_pcr_extend(&cmd, 16, digest);
		} else {
			cmd_create_primary_ek(&cmd, kind == 3);
		}
		uint64_t c0 = sys_cpu_ns();
		uint64_t t0 = sys_monotonic_ns();
		bool ok = tpm2_exec(&cmd, &rsp) && rsp.rc == 0;
		samples[i] = sys_monotonic_ns() - t0;
		cpu_sum += sys_cpu_ns() - c0;
		if (!ok) {
			out_str("# bench: command failed\n");
			return false;
		}
		if (kind >= 2) {
			cmd_flush(&cmd, tr_u32(&rsp));
			if (!tpm2_exec(&cmd, &rsp) || rsp.rc != 0) {
				return false;
			}
		}
	}
	report(name, n);
	return true;
}

int bench_main(int iterations, bool shared_states)
{
	int n = iterations < 1          ? 1
		: iterations > MAX_RUNS ? MAX_RUNS
					: iterations;
	uint64_t t0 = 0;

	if (shared_states) {
		read_states();
		if (state_count == 0) {
			out_str("# bench: no state blob on stdin\n");
			return 1;
		}
	}
	t0 = sys_monotonic_ns();
	if (vtpm_init(NULL, 0, false) != VTPM_OK) {
		out_str("# bench: vtpm_init failed\n");
		return 1;
	}
	samples[0] = sys_monotonic_ns() - t0;
	report("vtpm_init", 1);
	bool ok = run("GetRandom(32)", n * 10, 0, false) &&
		  run("PCR_Extend", n * 10, 1, false) &&
		  run("CreatePrimary-ECC-P256", n * 2, 2, true) &&
		  run("CreatePrimary-RSA-2048", n * 6, 3, true);
	out_str("# heap peak ");
	out_u64(vtpm_heap_peak());
	out_str(" bytes\n");
	return ok ? 0 : 1;
}
