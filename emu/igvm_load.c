// SPDX-License-Identifier: MIT
/*
 * Loading svsm.igvm as QEMU (>= 10.1) and upstream KVM would, and launching
 * it as the PSP does (docs/igvm.md §4-§6). The file arrives as the first
 * PVH module (QEMU -initrd) and is validated whole by the tools/igvm parser.
 *
 *   refused first   what QEMU refuses (tools/igvm qemu.h): unknown header
 *                   types, a VMSA off 0xFFFFFFFFF000 or with fields QEMU
 *                   does not pass to KVM, MEMORY_MAP byte_offset != 0
 *   LAUNCH_START    the launch policy (`policy=`, QEMU's sev-snp-guest
 *                   property, default 0x30000) checked (launch.c)
 *   file order      PAGE_DATA copied into guest RAM; parameter areas
 *                   filled as QEMU fills them (VP count, memory_is_shared,
 *                   the memory map from snpemu's RAM) and copied at their
 *                   INSERT; REQUIRED_MEMORY made private
 *   LAUNCH_UPDATE   pages assigned + validated and measured in the order
 *                   QEMU issues them (igvm_qemu_launch_pages()), hashing
 *                   what is in guest RAM; SECRETS and CPUID pages built by
 *                   the PSP model (psp.c)
 *   VMSA            like KVM: a hypervisor page (never guest RAM the
 *                   memory map offers), filled from the file's context,
 *                   measured at 0xFFFFFFFFF000 after every page
 *   LAUNCH_FINISH   the ID block checked against the digest and policy
 *
 * A refused launch stops snpemu with one line naming the cause.
 */
#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/string.h"

#include "clock.h"
#include "igvm/measure.h"
#include "igvm/parse.h"
#include "igvm/qemu.h"
#include "igvm/vmsa.h"
#include "inject.h"
#include "launch.h"
#include "loader.h"
#include "machine.h"
#include "psp.h"
#include "psp_crypto.h"

#define MAX_USES 16

/*
 * Host memory for VMSAs: the top 2 MiB of snpemu's RAM is the hypervisor's
 * (KVM allocates VMSAs outside guest memory), so the memory map the guest
 * gets ends below it. The BSP's VMSA is its second page: KVM never places a
 * VMSA 2 MiB aligned (SNP erratum, snp_safe_alloc_page()).
 */
#define HV_RESERVED (UINT64_C(2) << 20)
#define HV_VMSA_OFFSET PAGE_SIZE

/* KVM's identity-map/TSS range, which QEMU reserves in the E820 on every
 * KVM guest (target/i386/kvm/kvm.c kvm_arch_init()). */
#define KVM_IDENTITY_BASE UINT64_C(0xFEFFC000)
#define KVM_IDENTITY_SIZE UINT64_C(0x4000)

struct area {
	bool declared;
	uint64_t size;
};

struct use {
	uint32_t type, area, offset;
};

struct load {
	struct machine *m;
	struct area areas[IGVM_MAX_PARAM_AREAS];
	struct use uses[MAX_USES];
	uint32_t nuses;
	const uint8_t *vmsa; /* the file's VP context */
	bool have_id_block;
	struct igvm_snp_id_block id_block; /* as decoded by the parser */
	bool have_policy;
	uint64_t file_policy; /* GUEST_POLICY, for the ID block */
	bool bad;             /* a launch update left guest RAM */
	uint32_t launched;    /* pages measured */
	uint64_t bad_gpa;
#ifdef EMU_HAVE_SHA384
	struct igvm_ld ld;
#endif
};

static struct igvm_file igvm;

static unsigned long long ms(uint64_t tsc)
{
	return (unsigned long long)(clock_tsc_to_ns(tsc) / 1000000u);
}
static struct load load;

/* Guest RAM as the memory map describes it (below the hypervisor's). */
static uint64_t guest_ram_size(void)
{
	return EMU_GUEST_RAM_SIZE - HV_RESERVED;
}

