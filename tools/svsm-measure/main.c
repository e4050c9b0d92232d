/* SPDX-License-Identifier: MIT */
/*
 * svsm-measure: the expected SNP launch digest of an IGVM file.
 *
 *   svsm-measure --profile kvm|direct [--vcpus N] [--vcpu-sig SIG] [-v]
 *                FILE
 *   svsm-measure --help
 *
 * The profile is required: the same file has different digests on the two
 * host kinds, and guessing would print a plausible wrong answer.
 *
 * kvm (QEMU + upstream KVM): refuses what QEMU refuses (qemu.h); pages in
 * QEMU's issue order, then one VMSA per vCPU at 0xFFFFFFFFF000 (BSP = the
 * file's VMSA, APs = KVM reset state [unconfirmed]). direct (coconut's host):
 * the VMSA page as written, at its GPA, in file order. -v prints one line per
 * measured page.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igvm/host.h"
#include "igvm/measure.h"
#include "igvm/qemu.h"
#include "igvm/vmsa.h"

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

static const char usage_text[] =
	"usage: svsm-measure --profile kvm|direct [--vcpus N] "
	"[--vcpu-sig SIG] [--memory SIZE] [-v] FILE\n"
	"       svsm-measure --help\n";

static const char help_text[] =
	"\n"
	"Print the SEV-SNP launch digest (MEASUREMENT) that a host computes\n"
	"for the IGVM file FILE, as 96 hex digits.\n"
	"\n"
	"  --profile kvm     QEMU >= 10.1 with upstream KVM: the file must be\n"
	"                    what QEMU accepts (VMSA at 0xFFFFFFFFF000, only\n"
	"                    the VMSA fields QEMU passes on, known header\n"
	"                    types); pages in QEMU's issue order, then one "
	"VMSA\n"
	"                    per vCPU at 0xFFFFFFFFF000\n"
	"  --profile direct  coconut-svsm's direct-VMSA host: pages and the\n"
	"                    VMSA in file order, the VMSA at its own GPA\n"
	"  --vcpus N         kvm: vCPUs (QEMU -smp), default 1\n"
	"  --vcpu-sig SIG    kvm: CPUID signature in the AP VMSAs' RDX,\n"
	"                    default 0x00800f12\n"
	"  --memory SIZE     kvm: also check the file against QEMU -m SIZE\n"
	"                    (bytes, or with a K/M/G suffix): required\n"
	"                    ranges and parameter areas wholly in or out of "
	"RAM\n"
	"  -v                one line per measured page: index gpa type "
	"hash\n"
	"  --help            this text\n"
	"\n"
	"Exit status: 0 digest printed, 1 file refused, 2 usage error.\n";

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

/* A byte count with an optional K, M or G suffix (QEMU's -m style). */
static bool parse_size(const char *s, uint64_t *out)
{
	char *end = NULL;
	unsigned long long v;
	unsigned shift = 0;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (end && *end && !end[1]) {
		char c = (char)(*end & ~0x20); /* K, M, G in either case */

		shift = c == 'K' ? 10 : c == 'M' ? 20 : c == 'G' ? 30 : 64;
		end++;
	}
	if (!*s || !end || *end || errno || shift == 64 || v == 0 ||
	    v > (UINT64_MAX >> shift)) {
		return false;
	}
	*out = (uint64_t)v << shift;
	return true;
}

struct args {
	struct igvm_measure_opts o;
	uint64_t memory; /* 0: not checked */
	const char *path;
	bool have_profile;
	bool help;
};

/* False on a usage error. */
static bool parse_args(int argc, char **argv, struct args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		bool has = i + 1 < argc;

		if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			a->help = true;
		} else if (!strcmp(s, "--profile") && has) {
			s = argv[++i];
			a->have_profile = true;
			if (!strcmp(s, "kvm")) {
				a->o.profile = IGVM_PROFILE_KVM;
			} else if (!strcmp(s, "direct")) {
				a->o.profile = IGVM_PROFILE_DIRECT;
			} else {
				return false;
			}
		} else if (!strcmp(s, "--vcpus") && has) {
			if (!parse_u32(argv[++i], &a->o.vcpus) ||
			    a->o.vcpus == 0) {
				return false;
			}
		} else if (!strcmp(s, "--vcpu-sig") && has) {
			if (!parse_u32(argv[++i], &a->o.vcpu_sig)) {
				return false;
			}
		} else if (!strcmp(s, "--memory") && has) {
			if (!parse_size(argv[++i], &a->memory)) {
				return false;
			}
		} else if (!strcmp(s, "-v")) {
			a->o.on_page = print_page;
		} else if (s[0] != '-' && !a->path) {
			a->path = s;
		} else {
			return false;
		}
	}
	return a->help || (a->path && a->have_profile);
}

/* Measure @path; prints the digest or why the file is refused. */
static int measure_file(const char *path, struct igvm_measure_opts *o,
			uint64_t memory)
{
	struct igvm_file *f = calloc(1, sizeof(*f));
	uint8_t *data = NULL;
	size_t len = 0, err_offset = 0;
	enum igvm_err err = IGVM_OK;
	uint8_t ld[48];
	char hex[97];

	if (!f) {
		fprintf(stderr, "svsm-measure: out of memory\n");
		return 1;
	}
	if (!igvm_host_read_file(path, &data, &len)) {
		fprintf(stderr, "svsm-measure: %s: %s\n", path,
			strerror(errno));
		free(f);
		return 1;
	}
	o->err_offset = &err_offset;
	err = igvm_parse(data, len, f);
	if (err == IGVM_OK && memory && o->profile == IGVM_PROFILE_KVM) {
		err = igvm_qemu_check_ram(f, memory, &err_offset);
	}
	if (err == IGVM_OK) {
		err = igvm_measure(f, igvm_host_sha384, o, ld);
	} else if (err_offset == 0) {
		err_offset = f->err_offset;
	}
	if (err == IGVM_OK) {
		igvm_host_hex(ld, sizeof(ld), hex);
		printf("%s\n", hex);
	} else {
		fprintf(stderr,
			"svsm-measure: %s: %s (header at offset 0x%zx)%s\n",
			path, igvm_strerror(err), err_offset,
			err == IGVM_E_VMSA ? "; kvm needs exactly one VMSA, "
					     "vp_index 0, at 0xFFFFFFFFF000"
					   : "");
	}
	free(data);
	free(f);
	return err == IGVM_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	uint8_t scratch[4096];
	struct args a = {.o = {.profile = IGVM_PROFILE_KVM,
			       .vcpus = 1,
			       .vcpu_sig = IGVM_VCPU_SIG_EPYC_V4,
			       .scratch = scratch}};

	if (!parse_args(argc, argv, &a)) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (a.help) {
		printf("%s%s", usage_text, help_text);
		return 0;
	}
	return measure_file(a.path, &a.o, a.memory);
}
