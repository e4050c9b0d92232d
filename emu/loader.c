// SPDX-License-Identifier: MIT
/*
 * Loading what runs at VMPL0. For now only the test-payload format
 * (payload.h) from the first PVH module (QEMU -initrd): the pages are
 * copied into guest RAM and made assigned + validated like
 * SNP_LAUNCH_UPDATE, and snpemu builds the VMPL0 VMSA itself. Loading
 * svsm.igvm (docs/architecture.md §4 loader.c) and measuring the launch digest
 * are NOT done yet.
 */
#include "loader.h"

#include "arch/vmsa_reset.h"

#include "lib/console.h"
#include "lib/string.h"

#include "machine.h"
#include "payload.h"
#include "psp.h"

/* VMPL0's VMSA and the secrets page: the last two pages of guest RAM
 * (model: an IGVM file would say where; the payload format does not). */
#define VMSA0_GPA (EMU_GUEST_RAM_SIZE - PAGE_SIZE)
#define SECRETS_GPA (EMU_GUEST_RAM_SIZE - 2 * PAGE_SIZE)

static void init_vmsa64(struct snp_vmsa *v, const struct emu_payload_hdr *h,
			uint64_t arg)
{
	vmsa_reset_state(v, 0, SEV_FEAT_SNP_ACTIVE);
	vmsa_long_mode(v, 0x08, 0x10, h->cr3);
	/* The payload runs with SSE and XSAVE on, as a VMM leaves it. */
	v->cr4 |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_OSXSAVE;
	v->tr.attrib = VMSA_SEG_TSS;
	v->tr.limit = 0x67;
	/* FNINIT's x87 state (KVM's too), not Linux's AP defaults. */
	v->x87_fcw = VMSA_FNINIT_X87_FCW;
	v->x87_ftw = 0;
	v->rip = h->entry;
	v->rsp = h->stack_top;
	v->rdi = arg;
	v->rsi = SECRETS_GPA;
	v->rdx = VMSA0_GPA;
}

int loader_payload(struct machine *m, const void *image, uint64_t size,
		   uint64_t arg)
{
	struct emu_payload_hdr h;
	struct rmp_entry *e = NULL;

	if (size < sizeof(h)) {
		con_printf("snpemu: payload too small\n");
		return -1;
	}
	memcpy(&h, image, sizeof(h));
	if (h.magic != EMU_PAYLOAD_MAGIC || (h.load_gpa & (PAGE_SIZE - 1)) ||
	    h.file_size > size || h.file_size < sizeof(h) ||
	    h.mem_size < h.file_size || h.load_gpa >= SECRETS_GPA ||
	    h.mem_size > SECRETS_GPA - h.load_gpa) {
		con_printf("snpemu: bad payload header\n");
		return -1;
	}
	memcpy(emu_hva(h.load_gpa), image, h.file_size);
	memset((uint8_t *)emu_hva(h.load_gpa) + h.file_size, 0,
	       h.mem_size - h.file_size);
	for (uint64_t off = 0; off < h.mem_size; off += PAGE_SIZE) {
		(void)rmp_launch_page(&m->rmp, h.load_gpa + off);
	}
	(void)rmp_launch_page(&m->rmp, SECRETS_GPA);
	psp_build_secrets(emu_hva(SECRETS_GPA));
	psp_launch_start();
	emu_psp.guest.policy = 0x30000;
	(void)rmp_launch_page(&m->rmp, VMSA0_GPA);
	e = rmp_entry_at(&m->rmp, VMSA0_GPA);
	e->flags |= RMP_F_VMSA;
	init_vmsa64(emu_hva(VMSA0_GPA), &h, arg);
	if (vmpl_create(m, m->cpu, 0, VMSA0_GPA) != 0) {
		con_printf("snpemu: VMPL0 VMSA refused\n");
		return -1;
	}
	m->cpu->cur = 0;
	con_printf(
		"snpemu: payload %llu KiB at GPA 0x%llx, VMPL0 entry "
		"0x%llx\n",
		(unsigned long long)(h.mem_size >> 10),
		(unsigned long long)h.load_gpa, (unsigned long long)h.entry);
	return 0;
}
