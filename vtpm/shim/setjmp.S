/* SPDX-License-Identifier: MIT */
/*
 * glibc's _setjmp and __longjmp_chk for libtpms' object code (it uses them
 * for its TPM "FAIL" path). We save the SysV callee-saved registers, the
 * stack pointer and the return address in the first 64 bytes of the
 * caller's jmp_buf; glibc's jmp_buf is 200 bytes, so it fits. No signal
 * mask and no pointer mangling: there are no signals in the firmware.
 * The names are macros so that a hosted unit test can build this file
 * under names that do not collide with glibc's.
 */
#ifndef SHIM_SETJMP
#define SHIM_SETJMP _setjmp
#endif
#ifndef SHIM_LONGJMP_CHK
#define SHIM_LONGJMP_CHK __longjmp_chk
#endif

	.text
	.globl	SHIM_SETJMP
	.type	SHIM_SETJMP, @function
SHIM_SETJMP:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rdx		/* the caller's stack pointer after return */
	movq	%rdx, 48(%rdi)
	movq	(%rsp), %rdx		/* the return address */
	movq	%rdx, 56(%rdi)
	xorl	%eax, %eax
	ret
	.size	SHIM_SETJMP, . - SHIM_SETJMP

	.globl	SHIM_LONGJMP_CHK
	.type	SHIM_LONGJMP_CHK, @function
SHIM_LONGJMP_CHK:
	movl	%esi, %eax
	testl	%eax, %eax		/* longjmp(buf, 0) returns 1 */
	jnz	1f
	incl	%eax
1:	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	jmpq	*56(%rdi)
	.size	SHIM_LONGJMP_CHK, . - SHIM_LONGJMP_CHK

	.section .note.GNU-stack, "", @progbits
