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

	/* MSI of the PCI functions snpemu shows (pci.c): slot n sets bit n
	 * of emu_msi_pending for irq.c's poll, then the EOI. */
	.macro MSI_ISR n
	.globl emu_host_msi_isr\n
emu_host_msi_isr\n:
	pushq %rax
	lock btsq $\n, emu_msi_pending(%rip)
	movl $0xfee000b0, %eax
	movl $0, (%rax)
	popq %rax
	iretq
	.endm
	MSI_ISR 0
	MSI_ISR 1
	MSI_ISR 2
	MSI_ISR 3
	MSI_ISR 4
	MSI_ISR 5
	MSI_ISR 6
	MSI_ISR 7

	.globl emu_host_spurious_isr
emu_host_spurious_isr:
	iretq

	.section .note.GNU-stack, "", @progbits