static uint64_t hv_vmsa_gpa(void)
{
	return EMU_GUEST_RAM_SIZE - HV_RESERVED + HV_VMSA_OFFSET;
}

static bool ram_range(uint64_t gpa, uint64_t size)
{
	return (gpa & (PAGE_SIZE - 1)) == 0 && gpa < guest_ram_size() &&
	       size <= guest_ram_size() - gpa;
}

static void write_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/*
 * The memory map as QEMU writes it (backends/igvm.c
 * qigvm_directive_memory_map(), target/i386/sev.c cgs_get_mem_map_entry()):
 * the sorted E820 from offset 0, RAM as MEMORY and reserved ranges as
 * PLATFORM_RESERVED; the zeroed rest of the area terminates the list.
 */
static bool write_memory_map(uint8_t *p, uint64_t size)
{
	const struct igvm_memory_map_entry e[2] = {
		{.starting_gpa_page_number = 0,
		 .number_of_pages = guest_ram_size() >> PAGE_SHIFT,
		 .entry_type = IGVM_MEMORY_MAP_MEMORY},
		{.starting_gpa_page_number = KVM_IDENTITY_BASE >> PAGE_SHIFT,
		 .number_of_pages = KVM_IDENTITY_SIZE >> PAGE_SHIFT,
		 .entry_type = IGVM_MEMORY_MAP_PLATFORM_RESERVED},
	};

	/* QEMU: "guest memory map size exceeds parameter area". */
	if (size < sizeof(e)) {
		return false;
	}
	memcpy(p, e, sizeof(e));
	return true;
}

/* PARAMETER_INSERT: the area as the earlier usages filled it, at @gpa. */
static bool insert_area(struct load *l, uint32_t idx, uint64_t gpa)
{
	const struct area *a = &l->areas[idx];
	uint8_t *p = emu_hva(gpa);

	if (!ram_range(gpa, a->size)) {
		return false;
	}
	memset(p, 0, a->size);
	for (uint32_t i = 0; i < l->nuses; i++) {
		const struct use *u = &l->uses[i];

		if (u->area != idx) {
			continue;
		}
		if (u->type == IGVM_VHT_MEMORY_MAP) {
			if (!write_memory_map(p, a->size)) {
				return false;
			}
			continue;
		}
		if ((uint64_t)u->offset + 4 > a->size) {
			return false;
		}
		if (u->type == IGVM_VHT_VP_COUNT_PARAMETER) {
			write_u32(p + u->offset,
				  emu_machine.nr_vcpus); /* -smp */
		} else if (u->type == IGVM_VHT_ENVIRONMENT_INFO_PARAMETER) {
			write_u32(p + u->offset, IGVM_ENV_MEMORY_IS_SHARED);
		}
	}
	return true;
}

static bool required_memory(struct machine *m,
			    const struct igvm_required_memory *r)
{
	if (!ram_range(r->gpa, r->number_of_bytes)) {
		return false;
	}
	for (uint64_t o = 0; o < r->number_of_bytes; o += PAGE_SIZE) {
		struct rmp_change chg;
		uint64_t gpa = r->gpa + o;

		if (!(rmp_entry_at(&m->rmp, gpa)->flags & RMP_F_ASSIGNED)) {
			(void)rmp_psc(&m->rmp, gpa, RMP_PSC_OP_PRIVATE, false,
				      &chg);
		}
	}
	return true;
}

