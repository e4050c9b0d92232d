/* SPDX-License-Identifier: MIT */
/*
 * Exception entry stubs: each pushes a dummy error code where the CPU pushes
 * none, then the vector, then the common path saves the general registers
 * as struct cpu_regs (arch/regs.h) and calls arch_exception_dispatch().
 */
	.code64
	.text

.macro ISR_NOERR vec
	.balign 16
isr_\vec:
	pushq $0
	pushq $\vec
	jmp isr_common
.endm

.macro ISR_ERR vec
	.balign 16
isr_\vec:
	pushq $\vec
	jmp isr_common
.endm

/* Vectors 8, 10-14, 17, 21, 29, 30 push an error code (APM vol. 2 §8.2). */
ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR 8
ISR_NOERR 9
ISR_ERR 10
ISR_ERR 11
ISR_ERR 12
ISR_ERR 13
ISR_ERR 14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR 17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR 21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_ERR 29
ISR_ERR 30
ISR_NOERR 31

isr_common:
	cld
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	movq %rsp, %rbx		/* callee-saved: restores RSP after the call */
	andq $-16, %rsp		/* the C ABI wants a 16-byte aligned stack */
	call arch_exception_dispatch
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp		/* vector and error code */
	iretq

/* Table of stub addresses, read by idt.c. */
	.section .rodata
	.balign 8
	.globl arch_isr_table
arch_isr_table:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad isr_\v
.endr

	.section .note.GNU-stack,"",@progbits
