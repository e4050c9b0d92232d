// SPDX-License-Identifier: MIT
/*
 * Exception delivery into the running VMPL, done in software.
 *
 * QEMU's TCG ignores EVENTINJ's "error code valid" bit and decides from a
 * fixed vector list whether to push an error code, so an injected #VC
 * (vector 29) would arrive without one (docs/architecture.md §4, "The bug that
 * matters"). snpemu therefore does what the CPU does on an interrupt-gate
 * delivery in long mode (APM vol. 2 §8.9.3): read the IDT gate, pick the
 * stack (IST, or RSP0 on a privilege change), align it to 16 bytes, push
 * SS, RSP, RFLAGS, CS, RIP and the error code, clear TF/NT/RF (and IF for
 * an interrupt gate) and continue at the handler. Every guest memory
 * access goes through the VMPL's own RMP view.
 *
 * The descriptor-table reads and the frame push are implicit supervisor
 * accesses (APM vol. 2 §5.6.1; Intel SDM vol. 3A §4.6 "implicit
 * supervisor-mode accesses"), also when the exception interrupts CPL 3:
 * the user/supervisor page check must not fail them.
 *
 * In 32-bit protected mode (Linux's startup_32, OVMF's SEC phase take #VC
 * there) the IDT holds 8-byte gates and the frame is EFLAGS, CS, EIP and
 * the error code in 32-bit slots (APM vol. 2 §8.7). snpemu models the
 * same-privilege case at CPL 0 with paging off, which is what those boot
 * paths are; a privilege change or legacy paging stops the VM.
 */
#include "lib/string.h"

#include "inject.h"
#include "machine.h"

#define RFLAGS_TF (UINT64_C(1) << 8)
#define RFLAGS_IF (UINT64_C(1) << 9)
#define RFLAGS_NT (UINT64_C(1) << 14)
#define RFLAGS_RF (UINT64_C(1) << 16)
#define RFLAGS_VM (UINT64_C(1) << 17)
#define X86_VEC_GP_EMU 13

static bool delivering;

static __noreturn void bad_delivery(struct machine *m, unsigned vector,
				    const char *why)
{
	emu_stop(m, "VMPL%u RIP 0x%llx: cannot deliver exception %u: %s",
		 m->cpu->cur, (unsigned long long)emu_save(m)->rip, vector,
		 why);
}

static void read_sys(struct machine *m, unsigned vector, uint64_t gva,
		     void *dst, uint32_t len)
{
	if (!gmem_read(m, gva, dst, len, GACC_READ)) {
		bad_delivery(m, vector, "descriptor tables not mapped");
	}
}

static uint32_t desc_base(uint64_t d)
{
	return (uint32_t)(((d >> 16) & 0xffffff) | ((d >> 32) & 0xff000000));
}

static void deliver32(struct machine *m, unsigned vector, bool has_err,
		      uint64_t err)
{
	struct snp_vmsa *s = emu_save(m);
	uint8_t gate[8];
	uint64_t desc = 0;
	uint32_t frame[4], esp = (uint32_t)s->rsp, handler = 0, limit = 0;
	unsigned type = 0, dpl = 0, n = 0;
	uint16_t sel = 0;

	if (s->cr0 & CR0_PG) {
		bad_delivery(m, vector, "32-bit paging is not modelled");
	}
	if ((uint64_t)vector * 8 + 7 > s->idtr.limit) {
		bad_delivery(m, vector, "beyond the IDT limit");
	}
	read_sys(m, vector, (uint32_t)(s->idtr.base + vector * 8), gate, 8);
	type = gate[5] & 0x1f; /* S bit must be 0: a system gate */
	if (!(gate[5] & 0x80) || (type != 0xe && type != 0xf)) {
		bad_delivery(m, vector,
			     "IDT gate not present or not a 32-bit gate");
	}
	handler = (uint32_t)(gate[0] | (gate[1] << 8) | (gate[6] << 16) |
			     ((uint32_t)gate[7] << 24));
	sel = (uint16_t)(gate[2] | (gate[3] << 8));
	if ((sel & ~7u) == 0 || (uint64_t)(sel & ~7u) + 7 > s->gdtr.limit) {
		bad_delivery(m, vector, "bad handler code selector");
	}
	read_sys(m, vector, (uint32_t)(s->gdtr.base + (sel & ~7u)), &desc, 8);
	/* Present, code, 32-bit (D). */
	if (!(desc & (UINT64_C(1) << 47)) || !(desc & (UINT64_C(1) << 43)) ||
	    !(desc & (UINT64_C(1) << 54))) {
		bad_delivery(m, vector, "handler segment is not 32-bit code");
	}
	dpl = (unsigned)(desc >> 45) & 3;
	if (dpl != s->cpl) {
		bad_delivery(m, vector,
			     "32-bit privilege change is not modelled");
	}
	frame[n++] = (uint32_t)s->rflags;
	frame[n++] = s->cs.selector;
	frame[n++] = (uint32_t)s->rip;
	if (has_err) {
		frame[n++] = (uint32_t)err;
	}
	for (unsigned i = 0; i < n; i++) {
		esp -= 4;
		if (!gmem_write(m, (uint32_t)(s->ss.base + esp), &frame[i],
				4)) {
			bad_delivery(m, vector, "exception stack not mapped");
		}
	}
	limit = (uint32_t)((desc & 0xffff) | ((desc >> 32) & 0xf0000));
	if (desc & (UINT64_C(1) << 55)) {
		limit = (limit << 12) | 0xfff;
	}
	s->cs.selector = (uint16_t)((sel & ~3u) | dpl);
	s->cs.attrib =
		(uint16_t)(((desc >> 40) & 0xff) | (((desc >> 52) & 0xf) << 8));
	s->cs.base = desc_base(desc);
	s->cs.limit = limit;
	s->rsp = (s->rsp & ~UINT64_C(0xffffffff)) | esp;
	s->rip = handler;
	s->rflags &= ~(RFLAGS_TF | RFLAGS_NT | RFLAGS_RF | RFLAGS_VM);
	if (type == 0xe) {
		s->rflags &= ~RFLAGS_IF;
	}
}

