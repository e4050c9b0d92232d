// SPDX-License-Identifier: MIT
/*
 * Loading svsm.igvm the way QEMU does for SEV-SNP (igvm.md §2.3): the file
 * arrives as data (the first PVH module, QEMU -initrd), is validated whole
 * by the tools/igvm parser, and its SEV-SNP directives are applied:
 *
 *   PAGE_DATA        copied into guest RAM, assigned + validated like
 *                    SNP_LAUNCH_UPDATE; SECRETS and CPUID pages are built by
 *                    the PSP model (psp.c), not taken from the file
 *   REQUIRED_MEMORY  made private (assigned, not validated)
 *   PARAMETER_AREA / VP_COUNT / ENVIRONMENT_INFO / MEMORY_MAP /
 *   PARAMETER_INSERT written at the insert GPA as unmeasured private pages
 *                    (the memory map at offset 0 of its area, as QEMU does)
 *   VP_CONTEXT       the VMPL0 VMSA of vCPU 0 (assigned, validated, VMSA)
 *
 * The launch digest is computed with tools/igvm's igvm_measure() when
 * snpemu is linked with the freestanding mbedTLS (EMU_HAVE_SHA384); the ID
 * block and the guest policy are printed, not enforced.
 */
#include "lib/console.h"
#include "lib/string.h"

#include "igvm/measure.h"
#include "igvm/parse.h"
#include "loader.h"
#include "machine.h"
#include "psp.h"
#include "psp_crypto.h"

#define MAX_USES 16

struct area {
	bool declared, inserted;
	uint64_t size;
};

struct use {
	uint32_t type, area, offset;
};

static struct igvm_file igvm;

static bool ram_range(uint64_t gpa, uint64_t size)
{
	return (gpa & (PAGE_SIZE - 1)) == 0 && gpa < EMU_GUEST_RAM_SIZE &&
	       size <= EMU_GUEST_RAM_SIZE - gpa;
}

static void launch_range(struct machine *m, uint64_t gpa, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		(void)rmp_launch_page(&m->rmp, gpa + off);
	}
}

static void write_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* PARAMETER_INSERT: the area's contents appear at @gpa, unmeasured. */
static bool insert_area(struct machine *m, const struct area *a, uint32_t idx,
			const struct use *uses, uint32_t nuses, uint64_t gpa)
{
	uint8_t *p = emu_hva(gpa);

	if (!ram_range(gpa, a->size)) {
		return false;
	}
	memset(p, 0, a->size);
	for (uint32_t i = 0; i < nuses; i++) {
		const struct use *u = &uses[i];

		if (u->area != idx) {
			continue;
		}
		if (u->type == IGVM_VHT_MEMORY_MAP) {
			/* One entry: all of guest RAM; then the terminator
			 * (igvm.md §1.4 MEMORY_MAP_ENTRY). */
			struct igvm_memory_map_entry e = {
				.starting_gpa_page_number = 0,
				.number_of_pages = EMU_GUEST_PAGES,
			};

			if (a->size >= 2 * sizeof(e)) {
				memcpy(p, &e, sizeof(e));
			}
			continue;
		}
		if ((uint64_t)u->offset + 4 > a->size) {
			return false;
		}
		if (u->type == IGVM_VHT_VP_COUNT_PARAMETER) {
			write_u32(p + u->offset, 1);
		} else if (u->type == IGVM_VHT_ENVIRONMENT_INFO_PARAMETER) {
			write_u32(p + u->offset, IGVM_ENV_MEMORY_IS_SHARED);
		}
	}
	launch_range(m, gpa, a->size);
	return true;
}

static bool page_data(struct machine *m, const struct igvm_page_data *pd)
{
	const uint8_t *src = igvm_file_page(&igvm, pd->file_offset);
	uint8_t *dst = emu_hva(pd->gpa);

	if (!ram_range(pd->gpa, PAGE_SIZE) ||
	    (pd->flags & IGVM_PAGE_FLAG_2MB)) {
		return false;
	}
	switch (pd->data_type) {
	case 1: /* SECRETS */
		psp_build_secrets((struct snp_secrets_page *)dst);
		break;
	case 2: /* CPUID_DATA */
	case 3: /* CPUID_XF */
		/* Like QEMU: the PSP's table, not the file's template. */
		psp_build_cpuid((struct snp_cpuid_page *)dst, &m->ctx[0]);
		break;
	default:
		if (src != NULL) {
			memcpy(dst, src, PAGE_SIZE);
		} else {
			memset(dst, 0, PAGE_SIZE);
		}
		break;
	}
	if (!(pd->flags & IGVM_PAGE_FLAG_SHARED)) {
		(void)rmp_launch_page(&m->rmp, pd->gpa);
	}
	return true;
}

#ifdef EMU_HAVE_SHA384
static void sha384(const void *data, size_t len, uint8_t out[48])
{
	pspc_sha384(data, len, out);
}

