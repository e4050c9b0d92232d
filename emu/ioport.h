/* SPDX-License-Identifier: MIT */
/*
 * Port I/O for the GHCB IOIO event: emulated devices, QEMU's devices
 * passed through, and the ports that must never pass. See ioport.c.
 */
#pragma once

#include <stdint.h>

struct machine;

uint32_t ioport_in(struct machine *m, uint16_t port, uint8_t size);
void ioport_out(struct machine *m, uint16_t port, uint8_t size, uint32_t v);
/** Port I/O of @size (1, 2 or 4) bytes on the real port (snpemu's own). */
uint32_t ioport_host_in(uint16_t port, uint8_t size);
void ioport_host_out(uint16_t port, uint8_t size, uint32_t v);
