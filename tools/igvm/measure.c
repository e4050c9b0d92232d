/* SPDX-License-Identifier: MIT */
/*
 * SNP launch digest: LD = SHA-384(PAGE_INFO) chained page by page (SEV-SNP
 * Firmware ABI, SNP_LAUNCH_UPDATE PAGE_INFO; igvm.md §3.5), with QEMU's
 * IGVM-to-page-type mapping (igvm.md §3.6). Freestanding: the hash is a
 * function pointer and nothing is allocated.
 */
#include "igvm/measure.h"

#include "igvm/vmsa.h"

/* SHA-384 of a 4 KiB zero page (igvm.md §3.5): saves hashing zeros. */
static const uint8_t zero_page_sha384[IGVM_SHA384_LEN] = {
	0xc0, 0xe5, 0x9a, 0x3e, 0x3f, 0xfb, 0xd3, 0xb5, 0xc7, 0x54, 0x28, 0xfb,
	0x36, 0x43, 0x2f, 0xac, 0xab, 0xc7, 0x45, 0x94, 0x42, 0x96, 0xff, 0x51,
	0x5f, 0x73, 0x7c, 0x4f, 0xef, 0x4e, 0xfc, 0x64, 0x58, 0x68, 0x09, 0xf7,
	0xa1, 0x6f, 0x56, 0x35, 0x4a, 0x1e, 0xae, 0xcf, 0x2a, 0xa8, 0xd7, 0x74,
};

static void bytes_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		dst[i] = src[i];
	}
}

void igvm_ld_init(struct igvm_ld *ld, igvm_sha384_fn sha384)
{
	for (size_t i = 0; i < IGVM_SHA384_LEN; i++) {
		ld->digest[i] = 0;
	}
	ld->sha384 = sha384;
}

void igvm_ld_page(struct igvm_ld *ld, uint8_t page_type, uint64_t gpa,
		  const uint8_t *page, uint8_t *contents_out)
{
	uint8_t info[sizeof(struct igvm_snp_page_info)] = {0};

	bytes_copy(info, ld->digest, IGVM_SHA384_LEN);
	/* CONTENTS is the page hash for NORMAL and VMSA only (§3.5). */
	if (page_type == IGVM_SNP_PAGE_NORMAL ||
	    page_type == IGVM_SNP_PAGE_VMSA) {
		if (page) {
			ld->sha384(page, IGVM_PAGE_SIZE, info + 0x30);
		} else {
			bytes_copy(info + 0x30, zero_page_sha384,
				   IGVM_SHA384_LEN);
		}
	}
	info[0x60] = sizeof(info) & 0xff;
	info[0x61] = sizeof(info) >> 8;
	info[0x62] = page_type;
	/* IMI_PAGE and the VMPL permission bytes stay 0: KVM passes 0. */
	for (int i = 0; i < 8; i++) {
		info[0x68 + i] = (uint8_t)(gpa >> (8 * i));
	}
	if (contents_out) {
		bytes_copy(contents_out, info + 0x30, IGVM_SHA384_LEN);
	}
	ld->sha384(info, sizeof(info), ld->digest);
}

struct walk {
	struct igvm_ld ld;
	const struct igvm_measure_opts *opts;
	uint32_t index;
};

static void measure_one(struct walk *w, uint8_t type, uint64_t gpa,
			const uint8_t *page)
{
	struct igvm_measured_page mp;

	igvm_ld_page(&w->ld, type, gpa, page, mp.contents);
	if (w->opts->on_page) {
		mp.index = w->index;
		mp.gpa = gpa;
		mp.page_type = type;
		bytes_copy(mp.digest, w->ld.digest, IGVM_SHA384_LEN);
		w->opts->on_page(w->opts->ctx, &mp);
	}
	w->index++;
}

static uint8_t page_data_type(const struct igvm_page_data *p)
{
	if (p->flags & IGVM_PAGE_FLAG_UNMEASURED) {
		return IGVM_SNP_PAGE_UNMEASURED;
	}
	switch (p->data_type) {
	case IGVM_PAGE_DATA_SECRETS:
		return IGVM_SNP_PAGE_SECRETS;
	case IGVM_PAGE_DATA_CPUID_DATA:
	case IGVM_PAGE_DATA_CPUID_XF:
		return IGVM_SNP_PAGE_CPUID;
	default:
		/* A zero page (no data) is still NORMAL under QEMU (§2.3). */
		return IGVM_SNP_PAGE_NORMAL;
	}
}

