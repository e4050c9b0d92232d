/* SPDX-License-Identifier: MIT */
/*
 * snpemu test payload: header, VMPL0 entry and exception stubs, the static
 * page tables and GDT, and the whole VMPL2 program (assembly, so that it
 * touches nothing but the pages VMPL0 grants it).
 */
#define CBIT 0x800000000000
#define SHARED_ALIAS 0x40000000
#define MSR_GHCB 0xc0010130

/* struct v2_results offsets (guest.h). */
#define V2_MODE 0
#define V2_GHCB_GPA 8
#define V2_ATTACK_VA 16
#define V2_VC_CODE 24
#define V2_GP_COUNT 32
#define V2_REG_GPA_RESP 40
#define V2_CALL_RAX 48
#define V2_CALL_RCX 56
#define V2_R12 64
#define V2_R13 72
#define V2_XMM0 80
#define V2_ADJ_UP 88
#define V2_ADJ_SELF 96
#define V2_ADJ_DOWN 104
#define V2_DONE 112
#define V2_VC_RSP 120
#define V2_CMD 128
#define V2_CMD_ADDR 136
#define V2_CMD_VAL 144

	.section .header, "a"
	.quad 0x4c50554d45504e53	/* EMU_PAYLOAD_MAGIC */
	.quad 0x100000			/* load_gpa */
	.quad __payload_size		/* file_size */
	.quad __payload_size		/* mem_size */
	.quad payload_entry
	.quad pml4 + CBIT		/* cr3: tables are private */
	.quad stack0_top
	.quad 0

	.section .text.entry, "ax"
	.code64
	.globl payload_entry
payload_entry:
	lgdt gdtr(%rip)
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
	call payload_main
2:	ud2
	jmp 2b

	.text
	.macro VSTUB vec, haserr
	.globl vstub_\vec
vstub_\vec:
	.if \haserr == 0
	pushq $0
	.endif
	pushq $\vec
	jmp vcommon
	.endm
	VSTUB 6, 0
	VSTUB 13, 1
	VSTUB 14, 1
	VSTUB 29, 1

vcommon:
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
	call payload_exception
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

	/* uint64_t vmgexit_check_regs(void): the GHCB is already set up. */
	.globl vmgexit_check_regs
vmgexit_check_regs:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movabsq $0x0b0b0b0b0b0b0b0b, %rbx
	movabsq $0x0c0c0c0c0c0c0c0c, %rbp
	movabsq $0x1212121212121212, %r12
	movabsq $0x1313131313131313, %r13
	movabsq $0x1414141414141414, %r14
	movabsq $0x1515151515151515, %r15
	movabsq $0xa0a0a0a0a0a0a0a0, %rax
	movq %rax, %xmm0
	.byte 0xf3, 0x0f, 0x01, 0xd9	/* VMGEXIT */
	xorl %eax, %eax
	.macro CHK reg, val, bit
	movabsq $\val, %rdx
	cmpq %rdx, \reg
	je 9f
	orq $(1 << \bit), %rax
9:
	.endm
	CHK %rbx, 0x0b0b0b0b0b0b0b0b, 0
	CHK %rbp, 0x0c0c0c0c0c0c0c0c, 1
	CHK %r12, 0x1212121212121212, 2
	CHK %r13, 0x1313131313131313, 3
	CHK %r14, 0x1414141414141414, 4
	CHK %r15, 0x1515151515151515, 5
	movq %xmm0, %rcx
	CHK %rcx, 0xa0a0a0a0a0a0a0a0, 6
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

	.section .bss
	.balign 16
stack0:
	.skip 16384
stack0_top:

/* ---- read-only for VMPL2: page tables, GDT, VMPL2's IDT ---- */
	.section .pt, "aw"
	.balign 4096
	.globl pml4
/* Accessed/Dirty preset: VMPL2 may only read these pages, and a walk that
 * had to set A or D would be a write (an RMP violation). */
pml4:
	.quad pdpt + 0x23 + CBIT
	.fill 511, 8, 0
pdpt:
	.quad 0xe3 + CBIT		/* VA 0-1G: GPA 0-1G private, 1G page */
	.quad 0xe3			/* VA 1-2G: GPA 0-1G shared alias */
	.quad 0
	.quad 0xc0000000 + 0xf3		/* VA 3-4G: MMIO, shared, PCD */
	.fill 508, 8, 0
	.globl gdt
