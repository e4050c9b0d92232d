// SPDX-License-Identifier: MIT
/*
 * Workload for bench_core.py (callgrind): the hosted core against the fake
 * platform, no sanitizers. Every call goes through request_loop_once(), the
 * image's own turn of the request loop (src/request_loop.c): SVME set,
 * RUN_VMPL (the fake plat_run_vmpl: the hypervisor's part, here a counter),
 * SVME cleared, then the call read from the guest VMSA, the CAA checked and
 * cleared, dispatch, and the write-back. "query N": N QUERY_PROTOCOL calls.
 * "pvalidate N": N rounds of one 510-entry 4K validate list and one
 * 510-entry rescind list. The figures are read by the script; nothing is
 * judged here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svsm/deposit_pool.h"
#include "svsm/request.h"
#include "svsm/vcpu.h"

#include "svsm/abi/snp.h"
#include "svsm/abi/svsm_call.h"
#include "svsm/abi/vmsa.h"

#include "fakes/fake_platform.h"
#include "request_loop.h"

#define CAA UINT64_C(0x1000)
#define BASE UINT64_C(0x400000)
#define N_ENTRIES SVSM_PVALIDATE_MAX_ENTRIES_CAA

/* The guest's VMSA page. */
static struct snp_vmsa guest_vmsa __attribute__((aligned(4096)));

static void put_list(bool validate)
{
	struct svsm_pvalidate_hdr h = {N_ENTRIES, 0, 0};

	memcpy(fake_mem(CAA + 8), &h, sizeof(h));
	for (uint64_t i = 0; i < N_ENTRIES; i++) {
		uint64_t e = (BASE + 4096 * i) | (validate ? 4u : 0u);

		memcpy(fake_mem(CAA + 16 + 8 * i), &e, 8);
	}
}

static void one_call(struct svsm_vcpu *v, uint64_t rax, uint64_t rcx)
{
	/* The guest's side, then the hypervisor's answer to RUN_VMPL. */
	*fake_mem(CAA) = 1;
	guest_vmsa.guest_exit_code = SVM_EXIT_VMGEXIT;
	guest_vmsa.rax = rax;
	guest_vmsa.rcx = rcx;
	struct snp_vmsa *gp = &guest_vmsa;

	if (!request_loop_once(v, &gp) || guest_vmsa.rax != SVSM_SUCCESS ||
	    *fake_mem(CAA) != 0) {
		fprintf(stderr, "call %llx failed: %llx\n",
			(unsigned long long)rax,
			(unsigned long long)guest_vmsa.rax);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct svsm_vcpu *v = NULL;
	long n = argc > 2 ? strtol(argv[2], NULL, 0) : 0;

	if (argc != 3 || n <= 0) {
		fprintf(stderr, "usage: %s query|pvalidate N\n", argv[0]);
		return 2;
	}
	fake_reset();
	vcpu_reset();
	deposit_pool_reset();
	fake_set_valid(0, UINT64_C(4) << 20, 2);
	v = vcpu_add(0, 2, SEV_FEAT_SNP_ACTIVE);
	v->caa = gpa(CAA);
	for (long i = 0; i < n; i++) {
		if (strcmp(argv[1], "query") == 0) {
			one_call(v, SVSM_CALL(0, SVSM_CORE_QUERY_PROTOCOL),
				 SVSM_QUERY_PROTOCOL_ARG(0, 1));
		} else {
			put_list(true);
			one_call(v, SVSM_CALL(0, SVSM_CORE_PVALIDATE), CAA + 8);
			put_list(false);
			one_call(v, SVSM_CALL(0, SVSM_CORE_PVALIDATE), CAA + 8);
		}
	}
	printf("%s x %ld done\n", argv[1], n);
	return 0;
}
