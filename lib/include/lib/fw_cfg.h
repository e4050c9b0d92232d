/* SPDX-License-Identifier: MIT */
/*
 * QEMU's firmware configuration device (docs/specs/fw_cfg.rst in QEMU): how
 * the host hands an image data that is not the image, e.g. the build's PSP
 * keys for snpemu (`-fw_cfg name=opt/snpemu/psp-keys,file=...`) or the test
 * guest's case filter (opt/test-guest/filter). Port I/O interface only:
 * selector 0x510 (16-bit), data 0x511 (bytes).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define FW_CFG_PORT_SEL 0x510
#define FW_CFG_PORT_DATA 0x511

/**
 * Find the named file; on success @sel and @size describe it. False if no
 * fw_cfg device answers or no such file exists.
 */
bool fw_cfg_find(const char *name, uint16_t *sel, uint32_t *size);
/** QEMU's CPU count (-smp), or 1 without fw_cfg. */
unsigned fw_cfg_nb_cpus(void);
/** Read the first @len bytes of the item @sel into @buf. */
void fw_cfg_read(uint16_t sel, void *buf, uint32_t len);

/*
 * The two port accesses, provided by each image that links lib/fw_cfg.c:
 * snpemu does them itself (emu/fw_cfg_ports.c), the VMPL2 test guest asks
 * the hypervisor through the GHCB (tests/guest/main.c), the SVSM with
 * GHCB string I/O (src/acpi_tables.c). fw_cfg_port_read reads the next
 * @len bytes of the selected item from the data port.
 */
void fw_cfg_port_select(uint16_t sel);
void fw_cfg_port_read(void *buf, uint32_t len);