/* One directive in file order; false if it cannot be applied. */
static bool apply(struct load *l, const struct igvm_header *h)
{
	switch (h->type) {
	case IGVM_VHT_GUEST_POLICY:
		l->have_policy = true;
		l->file_policy = h->u.policy.policy;
		return true;
	case IGVM_VHT_PARAMETER_AREA:
		l->areas[h->u.area.parameter_area_index] = (struct area){
			.declared = true, .size = h->u.area.number_of_bytes};
		return true;
	case IGVM_VHT_VP_COUNT_PARAMETER:
	case IGVM_VHT_MEMORY_MAP:
	case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER:
		if (l->nuses == MAX_USES) {
			return false;
		}
		l->uses[l->nuses++] =
			(struct use){.type = h->type,
				     .area = h->u.param.parameter_area_index,
				     .offset = h->u.param.byte_offset};
		return true;
	case IGVM_VHT_PARAMETER_INSERT:
		/* The parser guarantees the index was declared. */
		return insert_area(l, h->u.insert.parameter_area_index,
				   h->u.insert.gpa);
	case IGVM_VHT_REQUIRED_MEMORY:
		return required_memory(l->m, &h->u.required);
	case IGVM_VHT_PAGE_DATA: {
		const uint8_t *src =
			igvm_file_page(&igvm, h->u.page.file_offset);

		if (!ram_range(h->u.page.gpa, PAGE_SIZE)) {
			return false;
		}
		if (src) {
			memcpy(emu_hva(h->u.page.gpa), src, PAGE_SIZE);
		} else {
			memset(emu_hva(h->u.page.gpa), 0, PAGE_SIZE);
		}
		return true;
	}
	case IGVM_VHT_VP_CONTEXT:
		/* igvm_qemu_check_file(): the one context, vCPU 0. */
		l->vmsa = igvm_file_page(&igvm, h->u.vp.file_offset);
		return true;
	case IGVM_VHT_SNP_ID_BLOCK:
		if (l->have_id_block) {
			con_printf("snpemu: launch refused: %s\n",
				   launch_strerror(LAUNCH_ID_TWICE));
			return false;
		}
		l->have_id_block = true;
		l->id_block = h->u.id_block;
		return true;
	default:
		return true; /* platform headers */
	}
}

/* One SNP_LAUNCH_UPDATE page, in QEMU's issue order. */
static void launch_page(void *ctx, const struct igvm_launch_page *p)
{
	struct load *l = ctx;
	uint8_t *page = emu_hva(p->gpa);

	if (l->bad || !ram_range(p->gpa, PAGE_SIZE)) {
		l->bad_gpa = l->bad ? l->bad_gpa : p->gpa;
		l->bad = true;
		return;
	}
	if (p->page_type == IGVM_SNP_PAGE_SECRETS) {
		psp_build_secrets((struct snp_secrets_page *)(void *)page);
	} else if (p->page_type == IGVM_SNP_PAGE_CPUID) {
		/* QEMU writes KVM's table; the PSP checks it. */
		emu_cpuid_page_gpa = p->gpa;
		psp_build_cpuid((struct snp_cpuid_page *)(void *)page,
				&l->m->cpu->ctx[0]);
	}
	(void)rmp_launch_page(&l->m->rmp, p->gpa);
	l->launched++;
#ifdef EMU_HAVE_SHA384
	/* The PSP hashes the page as it is in memory now. */
	igvm_ld_page(&l->ld, p->page_type, p->gpa, page, NULL);
#endif
}

#ifdef EMU_HAVE_SHA384
static void sha384(const void *data, size_t len, uint8_t out[48])
{
	pspc_sha384(data, len, out);
}

static const struct launch_crypto crypto = {
	.sha384 = sha384,
	.verify = pspc_verify_key,
};

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

