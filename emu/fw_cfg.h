/* SPDX-License-Identifier: MIT */
/*
 * QEMU's firmware configuration device (docs/specs/fw_cfg.rst in QEMU): how
 * the host hands snpemu data that is not the image, e.g. the build's PSP
 * keys (`-fw_cfg name=opt/snpemu/psp-keys,file=...`). Port I/O interface
 * only: selector 0x510 (16-bit), data 0x511 (bytes).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/**
 * Find the named file; on success @sel and @size describe it. False if no
 * fw_cfg device answers or no such file exists.
 */
bool fw_cfg_find(const char *name, uint16_t *sel, uint32_t *size);
/** Read the first @len bytes of the item @sel into @buf. */
void fw_cfg_read(uint16_t sel, void *buf, uint32_t len);
