/* SPDX-License-Identifier: MIT */
/*
 * SVSM entry (placeholder): 64-bit, switches to the boot stack and calls
 * svsm_main(). The SNP entry from the IGVM VMSA replaces it.
 */
#define STACK_SIZE 16384

	.section .text.entry, "ax"
	.code64
	.globl svsm_entry
svsm_entry:
	cli
	cld
	leaq svsm_boot_stack + STACK_SIZE(%rip), %rsp
	xorl %ebp, %ebp
	call svsm_main
1:	cli
	hlt
	jmp 1b

	.section .bss
	.balign STACK_SIZE
svsm_boot_stack:
	.skip STACK_SIZE

	.section .note.GNU-stack,"",@progbits