static bool finish(struct load *l, uint64_t policy)
{
	enum launch_status st = LAUNCH_OK;
	char hex[97];

	memcpy(emu_psp.guest.measurement, l->ld.digest,
	       sizeof(emu_psp.guest.measurement));
	hex48(hex, l->ld.digest);
	con_printf("snpemu: launch digest %s\n", hex);
	print_vcek();
	if (l->have_id_block) {
		st = launch_check_id_block(&l->id_block, l->file_policy, policy,
					   l->ld.digest, &crypto,
					   &emu_psp.guest.identity);
	}
	if (st != LAUNCH_OK) {
		con_printf("snpemu: launch refused at LAUNCH_FINISH: %s\n",
			   launch_strerror(st));
		return false;
	}
	if (l->have_id_block) {
		hex48(hex, emu_psp.guest.identity.id_key_digest);
		con_printf(
			"snpemu: ID block accepted, ID key digest %s, guest "
			"SVN %u\n",
			hex, emu_psp.guest.identity.guest_svn);
	}
	return true;
}
#else
static bool finish(struct load *l, uint64_t policy)
{
	(void)policy;
	con_printf(
		"snpemu: launch digest NOT computed (built without "
		"SHA-384)\n");
	if (l->have_id_block) {
		con_printf("snpemu: launch refused at LAUNCH_FINISH: %s\n",
			   launch_strerror(LAUNCH_NO_CRYPTO));
		return false;
	}
	return true;
}
#endif

#ifdef EMU_HAVE_SHA384
/*
 * KVM measures one VMSA per vCPU after the BSP's (KVM: arch/x86/kvm/svm/
 * sev.c, snp_launch_update_vmsa, kvm_for_each_vcpu): an AP's is QEMU's
 * RESET state with the BSP's SEV features and the CPUID signature in RDX
 * (igvm_vmsa_kvm_ap_reset, svsm-measure --vcpus; docs/igvm.md §2).
 * snpemu models QEMU's -cpu EPYC-v4 signature, svsm-measure's default.
 * The pages are only measured: an AP runs what AP_CREATION gives it.
 */
static void launch_ap_vmsas(struct load *l, uint64_t sev_features)
{
	static uint8_t page[PAGE_SIZE];
	struct igvm_vmsa_regs r;

	memset(page, 0, sizeof(page));
	igvm_vmsa_kvm_ap_reset(&r, sev_features, IGVM_VCPU_SIG_EPYC_V4);
	igvm_vmsa_write(page, &r);
	for (unsigned i = 1; i < l->m->nr_vcpus; i++) {
		igvm_ld_page(&l->ld, IGVM_SNP_PAGE_VMSA, IGVM_KVM_VMSA_GPA,
			     page, NULL);
	}
}
#endif

/* KVM's snp_launch_update_vmsa(): the VMSA in a host page, measured at
 * INITIAL_VMSA_GPA. The file passed igvm_qemu_check_vmsa(), so every byte
 * it sets is one QEMU copies into vCPU state and KVM writes back. */
static void launch_vmsa(struct load *l)
{
	uint64_t gpa = hv_vmsa_gpa();

	memcpy(emu_hva(gpa), l->vmsa, PAGE_SIZE);
	if (emu_host_ri) {
		/* ri=1 (inject.h): the VMM turns it on; measured with it. */
		((struct snp_vmsa *)emu_hva(gpa))->sev_features |=
			SEV_FEAT_RESTRICTED_INJ;
	}
	(void)rmp_launch_page(&l->m->rmp, gpa);
	rmp_entry_at(&l->m->rmp, gpa)->flags |= RMP_F_VMSA;
#ifdef EMU_HAVE_SHA384
	igvm_ld_page(&l->ld, IGVM_SNP_PAGE_VMSA, IGVM_KVM_VMSA_GPA,
		     emu_hva(gpa), NULL);
	launch_ap_vmsas(l,
			((const struct snp_vmsa *)emu_hva(gpa))->sev_features);
#endif
}

static bool refuse_file(void)
{
	size_t at = 0;
	enum igvm_err err = igvm_qemu_check_file(&igvm, &at);

	if (err == IGVM_OK) {
		return false;
	}
	con_printf(
		"snpemu: QEMU would refuse this IGVM file: %s (header at "
		"offset 0x%llx)\n",
		igvm_strerror(err), (unsigned long long)at);
	return true;
}

