// SPDX-License-Identifier: MIT
/*
 * Hostile-guest cases for the core protocol (issue 14 findings 2-8; docs/abi.md
 * §3, docs/architecture.md §7.1): GPA 0 as a page like any other and the 2 MiB
 * page at GPA 0 zeroed outside the ISA hole; lists, calling areas and buffers
 * in shared pages (the SVSM's private access makes the host convert the page
 * back, docs/snpemu.md S7, and the call answers INVALID_ADDRESS instead of
 * stopping the VM); a deposited page made shared; CREATE_VCPU's 2 MiB-aligned
 * VMSA and CAA refusals; CONFIGURE_VTOM's reserved bits; and tables of
 * malformed calls, each with the one result code docs/abi.md gives it. Every
 * HOSTILE_RAX is counted (guest_hostile_report()); the attestation and vTPM
 * tables are in tests_hostile_proto.c.
 */
#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/string.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/ghcb_nae.h"
#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

#include "guest.h"

#define CORE(id) SVSM_CALL(SVSM_PROTO_CORE, (id))
#define PV_VALIDATE (UINT64_C(1) << 2)
#define PV_IGNCF (UINT64_C(1) << 3)
#define MB2 (UINT64_C(1) << 21)
#define ISA_HOLE_START UINT64_C(0xa0000)
#define ISA_HOLE_END UINT64_C(0x100000)

extern struct ghcb *guest_ghcb_shared; /* main.c */
extern uint64_t guest_ghcb_gpa;

uint32_t hostile_checks[HP_COUNT];

static uint8_t sh_page[4096] __attribute__((aligned(4096)));
static uint8_t dep_page[4096] __attribute__((aligned(4096)));
static uint8_t list_page[4096] __attribute__((aligned(4096)));
static uint8_t ca_page[4096] __attribute__((aligned(4096)));
static struct snp_vmsa vmsa_page __attribute__((aligned(4096)));
/* Two pages: one of them is not 2 MiB aligned (a VMSA must not be). */
static struct snp_vmsa lost_vmsa[2] __attribute__((aligned(4096)));

/* Issue 14: at least this many hostile-guest checks in the emu suite. */
#define HOSTILE_MIN 250u

bool guest_hostile_report(bool full)
{
	uint32_t total = hostile_checks[HP_CORE] + hostile_checks[HP_ATTEST] +
			 hostile_checks[HP_VTPM];

	con_printf(
		"# hostile-guest checks: core %u, attestation %u, vtpm %u, "
		"total %u\n",
		hostile_checks[HP_CORE], hostile_checks[HP_ATTEST],
		hostile_checks[HP_VTPM], total);
	if (full && total < HOSTILE_MIN) {
		con_printf(
			"# hostile-guest checks: %u, fewer than the %u "
			"issue 14 asks for\n",
			total, HOSTILE_MIN);
		return false;
	}
	return true;
}

static void set_valid(struct ghcb *gh, size_t off)
{
	gh->valid_bitmap[off / 8 / 8] |= (uint8_t)(1u << (off / 8 % 8));
}

bool guest_psc_nae(uint64_t gpa, bool shared, bool size_2m)
{
	struct ghcb *gh = guest_ghcb_shared;
	struct ghcb_psc_hdr *h = (void *)gh->shared_buffer;
	uint64_t *e = (uint64_t *)(void *)(h + 1);

	memset(gh, 0, sizeof(*gh));
	h->cur_entry = 0;
	h->end_entry = 0;
	/* GHCB spec Table 6: [51:12] GFN, [55:52] op, [56] 2M. */
	e[0] = (gpa & ~UINT64_C(0xfff)) | ((uint64_t)(shared ? 2 : 1) << 52) |
	       ((uint64_t)size_2m << 56);
	gh->sw_exit_code = SVM_VMGEXIT_PSC;
	gh->sw_scratch = guest_ghcb_gpa + offsetof(struct ghcb, shared_buffer);
	set_valid(gh, offsetof(struct ghcb, sw_exit_code));
	set_valid(gh, offsetof(struct ghcb, sw_exit_info_1));
	set_valid(gh, offsetof(struct ghcb, sw_exit_info_2));
	set_valid(gh, offsetof(struct ghcb, sw_scratch));
	gh->protocol_version = 2;
	wrmsr(MSR_GHCB, guest_ghcb_gpa);
	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xd9" ::: "memory");
	return (gh->sw_exit_info_1 & 0xffffffffu) == 0 &&
	       gh->sw_exit_info_2 == 0 && h->cur_entry == 1;
}

static uint64_t gpa_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* A pointer to guest VA @va the compiler cannot prove is NULL. */
static volatile uint8_t *at(uint64_t va)
{
	__asm__("" : "+r"(va));
	return (volatile uint8_t *)(uintptr_t)va;
}

static uint64_t call1(uint32_t id, uint64_t rcx)
{
	return gcall3(CORE(id), rcx, 0, 0);
}