static void hex48(char out[97], const uint8_t in[48])
{
	for (unsigned i = 0; i < 48; i++) {
		out[2 * i] = "0123456789abcdef"[in[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[in[i] & 15];
	}
	out[96] = '\0';
}

/* For host tools that check report signatures (psp_crypto.h). */
static void print_vcek(void)
{
	uint8_t x[48], y[48];
	char hx[97], hy[97];

	if (pspc_vcek_public(x, y)) {
		hex48(hx, x);
		hex48(hy, y);
		con_printf("snpemu: emulated VCEK P-384 x=%s y=%s\n", hx, hy);
	}
}

static void print_digest(void)
{
	struct igvm_measure_opts opts = {.profile = IGVM_PROFILE_DIRECT};
	uint8_t ld[IGVM_SHA384_LEN];
	char hex[97];
	enum igvm_err err = igvm_measure(&igvm, sha384, &opts, ld);

	if (err != IGVM_OK) {
		con_printf("snpemu: launch digest not computed: %s\n",
			   igvm_strerror(err));
		return;
	}
	memcpy(emu_psp.measurement, ld, sizeof(emu_psp.measurement));
	hex48(hex, ld);
	con_printf("snpemu: launch digest %s\n", hex);
	print_vcek();
}
#else
static void print_digest(void)
{
	con_printf(
		"snpemu: launch digest NOT computed (built without "
		"SHA-384)\n");
}
#endif

int loader_igvm(struct machine *m, const void *image, uint64_t size)
{
	static struct area areas[IGVM_MAX_PARAM_AREAS];
	static struct use uses[MAX_USES];
	uint32_t nuses = 0, mask = 0;
	uint64_t vmsa_gpa = UINT64_MAX;
	struct igvm_iter it;
	struct igvm_header h;
	enum igvm_err err = igvm_parse(image, size, &igvm);

	if (err != IGVM_OK) {
		con_printf("snpemu: bad IGVM file: %s at offset 0x%llx\n",
			   igvm_strerror(err),
			   (unsigned long long)igvm.err_offset);
		return -1;
	}
	mask = igvm_platform_mask(&igvm, 2 /* SEV_SNP */);
	if (mask == 0) {
		con_printf("snpemu: the IGVM file has no SEV-SNP platform\n");
		return -1;
	}
	/* The CPUID page needs a VMPL0 context's view of CPUID. */
	m->ctx[0].sev_features = SEV_FEAT_SNP_ACTIVE;
	igvm_iter_init(&it, &igvm, mask);
	while (igvm_iter_next(&it, &h)) {
		bool ok = true;

		switch (h.type) {
		case IGVM_VHT_GUEST_POLICY:
			emu_psp.policy = h.u.policy.policy;
			con_printf(
				"snpemu: guest policy 0x%llx (not "
				"enforced)\n",
				(unsigned long long)h.u.policy.policy);
			break;
		case IGVM_VHT_PARAMETER_AREA:
			areas[h.u.area.parameter_area_index] =
				(struct area){.declared = true,
					      .size = h.u.area.number_of_bytes};
			break;
		case IGVM_VHT_VP_COUNT_PARAMETER:
		case IGVM_VHT_MEMORY_MAP:
		case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER:
			ok = nuses < MAX_USES;
			if (ok) {
				uses[nuses++] = (struct use){
					.type = h.type,
					.area = h.u.param.parameter_area_index,
					.offset = h.u.param.byte_offset};
			}
			break;
		case IGVM_VHT_PARAMETER_INSERT: {
			uint32_t idx = h.u.insert.parameter_area_index;

			/* The parser guarantees idx was declared. */
			ok = insert_area(m, &areas[idx], idx, uses, nuses,
					 h.u.insert.gpa);
			break;
		}
		case IGVM_VHT_REQUIRED_MEMORY:
			ok = ram_range(h.u.required.gpa,
				       h.u.required.number_of_bytes);
			for (uint64_t o = 0;
			     ok && o < h.u.required.number_of_bytes;
			     o += PAGE_SIZE) {
				struct rmp_change chg;
				uint64_t gpa = h.u.required.gpa + o;

				if (!(rmp_entry_at(&m->rmp, gpa)->flags &
				      RMP_F_ASSIGNED)) {
					(void)rmp_psc(&m->rmp, gpa,
						      RMP_PSC_OP_PRIVATE, false,
						      &chg);
				}
			}
			break;
		case IGVM_VHT_PAGE_DATA:
			ok = page_data(m, &h.u.page);
			break;
		case IGVM_VHT_VP_CONTEXT: {
			const uint8_t *src =
				igvm_file_page(&igvm, h.u.vp.file_offset);

			ok = h.u.vp.vp_index == 0 &&
			     ram_range(h.u.vp.gpa, PAGE_SIZE) &&
			     vmsa_gpa == UINT64_MAX && src != NULL;
			if (ok) {
				vmsa_gpa = h.u.vp.gpa;
				memcpy(emu_hva(vmsa_gpa), src, PAGE_SIZE);
				(void)rmp_launch_page(&m->rmp, vmsa_gpa);
				rmp_entry_at(&m->rmp, vmsa_gpa)->flags |=
					RMP_F_VMSA;
			}
			break;
		}
		case IGVM_VHT_SNP_ID_BLOCK:
			con_printf(
				"snpemu: SNP ID block present (not "
				"checked)\n");
			break;
		default:
			/* Platform headers; parameters snpemu does not fill
			 * (MADT, SRAT, command line, ...) stay zero. */
			break;
		}
		if (!ok) {
			con_printf(
				"snpemu: cannot apply IGVM %s at offset "
				"0x%llx (outside guest RAM 0-0x%llx?)\n",
				igvm_type_name(h.type),
				(unsigned long long)h.offset,
				(unsigned long long)EMU_GUEST_RAM_SIZE);
			return -1;
		}
	}
	if (vmsa_gpa == UINT64_MAX || vmpl_create(m, 0, vmsa_gpa) != 0) {
		con_printf("snpemu: no usable VMPL0 VMSA in the IGVM file\n");
		return -1;
	}
	m->cur = 0;
	con_printf(
		"snpemu: IGVM loaded (%u headers), VMPL0 VMSA at GPA "
		"0x%llx, RIP 0x%llx\n",
		igvm.header_count, (unsigned long long)vmsa_gpa,
		(unsigned long long)vmpl_vmsa(m, 0)->rip);
	print_digest();
	return 0;
}