int loader_igvm(struct machine *m, const void *image, uint64_t size,
		uint64_t policy)
{
	const struct launch_platform platform = {
		.abi_major = PSP_ABI_MAJOR,
		.abi_minor = PSP_ABI_MINOR,
		.smt_enabled = PSP_SMT_ENABLED,
	};
	enum igvm_err err = igvm_parse(image, size, &igvm);
	enum launch_status st = LAUNCH_OK;
	struct load *l = &load;
	struct igvm_iter it;
	struct igvm_header h;
	uint32_t mask = 0;
	uint64_t t[4] = {rdtsc(), 0, 0, 0};

	if (err != IGVM_OK) {
		con_printf("snpemu: bad IGVM file: %s at offset 0x%llx\n",
			   igvm_strerror(err),
			   (unsigned long long)igvm.err_offset);
		return -1;
	}
	if (refuse_file()) {
		return -1;
	}
	mask = igvm_platform_mask(&igvm, IGVM_PLATFORM_SEV_SNP);
	st = launch_check_policy(policy, &platform);
	if (st != LAUNCH_OK) {
		con_printf(
			"snpemu: launch refused at LAUNCH_START (policy "
			"0x%llx): %s\n",
			(unsigned long long)policy, launch_strerror(st));
		return -1;
	}
	memset(l, 0, sizeof(*l));
	l->m = m;
	/* LAUNCH_START resets the guest context; the policy is set after it
	 * (it was lost before: reports said policy 0, found by svsm-verify). */
	psp_launch_start();
	emu_psp.guest.policy = policy;
	/* The CPUID page needs a VMPL0 context's view of CPUID. */
	m->cpu->ctx[0].sev_features = SEV_FEAT_SNP_ACTIVE;
	t[1] = rdtsc();
	igvm_iter_init(&it, &igvm, mask);
	while (igvm_iter_next(&it, &h)) {
		if (!apply(l, &h)) {
			con_printf(
				"snpemu: cannot apply IGVM %s at offset "
				"0x%llx (outside guest RAM 0-0x%llx?)\n",
				igvm_type_name(h.type),
				(unsigned long long)h.offset,
				(unsigned long long)guest_ram_size());
			return -1;
		}
	}
	/* Without an ID block QEMU does not pass the file's policy on; a
	 * different one would be a launch the image was not made for. */
	if (l->have_policy && l->file_policy != policy) {
		con_printf(
			"snpemu: launch refused: the file's GUEST_POLICY "
			"0x%llx differs from policy=0x%llx\n",
			(unsigned long long)l->file_policy,
			(unsigned long long)policy);
		return -1;
	}
#ifdef EMU_HAVE_SHA384
	igvm_ld_init(&l->ld, sha384);
#endif
	t[2] = rdtsc();
	igvm_qemu_launch_pages(&igvm, mask, launch_page, l);
	if (l->bad) {
		con_printf(
			"snpemu: launch update at GPA 0x%llx is outside "
			"guest RAM 0-0x%llx\n",
			(unsigned long long)l->bad_gpa,
			(unsigned long long)guest_ram_size());
		return -1;
	}
	launch_vmsa(l);
	t[3] = rdtsc();
	con_printf(
		"snpemu: launch timing: file checked %llu ms, pages "
		"copied %llu ms, %u pages measured %llu ms\n",
		ms(t[1] - t[0]), ms(t[2] - t[1]), l->launched, ms(t[3] - t[2]));
	if (!finish(l, policy)) {
		return -1;
	}
	if (vmpl_create(m, m->cpu, 0, hv_vmsa_gpa()) != 0) {
		con_printf("snpemu: the VMPL0 VMSA cannot run\n");
		return -1;
	}
	m->cpu->cur = 0;
	con_printf(
		"snpemu: IGVM loaded (%u headers), VMPL0 VMSA in host page "
		"0x%llx (measured at 0x%llx), RIP 0x%llx\n",
		igvm.header_count, (unsigned long long)hv_vmsa_gpa(),
		(unsigned long long)IGVM_KVM_VMSA_GPA,
		(unsigned long long)vmpl_vmsa(m, 0)->rip);
	return 0;
}
