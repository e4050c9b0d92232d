// SPDX-License-Identifier: MIT
/*
 * svsm-verify: check an SVSM attestation report on the host
 * (docs/attestation.md §5). Every check prints one line; any failure makes
 * the exit status 1 (2 for usage errors).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igvm/host.h"
#include "verify.h"

unsigned sv_failures;

static const char usage_text[] =
	"usage: svsm-verify --report FILE --manifest FILE --nonce FILE\n"
	"                   --ark FILE [--ask FILE --vcek FILE | --certs "
	"FILE]\n"
	"                   [--image svsm.igvm [--vcpus N] | --measurement "
	"HEX]\n"
	"                   [--vmpl N] [--policy HEX] [--allow-debug]\n"
	"                   [--ek-pub FILE.pem] [--ek-out FILE.pem]\n";

static const char help_text[] =
	"\n"
	"Checks an SVSM attestation report (the raw 1184-byte SNP report):\n"
	"  chain        the ARK (trusted, from --ark) is self-signed, the ASK\n"
	"               is signed by it, the VCEK by the ASK; RSA-4096 with\n"
	"               RSASSA-PSS/SHA-384 (salt 48) and an ECDSA P-384 VCEK\n"
	"  signature    the report is signed by the VCEK (ECDSA "
	"P-384/SHA-384)\n"
	"  VCEK TCB     the VCEK's hwID and SPL extensions match CHIP_ID and\n"
	"               REPORTED_TCB\n"
	"  binding      REPORT_DATA = SHA-512(nonce || manifest), nonce 64 "
	"bytes\n"
	"  MEASUREMENT  equals svsm-measure --profile kvm --vcpus N of "
	"--image\n"
	"               (N from --vcpus, default 1: the guest's -smp), or "
	"HEX\n"
	"  VMPL         the report's VMPL is --vmpl (default 0: the SVSM)\n"
	"  policy       bit 17 set, DEBUG clear (unless --allow-debug), equal\n"
	"               to --policy if given\n"
	"then prints the manifest (the services and a digest of their data)\n"
	"and the vTPM's EK if the manifest has one: it must be the TCG EK\n"
	"template L-1 (RSA-2048, manifest version 0) or L-2 (ECC P-256,\n"
	"version 1); printed with SHA-256 fingerprints of the key and of its\n"
	"SubjectPublicKeyInfo.\n"
	"\n"
	"  --ek-pub FILE.pem  check that the manifest's EK is this public "
	"key\n"
	"                     (e.g. tpm2_createek -f pem output)\n"
	"  --ek-out FILE.pem  write the manifest's EK as a PEM public key\n"
	"  --certs FILE  a GHCB certificate table (Linux's auxblob) instead "
	"of\n"
	"                --ask/--vcek; an ARK in it must equal --ark\n"
	"Exit status: 0 all checks passed, 1 a check failed, 2 usage error.\n";

struct args {
	const char *report, *manifest, *nonce, *ark, *ask, *vcek, *certs;
	const char *image, *measurement, *ek_pub, *ek_out;
	uint32_t vmpl, vcpus;
	uint64_t policy;
	bool have_policy, allow_debug, help;
};

bool sv_result(bool ok, const char *name, const char *why_fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("ok   %s\n", name);
		return true;
	}
	sv_failures++;
	printf("FAIL %s: ", name);
	va_start(ap, why_fmt);
	vprintf(why_fmt, ap);
	va_end(ap);
	printf("\n");
	return false;
}

static bool parse_u64(const char *s, int base, uint64_t *out)
{
	char *end = NULL;

	errno = 0;
	*out = strtoull(s, &end, base);
	return errno == 0 && end != s && *end == '\0';
}

static bool parse_args(int argc, char **argv, struct args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char **slot = NULL;
		uint64_t n = 0;

		if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			a->help = true;
			continue;
		}
		if (!strcmp(s, "--allow-debug")) {
			a->allow_debug = true;
			continue;
		}
		if (v == NULL) {
			return false;
		}
		i++;
		if (!strcmp(s, "--report")) {
			slot = &a->report;
		} else if (!strcmp(s, "--manifest")) {
			slot = &a->manifest;
		} else if (!strcmp(s, "--nonce")) {
			slot = &a->nonce;
		} else if (!strcmp(s, "--ark")) {
			slot = &a->ark;
		} else if (!strcmp(s, "--ask")) {
			slot = &a->ask;
		} else if (!strcmp(s, "--vcek")) {
			slot = &a->vcek;
		} else if (!strcmp(s, "--certs")) {
			slot = &a->certs;
		} else if (!strcmp(s, "--image")) {
			slot = &a->image;
		} else if (!strcmp(s, "--measurement")) {
			slot = &a->measurement;
		} else if (!strcmp(s, "--ek-pub")) {
			slot = &a->ek_pub;
		} else if (!strcmp(s, "--ek-out")) {
			slot = &a->ek_out;
		} else if (!strcmp(s, "--vmpl") && parse_u64(v, 0, &n) &&
			   n <= 3) {
			a->vmpl = (uint32_t)n;
		} else if (!strcmp(s, "--vcpus") && parse_u64(v, 0, &n) &&
			   n >= 1 && n <= UINT32_MAX) {
			/* KVM measures one VMSA per vCPU (docs/igvm.md §2). */
			a->vcpus = (uint32_t)n;
		} else if (!strcmp(s, "--policy") && parse_u64(v, 16, &n)) {
			a->policy = n;
			a->have_policy = true;
		} else {
			return false;
		}
		if (slot != NULL) {
			*slot = v;
		}
	}
	return a->help || (a->report && a->manifest && a->nonce && a->ark &&
			   (a->certs || (a->ask && a->vcek)) &&
			   !(a->image && a->measurement));
}

