/* SPDX-License-Identifier: MIT */
/*
 * guest_call_stub(struct gcall *c): load RAX, RCX, RDX, R8, R9 from @c,
 * fill every other GPR with a marker, VMGEXIT, and store the five outputs
 * and all the other GPRs back into @c, so the tests can check that the
 * SVSM changed nothing it must not (docs/abi.md §1.1, §11.2). The caller has
 * set up the transport (GHCB MSR or GHCB page) and call_pending.
 */
#define MARK(n) (0x5a5a5a5a00000000 + (n))

	.text
	.code64
	.globl guest_call_stub
guest_call_stub:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi
	movq 0(%rdi), %rax
	movq 8(%rdi), %rcx
	movq 16(%rdi), %rdx
	movq 24(%rdi), %r8
	movq 32(%rdi), %r9
	movabsq $MARK(1), %rbx
	movabsq $MARK(2), %rbp
	movabsq $MARK(3), %rsi
	movabsq $MARK(4), %rdi
	movabsq $MARK(5), %r10
	movabsq $MARK(6), %r11
	movabsq $MARK(7), %r12
	movabsq $MARK(8), %r13
	movabsq $MARK(9), %r14
	movabsq $MARK(10), %r15
	.byte 0xf3, 0x0f, 0x01, 0xd9	/* VMGEXIT */
	pushq %rdi
	movq 8(%rsp), %rdi
	movq %rax, 0(%rdi)
	movq %rcx, 8(%rdi)
	movq %rdx, 16(%rdi)
	movq %r8, 24(%rdi)
	movq %r9, 32(%rdi)
	movq %rbx, 40(%rdi)
	movq %rbp, 48(%rdi)
	movq %rsi, 56(%rdi)
	popq %rax
	movq %rax, 64(%rdi)
	movq %r10, 72(%rdi)
	movq %r11, 80(%rdi)
	movq %r12, 88(%rdi)
	movq %r13, 96(%rdi)
	movq %r14, 104(%rdi)
	movq %r15, 112(%rdi)
	popq %rdi
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

	.section .note.GNU-stack,"",@progbits
