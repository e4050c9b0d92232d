/* SPDX-License-Identifier: MIT */
/*
 * Latency of commands through vtpm_cmd, in process (no transport): prints
 * "bench NAME n=N median_ns=M min_ns=A max_ns=B" lines that
 * bench/vtpm/bench_vtpm.py puts next to swtpm's figures.
 */
#include <stdbool.h>
#include <stdint.h>
#include <vtpm/vtpm.h>

#include "sys.h"
#include "tpm2.h"

#define MAX_RUNS 1000

static struct tpm2_cmd cmd;
static struct tpm2_rsp rsp;
static uint64_t samples[MAX_RUNS];

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
	out_str("\n");
}

/*
 * Times one command n times; a primary is flushed after each (untimed).
 * A primary key is derived from the hierarchy seed, so its cost (for RSA,
 * the prime search) is the same on every run on one TPM and differs from
 * one TPM to the next: with fresh_tpm, each sample is on a newly
 * manufactured TPM (new seeds), so the median is over seeds, comparable
 * between engines that cannot share seeds.
 */
static bool run(const char *name, int n, int kind, bool fresh_tpm)
{
	static const uint8_t digest[32] = {1, 2, 3};

	for (int i = 0; i < n; i++) {
		if (fresh_tpm) {
			vtpm_terminate();
			/* Untimed full self-test: libtpms otherwise tests
			 * each algorithm on its first use, inside the
			 * command we time. */
			tc_begin(&cmd, TPM2_ST_NO_SESSIONS, TPM2_CC_SELF_TEST);
			tc_u8(&cmd, 1);
			if (vtpm_init(NULL, 0, false) != VTPM_OK ||
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
		uint64_t t0 = sys_monotonic_ns();
		bool ok = tpm2_exec(&cmd, &rsp) && rsp.rc == 0;
		samples[i] = sys_monotonic_ns() - t0;
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

int bench_main(int iterations)
{
	int n = iterations < 1          ? 1
		: iterations > MAX_RUNS ? MAX_RUNS
					: iterations;
	uint64_t t0 = sys_monotonic_ns();

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
