/* SPDX-License-Identifier: MIT */
/*
 * Entry of the freestanding vTPM test program (no libc, no crt): Linux
 * starts us with argc at (%rsp); hand the stack pointer to fs_start with
 * the 16-byte alignment the SysV ABI (and libtpms' SSE code) expects.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	andq	$-16, %rsp
	call	fs_start
	ud2
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