void vc_deliver(struct machine *m, unsigned vector, bool has_err, uint64_t err)
{
	struct snp_vmsa *s = emu_save(m);
	uint8_t gate[16];
	uint64_t desc = 0, handler = 0, rsp = 0, frame[6];
	unsigned ist = 0, type = 0, dpl = 0, n = 0;
	uint16_t sel = 0;

	if (delivering) {
		bad_delivery(m, vector, "fault while delivering (#DF)");
	}
	if (!(s->cr0 & 1)) {
		bad_delivery(m, vector, "guest in real mode");
	}
	delivering = true;
	m->cpu->implicit_sv = true;
	if (!(s->efer & EFER_LMA)) {
		deliver32(m, vector, has_err, err);
		m->cpu->implicit_sv = false;
		delivering = false;
		return;
	}
	if ((uint64_t)vector * 16 + 15 > s->idtr.limit) {
		if (vector == X86_VEC_GP_EMU || vector == 8) {
			bad_delivery(m, vector, "beyond the IDT limit");
		}
		/* #GP with the vector's IDT selector, IDT and EXT set (APM
		 * vol. 2 §8.4.1): what an injected interrupt the guest's IDT
		 * does not cover becomes. */
		m->cpu->implicit_sv = false;
		delivering = false;
		vc_deliver(m, X86_VEC_GP_EMU, true,
			   ((uint64_t)vector << 3) | 3);
		return;
	}
	read_sys(m, vector, s->idtr.base + vector * 16, gate, sizeof(gate));
	type = gate[5] & 0xf;
	if (!(gate[5] & 0x80) || (type != 0xe && type != 0xf)) {
		bad_delivery(m, vector, "IDT gate not present or not a gate");
	}
	handler = (uint64_t)(gate[0] | (gate[1] << 8)) |
		  ((uint64_t)(gate[6] | (gate[7] << 8)) << 16) |
		  ((uint64_t)(gate[8] | (gate[9] << 8) | (gate[10] << 16) |
			      ((uint32_t)gate[11] << 24))
		   << 32);
	sel = (uint16_t)(gate[2] | (gate[3] << 8));
	ist = gate[4] & 7;
	if ((sel & ~7u) == 0 || (uint64_t)(sel & ~7u) + 7 > s->gdtr.limit) {
		bad_delivery(m, vector, "bad handler code selector");
	}
	read_sys(m, vector, s->gdtr.base + (sel & ~7u), &desc, 8);
	/* Present, code, 64-bit (L). */
	if (!(desc & (UINT64_C(1) << 47)) || !(desc & (UINT64_C(1) << 43)) ||
	    !(desc & (UINT64_C(1) << 53))) {
		bad_delivery(m, vector, "handler segment is not 64-bit code");
	}
	dpl = (unsigned)(desc >> 45) & 3;
	if (dpl > s->cpl) {
		bad_delivery(m, vector, "handler DPL above CPL");
	}
	if (ist != 0) {
		read_sys(m, vector, s->tr.base + 0x24 + (ist - 1) * 8, &rsp, 8);
	} else if (dpl < s->cpl) {
		read_sys(m, vector, s->tr.base + 4 + dpl * 8, &rsp, 8);
	} else {
		rsp = s->rsp;
	}
	rsp &= ~UINT64_C(0xf);

	/* Frame from the top: SS, RSP, RFLAGS, CS, RIP[, error code]. */
	frame[n++] = s->ss.selector;
	frame[n++] = s->rsp;
	frame[n++] = s->rflags;
	frame[n++] = s->cs.selector;
	frame[n++] = s->rip;
	if (has_err) {
		frame[n++] = err;
	}
	for (unsigned i = 0; i < n; i++) {
		rsp -= 8;
		if (!gmem_write(m, rsp, &frame[i], 8)) {
			bad_delivery(m, vector, "exception stack not mapped");
		}
	}
	if (dpl != s->cpl) {
		/* Privilege change: SS becomes a NULL selector (RPL = CPL). */
		s->ss.selector = (uint16_t)dpl;
		s->ss.attrib = 0;
		s->ss.base = 0;
		s->ss.limit = 0;
	}
	s->cs.selector = (uint16_t)((sel & ~3u) | dpl);
	s->cs.attrib =
		(uint16_t)(((desc >> 40) & 0xff) | (((desc >> 52) & 0xf) << 8));
	s->cs.base = 0;
	s->cs.limit = 0xffffffff;
	s->cpl = (uint8_t)dpl;
	s->rsp = rsp;
	s->rip = handler;
	s->rflags &= ~(RFLAGS_TF | RFLAGS_NT | RFLAGS_RF | RFLAGS_VM);
	if (type == 0xe) {
		s->rflags &= ~RFLAGS_IF;
	}
	m->cpu->implicit_sv = false;
	delivering = false;
}

void vc_raise(struct machine *m, uint64_t exit_code)
{
	vc_deliver(m, 29, true, exit_code);
	if (m->cpu->cur == 0) {
		inject_after_vc(m, exit_code);
	}
}