/* A one-entry list (PVALIDATE format) at @where (its private view). */
static void put_list(uint64_t where, uint16_t entries, uint16_t next,
		     uint64_t e0)
{
	volatile uint8_t *p = at(where);
	struct svsm_pvalidate_hdr h = {entries, next, 0};

	for (size_t i = 0; i < sizeof(h); i++) {
		p[i] = ((const uint8_t *)&h)[i];
	}
	for (size_t i = 0; i < 8; i++) {
		p[sizeof(h) + i] = (uint8_t)(e0 >> (8 * i));
	}
}

/* One PVALIDATE entry through a list in list_page. */
static uint64_t pv1(uint64_t e)
{
	put_list(gpa_of(list_page), 1, 0, e);
	return call1(SVSM_CORE_PVALIDATE, gpa_of(list_page));
}

static uint64_t pv1_in_ca(uint64_t e)
{
	put_list(gpa_of(g.caa->svsm_buffer), 1, 0, e);
	return call1(SVSM_CORE_PVALIDATE, gpa_of(g.caa->svsm_buffer));
}

/* Pages of SVSM memory a hostile guest may name. */
static uint64_t svsm_page(unsigned i)
{
	/* Offsets inside the region whatever its size (8 MiB today). */
	const uint64_t off[] = {0, 0x1000, (g.svsm_size / 2) & ~UINT64_C(0xfff),
				g.svsm_size - 0x2000};

	return i < 4 ? g.svsm_base + off[i] : g.svsm_base + g.svsm_size - 4096;
}
#define SVSM_PAGES 5u

/* ---- findings 2 and 3: GPA 0 ---- */

/*
 * [0, 2M) filled through the shared view (what a host could leave there),
 * made one private 2M RMP page, validated through the SVSM: everything but
 * the ISA hole must read zero (finding 2; the hole is documented as not
 * zeroed, docs/abi.md §3.2).
 */
TEST(hostile, gpa0_2m_page_zeroed)
{
	bool zero = true;

	EXPECT_MSG(guest_psc_nae(0, true, true), "[0, 2M) shared (NAE PSC)");
	for (uint64_t a = 0; a < MB2; a += 8) {
		*(volatile uint64_t *)(void *)at(GUEST_SHARED_ALIAS + a) =
			UINT64_C(0x5a5a5a5a5a5a5a5a);
	}
	EXPECT_MSG(guest_psc_nae(0, false, true),
		   "[0, 2M) private as one 2M page");
	EXPECT_RAX(pv1(0 | SVSM_PV_SIZE_2M | PV_VALIDATE), SVSM_SUCCESS,
		   "pvalidate: 2M page at GPA 0");
	for (uint64_t a = 0; a < MB2; a += 8) {
		if (a >= ISA_HOLE_START && a < ISA_HOLE_END) {
			continue;
		}
		zero = zero && *(volatile uint64_t *)(void *)at(a) == 0;
	}
	EXPECT_MSG(zero, "2M page at GPA 0 zeroed outside [0xA0000, 0x100000)");
	EXPECT_RAX(pv1(0 | SVSM_PV_SIZE_2M), SVSM_SUCCESS,
		   "pvalidate: rescind the 2M page at GPA 0");
}

/* Finding 3: page 0 validated, used, holding a list, rescinded. */
TEST(hostile, gpa0_is_a_page)
{
	volatile uint8_t *p0 = at(0);
	uint16_t next = 0;

	EXPECT_MSG(guest_psc_nae(0, true, true) && guest_psc(0, false) &&
			   guest_psc(0x1000, false),
		   "pages 0 and 1 private (4K)");
	EXPECT_RAX(pv1(0 | PV_VALIDATE), SVSM_SUCCESS,
		   "pvalidate: validate GPA 0");
	EXPECT_MSG(p0[0] == 0 && p0[4095] == 0, "GPA 0 zeroed");
	p0[100] = 0x42;
	EXPECT_MSG(p0[100] == 0x42, "GPA 0 usable by the guest");
	/* A list at GPA 0: read there and `next` written back there. */
	put_list(0, 1, 0, 0x1000 | PV_VALIDATE);
	EXPECT_RAX(call1(SVSM_CORE_PVALIDATE, 0), SVSM_SUCCESS,
		   "pvalidate: list at GPA 0");
	next = (uint16_t)(p0[2] | p0[3] << 8);
	EXPECT_MSG(next == 1, "pvalidate: next written back at GPA 0");
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_REMAP_CA, 0),
		    SVSM_ERR_INVALID_ADDRESS,
		    "remap_ca: GPA 0 (Linux: no calling area)");
	EXPECT_RAX(pv1(0x1000), SVSM_SUCCESS, "pvalidate: rescind GPA 0x1000");
	EXPECT_RAX(pv1(0), SVSM_SUCCESS, "pvalidate: rescind GPA 0");
}

/* ---- finding 4: shared pages ---- */

/* Make @page shared (rescinded first if it is valid). */
static bool make_shared(uint64_t page, bool rescind)
{
	if (rescind && pv1(page | PV_IGNCF) != SVSM_SUCCESS) {
		return false;
	}
	return guest_psc(page, true);
}

/* A list written through the shared view of @page. */
static void put_shared_list(uint64_t page, uint16_t entries, uint64_t e0)
{
	put_list(GUEST_SHARED_ALIAS + page, entries, 0, e0);
}

