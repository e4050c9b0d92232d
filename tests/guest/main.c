// SPDX-License-Identifier: MIT
/*
 * The VMPL2 test guest (docs/architecture.md §7 "emu" suite). It finds the SVSM
 * the way Linux does (secrets page: svsm_size != 0, svsm_guest_vmpl, svsm_caa;
 * the SVSM passes the secrets page GPA in RSI, src/launch.c), sets up its GHCB
 * (rescind through the SVSM's PVALIDATE, page-state change, register),
 * runs its TEST() cases with the in-image runner (lib/test.c) printing TAP
 * on COM1 through GHCB IOIO, and ends the VM with a GHCB termination
 * request: reason set 4, code 0 = all passed, 1 = failures (or no case
 * matched the filter), 2+ = setup failed.
 *
 * The filter is test= of the in-image tests ("suite" or "suite/name"), read
 * from the fw_cfg file opt/test-guest/filter (QEMU -fw_cfg
 * name=opt/test-guest/filter,string=pvalidate); without it every case runs.
 *
 * Cases run in link order (tests/guest/meson.build): tests_core.c (calling
 * convention, dispatch, simple core calls), tests_pvalidate.c,
 * tests_ca_vcpu.c (REMAP_CA, CREATE/DELETE_VCPU and DEPOSIT_MEM refusals),
 * tests_attest.c (the attestation protocol), tests_vtpm.c (the vTPM
 * protocol through libtpms), tests_hostile.c and tests_hostile_proto.c
 * (hostile-guest tables, counted per protocol: docs/architecture.md §7.1),
 * tests_lifecycle.c (DEPOSIT/WITHDRAW_MEM and CREATE/DELETE_VCPU round trips;
 * last because it creates VMSAs for the calling vCPU), tests_hostile_end.c
 * (hidden: run alone by tests/emu/test_hostile_end.py). Each case sets up
 * what it needs, so any one runs alone.
 */
#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/fw_cfg.h"
#include "lib/string.h"
#include "lib/test.h"

#include "svsm/abi/ghcb.h"
#include "svsm/abi/snp.h"

#include "guest.h"

#define GUEST_TERM_SET 4
#define SHARED_ALIAS (UINT64_C(1) << 39) /* entry.S: PML4[1] */
#define FILTER_FILE "opt/test-guest/filter"
#define FILTER_MAX 64

void guest_main(uint64_t secrets_gpa, uint64_t cpuid_gpa, uint32_t cbit);

static uint8_t ghcb_page[4096] __attribute__((aligned(4096)));
struct ghcb *guest_ghcb_shared;
uint64_t guest_ghcb_gpa;

__attribute__((noreturn)) static void guest_terminate(uint32_t code)
{
	for (;;) {
		wrmsr(MSR_GHCB, GHCB_MSR_TERM(GUEST_TERM_SET, code));
		__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xd9" ::: "memory");
	}
}

static uint64_t msr_proto(uint64_t req)
{
	uint64_t saved = rdmsr(MSR_GHCB);
	uint64_t resp = 0;

	wrmsr(MSR_GHCB, req);
	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xd9" ::: "memory");
	resp = rdmsr(MSR_GHCB);
	wrmsr(MSR_GHCB, saved);
	return resp;
}

/* One port access through the GHCB (IOIO event); returns what IN read. */
static uint32_t ghcb_io(uint16_t port, uint32_t size, bool in, uint32_t v)
{
	struct ghcb *gh = guest_ghcb_shared;
	uint64_t info = ((uint64_t)port << IOIO_PORT_SHIFT) | size | (1u << 9) |
			(in ? IOIO_TYPE_IN : 0);

	memset(gh, 0, sizeof(*gh));
	gh->rax = v;
	gh->sw_exit_code = SVM_EXIT_IOIO;
	gh->sw_exit_info_1 = info;
	gh->sw_exit_info_2 = 0;
	gh->valid_bitmap[GHCB_BITMAP_IDX(rax) / 8] |=
		(uint8_t)(1u << (GHCB_BITMAP_IDX(rax) % 8));
	gh->valid_bitmap[GHCB_BITMAP_IDX(sw_exit_code) / 8] |=
		(uint8_t)(1u << (GHCB_BITMAP_IDX(sw_exit_code) % 8));
	gh->valid_bitmap[GHCB_BITMAP_IDX(sw_exit_info_1) / 8] |=
		(uint8_t)(1u << (GHCB_BITMAP_IDX(sw_exit_info_1) % 8));
	gh->valid_bitmap[GHCB_BITMAP_IDX(sw_exit_info_2) / 8] |=
		(uint8_t)(1u << (GHCB_BITMAP_IDX(sw_exit_info_2) % 8));
	gh->protocol_version = 2;
	wrmsr(MSR_GHCB, guest_ghcb_gpa);
	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xd9" ::: "memory");
	return (uint32_t)gh->rax;
}

static void ghcb_out8(uint16_t port, uint8_t v)
{
	(void)ghcb_io(port, IOIO_SZ8, false, v);
}

/* lib/fw_cfg.h's ports, through the GHCB: snpemu passes 0x510/0x511
 * (emu/ioport.c). */
void fw_cfg_port_select(uint16_t sel)
{
	(void)ghcb_io(FW_CFG_PORT_SEL, IOIO_SZ16, false, sel);
}

