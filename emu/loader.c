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
	static const struct vmsa_seg data = {
		.selector = 0x10, .attrib = SEG_ATTR_DATA, .limit = 0xffffffff};

	memset(v, 0, sizeof(*v));
	v->cs = (struct vmsa_seg){.selector = 0x08,
				  .attrib = SEG_ATTR_CODE64,
				  .limit = 0xffffffff};
	v->ss = data;
	v->ds = data;
	v->es = data;
	v->fs = data;
	v->gs = data;
	v->tr = (struct vmsa_seg){.attrib = SEG_ATTR_TSS, .limit = 0x67};
	v->ldtr = (struct vmsa_seg){.attrib = SEG_ATTR_LDT, .limit = 0xffff};
	v->gdtr.limit = 0xffff;
	v->idtr.limit = 0xffff;
	/* PE MP ET NE WP PG; PAE OSFXSR OSXMMEXCPT OSXSAVE; LME LMA NXE. */
	v->cr0 = 0x80050033;
	v->cr4 = 0x40620;
	v->cr3 = h->cr3;
	v->efer = 0x0d00 | VMSA_EFER_SVME;
	v->rflags = 2;
	v->rip = h->entry;
	v->rsp = h->stack_top;
	v->rdi = arg;
	v->rsi = SECRETS_GPA;
	v->rdx = VMSA0_GPA;
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->g_pat = UINT64_C(0x0007040600070406);
	v->xcr0 = 1;
	v->mxcsr = 0x1f80; /* reset values (APM vol. 2 §11.4.4, §6.4) */
	v->x87_fcw = 0x37f;
	v->vmpl = 0;
	v->sev_features = SEV_FEAT_SNP_ACTIVE;
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
