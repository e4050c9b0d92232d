/* SPDX-License-Identifier: MIT */
/*
 * SNP VMSA page encoding (APM vol. 2 table B-4). Freestanding.
 */
#include "igvm/vmsa.h"

#include "svsm/abi/vmsa.h"

#include "igvm/defs.h"

static void put(uint8_t *p, uint32_t off, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++) {
		p[off + i] = (uint8_t)(v >> (8 * i));
	}
}

static uint64_t get(const uint8_t *p, uint32_t off, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++) {
		v |= (uint64_t)p[off + i] << (8 * i);
	}
	return v;
}

/* Segment registers es..tr are ten 16-byte records from offset 0. */
static struct igvm_vmsa_seg *seg_at(struct igvm_vmsa_regs *r, unsigned int i)
{
	struct igvm_vmsa_seg *segs[10] = {&r->es,   &r->cs, &r->ss,   &r->ds,
					  &r->fs,   &r->gs, &r->gdtr, &r->ldtr,
					  &r->idtr, &r->tr};

	return segs[i];
}

/* Offsets of the modelled scalar fields, with their widths. */
struct field {
	uint32_t off;
	unsigned int bytes;
	size_t member;
};

#define F(name, off, bytes)                                             \
	{                                                               \
		(off), (bytes),                                         \
			__builtin_offsetof(struct igvm_vmsa_regs, name) \
	}

static const struct field fields[] = {
	F(vmpl, IGVM_VMSA_OFF_VMPL, 1),
	F(cpl, IGVM_VMSA_OFF_CPL, 1),
	F(efer, IGVM_VMSA_OFF_EFER, 8),
	F(cr4, IGVM_VMSA_OFF_CR4, 8),
	F(cr3, IGVM_VMSA_OFF_CR3, 8),
	F(cr0, IGVM_VMSA_OFF_CR0, 8),
	F(dr7, IGVM_VMSA_OFF_DR7, 8),
	F(dr6, IGVM_VMSA_OFF_DR6, 8),
	F(rflags, IGVM_VMSA_OFF_RFLAGS, 8),
	F(rip, IGVM_VMSA_OFF_RIP, 8),
	F(rsp, IGVM_VMSA_OFF_RSP, 8),
	F(rax, IGVM_VMSA_OFF_RAX, 8),
	F(g_pat, IGVM_VMSA_OFF_G_PAT, 8),
	F(rcx, IGVM_VMSA_OFF_RCX, 8),
	F(rdx, IGVM_VMSA_OFF_RDX, 8),
	F(rbx, IGVM_VMSA_OFF_RBX, 8),
	F(rbp, IGVM_VMSA_OFF_RBP, 8),
	F(rsi, IGVM_VMSA_OFF_RSI, 8),
	F(rdi, IGVM_VMSA_OFF_RDI, 8),
	F(sev_features, IGVM_VMSA_OFF_SEV_FEATURES, 8),
	F(virtual_tom, IGVM_VMSA_OFF_VIRTUAL_TOM, 8),
	F(xcr0, IGVM_VMSA_OFF_XCR0, 8),
	F(mxcsr, IGVM_VMSA_OFF_MXCSR, 4),
	F(x87_fcw, IGVM_VMSA_OFF_X87_FCW, 2),
};

static uint64_t load_member(const struct igvm_vmsa_regs *r,
			    const struct field *f)
{
	const uint8_t *p = (const uint8_t *)r + f->member;

	switch (f->bytes) {
	case 1:
		return *p;
	case 2:
		return *(const uint16_t *)(const void *)p;
	case 4:
		return *(const uint32_t *)(const void *)p;
	default:
		return *(const uint64_t *)(const void *)p;
	}
}

static void store_member(struct igvm_vmsa_regs *r, const struct field *f,
			 uint64_t v)
{
	uint8_t *p = (uint8_t *)r + f->member;

	switch (f->bytes) {
	case 1:
		*p = (uint8_t)v;
		break;
	case 2:
		*(uint16_t *)(void *)p = (uint16_t)v;
		break;
	case 4:
		*(uint32_t *)(void *)p = (uint32_t)v;
		break;
	default:
		*(uint64_t *)(void *)p = v;
		break;
	}
}