/*
 * Each call below makes the SVSM touch a page the RMP says is shared. The
 * host converts it on that private access (KVM, and snpemu S7) and the
 * access faults: INVALID_ADDRESS, and the VM goes on. The page is then
 * private and not validated, so it is made shared again before each call.
 */
TEST(hostile, shared_pages)
{
	uint64_t sh = gpa_of(sh_page);
	uint64_t below = g.svsm_base - 4096; /* never launched: shared */
	uint64_t pages[2] = {sh, below};
	uint64_t rax = 0;

	EXPECT_MSG(make_shared(sh, true), "scratch page made shared");
	for (unsigned i = 0; i < 2; i++) {
		uint64_t p = pages[i];

		EXPECT_MSG(guest_psc(p, true), "page shared again");
		put_shared_list(p, 1,
				gpa_of(dep_page) | PV_VALIDATE | PV_IGNCF);
		HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_PVALIDATE, p),
			    SVSM_ERR_INVALID_ADDRESS,
			    i == 0 ? "pvalidate: list in a shared page"
				   : "pvalidate: list in the shared page "
				     "below the SVSM");
		EXPECT_MSG(guest_psc(p, true), "page shared again");
		put_shared_list(p, 1, gpa_of(dep_page));
		HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DEPOSIT_MEM, p),
			    SVSM_ERR_INVALID_ADDRESS,
			    i == 0 ? "deposit_mem: list in a shared page"
				   : "deposit_mem: list in the shared page "
				     "below the SVSM");
		EXPECT_MSG(guest_psc(p, true), "page shared again");
		put_shared_list(p, 4, 0);
		HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_WITHDRAW_MEM, p),
			    SVSM_ERR_INVALID_ADDRESS,
			    i == 0 ? "withdraw_mem: list in a shared page"
				   : "withdraw_mem: list in the shared page "
				     "below the SVSM");
		EXPECT_MSG(guest_psc(p, true), "page shared again");
		HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_REMAP_CA, p),
			    SVSM_ERR_INVALID_ADDRESS,
			    i == 0 ? "remap_ca: to a shared page"
				   : "remap_ca: to the shared page below the "
				     "SVSM");
		EXPECT_MSG(guest_psc(p, true), "page shared again");
		memset(&vmsa_page, 0, sizeof(vmsa_page));
		vmsa_page.vmpl = 2;
		vmsa_page.efer = VMSA_EFER_SVME;
		vmsa_page.sev_features = SEV_FEAT_SNP_ACTIVE;
		HOSTILE_RAX(HP_CORE,
			    gcall3(CORE(SVSM_CORE_CREATE_VCPU),
				   gpa_of(&vmsa_page), p, 0),
			    SVSM_ERR_INVALID_ADDRESS,
			    i == 0 ? "create_vcpu: calling area in a shared "
				     "page"
				   : "create_vcpu: calling area in the shared "
				     "page below the SVSM");
		EXPECT_MSG(vmsa_page.vmpl == 2, "refused VMSA page writable");
	}
	/*
	 * REMAP_CA to the GHCB page: the SVSM's write converts it, so the
	 * guest makes it shared again before it prints anything.
	 */
	rax = call1(SVSM_CORE_REMAP_CA, guest_ghcb_gpa);
	(void)guest_psc(guest_ghcb_gpa, true);
	HOSTILE_RAX(HP_CORE, rax, SVSM_ERR_INVALID_ADDRESS,
		    "remap_ca: to the GHCB page");
	/* PVALIDATE of a shared page: the instruction's FAIL_INPUT. */
	EXPECT_MSG(guest_psc(below, true), "page below the SVSM shared again");
	HOSTILE_RAX(HP_CORE, pv1_in_ca(guest_ghcb_gpa | PV_VALIDATE),
		    SVSM_PVALIDATE_FAIL_INPUT,
		    "pvalidate: validate the (shared) GHCB page");
	HOSTILE_RAX(HP_CORE, pv1_in_ca(below | PV_VALIDATE),
		    SVSM_PVALIDATE_FAIL_INPUT,
		    "pvalidate: validate the shared page below the SVSM");
	HOSTILE_RAX(
		HP_CORE,
		pv1_in_ca((g.svsm_base - MB2) | SVSM_PV_SIZE_2M | PV_VALIDATE),
		SVSM_PVALIDATE_FAIL_INPUT,
		"pvalidate: 2M of shared pages below the SVSM");
	/* The scratch page back to private and valid for later cases. */
	EXPECT_MSG(guest_psc(sh, false), "scratch page private again");
	EXPECT_RAX(pv1_in_ca(sh | PV_VALIDATE | PV_IGNCF), SVSM_SUCCESS,
		   "scratch page validated again");
}

/*
 * Finding 5: a deposited page the guest has the host make shared. The
 * WITHDRAW that meets it is refused and the page leaves the pool; the
 * guest can validate it again.
 */