gdt:
	.quad 0
	.quad 0x00af9b000000ffff	/* 0x08: 64-bit code (accessed) */
	.quad 0x00cf93000000ffff	/* 0x10: data (accessed) */
gdtr:
	.word 23
	.quad gdt
v2_idtr:
	.word 4095
	.quad idt2
	/* VMPL2's TSS: only IST1 matters (the #VC gate uses it). */
	.balign 16
	.globl v2_tss
v2_tss:
	.long 0
	.quad 0, 0, 0			/* RSP0-2 */
	.quad 0				/* reserved */
	.quad v2_ist_top		/* IST1 */
	.fill 6, 8, 0
	.quad 0
	.word 0, 104
	.balign 4096
	.globl idt2
idt2:
	.fill 4096, 1, 0

/* ---- VMPL2: code ---- */
	.section .vmpl2_text, "ax"
	.globl v2_entry
v2_entry:
	lidt v2_idtr(%rip)
	/* Register this VMPL's GHCB (MSR protocol 0x012/0x013). */
	movq v2_results + V2_GHCB_GPA(%rip), %rax
	orq $0x012, %rax
	movq %rax, %rdx
	shrq $32, %rdx
	movl $MSR_GHCB, %ecx
	wrmsr
	.byte 0xf3, 0x0f, 0x01, 0xd9
	movl $MSR_GHCB, %ecx
	rdmsr
	shlq $32, %rdx
	orq %rax, %rdx
	movq %rdx, v2_results + V2_REG_GPA_RESP(%rip)
	movq v2_results + V2_GHCB_GPA(%rip), %rax
	movq %rax, %rdx
	shrq $32, %rdx
	movl $MSR_GHCB, %ecx
	wrmsr
	/* A line on COM2, the lower VMPLs' console (GHCB IOIO, OUTSB). */
	movq v2_results + V2_GHCB_GPA(%rip), %rdi
	addq $SHARED_ALIAS, %rdi
	leaq v2_hello(%rip), %rsi
	pushq %rdi
	addq $0x800, %rdi
	movl $v2_hello_len, %ecx
	rep movsb
	popq %rdi
	movq $0x7b, 0x390(%rdi)
	movq $((0x2f8 << 16) | 0x1c), 0x398(%rdi)	/* SZ8 | STR | REP */
	movq $v2_hello_len, 0x3a0(%rdi)
	movq v2_results + V2_GHCB_GPA(%rip), %rax
	addq $0x800, %rax
	movq %rax, 0x3a8(%rdi)
	movb $0x3c, 0x3fe(%rdi)		/* exit code, info1/2, scratch */
	movw $2, 0xffa(%rdi)
	movl $0, 0xffc(%rdi)
	.byte 0xf3, 0x0f, 0x01, 0xd9
	/* CPUID at VMPL2: #VC 0x72 in VMPL2's own handler. */
	xorl %eax, %eax
	xorl %ecx, %ecx
	cpuid
	/* PVALIDATE above VMPL0: #GP. */
	leaq v2_results(%rip), %rax
	xorl %ecx, %ecx
	movl $1, %edx
	.byte 0xf2, 0x0f, 0x01, 0xff
	/* RMPADJUST from VMPL2: up (VMPL1), self (VMPL2), down (VMPL3). */
	leaq v2_results(%rip), %rax
	xorl %ecx, %ecx
	movl $0x101, %edx
	.byte 0xf3, 0x0f, 0x01, 0xfe
	movq %rax, v2_results + V2_ADJ_UP(%rip)
	leaq v2_results(%rip), %rax
	xorl %ecx, %ecx
	movl $0x102, %edx
	.byte 0xf3, 0x0f, 0x01, 0xfe
	movq %rax, v2_results + V2_ADJ_SELF(%rip)
	leaq v2_results(%rip), %rax
	xorl %ecx, %ecx
	movl $0x103, %edx
	.byte 0xf3, 0x0f, 0x01, 0xfe
	movq %rax, v2_results + V2_ADJ_DOWN(%rip)
	cmpq $2, v2_results + V2_MODE(%rip)
	je 3f
	cmpq $3, v2_results + V2_MODE(%rip)
	je v2_cmd_loop
	/* An "SVSM call": RAX/RCX in, VMPL0 answers through our VMSA. */
	movabsq $0x2222222222222222, %rax
	movq %rax, %xmm0
	movq $0x2c12, %r12
	movq $0x2c13, %r13
	movq $0x1234, %rax
	movq $0x5678, %rcx
	call v2_call0
	movq %rax, v2_results + V2_CALL_RAX(%rip)
	movq %rcx, v2_results + V2_CALL_RCX(%rip)
	movq %r12, v2_results + V2_R12(%rip)
	movq %r13, v2_results + V2_R13(%rip)
	movq %xmm0, %rax
	movq %rax, v2_results + V2_XMM0(%rip)
	cmpq $1, v2_results + V2_MODE(%rip)
	jne 1f
	/* Attack: read VMPL0 memory. snpemu must stop the VM here. */
	movq v2_results + V2_ATTACK_VA(%rip), %rax
	movq (%rax), %rax
