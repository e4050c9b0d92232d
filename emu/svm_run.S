/* SPDX-License-Identifier: MIT */
/*
 * void svm_vmrun(uint64_t vmcb_pa, struct emu_gprs *g, uint64_t host_pa)
 *
 * VMRUN switches RAX, RSP and RIP through the VMCB (APM vol. 2 §15.5); the
 * other GPRs are the guest's only while it runs, so they are loaded from
 * and stored to *g here. VMLOAD/VMSAVE move the state VMRUN leaves alone
 * (FS, GS, TR, LDTR, syscall MSRs); snpemu's own TR must come back before
 * any exception can hit snpemu, hence the final VMLOAD of host_pa.
 */
#define G_RBX 0
#define G_RCX 8
#define G_RDX 16
#define G_RSI 24
#define G_RDI 32
#define G_RBP 40
#define G_R8 48
#define G_R9 56
#define G_R10 64
#define G_R11 72
#define G_R12 80
#define G_R13 88
#define G_R14 96
#define G_R15 104

	.text
	.code64
	.globl svm_vmrun
svm_vmrun:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdx			/* 16(%rsp): host_pa */
	push %rsi			/* 8(%rsp): g */
	push %rdi			/* 0(%rsp): vmcb_pa */
	mov %rdi, %rax
	mov G_RBX(%rsi), %rbx
	mov G_RCX(%rsi), %rcx
	mov G_RDX(%rsi), %rdx
	mov G_RDI(%rsi), %rdi
	mov G_RBP(%rsi), %rbp
	mov G_R8(%rsi), %r8
	mov G_R9(%rsi), %r9
	mov G_R10(%rsi), %r10
	mov G_R11(%rsi), %r11
	mov G_R12(%rsi), %r12
	mov G_R13(%rsi), %r13
	mov G_R14(%rsi), %r14
	mov G_R15(%rsi), %r15
	mov G_RSI(%rsi), %rsi
	/* snpemu's interrupts stay pending (GIF=0) until the guest runs,
	 * then force #VMEXIT(INTR) (irq.c): IF=1 at VMRUN is what lets a
	 * physical interrupt in under V_INTR_MASKING. */
	clgi
	sti
	vmload %rax
	vmrun %rax
	vmsave %rax			/* #VMEXIT restored RAX = vmcb_pa */
	cli
	push %rsi			/* guest RSI; g is now at 16(%rsp) */
	mov 16(%rsp), %rsi
	mov %rbx, G_RBX(%rsi)
	mov %rcx, G_RCX(%rsi)
	mov %rdx, G_RDX(%rsi)
	mov %rdi, G_RDI(%rsi)
	mov %rbp, G_RBP(%rsi)
	mov %r8, G_R8(%rsi)
	mov %r9, G_R9(%rsi)
	mov %r10, G_R10(%rsi)
	mov %r11, G_R11(%rsi)
	mov %r12, G_R12(%rsi)
	mov %r13, G_R13(%rsi)
	mov %r14, G_R14(%rsi)
	mov %r15, G_R15(%rsi)
	pop %rbx
	mov %rbx, G_RSI(%rsi)
	mov 16(%rsp), %rax
	vmload %rax
	/* GIF=1 only now: until this VMLOAD the guest's TR, FS and GS are
	 * loaded, and an NMI or #MC taken there would read its IST stack
	 * from the guest's TSS (a triple fault of this L1 CPU). KVM does the
	 * same: arch/x86/kvm/svm/svm.c, svm_vcpu_run, stgi() after the
	 * host's state is back. */
	stgi
	add $24, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

	.section .note.GNU-stack,"",@progbits
