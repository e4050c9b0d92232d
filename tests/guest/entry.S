/* SPDX-License-Identifier: MIT */
/*
 * VMPL2 test guest entry. The SVSM starts it in 32-bit protected mode,
 * paging off (src/launch.c, PROT32 payload), with ESI = GPA of the guest's
 * secrets page and EDI = GPA of the guest's CPUID page. Like the SVSM, it
 * takes the C-bit position from the CPUID page (0x8000001F EBX[5:0]) and
 * builds two identity maps of the low 4 GiB: PML4[0] private (C-bit set)
 * and PML4[1] (VA + 512 GiB) shared, for the GHCB page.
 * guest_main(secrets_gpa, cpuid_gpa, cbit_pos).
 */
#define STACK_SIZE 16384
#define TERM(code) (((code) << 16) | (3 << 12) | 0x100)

	.section .text.entry, "ax"
	.code32
	.globl guest_entry
guest_entry:
	cli
	cld
	movl (%edi), %ecx		/* CPUID page count */
	testl %ecx, %ecx
	jz no_cbit
	cmpl $64, %ecx
	ja no_cbit
	leal 16(%edi), %edx
1:	cmpl $0x8000001f, (%edx)
	je 2f
	addl $48, %edx
	decl %ecx
	jnz 1b
	jmp no_cbit
2:	movl 0x1c(%edx), %ecx
	andl $0x3f, %ecx
	cmpl $32, %ecx
	jb no_cbit
	cmpl $51, %ecx
	ja no_cbit
	movl %ecx, %ebp			/* C-bit position */
	subl $32, %ecx
	movl $1, %ebx
	shll %cl, %ebx			/* EBX = C-bit in the upper dword */

	/* PML4[0] -> PDPT (private), PML4[1] -> PDPT2 (shared). */
	movl $g_pdpt, %eax
	orl $3, %eax
	movl %eax, g_pml4
	movl %ebx, g_pml4 + 4
	movl $g_pdpt2, %eax
	orl $3, %eax
	movl %eax, g_pml4 + 8
	xorl %ecx, %ecx
3:	movl %ecx, %eax
	shll $12, %eax
	addl $g_pd, %eax
	orl $3, %eax
	movl %eax, g_pdpt(, %ecx, 8)
	movl %ebx, g_pdpt + 4(, %ecx, 8)
	movl %ecx, %eax
	shll $12, %eax
	addl $g_pd2, %eax
	orl $3, %eax
	movl %eax, g_pdpt2(, %ecx, 8)
	incl %ecx
	cmpl $4, %ecx
	jne 3b
	xorl %ecx, %ecx
4:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax
	movl %eax, g_pd(, %ecx, 8)
	movl %ebx, g_pd + 4(, %ecx, 8)
	movl %eax, g_pd2(, %ecx, 8)	/* shared: no C-bit */
	incl %ecx
	cmpl $2048, %ecx
	jne 4b

	movl $g_pml4, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $0x20, %eax
	movl %eax, %cr4
	movl $0xc0000080, %ecx
	rdmsr
	orl $0x900, %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80010001, %eax
	movl %eax, %cr0
	lgdt g_gdt_ptr
	ljmp $0x08, $g_long

no_cbit:
	movl $0xc0010130, %ecx
	movl $TERM(0x40), %eax
	xorl %edx, %edx
	wrmsr
	.byte 0xf3, 0x0f, 0x01, 0xd9
5:	hlt
	jmp 5b

	.code64
g_long:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movabsq $guest_boot_stack + STACK_SIZE, %rsp
	movl %ebp, %edx			/* guest_main(secrets, cpuid, cbit) */
	xorl %ebp, %ebp
	/* Upper halves are undefined after 32-bit code: zero-extend. */
	movl %esi, %esi
	movl %edi, %edi
	xchgq %rsi, %rdi
	call guest_main
6:	cli
	hlt
	jmp 6b

	.section .rodata
	.balign 8
g_gdt:
	.quad 0
	.quad 0x00af9b000000ffff
	.quad 0x00cf93000000ffff
g_gdt_end:
g_gdt_ptr:
	.word g_gdt_end - g_gdt - 1
	.quad g_gdt

	.section .bss
	.balign 4096
g_pml4:
	.skip 4096
g_pdpt:
	.skip 4096
g_pdpt2:
	.skip 4096
g_pd:
	.skip 4 * 4096
g_pd2:
	.skip 4 * 4096
	.balign STACK_SIZE
guest_boot_stack:
	.skip STACK_SIZE

	.section .note.GNU-stack,"",@progbits
