/* SPDX-License-Identifier: MIT */
/*
 * The emulated AMD root of trust (ARK -> ASK -> VCEK) of this build
 * directory: tools/psp-keys generates it once, QEMU hands it to snpemu
 * through fw_cfg as "opt/snpemu/psp-keys". The VCEK scalar signs reports,
 * the certificate table answers extended guest requests, and the hwID and
 * TCB in the VCEK certificate are the CHIP_ID and TCB the reports carry.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PSP_KEYS_FW_CFG "opt/snpemu/psp-keys"
#define PSP_KEYS_MAGIC "SNPEMUK1"
#define PSP_CERTS_MAX (3 * 4096)

/* The file's header (little-endian), followed by table_len bytes of the
 * GHCB certificate table (include/svsm/abi/snp_certs.h). */
struct psp_keys_hdr {
	char magic[8];
	uint32_t version; /* 1 */
	uint32_t table_len;
	uint64_t tcb; /* TCB_VERSION, Milan layout (docs/abi.md §9.1) */
	uint8_t vcek_d[48];
	uint8_t hwid[64];
};
_Static_assert(sizeof(struct psp_keys_hdr) == 136, "tools/psp-keys layout");

/**
 * Load the keys from fw_cfg (once, before the guest starts). Without them
 * the PSP refuses every guest request: there is nothing to sign with.
 */
bool psp_certs_load(void);
bool psp_certs_loaded(void);
/** The certificate table (NULL, 0 if not loaded). */
const uint8_t *psp_certs_table(size_t *len);
/** TCB_VERSION of the VCEK, and its hwID (= CHIP_ID). */
uint64_t psp_certs_tcb(void);
const uint8_t *psp_certs_hwid(void);