TEST(hostile, deposited_page_made_shared)
{
	uint64_t d = gpa_of(dep_page);
	struct svsm_pvalidate_hdr *h = (void *)list_page;

	put_list(gpa_of(list_page), 1, 0, d);
	EXPECT_RAX(call1(SVSM_CORE_DEPOSIT_MEM, gpa_of(list_page)),
		   SVSM_SUCCESS, "deposit_mem: one page");
	EXPECT_MSG(guest_psc(d, true), "deposited page made shared (host)");
	put_list(gpa_of(list_page), 1, 0, 0);
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_WITHDRAW_MEM, gpa_of(list_page)),
		    SVSM_ERR_INVALID_ADDRESS,
		    "withdraw_mem: a deposited page made shared");
	EXPECT_MSG(h->next == 0, "withdraw_mem: the page is not handed out");
	put_list(gpa_of(list_page), 1, 0, 0);
	EXPECT_RAX(call1(SVSM_CORE_WITHDRAW_MEM, gpa_of(list_page)),
		   SVSM_SUCCESS, "withdraw_mem: not stuck on that page");
	EXPECT_MSG(h->next == 0, "withdraw_mem: pool empty");
	EXPECT_MSG(guest_psc(d, false), "page private again");
	EXPECT_RAX(pv1(d | PV_VALIDATE | PV_IGNCF), SVSM_SUCCESS,
		   "pvalidate: the dropped page is the guest's again");
	EXPECT_MSG(dep_page[0] == 0 && dep_page[4095] == 0,
		   "dropped page zeroed on validation");
}

/* ---- finding 7: CREATE_VCPU ---- */

static void good_vmsa(void)
{
	memset(&vmsa_page, 0, sizeof(vmsa_page));
	vmsa_page.vmpl = 2;
	vmsa_page.efer = VMSA_EFER_SVME;
	vmsa_page.sev_features = SEV_FEAT_SNP_ACTIVE;
	vmsa_page.cr0 = 0x31;
}

static uint64_t create(uint64_t vmsa, uint64_t ca, uint64_t apic)
{
	return gcall3(CORE(SVSM_CORE_CREATE_VCPU), vmsa, ca, apic);
}

TEST(hostile, create_vcpu)
{
	static const struct {
		uint64_t features;
		const char *what;
	} bad_features[] = {
		{0, "create_vcpu: SNP_ACTIVE clear"},
		{SEV_FEAT_SNP_ACTIVE | SEV_FEAT_REFLECT_VC,
		 "create_vcpu: ReflectVC"},
		{SEV_FEAT_SNP_ACTIVE | SEV_FEAT_ALTERNATE_INJ,
		 "create_vcpu: alternate injection"},
		{SEV_FEAT_SNP_ACTIVE | SEV_FEAT_VMPL_SSS,
		 "create_vcpu: VMPL supervisor shadow stack"},
		{SEV_FEAT_SNP_ACTIVE | SEV_FEAT_VMGEXIT_PARAM,
		 "create_vcpu: VMGEXIT parameter"},
		{SEV_FEAT_SNP_ACTIVE | SEV_FEAT_SECURE_AVIC,
		 "create_vcpu: Secure AVIC"},
		{SEV_FEAT_SNP_ACTIVE | (UINT64_C(1) << 11),
		 "create_vcpu: reserved feature bit 11"},
		{SEV_FEAT_SNP_ACTIVE | (UINT64_C(1) << 40),
		 "create_vcpu: reserved feature bit 40"},
		{SEV_FEAT_SNP_ACTIVE | (UINT64_C(1) << 63),
		 "create_vcpu: reserved feature bit 63"},
		{SEV_FEAT_SNP_ACTIVE | SEV_FEAT_DEBUG_SWAP,
		 "create_vcpu: features differ from the caller's"},
	};
	static const uint8_t bad_vmpl[] = {3, 4, 0xff};
	uint64_t v = gpa_of(&vmsa_page);
	uint64_t c = gpa_of(ca_page);

	good_vmsa();
	HOSTILE_RAX(HP_CORE, create(0, c, 0), SVSM_ERR_INVALID_ADDRESS,
		    "create_vcpu: VMSA at GPA 0 (2M aligned)");
	HOSTILE_RAX(HP_CORE, create(MB2, c, 0), SVSM_ERR_INVALID_ADDRESS,
		    "create_vcpu: VMSA at 2M (2M aligned)");
	HOSTILE_RAX(HP_CORE, create(UINT64_C(0x1000000), c, 0),
		    SVSM_ERR_INVALID_ADDRESS,
		    "create_vcpu: VMSA at 16M (2M aligned)");
	HOSTILE_RAX(HP_CORE, create(v, 0, 0), SVSM_ERR_INVALID_ADDRESS,
		    "create_vcpu: calling area at GPA 0");
	/* Not 1: with QEMU -smp N the SVSM runs APIC IDs 0..N-1. */
	HOSTILE_RAX(HP_CORE, create(v, c, 0x100), SVSM_ERR_INVALID_PARAMETER,
		    "create_vcpu: APIC ID 256 (no such vCPU)");
	HOSTILE_RAX(HP_CORE, create(v, c, 0xffffffffu),
		    SVSM_ERR_INVALID_PARAMETER,
		    "create_vcpu: APIC ID 0xffffffff");
	HOSTILE_RAX(HP_CORE, create(v, c, UINT64_C(1) << 32),
		    SVSM_ERR_INVALID_PARAMETER,
		    "create_vcpu: R8 bit 32 (reserved)");
	HOSTILE_RAX(HP_CORE, create(v, c, UINT64_C(1) << 63),
		    SVSM_ERR_INVALID_PARAMETER,
		    "create_vcpu: R8 bit 63 (reserved)");
	HOSTILE_RAX(HP_CORE, create(UINT64_C(1) << 46, c, 0),
		    SVSM_ERR_INVALID_ADDRESS, "create_vcpu: VMSA outside RAM");
	HOSTILE_RAX(HP_CORE, create(v, UINT64_C(1) << 46, 0),
		    SVSM_ERR_INVALID_ADDRESS,
		    "create_vcpu: calling area outside RAM");
	HOSTILE_RAX(HP_CORE, create(v, c + 0x800, 0), SVSM_ERR_INVALID_ADDRESS,
		    "create_vcpu: calling area not page aligned");
	for (unsigned i = 0; i < SVSM_PAGES; i++) {
		HOSTILE_RAX(HP_CORE, create(svsm_page(i), c, 0),
			    SVSM_ERR_INVALID_ADDRESS,
			    "create_vcpu: VMSA in SVSM memory");
		HOSTILE_RAX(HP_CORE, create(v, svsm_page(i), 0),
			    SVSM_ERR_INVALID_ADDRESS,
			    "create_vcpu: calling area in SVSM memory");
	}
	for (unsigned i = 0; i < sizeof(bad_features) / sizeof(bad_features[0]);
	     i++) {
		good_vmsa();
		vmsa_page.sev_features = bad_features[i].features;
		HOSTILE_RAX(HP_CORE, create(v, c, 0),
			    SVSM_ERR_INVALID_PARAMETER, bad_features[i].what);
	}
	for (unsigned i = 0; i < sizeof(bad_vmpl); i++) {
		good_vmsa();
		vmsa_page.vmpl = bad_vmpl[i];
		HOSTILE_RAX(HP_CORE, create(v, c, 0),
			    SVSM_ERR_INVALID_PARAMETER,
			    "create_vcpu: VMSA for a VMPL other than the "
			    "caller's");
	}
	vmsa_page.rip = 0x1234;
	EXPECT_MSG(vmsa_page.rip == 0x1234,
		   "create_vcpu: refused page stays writable");
}