static uint64_t area_size(const struct igvm_file *f, uint32_t index)
{
	for (uint32_t i = 0; i < f->area_count; i++) {
		if (f->areas[i].index == index) {
			return f->areas[i].size;
		}
	}
	return 0; /* impossible after igvm_parse() */
}

/* KVM legacy path: BSP VMSA then AP reset VMSAs, after every page (§2.4). */
static enum igvm_err measure_kvm_vmsas(struct walk *w,
				       const struct igvm_file *f,
				       const uint8_t *bsp)
{
	const struct igvm_measure_opts *o = w->opts;
	struct igvm_vmsa_regs regs;

	(void)f;
	measure_one(w, IGVM_SNP_PAGE_VMSA, IGVM_KVM_VMSA_GPA, bsp);
	if (o->vcpus > 1) {
		uint64_t features = 0;

		for (int i = 0; i < 8; i++) {
			features |=
				(uint64_t)bsp[IGVM_VMSA_OFF_SEV_FEATURES + i]
				<< (8 * i);
		}
		igvm_vmsa_kvm_ap_reset(&regs, features, o->vcpu_sig);
		igvm_vmsa_write(o->scratch, &regs);
		for (uint32_t i = 1; i < o->vcpus; i++) {
			measure_one(w, IGVM_SNP_PAGE_VMSA, IGVM_KVM_VMSA_GPA,
				    o->scratch);
		}
	}
	return IGVM_OK;
}

enum igvm_err igvm_measure(const struct igvm_file *file, igvm_sha384_fn sha384,
			   const struct igvm_measure_opts *opts,
			   uint8_t out[IGVM_SHA384_LEN])
{
	uint32_t mask = igvm_platform_mask(file, IGVM_PLATFORM_SEV_SNP);
	const uint8_t *bsp = 0;
	struct igvm_header h;
	struct igvm_iter it;
	struct walk w;

	if (!sha384 || !opts ||
	    (opts->profile == IGVM_PROFILE_KVM &&
	     (opts->vcpus == 0 || (opts->vcpus > 1 && !opts->scratch)))) {
		return IGVM_E_ARG;
	}
	if (mask == 0) {
		return IGVM_E_NO_SNP;
	}
	igvm_ld_init(&w.ld, sha384);
	w.opts = opts;
	w.index = 0;
	igvm_iter_init(&it, file, mask);
	while (igvm_iter_next(&it, &h)) {
		switch (h.type) {
		case IGVM_VHT_PAGE_DATA:
			measure_one(&w, page_data_type(&h.u.page), h.u.page.gpa,
				    igvm_file_page(file, h.u.page.file_offset));
			break;
		case IGVM_VHT_PARAMETER_INSERT: {
			/* Whole area, unmeasured, like QEMU (§3.6). */
			uint64_t size = area_size(
				file, h.u.insert.parameter_area_index);

			for (uint64_t o = 0; o < size; o += IGVM_PAGE_SIZE) {
				measure_one(&w, IGVM_SNP_PAGE_UNMEASURED,
					    h.u.insert.gpa + o, 0);
			}
			break;
		}
		case IGVM_VHT_VP_CONTEXT: {
			const uint8_t *page =
				igvm_file_page(file, h.u.vp.file_offset);

			if (opts->profile == IGVM_PROFILE_DIRECT) {
				/* Only VMPL0's BSP VMSA is measured (§2.4). */
				if (h.u.vp.vp_index != 0 || bsp) {
					return IGVM_E_VMSA;
				}
				measure_one(&w, IGVM_SNP_PAGE_VMSA, h.u.vp.gpa,
					    page);
			} else if (bsp || h.u.vp.vp_index != 0 ||
				   h.u.vp.gpa != IGVM_KVM_VMSA_GPA) {
				/*
				 * QEMU's check_vmsa_supported(): one VMSA,
				 * vCPU 0, at KVM's fixed GPA (§2.4).
				 */
				return IGVM_E_VMSA;
			}
			bsp = page;
			break;
		}
		default:
			break; /* not measured (§3.6) */
		}
	}
	if (opts->profile == IGVM_PROFILE_KVM) {
		if (!bsp) {
			return IGVM_E_VMSA;
		}
		measure_kvm_vmsas(&w, file, bsp);
	}
	bytes_copy(out, w.ld.digest, IGVM_SHA384_LEN);
	return IGVM_OK;
}
