/* SPDX-License-Identifier: MIT */
/*
 * VMPL2 test guest entry (placeholder): 64-bit, boot stack, guest_main().
 * The SVSM issue turns it into the hostile test guest.
 */
#define STACK_SIZE 16384

	.section .text.entry, "ax"
	.code64
	.globl guest_entry
guest_entry:
	cli
	cld
	leaq guest_boot_stack + STACK_SIZE(%rip), %rsp
	xorl %ebp, %ebp
	call guest_main
1:	cli
	hlt
	jmp 1b

	.section .bss
	.balign STACK_SIZE
guest_boot_stack:
	.skip STACK_SIZE

	.section .note.GNU-stack,"",@progbits
