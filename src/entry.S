/* SPDX-License-Identifier: MIT */
/*
 * SVSM entry from the IGVM VMPL0 VMSA (docs/abi.md §13.2, §16 "[vmsa bsp]
 * mode = protected32"): 32-bit protected mode, flat 4 GiB segments, paging
 * off, ESI = GPA of the boot-parameter page (include/svsm/abi/
 * boot_params.h). A 32-bit entry works on both host profiles: the legacy
 * (KVM-rebuilt) VMSA only carries a whitelisted register set, and this needs
 * nothing beyond CS/DS/CR0/RIP/RSI.
 *
 * With paging off every access of an SNP guest is private (APM vol. 2
 * §15.34.5), so the PSP-validated CPUID page can be read here. It gives the
 * C-bit position (CPUID 0x8000001F EBX[5:0]). We take it from the CPUID
 * page and NOT from the GHCB "SEV info" MSR protocol because the latter is
 * answered by the hypervisor, which is untrusted; the CPUID page's contents
 * are checked by the PSP at launch.
 *
 * Then: identity page tables for the first 4 GiB (2 MiB pages, C-bit set),
 * long mode, the boot stack, FS base = the BSP per-CPU block (the stack
 * protector reads its canary at %fs:0x28 from the first C function on), and
 * svsm_main(boot_params_gpa). Any failure here ends the VM with a GHCB
 * termination request (MSR protocol 0x100), the only exit available before
 * the #VC handler exists.
 */
#define STACK_SIZE 16384
#define MSR_GHCB 0xc0010130
#define MSR_EFER 0xc0000080
#define MSR_FS_BASE 0xc0000100
#define BOOT_PARAMS_MAGIC 0x50425653
#define BP_CPUID_GPA 0x30
#define CPUID_PAGE_ENTRIES 16
#define CPUID_ENTRY_SIZE 48
#define CPUID_ENTRY_EBX 0x1c
#define CPUID_MAX_ENTRIES 64
/* Termination: reason set 3 ("SVSM", see src/sev/ghcb.h), code in [23:16]. */
#define TERM(code) (((code) << 16) | (3 << 12) | 0x100)

	.section .text.entry, "ax"
	.code32
	.globl svsm_entry
svsm_entry:
	cli
	cld
	/* The boot-parameter page must be below 4 GiB and carry our magic. */
	cmpl $BOOT_PARAMS_MAGIC, (%esi)
	movl $TERM(0x10), %eax
	jne early_term

	/* Find CPUID 0x8000001F in the CPUID page: count in [1, 64]. */
	movl BP_CPUID_GPA + 4(%esi), %eax
	testl %eax, %eax
	movl $TERM(0x11), %eax
	jnz early_term
	movl BP_CPUID_GPA(%esi), %ebx
	movl (%ebx), %ecx
	testl %ecx, %ecx
	jz early_term
	cmpl $CPUID_MAX_ENTRIES, %ecx
	ja early_term
	leal CPUID_PAGE_ENTRIES(%ebx), %edx
1:	cmpl $0x8000001f, (%edx)
	je 2f
	addl $CPUID_ENTRY_SIZE, %edx
	decl %ecx
	jnz 1b
	movl $TERM(0x12), %eax
	jmp early_term
2:	movl CPUID_ENTRY_EBX(%edx), %ecx
	andl $0x3f, %ecx
	/*
	 * The identity map below puts the C-bit in the upper half of each
	 * entry; a position below 32 would collide with a 4 GiB address, and
	 * above 51 it is not an address bit.
	 */
	cmpl $32, %ecx
	movl $TERM(0x13), %eax
	jb early_term
	cmpl $51, %ecx
	ja early_term
	movl %ecx, %ebx			/* EBX = C-bit position */
	subl $32, %ecx
	movl $1, %edi
	shll %cl, %edi			/* EDI = C-bit in the upper dword */

	/*
	 * Zero .bss (measured as zero pages; be robust anyway). There is no
	 * stack yet: the VMSA's RSP is whatever the image builder wrote (0 in
	 * the repo's igvm.cfg), so keep live values in registers, not pushes.
	 */
	movl %edi, %ebp
	movl %esi, %edx
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	rep stosb
	movl %edx, %esi
	movl %ebp, %edi
	/* Both live in .bss, which was just zeroed. */
	movl %ebx, boot_cbit_pos
	movl %edi, boot_cbit_hi

	/* PML4[0] -> PDPT; PDPT[0..3] -> PD0..3; PDn[i] -> 2 MiB pages. */
	movl $boot_pdpt, %eax
	orl $0x3, %eax
	movl %eax, boot_pml4
	movl %edi, boot_pml4 + 4
	xorl %ecx, %ecx
3:	movl %ecx, %eax
	shll $12, %eax
	addl $boot_pd, %eax
	orl $0x3, %eax
	movl %eax, boot_pdpt(, %ecx, 8)
	movl %edi, boot_pdpt + 4(, %ecx, 8)
	incl %ecx
	cmpl $4, %ecx
	jne 3b
	xorl %ecx, %ecx
4:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax			/* P, W, PS */
	movl %eax, boot_pd(, %ecx, 8)
	movl %edi, boot_pd + 4(, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 4b

	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $0x20, %eax			/* PAE */
	movl %eax, %cr4
	movl $MSR_EFER, %ecx
	rdmsr
	orl $0x900, %eax		/* LME | NXE; SVME stays as the VMSA set it */
	wrmsr
	movl %cr0, %eax
	orl $0x80010001, %eax		/* PG | WP | PE */
	movl %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $long_entry

	/* EAX = termination request; never returns. */
early_term:
	movl $MSR_GHCB, %ecx
	xorl %edx, %edx
	wrmsr
	.byte 0xf3, 0x0f, 0x01, 0xd9	/* VMGEXIT */
5:	hlt
	jmp 5b

	.code64
long_entry:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movabsq $svsm_boot_stack + STACK_SIZE, %rsp
	/* FS base after the selector loads (a null load may clear it). */
	movabsq $svsm_bsp_percpu, %rax
	movq %rax, %rdx
	shrq $32, %rdx
	movl $MSR_FS_BASE, %ecx
	wrmsr
	xorl %ebp, %ebp
	movl %esi, %edi			/* svsm_main(boot_params_gpa) */
	call svsm_main
6:	cli
	hlt
	jmp 6b

	.section .rodata
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9b000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf93000000ffff	/* 0x10: data */
boot_gdt_end:
	.balign 8
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .data
	.balign 8
	/* Read by the C code (paging.c); kept in .data, written before .bss
	 * is cleared. */
	.globl boot_cbit_pos
boot_cbit_pos:
	.long 0
	.long 0

	.section .bss
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
boot_pd:
	.skip 4 * 4096
boot_cbit_hi:
	.skip 8
	.balign STACK_SIZE
	.globl svsm_boot_stack
svsm_boot_stack:
	.skip STACK_SIZE

	.section .note.GNU-stack,"",@progbits
