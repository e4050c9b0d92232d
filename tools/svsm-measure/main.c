/* SPDX-License-Identifier: MIT */
/*
 * svsm-measure: the expected SNP launch digest of an IGVM file.
 *
 *   svsm-measure --profile kvm|direct [--vcpus N] [--vcpu-sig SIG] [-v]
 *                FILE
 *
 * The profile is required: the same file has different digests on the two
 * host kinds, and guessing would print a plausible wrong answer.
 *
 * kvm (upstream KVM): every page in file order, then one VMSA per vCPU at
 * 0xFFFFFFFFF000 (BSP = the file's VMSA, APs = KVM reset state
 * [unconfirmed]). direct (coconut's host): the VMSA page as written, at its
 * GPA, in file order. -v prints one line per measured page.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igvm/host.h"
#include "igvm/measure.h"

static const char *page_type_name(uint8_t t)
{
	switch (t) {
	case IGVM_SNP_PAGE_NORMAL:
		return "NORMAL";
	case IGVM_SNP_PAGE_VMSA:
		return "VMSA";
	case IGVM_SNP_PAGE_ZERO:
		return "ZERO";
	case IGVM_SNP_PAGE_UNMEASURED:
		return "UNMEASURED";
	case IGVM_SNP_PAGE_SECRETS:
		return "SECRETS";
	case IGVM_SNP_PAGE_CPUID:
		return "CPUID";
	default:
		return "?";
	}
}

static void print_page(void *ctx, const struct igvm_measured_page *p)
{
	char hex[97];

	(void)ctx;
	igvm_host_hex(p->contents, sizeof(p->contents), hex);
	printf("%6u 0x%016" PRIx64 " %-10s %s\n", p->index, p->gpa,
	       page_type_name(p->page_type), hex);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: svsm-measure --profile kvm|direct "
		"[--vcpus N] [--vcpu-sig SIG] [-v] FILE\n");
	return 2;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end = NULL;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (!*s || *end || errno || v > UINT32_MAX) {
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

int main(int argc, char **argv)
{
	struct igvm_measure_opts o = {.profile = IGVM_PROFILE_KVM,
				      .vcpus = 1,
				      .vcpu_sig = 0x00800f12};
	const char *path = NULL;
	bool have_profile = false;
	struct igvm_file *f = calloc(1, sizeof(*f));
	uint8_t scratch[4096], ld[48];
	uint8_t *data = NULL;
	size_t len = 0;
	enum igvm_err err;
	char hex[97];

	o.scratch = scratch;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;

		if (!strcmp(a, "--profile") && has) {
			a = argv[++i];
			have_profile = true;
			if (!strcmp(a, "kvm")) {
				o.profile = IGVM_PROFILE_KVM;
			} else if (!strcmp(a, "direct")) {
				o.profile = IGVM_PROFILE_DIRECT;
			} else {
				return usage();
			}
		} else if (!strcmp(a, "--vcpus") && has) {
			if (!parse_u32(argv[++i], &o.vcpus) || o.vcpus == 0) {
				return usage();
			}
		} else if (!strcmp(a, "--vcpu-sig") && has) {
			if (!parse_u32(argv[++i], &o.vcpu_sig)) {
				return usage();
			}
		} else if (!strcmp(a, "-v")) {
			o.on_page = print_page;
		} else if (a[0] != '-' && !path) {
			path = a;
		} else {
			return usage();
		}
	}
	if (!path || !f || !have_profile) {
		free(f);
		return usage();
	}
	if (!igvm_host_read_file(path, &data, &len)) {
		fprintf(stderr, "svsm-measure: %s: %s\n", path,
			strerror(errno));
		free(f);
		return 1;
	}
	err = igvm_parse(data, len, f);
	if (err == IGVM_OK) {
		err = igvm_measure(f, igvm_host_sha384, &o, ld);
	}
	if (err != IGVM_OK) {
		fprintf(stderr, "svsm-measure: %s: %s%s\n", path,
			igvm_strerror(err),
			err == IGVM_E_VMSA ? " (kvm needs exactly one VMSA, "
					     "vp_index 0, at 0xFFFFFFFFF000)"
					   : "");
		free(data);
		free(f);
		return 1;
	}
	igvm_host_hex(ld, sizeof(ld), hex);
	printf("%s\n", hex);
	free(data);
	free(f);
	return 0;
}