1:	movq $1, v2_results + V2_DONE(%rip)
2:	call v2_call0
	jmp 2b
3:	call v2_call0			/* benchmark: bounce forever */
	jmp 3b

	/*
	 * Mode 3 (tests_fidelity.c): wait in VMPL0 for a command, do it,
	 * go back. 1: read the qword at ADDR into VAL; 2: call ADDR, its RAX
	 * into VAL.
	 */
v2_cmd_loop:
	call v2_call0
	movq v2_results + V2_CMD_ADDR(%rip), %rdi
	cmpq $1, v2_results + V2_CMD(%rip)
	jne 1f
	movq (%rdi), %rax
	movq %rax, v2_results + V2_CMD_VAL(%rip)
	jmp v2_cmd_loop
1:	cmpq $2, v2_results + V2_CMD(%rip)
	jne v2_cmd_loop
	call *%rdi
	movq %rax, v2_results + V2_CMD_VAL(%rip)
	jmp v2_cmd_loop

	/* RUN_VMPL(0) through this VMPL's GHCB (NAE 0x8000_0018). */
v2_call0:
	movq v2_results + V2_GHCB_GPA(%rip), %rdi
	addq $SHARED_ALIAS, %rdi
	movl $0x80000018, %esi
	movq %rsi, 0x390(%rdi)
	movq $0, 0x398(%rdi)
	movq $0, 0x3a0(%rdi)
	movb $0x1c, 0x3fe(%rdi)		/* valid: exit code, info1, info2 */
	movw $2, 0xffa(%rdi)
	movl $0, 0xffc(%rdi)
	.byte 0xf3, 0x0f, 0x01, 0xd9
	ret

v2_hello:
	.ascii "VMPL2 on COM2\n"
	.set v2_hello_len, . - v2_hello

	.globl v2_vc_handler
v2_vc_handler:
	movq %rsp, v2_results + V2_VC_RSP(%rip)	/* IST 1 from the TSS? */
	pushq %rax
	movq 8(%rsp), %rax
	movq %rax, v2_results + V2_VC_CODE(%rip)
	addq $2, 16(%rsp)		/* skip CPUID */
	popq %rax
	addq $8, %rsp
	iretq

	.globl v2_gp_handler
v2_gp_handler:
	incq v2_results + V2_GP_COUNT(%rip)
	addq $4, 8(%rsp)		/* skip PVALIDATE */
	addq $8, %rsp
	iretq

/* ---- VMPL2: data ---- */
	.section .vmpl2_data, "aw"
	.balign 4096
	/*
	 * VMPL2's own page tables, the same mappings as VMPL0's. They must be
	 * writable by VMPL2: QEMU's TCG probes page-table pages for a store
	 * during a nested walk (to set A/D), so a read-only table takes #NPF.
	 */
	.globl v2_pml4
v2_pml4:
	.quad v2_pdpt + 0x23 + CBIT
	.fill 511, 8, 0
v2_pdpt:
	.quad 0xe3 + CBIT
	.quad 0xe3
	.quad 0
	.quad 0xc0000000 + 0xf3
	.fill 508, 8, 0
	.globl v2_results
v2_results:
	.skip 160
	.balign 16
	.globl v2_ist_stack
v2_ist_stack:
	.skip 512
	.globl v2_ist_top
v2_ist_top:
	.balign 16
	.skip 2048
	.globl v2_stack_top
v2_stack_top:

	.section .note.GNU-stack, "", @progbits