/* ---- finding 8 and the dispatcher ---- */

TEST(hostile, configure_vtom)
{
	static const unsigned query_bits[] = {1, 2, 20, 21, 40, 63};
	static const unsigned config_bits[] = {2, 3, 11, 20};
	struct gcall c;

	for (unsigned i = 0; i < sizeof(query_bits) / sizeof(query_bits[0]);
	     i++) {
		HOSTILE_RAX(HP_CORE,
			    call1(SVSM_CORE_CONFIGURE_VTOM,
				  1 | (UINT64_C(1) << query_bits[i])),
			    SVSM_ERR_INVALID_PARAMETER,
			    "configure_vtom: query with a reserved bit");
	}
	for (unsigned i = 0; i < sizeof(config_bits) / sizeof(config_bits[0]);
	     i++) {
		HOSTILE_RAX(HP_CORE,
			    call1(SVSM_CORE_CONFIGURE_VTOM,
				  2 | MB2 | (UINT64_C(1) << config_bits[i])),
			    SVSM_ERR_INVALID_PARAMETER,
			    "configure_vtom: configuration with a reserved "
			    "bit");
	}
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_CONFIGURE_VTOM, 2 | (4 * MB2)),
		    SVSM_ERR_INVALID_REQUEST,
		    "configure_vtom: enable (vTOM not supported)");
	memset(&c, 0, sizeof(c));
	c.rax = CORE(SVSM_CORE_CONFIGURE_VTOM);
	c.rcx = 1;
	EXPECT_MSG(gcall(GT_MSR, &c) && c.rax == SVSM_SUCCESS && c.rcx == 0,
		   "configure_vtom: a clean query still answers 0");
}

TEST(hostile, dispatch)
{
	static const uint32_t core_ids[] = {8, 9, 0x10, 0x100, 0x7fffffff};
	static const uint32_t protos[] = {3, 4, 0x10, 0xffff, 0x7fffffff};
	static const uint32_t other_ids[] = {2, 3, 0x100, 0x7fffffff};
	static const uint32_t query[][2] = {
		{0, 0}, {0, 2}, {1, 0}, {1, 2},
		{2, 0}, {2, 2}, {3, 1}, {0xffffffffu, 1},
	};

	for (unsigned i = 0; i < 5; i++) {
		HOSTILE_RAX(HP_CORE, gcall3(CORE(core_ids[i]), 0, 0, 0),
			    SVSM_ERR_UNSUPPORTED_CALL, "core: unknown call");
		HOSTILE_RAX(HP_CORE, gcall3(SVSM_CALL(protos[i], 0), 0, 0, 0),
			    SVSM_ERR_UNSUPPORTED_PROTOCOL,
			    "dispatch: unknown protocol");
	}
	for (unsigned i = 0; i < 4; i++) {
		HOSTILE_RAX(HP_ATTEST,
			    gcall3(SVSM_CALL(SVSM_PROTO_ATTEST, other_ids[i]),
				   0, 0, 0),
			    SVSM_ERR_UNSUPPORTED_CALL, "attest: unknown call");
		HOSTILE_RAX(HP_VTPM,
			    gcall3(SVSM_CALL(SVSM_PROTO_VTPM, other_ids[i]), 0,
				   0, 0),
			    SVSM_ERR_UNSUPPORTED_CALL, "vtpm: unknown call");
	}
	for (unsigned i = 0; i < 8; i++) {
		struct gcall c;

		memset(&c, 0, sizeof(c));
		c.rax = CORE(SVSM_CORE_QUERY_PROTOCOL);
		c.rcx = SVSM_QUERY_PROTOCOL_ARG(query[i][0], query[i][1]);
		HOSTILE_RAX(HP_CORE, gcall(GT_MSR, &c) ? c.rax : UINT64_MAX,
			    SVSM_SUCCESS,
			    "query_protocol: absent protocol/version");
		EXPECT_MSG(c.rcx == 0, "query_protocol: absent: RCX = 0");
	}
}

