/* SPDX-License-Identifier: MIT */
/*
 * vtpm_on_stack(fn, arg, top): call fn(arg) on another stack and come back.
 * libtpms and OpenSSL need more stack than the SVSM's 16 KiB boot stack
 * (about 13 KB on the host), so every entry into the vTPM runs on its own stack
 * (src/vtpm_service.c). @top must be 16-byte aligned.
 */
	.text
	.globl vtpm_on_stack
	.type vtpm_on_stack, @function
vtpm_on_stack:
	pushq %rbp
	movq %rsp, %rbp
	movq %rdx, %rsp
	movq %rdi, %rax
	movq %rsi, %rdi
	call *%rax
	movq %rbp, %rsp
	popq %rbp
	ret
	.size vtpm_on_stack, . - vtpm_on_stack

	.section .note.GNU-stack,"",@progbits
