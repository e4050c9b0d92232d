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

uint8_t fw_cfg_port_read8(void)
{
	return inb(FW_CFG_PORT_DATA);
}
