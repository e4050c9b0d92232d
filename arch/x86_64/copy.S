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

/*
 * bool arch_zero_guarded(void *dst, uint64_t n)
 *
 * The same for zeroing: `rep stosq` then `rep stosb` for the tail, no
 * source to read. Under an emulator (QEMU TCG) each iteration of a string
 * instruction costs about the same whatever its width, so eight bytes per
 * store make zeroing guest RAM before the guest gets it several times
 * faster than copying a zero page byte by byte (docs/linux-boot.md §9).
 */
	.globl arch_zero_guarded
	.type arch_zero_guarded, @function
arch_zero_guarded:
	movq %rsi, %rdx
	movq %rsi, %rcx
	shrq $3, %rcx
	xorl %eax, %eax
3:	rep stosq
	movq %rdx, %rcx
	andq $7, %rcx
4:	rep stosb
	movl $1, %eax
	ret
5:	xorl %eax, %eax
	ret
	.size arch_zero_guarded, . - arch_zero_guarded

	.section ex_table, "a"
	.balign 4
	.long 1b - .
	.long 2b - .
	.long 3b - .
	.long 5b - .
	.long 4b - .
	.long 5b - .

	.section .note.GNU-stack,"",@progbits
