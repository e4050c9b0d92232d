/* SPDX-License-Identifier: MIT */
/*
 * bool arch_copy_guarded(void *dst, const void *src, uint64_t n)
 *
 * The one copy that may fault on purpose: its `rep movsb` has an exception
 * table entry, so a #PF/#GP while touching memory the caller cannot vouch
 * for (guest pages that may be unmapped, unvalidated or remapped) resumes at
 * the fixup, which returns false, instead of panicking.
 */
	.code64
	.text
	.globl arch_copy_guarded
	.type arch_copy_guarded, @function
arch_copy_guarded:
	movq %rdx, %rcx
1:	rep movsb
	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	.size arch_copy_guarded, . - arch_copy_guarded

	.section ex_table, "a"
	.balign 4
	.long 1b - .
	.long 2b - .

	.section .note.GNU-stack,"",@progbits
