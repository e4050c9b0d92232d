/* SPDX-License-Identifier: MIT */
/*
 * snpemu's own interrupt handlers (irq.c): its LAPIC timer only wakes it
 * (HLT) or forces a #VMEXIT(INTR); the handler counts and sends the EOI.
 * The xAPIC page is identity mapped; 0xfee000b0 is the EOI register.
 */
	.text
	.code64
	.globl emu_host_timer_isr
emu_host_timer_isr:
	pushq %rax
	incq emu_host_irqs(%rip)
	movl $0xfee000b0, %eax		/* zero-extended into RAX */
	movl $0, (%rax)
	popq %rax
	iretq

	.globl emu_host_spurious_isr
emu_host_spurious_isr:
	iretq

	.section .note.GNU-stack, "", @progbits