void fw_cfg_port_read(void *buf, uint32_t len)
{
	uint8_t *p = buf;

	for (uint32_t i = 0; i < len; i++) {
		p[i] = (uint8_t)ghcb_io(FW_CFG_PORT_DATA, IOIO_SZ8, true, 0);
	}
}

/* The case filter from fw_cfg (see the top of this file); "" = all. */
static void read_filter(char *out, uint32_t len)
{
	uint16_t sel = 0;
	uint32_t size = 0;

	out[0] = '\0';
	if (!fw_cfg_find(FILTER_FILE, &sel, &size)) {
		return;
	}
	size = size < len - 1 ? size : len - 1;
	fw_cfg_read(sel, out, size);
	/* string= files may end in a NUL or a newline. */
	while (size > 0 && (out[size - 1] == '\n' || out[size - 1] == '\0')) {
		size--;
	}
	out[size] = '\0';
}

static void con_sink(void *ctx, const char *buf, uint32_t len)
{
	(void)ctx;
	for (uint32_t i = 0; i < len; i++) {
		ghcb_out8(0x3f8, (uint8_t)buf[i]);
	}
}

void guest_expect_rax(struct test_ctx *t, const char *file, int line,
		      uint64_t got, uint64_t want, const char *what)
{
	t->checks++;
	if (got != want) {
		test_fail(t, file, line, "%s: RAX 0x%llx, expected 0x%llx",
			  what, (unsigned long long)got,
			  (unsigned long long)want);
	}
}

bool guest_psc(uint64_t gpa, bool shared)
{
	uint64_t resp = msr_proto(
		GHCB_MSR_PSC(gpa >> 12, shared ? GHCB_MSR_PSC_OP_SHARED
					       : GHCB_MSR_PSC_OP_PRIVATE));

	return (resp & 0xfff) == GHCB_MSR_PSC_RESP && (resp >> 32) == 0;
}

/* GHCB: the page must be shared. At VMPL2 the guest cannot PVALIDATE, so
 * it asks the SVSM to rescind (docs/abi.md §1.5, as Linux does), then converts
 * the page with the MSR protocol and registers it. */
static bool ghcb_setup(void)
{
	uint64_t gpa = (uint64_t)(uintptr_t)ghcb_page;
	struct svsm_pvalidate_hdr *h = (void *)g.caa->svsm_buffer;
	uint64_t *e = (uint64_t *)(h + 1);
	uint64_t resp = 0;

	h->entries = 1;
	h->next = 0;
	h->reserved = 0;
	e[0] = gpa; /* 4K, rescind */
	if (gcall3(SVSM_CALL(SVSM_PROTO_CORE, SVSM_CORE_PVALIDATE),
		   (uint64_t)(uintptr_t)h, 0, 0) != SVSM_SUCCESS) {
		return false;
	}
	resp = msr_proto(GHCB_MSR_PSC(gpa >> 12, GHCB_MSR_PSC_OP_SHARED));
	if ((resp & 0xfff) != GHCB_MSR_PSC_RESP || (resp >> 32) != 0) {
		return false;
	}
	resp = msr_proto(gpa | GHCB_MSR_REG_GPA_REQ);
	if (resp != (gpa | GHCB_MSR_REG_GPA_RESP)) {
		return false;
	}
	guest_ghcb_gpa = gpa;
	guest_ghcb_shared = (struct ghcb *)(uintptr_t)(gpa + SHARED_ALIAS);
	memset(guest_ghcb_shared, 0, 4096);
	return true;
}

void guest_main(uint64_t secrets_gpa, uint64_t cpuid_gpa, uint32_t cbit)
{
	char filter[FILTER_MAX];
	int rc = 0;

	(void)cpuid_gpa;
	g.secrets = (struct snp_secrets_page *)(uintptr_t)secrets_gpa;
	g.cbit = cbit;
	/* The checks Linux makes before it trusts the SVSM (docs/abi.md §2.5).
	 */
	if (g.secrets->svsm_size == 0 || g.secrets->svsm_guest_vmpl != 2 ||
	    (g.secrets->svsm_caa & 0xfff) != 0 || g.secrets->svsm_caa == 0) {
		guest_terminate(2);
	}
	g.svsm_base = g.secrets->svsm_base;
	g.svsm_size = g.secrets->svsm_size;
	g.caa = (struct svsm_caa *)(uintptr_t)g.secrets->svsm_caa;
	if (!ghcb_setup()) {
		guest_terminate(3);
	}
	con_set_sink(con_sink, NULL);
	con_printf("# test guest at VMPL2: SVSM [%llx, +%llx), CAA %llx\n",
		   (unsigned long long)g.svsm_base,
		   (unsigned long long)g.svsm_size,
		   (unsigned long long)g.secrets->svsm_caa);
	read_filter(filter, sizeof(filter));
	rc = test_run(filter);
	/* A run of every visible case must make issue 14's count
	 * (svsm-test-guest fails otherwise). */
	if (!guest_hostile_report(filter[0] == '\0' ||
				  strcmp(filter, "*") == 0)) {
		rc = 1;
	}
	guest_terminate(rc == 0 ? 0 : 1);
}

/* The console's GHCB is the page ghcb_setup() registered: every TAP line
 * went through it, and the MSR still names it after the IOIO exits. */
TEST(guest, ghcb_registered)
{
	EXPECT_MSG(guest_ghcb_gpa == (uint64_t)(uintptr_t)ghcb_page &&
			   rdmsr(MSR_GHCB) == guest_ghcb_gpa,
		   "ghcb set up through SVSM PVALIDATE rescind");
}
