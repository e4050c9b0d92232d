/* SPDX-License-Identifier: MIT */
/*
 * snpemu interrupt payload (irq_tests.c): header, VMPL0 entry, page
 * tables with a user alias, GDT with user segments and a TSS, VMPL2's
 * trap stubs, the CPL3 probe and the 32-bit VMPL3 program.
 */
#define CBIT 0x800000000000
#define USER_ALIAS 0x80000000

	.section .header, "a"
	.quad 0x4c50554d45504e53	/* EMU_PAYLOAD_MAGIC */
	.quad 0x100000			/* load_gpa */
	.quad __payload_size		/* file_size */
	.quad __payload_size		/* mem_size */
	.quad irq_entry
	.quad irq_pml4 + CBIT		/* cr3 */
	.quad irq_stack0_top
	.quad 0

	.section .text.entry, "ax"
	.code64
	.globl irq_entry
irq_entry:
	lgdt irq_gdtr(%rip)
	pushq $0x08
	leaq 1f(%rip), %rax
	pushq %rax
	lretq
1:	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	xorl %ebp, %ebp
	call irq_vmpl0_main
2:	ud2
	jmp 2b

	.text
	/* Trap stubs: struct trap_frame (irq_tests.c) then irq_trap(). */
	.macro TRAP vec, haserr
	.globl trap_\vec
trap_\vec:
	.if \haserr == 0
	pushq $0
	.endif
	pushq $\vec
	jmp trap_common
	.endm
	TRAP 13, 1
	TRAP 14, 1
	TRAP 29, 1
	TRAP 0x20, 0
	TRAP 0x23, 0
	TRAP 0x24, 0
	TRAP 0x25, 0
	TRAP 0x26, 0
	TRAP 0x27, 0
	TRAP 0x28, 0
	TRAP 0x29, 0
	TRAP 0x2a, 0
	TRAP 0x2b, 0
	TRAP 0x2c, 0
	TRAP 0x2d, 0
	TRAP 0x2e, 0
	TRAP 0x2f, 0
	TRAP 0x40, 0
	TRAP 0x41, 0
	TRAP 0x45, 0
	TRAP 0x51, 0
	TRAP 0x60, 0
	TRAP 0x61, 0
	TRAP 0x70, 0
	TRAP 0xef, 0

trap_common:
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
	call irq_trap
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
	addq $16, %rsp
	iretq

	/*
	 * uint64_t user_run(uint64_t rip, uint64_t rsp): IRET to CPL3 at
	 * rip; "int $0x80" there comes back here with its RAX.
	 */
	.globl user_run
user_run:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, user_saved_rsp(%rip)
	pushq $0x1b			/* SS: user data, RPL 3 */
	pushq %rsi
	pushq $0x202			/* IF=1 */
	pushq $0x23			/* CS: user code, RPL 3 */
	pushq %rdi
	iretq
	.globl user_back
user_back:				/* the int $0x80 gate (DPL 3) */
	movq user_saved_rsp(%rip), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

	/*
	 * The CPL3 probe (runs at its user alias): CPUID (#VC through the
	 * TSS's RSP0), a read of a supervisor page (#PF), a privileged
	 * instruction (#GP), each returning here; then back to CPL0.
	 */
	.balign 16
	.globl user_probe, user_probe_cpuid, user_probe_pf, user_probe_gp
user_probe:
	xorl %eax, %eax
	xorl %ecx, %ecx
user_probe_cpuid:
	cpuid
	movq %rax, %r12			/* what the #VC handler returned */
	movq $0x100000, %rbx		/* supervisor-only at VA 0x100000 */
user_probe_pf:
	movq (%rbx), %rax		/* 3 bytes: 48 8b 03 */
user_probe_gp:
	cli				/* 1 byte, #GP at CPL3 (IOPL 0) */
	movq %r12, %rax
	int $0x80
	.globl user_probe_end
user_probe_end:

	/* void v2_halt(void): STI; HLT, returns after the wake-up. */
	.globl v2_sti_hlt