static bool read_file(const char *what, const char *path, uint8_t **d,
		      size_t *len)
{
	if (!igvm_host_read_file(path, d, len)) {
		return sv_result(false, what, "%s: %s", path, strerror(errno));
	}
	return true;
}

static bool load_chain(const struct args *a, struct sv_chain *c)
{
	X509 *trusted = sv_load_cert(a->ark);
	uint8_t *t = NULL;
	size_t len = 0;
	bool ok = true;

	if (trusted == NULL) {
		return sv_result(false, "ARK", "%s: not a certificate", a->ark);
	}
	if (a->certs != NULL) {
		ok = read_file("certificates", a->certs, &t, &len) &&
		     sv_result(sv_chain_from_table(t, len, c),
			       "certificate "
			       "table",
			       "malformed (docs/attestation.md §3)");
		free(t);
	}
	if (ok && c->ark != NULL) {
		ok = sv_result(X509_cmp(c->ark, trusted) == 0,
			       "table ARK = trusted ARK",
			       "the host sent another root");
	}
	X509_free(c->ark);
	c->ark = trusted;
	if (a->ask != NULL) {
		X509_free(c->ask);
		c->ask = sv_load_cert(a->ask);
	}
	if (a->vcek != NULL) {
		X509_free(c->vcek);
		c->vcek = sv_load_cert(a->vcek);
	}
	return ok;
}

static bool hex48(const char *s, uint8_t out[48])
{
	if (strlen(s) != 96) {
		return false;
	}
	for (unsigned i = 0; i < 48; i++) {
		unsigned v = 0;

		if (sscanf(s + 2 * i, "%2x", &v) != 1) {
			return false;
		}
		out[i] = (uint8_t)v;
	}
	return true;
}

static void check_measurement(const struct args *a,
			      const struct snp_attestation_report *r)
{
	uint8_t want[48];

	if (a->image != NULL) {
		if (sv_result(sv_measure_image(a->image, a->vcpus, want),
			      "measure --image",
			      "%s is not a measurable IGVM file (kvm profile)",
			      a->image)) {
			sv_check_measurement(r, want, "svsm-measure");
		}
	} else if (a->measurement != NULL) {
		if (sv_result(hex48(a->measurement, want), "--measurement",
			      "not 96 hex digits")) {
			sv_check_measurement(r, want, "expected");
		}
	} else {
		printf("skip MEASUREMENT: no --image or --measurement given\n");
	}
}

static void verify(const struct args *a)
{
	struct snp_attestation_report r;
	struct sv_chain c = {0};
	uint8_t *rep = NULL, *man = NULL, *nonce = NULL;
	size_t rep_len = 0, man_len = 0, nonce_len = 0, ek_len = 0;
	const uint8_t *ek = NULL;

	if (!read_file("report", a->report, &rep, &rep_len) ||
	    !read_file("manifest", a->manifest, &man, &man_len) ||
	    !read_file("nonce", a->nonce, &nonce, &nonce_len) ||
	    !sv_result(rep_len == sizeof(r), "report size",
		       "%zu bytes, not %zu", rep_len, sizeof(r))) {
		goto out;
	}
	memcpy(&r, rep, sizeof(r));
	sv_result(r.version >= 2, "report version", "%u", r.version);
	sv_result(((r.flags >> 2) & 7) == 0, "signed with a VCEK",
		  "SIGNING_KEY %u (1 = VLEK, 7 = none)", (r.flags >> 2) & 7);
	if (load_chain(a, &c)) {
		sv_check_chain(&c);
	}
	sv_check_signature(c.vcek, &r);
	if (c.vcek != NULL) {
		sv_check_vcek_tcb(c.vcek, &r);
	}
	sv_check_binding(&r, nonce, nonce_len, man, man_len);
	check_measurement(a, &r);
	sv_check_vmpl(&r, a->vmpl);
	sv_check_policy(&r, a->have_policy, a->policy, a->allow_debug);
	if (sv_print_manifest(man, man_len, &ek, &ek_len)) {
		sv_check_ek(ek, ek_len, a->ek_pub, a->ek_out);
	}
out:
	X509_free(c.ark);
	X509_free(c.ask);
	X509_free(c.vcek);
	free(rep);
	free(man);
	free(nonce);
}

int main(int argc, char **argv)
{
	struct args a = {.vcpus = 1};

	if (!parse_args(argc, argv, &a)) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (a.help) {
		printf("%s%s", usage_text, help_text);
		return 0;
	}
	verify(&a);
	printf("%s: %u check%s failed\n", sv_failures ? "REJECTED" : "VERIFIED",
	       sv_failures, sv_failures == 1 ? "" : "s");
	return sv_failures ? 1 : 0;
}
