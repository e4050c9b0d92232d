/* SPDX-License-Identifier: MIT */
/*
 * SNP launch digest: LD = SHA-384(PAGE_INFO) chained page by page (SEV-SNP
 * Firmware ABI, SNP_LAUNCH_UPDATE PAGE_INFO; docs/abi.md §14.2), with QEMU's
 * IGVM-to-page-type mapping (docs/abi.md §14.3). Freestanding: the hash is a
 * function pointer and nothing is allocated.
 */
#include "igvm/measure.h"

#include "igvm/qemu.h"
#include "igvm/vmsa.h"

/* SHA-384 of a 4 KiB zero page (docs/abi.md §14.2): saves hashing zeros. */
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

static void kvm_page(void *ctx, const struct igvm_launch_page *p)
{
	measure_one(ctx, p->page_type, p->gpa, p->data);
}

/* Upstream KVM behind QEMU (qemu.h): QEMU's order, then the VMSAs. */
static enum igvm_err measure_kvm(struct walk *w, const struct igvm_file *f,
				 uint32_t mask)
{
	const uint8_t *bsp = 0;
	struct igvm_header h;
	struct igvm_iter it;
	enum igvm_err err = igvm_qemu_check_file(f, w->opts->err_offset);

	if (err != IGVM_OK) {
		return err;
	}
	igvm_iter_init(&it, f, mask);
	while (igvm_iter_next(&it, &h)) {
		if (h.type == IGVM_VHT_VP_CONTEXT) {
			bsp = igvm_file_page(f, h.u.vp.file_offset);
		}
	}
	igvm_qemu_launch_pages(f, mask, kvm_page, w);
	return measure_kvm_vmsas(w, f, bsp);
}

/* coconut's direct-VMSA host: file order, the VMSA at its own GPA. */
static enum igvm_err measure_direct(struct walk *w, const struct igvm_file *f,
				    uint32_t mask)
{
	bool have_vmsa = false;
	struct igvm_header h;
	struct igvm_iter it;

	igvm_iter_init(&it, f, mask);
	while (igvm_iter_next(&it, &h)) {
		switch (h.type) {
		case IGVM_VHT_PAGE_DATA:
			measure_one(w, igvm_qemu_page_type(&h.u.page),
				    h.u.page.gpa,
				    igvm_file_page(f, h.u.page.file_offset));
			break;
		case IGVM_VHT_PARAMETER_INSERT: {
			/* Whole area, unmeasured, like QEMU. */
			uint64_t size = igvm_area_size(
				f, h.u.insert.parameter_area_index);

			for (uint64_t o = 0; o < size; o += IGVM_PAGE_SIZE) {
				measure_one(w, IGVM_SNP_PAGE_UNMEASURED,
					    h.u.insert.gpa + o, 0);
			}
			break;
		}
		case IGVM_VHT_VP_CONTEXT:
			/* Only VMPL0's BSP VMSA is measured. */
			if (h.u.vp.vp_index != 0 || have_vmsa) {
				return IGVM_E_VMSA;
			}
			have_vmsa = true;
			measure_one(w, IGVM_SNP_PAGE_VMSA, h.u.vp.gpa,
				    igvm_file_page(f, h.u.vp.file_offset));
			break;
		default:
			break; /* not measured */
		}
	}
	return IGVM_OK;
}

enum igvm_err igvm_measure(const struct igvm_file *file, igvm_sha384_fn sha384,
			   const struct igvm_measure_opts *opts,
			   uint8_t out[IGVM_SHA384_LEN])
{
	uint32_t mask = igvm_platform_mask(file, IGVM_PLATFORM_SEV_SNP);
	enum igvm_err err = IGVM_OK;
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
	if (opts->profile == IGVM_PROFILE_KVM) {
		err = measure_kvm(&w, file, mask);
	} else {
		err = measure_direct(&w, file, mask);
	}
	if (err == IGVM_OK) {
		bytes_copy(out, w.ld.digest, IGVM_SHA384_LEN);
	}
	return err;
}