v2_sti_hlt:
	sti
	hlt
	ret

	/* uint64_t sti_nop_window(void): returns the RIP that "sti; nop"
	 * leaves at (the interrupt must be taken exactly there). */
	.globl sti_nop_window, sti_nop_after
sti_nop_window:
	sti
	nop
sti_nop_after:
	cli
	leaq sti_nop_after(%rip), %rax
	ret

	.section .bss
	.balign 16
user_saved_rsp:
	.quad 0
	.balign 4096
	.skip 16384
	.globl irq_stack0_top
irq_stack0_top:
	.skip 16384
	.globl v2_kstack_top
v2_kstack_top:
	.skip 16384
	.globl v2_stack_top
v2_stack_top:
	.skip 8192
	.globl user_stack_top
user_stack_top:

	.data
	.balign 4096
	.globl irq_pml4
irq_pml4:
	.quad irq_pdpt + 0x27 + CBIT	/* U: the user alias below */
	.fill 511, 8, 0
irq_pdpt:
	.quad 0xe3 + CBIT		/* VA 0-1G: GPA 0-1G, supervisor */
	.quad 0xe3			/* VA 1-2G: shared alias */
	.quad 0xe7 + CBIT		/* VA 2-3G: user alias of 0-1G */
	.quad 0xc0000000 + 0xf3		/* VA 3-4G: MMIO, shared, PCD */
	.fill 508, 8, 0
	.globl irq_gdt, irq_tss
irq_gdt:
	.quad 0
	.quad 0x00af9b000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf93000000ffff	/* 0x10: data */
	.quad 0x00cff3000000ffff	/* 0x18: user data (DPL 3) */
	.quad 0x00affb000000ffff	/* 0x20: user 64-bit code (DPL 3) */
	.quad 0, 0			/* 0x28: TSS, filled in by C */
	.quad 0x00cf9b000000ffff	/* 0x38: 32-bit code (VMPL3) */
irq_gdt_end:
irq_gdtr:
	.word irq_gdt_end - irq_gdt - 1
	.quad irq_gdt
	.balign 16
irq_tss:
	.fill 104, 1, 0

/*
 * VMPL3: 32-bit protected mode, paging off, CPL 0 (VMSA from VMPL0).
 * CPUID takes #VC; the handler stores the error code and EIP from its
 * 32-bit frame and skips CPUID; then RUN_VMPL(0) by the MSR protocol.
 */
	.text
	.code32
	.globl v3_entry
v3_entry:
	lidt v3_idtr
	xorl %eax, %eax
	xorl %ecx, %ecx
	.globl v3_cpuid
v3_cpuid:
	cpuid
	movl %eax, v3_results + 12
	movl $0xc0010130, %ecx		/* GHCB MSR := RUN_VMPL(0) */
	movl $0x016, %eax
	xorl %edx, %edx
	wrmsr
	.byte 0xf3, 0x0f, 0x01, 0xd9	/* VMGEXIT */
1:	jmp 1b
	.globl v3_vc
v3_vc:
	pushl %eax
	movl 4(%esp), %eax		/* error code */
	movl %eax, v3_results
	movl 8(%esp), %eax		/* EIP */
	movl %eax, v3_results + 4
	movl %esp, v3_results + 8
	addl $2, 8(%esp)		/* skip CPUID */
	movl $0x5a5a, %eax		/* what CPUID "returned" */
	addl $4, %esp			/* drop the saved EAX: EAX = 0x5a5a */
	addl $4, %esp			/* error code */
	iretl
	.code64

	.data
	.balign 8
	.globl v3_results, v3_idt, v3_stack_top
v3_results:
	.long 0, 0, 0, 0
v3_idtr:
	.word 30 * 8 - 1
	.long v3_idt
	.balign 8
v3_idt:
	.fill 30 * 8, 1, 0
	.balign 16
	.skip 1024
v3_stack_top:

/* A non-empty section after .bss, so that the flat binary includes the
 * zeroed .bss (the header's file_size covers it). */
	.section .vmpl2_data, "aw"
	.quad 0

	.section .note.GNU-stack, "", @progbits