/* ---- tables of malformed core calls ---- */

TEST(hostile, pvalidate_lists)
{
	uint64_t lp = gpa_of(list_page);
	uint64_t sp = gpa_of(sh_page);

	for (unsigned m = 1; m < 8; m++) {
		put_list(lp, 1, 0, sp | PV_VALIDATE | PV_IGNCF);
		HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_PVALIDATE, lp + m),
			    SVSM_ERR_INVALID_PARAMETER,
			    "pvalidate: list not 8-byte aligned");
	}
	/* Only the header fits there; the page after it is not the list's. */
	*(volatile uint64_t *)(void *)(list_page + 4088) = 1;
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_PVALIDATE, lp + 4088),
		    SVSM_ERR_INVALID_PARAMETER,
		    "pvalidate: header in the last 8 bytes, no room for "
		    "entries");
	put_list(lp, 0xffff, 0, sp | PV_VALIDATE | PV_IGNCF);
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_PVALIDATE, lp),
		    SVSM_ERR_INVALID_PARAMETER, "pvalidate: 65535 entries");
	put_list(lp, 1, 0xffff, sp | PV_VALIDATE | PV_IGNCF);
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_PVALIDATE, lp),
		    SVSM_ERR_INVALID_PARAMETER, "pvalidate: next 65535");
	for (unsigned i = 0; i < SVSM_PAGES; i++) {
		HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_PVALIDATE, svsm_page(i)),
			    SVSM_ERR_INVALID_ADDRESS,
			    "pvalidate: list in SVSM memory");
		HOSTILE_RAX(HP_CORE, pv1(svsm_page(i) | PV_VALIDATE),
			    SVSM_ERR_INVALID_ADDRESS,
			    "pvalidate: entry in SVSM memory");
	}
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_PVALIDATE, UINT64_C(1) << 40),
		    SVSM_ERR_INVALID_ADDRESS, "pvalidate: list outside RAM");
	HOSTILE_RAX(HP_CORE,
		    call1(SVSM_CORE_PVALIDATE, UINT64_C(0xfffffffffffffff8)),
		    SVSM_ERR_INVALID_ADDRESS,
		    "pvalidate: list at the last 8 bytes of the address "
		    "space");
	for (unsigned b = 4; b < 12; b++) {
		HOSTILE_RAX(
			HP_CORE,
			pv1(sp | PV_VALIDATE | PV_IGNCF | (UINT64_C(1) << b)),
			SVSM_ERR_INVALID_PARAMETER,
			"pvalidate: entry reserved bit (11:4)");
	}
	HOSTILE_RAX(HP_CORE, pv1(lp | PV_VALIDATE | PV_IGNCF),
		    SVSM_ERR_INVALID_ADDRESS,
		    "pvalidate: entry naming the list's own page");
	HOSTILE_RAX(HP_CORE, pv1((lp & ~(MB2 - 1)) | SVSM_PV_SIZE_2M),
		    SVSM_ERR_INVALID_ADDRESS,
		    "pvalidate: 2M entry covering the list's page");
	HOSTILE_RAX(HP_CORE, pv1(gpa_of(g.caa)), SVSM_ERR_INVALID_ADDRESS,
		    "pvalidate: rescind the calling area (own list page)");
	HOSTILE_RAX(HP_CORE,
		    pv1((gpa_of(g.caa) & ~(MB2 - 1)) | SVSM_PV_SIZE_2M |
			PV_VALIDATE),
		    SVSM_ERR_INVALID_ADDRESS,
		    "pvalidate: 2M entry covering the calling area");
	HOSTILE_RAX(HP_CORE, pv1((UINT64_C(1) << 46) | PV_VALIDATE),
		    SVSM_ERR_INVALID_ADDRESS,
		    "pvalidate: entry outside RAM (2^46)");
	HOSTILE_RAX(HP_CORE, pv1(UINT64_C(0xfffffffffffff000) | PV_VALIDATE),
		    SVSM_ERR_INVALID_ADDRESS,
		    "pvalidate: entry at the top of the address space");
	HOSTILE_RAX(HP_CORE, pv1(UINT64_C(0x1000) | SVSM_PV_SIZE_2M),
		    SVSM_ERR_INVALID_PARAMETER, "pvalidate: 2M entry at 4K");
	HOSTILE_RAX(HP_CORE, pv1(UINT64_C(0x1ff000) | SVSM_PV_SIZE_2M),
		    SVSM_ERR_INVALID_PARAMETER,
		    "pvalidate: 2M entry at 2M - 4K");
	HOSTILE_RAX(HP_CORE,
		    pv1((g.svsm_base + g.svsm_size - MB2) | SVSM_PV_SIZE_2M |
			PV_VALIDATE),
		    SVSM_ERR_INVALID_ADDRESS,
		    "pvalidate: 2M entry, last 2M of SVSM memory");
}