void igvm_vmsa_write(uint8_t *page, const struct igvm_vmsa_regs *r)
{
	struct igvm_vmsa_regs copy = *r;

	for (uint32_t i = 0; i < IGVM_PAGE_SIZE; i++) {
		page[i] = 0;
	}
	for (unsigned int i = 0; i < 10; i++) {
		const struct igvm_vmsa_seg *s = seg_at(&copy, i);

		put(page, i * 16, s->selector, 2);
		put(page, i * 16 + 2, s->attrib, 2);
		put(page, i * 16 + 4, s->limit, 4);
		put(page, i * 16 + 8, s->base, 8);
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		put(page, fields[i].off, load_member(r, &fields[i]),
		    fields[i].bytes);
	}
}

bool igvm_vmsa_read(const uint8_t *page, struct igvm_vmsa_regs *r)
{
	uint8_t known[IGVM_PAGE_SIZE / 8] = {0}; /* one bit per byte */
	bool clean = true;

	for (unsigned int i = 0; i < 10; i++) {
		struct igvm_vmsa_seg *s = seg_at(r, i);

		s->selector = (uint16_t)get(page, i * 16, 2);
		s->attrib = (uint16_t)get(page, i * 16 + 2, 2);
		s->limit = (uint32_t)get(page, i * 16 + 4, 4);
		s->base = get(page, i * 16 + 8, 8);
	}
	for (uint32_t b = 0; b < 160; b++) {
		known[b / 8] |= (uint8_t)(1u << (b % 8));
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		store_member(r, &fields[i],
			     get(page, fields[i].off, fields[i].bytes));
		for (uint32_t b = 0; b < fields[i].bytes; b++) {
			uint32_t at = fields[i].off + b;

			known[at / 8] |= (uint8_t)(1u << (at % 8));
		}
	}
	for (uint32_t b = 0; b < IGVM_PAGE_SIZE; b++) {
		if (page[b] != 0 && !(known[b / 8] & (1u << (b % 8)))) {
			clean = false;
		}
	}
	return clean;
}

void igvm_vmsa_reset(struct igvm_vmsa_regs *r, uint64_t sev_features)
{
	const struct igvm_vmsa_seg data = {0, VMSA_SEG_DATA16, VMSA_RESET_LIMIT,
					   0};
	struct igvm_vmsa_regs z = {0};

	*r = z;
	r->es = data;
	r->cs = (struct igvm_vmsa_seg){VMSA_RESET_CS_SELECTOR, VMSA_SEG_CODE16,
				       VMSA_RESET_LIMIT, VMSA_RESET_CS_BASE};
	r->ss = data;
	r->ds = data;
	r->fs = data;
	r->gs = data;
	r->gdtr = (struct igvm_vmsa_seg){0, 0, VMSA_RESET_LIMIT, 0};
	r->idtr = (struct igvm_vmsa_seg){0, 0, VMSA_RESET_LIMIT, 0};
	r->ldtr = (struct igvm_vmsa_seg){0, VMSA_SEG_LDT, VMSA_RESET_LIMIT, 0};
	r->tr = (struct igvm_vmsa_seg){0, VMSA_SEG_TSS, VMSA_RESET_LIMIT, 0};
	r->efer = VMSA_EFER_SVME;
	r->cr4 = X86_CR4_MCE;
	r->cr0 = X86_CR0_ET;
	r->dr7 = VMSA_RESET_DR7;
	r->dr6 = VMSA_RESET_DR6;
	r->rflags = VMSA_RESET_RFLAGS;
	r->rip = VMSA_RESET_RIP;
	r->g_pat = VMSA_RESET_G_PAT;
	r->sev_features = sev_features;
	r->xcr0 = VMSA_RESET_XCR0;
	r->mxcsr = VMSA_RESET_MXCSR;
	r->x87_fcw = VMSA_FNINIT_X87_FCW;
}

void igvm_vmsa_kvm_ap_reset(struct igvm_vmsa_regs *r, uint64_t sev_features,
			    uint32_t vcpu_sig)
{
	igvm_vmsa_reset(r, sev_features);
	r->rdx = vcpu_sig; /* the CPUID signature, as after RESET */
}
