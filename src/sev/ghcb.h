/* SPDX-License-Identifier: MIT */
/*
 * The SVSM's side of the GHCB protocol (GHCB spec 56421; docs/abi.md §7.4): the
 * MSR protocol (SEV info, HV features, page-state change, GHCB registration,
 * RUN_VMPL, termination) and NAE events through this CPU's GHCB page (IOIO,
 * MSR, AP creation). The hypervisor is hostile: every response is read once
 * from the shared page and checked; a protocol violation terminates the VM
 * (there is no safe way to continue without the hypervisor's cooperation,
 * and no guest input can cause it).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/compiler.h"
#include "lib/serial.h"

#include "svsm/abi/ghcb.h"

/*
 * Termination reason set used by the SVSM (GHCB MSR 0x100 [15:12]). Sets 0
 * (GHCB general) and 1 (Linux) are taken; 3 is ours. Codes: panic reasons
 * (lib/panic.h) and the boot failures below. src/entry.S uses 0x10-0x13.
 */
#define SVSM_TERM_SET 3
enum svsm_term_code {
	SVSM_TERM_BOOT_PARAMS = 0x10, /* bad boot-parameter page */
	SVSM_TERM_CPUID_PAGE = 0x11,  /* CPUID page unusable */
	SVSM_TERM_NO_CBIT = 0x12,     /* no CPUID 0x8000001F entry */
	SVSM_TERM_BAD_CBIT = 0x13,    /* C-bit position out of range */
	SVSM_TERM_GHCB = 0x20,        /* GHCB protocol violation */
	/* A #VC whose exit code does not match the instruction at RIP, a
	 * nested #VC, or one the SVSM never causes: an injected event
	 * (src/sev/vc.c, docs/threat-model.md). */
	SVSM_TERM_VC_REFUSED = 0x30,
};

/** End the VM (MSR protocol termination request). */
__noreturn void ghcb_terminate(uint32_t set, uint32_t code);

/** panic_exit_fn: panic reason -> termination code in SVSM_TERM_SET. */
__noreturn void ghcb_panic_exit(uint32_t reason);

/**
 * One MSR-protocol exchange: write @req to the GHCB MSR, VMGEXIT, read the
 * response, and put this CPU's registered GHCB GPA back.
 */
uint64_t ghcb_msr_exchange(uint64_t req);

/** Check the hypervisor's GHCB protocol range and features (SNP, AP
 * creation, multi-VMPL); terminates if they are missing. */
void ghcb_check_hypervisor(void);

/** Page-state change of one 4 KiB page via the MSR protocol. */
bool ghcb_msr_psc(uint64_t gpa, bool shared) __must_check;

/* Entries in one PSC request: what fits the GHCB shared buffer. */
#define GHCB_PSC_BATCH 253

/**
 * Page-state change to private through the GHCB page (NAE 0x8000_0010):
 * @count 4 KiB pages from @gpa (at most GHCB_PSC_BATCH), or one 2 MiB
 * page when @size_2m (then @count must be 1). False unless every entry
 * was processed without error.
 */
bool ghcb_psc_private(uint64_t gpa, uint32_t count, bool size_2m) __must_check;

/**
 * Make this CPU's GHCB: @va/@gpa name a private, validated, 4 KiB page that
 * the caller has already remapped without the C-bit after rescinding its
 * validation and converting it to shared. Registers the GPA (MSR protocol
 * 0x012) and records it in the per-CPU block.
 */
void ghcb_register(void *va, uint64_t gpa);

/**
 * RUN_VMPL via the MSR protocol (docs/abi.md §1.4 step 6): returns when the
 * hypervisor switches back to VMPL0 on this vCPU. False if the hypervisor
 * refused (response code or error field wrong).
 */
bool ghcb_run_vmpl(uint8_t vmpl) __must_check;

/** NAE IOIO (non-string IN/OUT), @size 1, 2 or 4. */
void ghcb_io_out(uint16_t port, uint32_t size, uint32_t val);
uint32_t ghcb_io_in(uint16_t port, uint32_t size);
/** NAE IOIO, string form: @count bytes IN from @port (at most a shared
 * buffer's worth, 2032). */
void ghcb_io_in_str8(uint16_t port, void *buf, uint32_t count);

/** NAE MSR read/write. */
uint64_t ghcb_rdmsr(uint32_t msr);
void ghcb_wrmsr(uint32_t msr, uint64_t val);

/**
 * NAE AP_CREATION (docs/abi.md §7.4): register @vmsa_gpa for @apic_id at @vmpl.
 * @op: SVM_VMGEXIT_AP_CREATE_ON_INIT / _CREATE / _DESTROY.
 */
bool ghcb_ap_create(uint32_t apic_id, uint8_t vmpl, uint32_t op,
		    uint64_t vmsa_gpa, uint64_t sev_features) __must_check;

/**
 * SNP_GUEST_REQUEST (docs/abi.md §9.5): the request and response pages are
 * shared. With @pages != NULL the extended form (docs/attestation.md §3):
 * @certs_gpa is a shared buffer of *@pages pages, and *@pages returns RBX
 * (the pages needed after INVALID_LEN; 0 if the hypervisor set none).
 * Returns SW_EXITINFO2 (VMM error << 32 | firmware status), or UINT64_MAX
 * if the hypervisor refused the event itself.
 */
uint64_t ghcb_guest_request(uint64_t req_gpa, uint64_t resp_gpa,
			    uint64_t certs_gpa, uint64_t *pages);

/** serial_io ops that perform port I/O through the GHCB. */
extern const struct serial_io ghcb_serial_io;