TEST(hostile, deposit_withdraw_lists)
{
	uint64_t lp = gpa_of(list_page);
	uint64_t d = gpa_of(dep_page);
	static const unsigned bits[] = {2, 3, 4, 11};

	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DEPOSIT_MEM, lp + 4),
		    SVSM_ERR_INVALID_PARAMETER,
		    "deposit_mem: list not 8-byte aligned");
	put_list(lp, 0, 0, d);
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DEPOSIT_MEM, lp),
		    SVSM_ERR_INVALID_PARAMETER, "deposit_mem: 0 entries");
	put_list(lp, 1, 1, d);
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DEPOSIT_MEM, lp),
		    SVSM_ERR_INVALID_PARAMETER, "deposit_mem: next == entries");
	put_list(lp, 1, 0, (4 * MB2) | SVSM_PV_SIZE_2M);
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DEPOSIT_MEM, lp),
		    SVSM_ERR_INVALID_PARAMETER, "deposit_mem: a 2M entry");
	for (unsigned i = 0; i < 4; i++) {
		put_list(lp, 1, 0, d | (UINT64_C(1) << bits[i]));
		HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DEPOSIT_MEM, lp),
			    SVSM_ERR_INVALID_PARAMETER,
			    "deposit_mem: entry reserved bit (11:2)");
	}
	put_list(lp, 1, 0, lp);
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DEPOSIT_MEM, lp),
		    SVSM_ERR_INVALID_ADDRESS,
		    "deposit_mem: the list's own page");
	put_list(lp, 1, 0, gpa_of(g.caa));
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DEPOSIT_MEM, lp),
		    SVSM_ERR_INVALID_ADDRESS, "deposit_mem: the calling area");
	put_list(lp, 1, 0, UINT64_C(1) << 46);
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DEPOSIT_MEM, lp),
		    SVSM_ERR_INVALID_ADDRESS, "deposit_mem: outside RAM");
	for (unsigned i = 0; i < SVSM_PAGES; i++) {
		put_list(lp, 1, 0, svsm_page(i));
		HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DEPOSIT_MEM, lp),
			    SVSM_ERR_INVALID_ADDRESS,
			    "deposit_mem: a page of SVSM memory");
	}
	/* Shared: the SVSM's PVALIDATE of it fails (FAIL_INPUT). */
	put_list(lp, 1, 0, g.svsm_base - 4096);
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DEPOSIT_MEM, lp),
		    SVSM_PVALIDATE_FAIL_INPUT,
		    "deposit_mem: the shared page below the SVSM");
	put_list(lp, 4, 1, 0);
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_WITHDRAW_MEM, lp),
		    SVSM_ERR_INVALID_PARAMETER, "withdraw_mem: next != 0");
	put_list(lp, 0, 0, 0);
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_WITHDRAW_MEM, lp),
		    SVSM_ERR_INVALID_PARAMETER, "withdraw_mem: capacity 0");
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_WITHDRAW_MEM, lp + 2),
		    SVSM_ERR_INVALID_PARAMETER,
		    "withdraw_mem: list not 8-byte aligned");
	for (unsigned i = 0; i < SVSM_PAGES; i++) {
		HOSTILE_RAX(HP_CORE,
			    call1(SVSM_CORE_WITHDRAW_MEM, svsm_page(i)),
			    SVSM_ERR_INVALID_ADDRESS,
			    "withdraw_mem: list in SVSM memory");
	}
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_WITHDRAW_MEM, UINT64_C(1) << 46),
		    SVSM_ERR_INVALID_ADDRESS, "withdraw_mem: list outside RAM");
}

