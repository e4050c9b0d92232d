// SPDX-License-Identifier: MIT
/*
 * snpemu reaches QEMU's fw_cfg ports directly (lib/fw_cfg.h): it is the L1
 * hypervisor, the ports are its own.
 */
#include "arch/cpu.h"

#include "lib/fw_cfg.h"

void fw_cfg_port_select(uint16_t sel)
{
	__asm__ volatile("outw %0, %1" : : "a"(sel), "Nd"(FW_CFG_PORT_SEL));
}

void fw_cfg_port_read(void *buf, uint32_t len)
{
	uint8_t *p = buf;

	for (uint32_t i = 0; i < len; i++) {
		p[i] = inb(FW_CFG_PORT_DATA);
	}
}