TEST(hostile, remap_and_delete)
{
	static const uint64_t misaligned[] = {1, 8, 0x800, 0xff8};
	uint64_t ca = gpa_of(ca_page);

	for (unsigned i = 0; i < 4; i++) {
		HOSTILE_RAX(HP_CORE,
			    call1(SVSM_CORE_REMAP_CA, ca + misaligned[i]),
			    SVSM_ERR_INVALID_PARAMETER,
			    "remap_ca: not page aligned");
		HOSTILE_RAX(HP_CORE,
			    call1(SVSM_CORE_DELETE_VCPU, ca + misaligned[i]),
			    SVSM_ERR_INVALID_PARAMETER,
			    "delete_vcpu: not page aligned");
	}
	for (unsigned i = 0; i < SVSM_PAGES; i++) {
		HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_REMAP_CA, svsm_page(i)),
			    SVSM_ERR_INVALID_ADDRESS,
			    "remap_ca: into SVSM memory");
		HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DELETE_VCPU, svsm_page(i)),
			    SVSM_ERR_INVALID_PARAMETER,
			    "delete_vcpu: SVSM memory is no VMSA");
	}
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_REMAP_CA, UINT64_C(1) << 46),
		    SVSM_ERR_INVALID_ADDRESS, "remap_ca: outside RAM (2^46)");
	HOSTILE_RAX(HP_CORE,
		    call1(SVSM_CORE_REMAP_CA, UINT64_C(0xfffffffffffff000)),
		    SVSM_ERR_INVALID_ADDRESS,
		    "remap_ca: top of the address space");
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DELETE_VCPU, 0),
		    SVSM_ERR_INVALID_PARAMETER, "delete_vcpu: GPA 0");
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DELETE_VCPU, gpa_of(g.caa)),
		    SVSM_ERR_INVALID_PARAMETER,
		    "delete_vcpu: the calling area is no VMSA");
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DELETE_VCPU, ca),
		    SVSM_ERR_INVALID_PARAMETER,
		    "delete_vcpu: an ordinary guest page");
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DELETE_VCPU, UINT64_C(1) << 46),
		    SVSM_ERR_INVALID_PARAMETER, "delete_vcpu: outside RAM");
}

/* ---- finding 6: a VMSA converted behind the SVSM's back ---- */

/*
 * A VMSA the SVSM registered (CREATE_VCPU for this vCPU, with its CA; never
 * started, so no vCPU runs it) that the host converts to shared: on SNP
 * hardware RMPUPDATE converts a VMSA page outside VMRUN like any page, and
 * snpemu does the same (docs/snpemu.md row F6). DELETE_VCPU must refuse it
 * through its guarded copy (INVALID_ADDRESS; docs/abi.md §3.4): the VMSA
 * stays registered, so every call that names it is refused, and every
 * other call is still served. Last in this file: the page stays lost.
 */
TEST(hostile, delete_vcpu_vmsa_made_shared)
{
	struct snp_vmsa *vm =
		&lost_vmsa[(gpa_of(&lost_vmsa[0]) & (MB2 - 1)) == 0];
	uint64_t v = gpa_of(vm);
	uint64_t ca = gpa_of(g.caa);
	struct gcall c;

	memset(vm, 0, sizeof(*vm));
	vm->vmpl = 2;
	vm->efer = VMSA_EFER_SVME;
	vm->sev_features = rdmsr(MSR_SEV_STATUS) >> 2;
	vm->cr0 = 0x31;
	EXPECT_RAX(create(v, ca, 0), SVSM_SUCCESS,
		   "create_vcpu: a VMSA for this vCPU, never started");
	EXPECT_MSG(guest_psc(v, true),
		   "the host converts that VMSA page to shared (no vCPU runs "
		   "it: RMPUPDATE succeeds)");
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DELETE_VCPU, v),
		    SVSM_ERR_INVALID_ADDRESS,
		    "delete_vcpu: VMSA made shared behind the SVSM's back");
	HOSTILE_RAX(
		HP_CORE, call1(SVSM_CORE_DELETE_VCPU, v),
		SVSM_ERR_INVALID_ADDRESS,
		"delete_vcpu: that VMSA again (private, not validated now)");
	EXPECT_MSG(guest_psc(v, true), "the host makes it shared again");
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_DELETE_VCPU, v),
		    SVSM_ERR_INVALID_ADDRESS,
		    "delete_vcpu: that VMSA shared again");
	HOSTILE_RAX(HP_CORE, pv1(v | PV_VALIDATE), SVSM_ERR_INVALID_ADDRESS,
		    "pvalidate: the lost VMSA is still a registered VMSA");
	HOSTILE_RAX(HP_CORE, call1(SVSM_CORE_REMAP_CA, v),
		    SVSM_ERR_INVALID_ADDRESS, "remap_ca: to the lost VMSA");
	HOSTILE_RAX(HP_CORE, create(v, ca, 0), SVSM_ERR_INVALID_ADDRESS,
		    "create_vcpu: the lost VMSA again");
	HOSTILE_RAX(HP_CORE, create(gpa_of(&vmsa_page), v, 0),
		    SVSM_ERR_INVALID_ADDRESS,
		    "create_vcpu: the lost VMSA as a calling area");
	for (unsigned t = 0; t < 2; t++) {
		memset(&c, 0, sizeof(c));
		c.rax = CORE(SVSM_CORE_QUERY_PROTOCOL);
		c.rcx = SVSM_QUERY_PROTOCOL_ARG(0, 1);
		EXPECT_MSG(gcall(t == 0 ? GT_MSR : GT_GHCB, &c) &&
				   c.rax == SVSM_SUCCESS &&
				   c.rcx == ((UINT64_C(1) << 32) | 1) &&
				   gcall_preserved(&c),
			   "the SVSM still serves calls (both transports)");
	}
	EXPECT_RAX(pv1(gpa_of(sh_page) | PV_IGNCF), SVSM_SUCCESS,
		   "pvalidate: an ordinary page still works (rescind)");
	EXPECT_RAX(pv1(gpa_of(sh_page) | PV_VALIDATE | PV_IGNCF), SVSM_SUCCESS,
		   "pvalidate: an ordinary page still works (validate)");
}
