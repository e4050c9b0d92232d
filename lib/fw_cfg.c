// SPDX-License-Identifier: MIT
/*
 * lib/fw_cfg.h. The file directory (selector 0x19) is big-endian: a u32 count,
 * then {u32 size, u16 select, u16 reserved, char name[56]} per file.
 */
#include "lib/fw_cfg.h"

#include "lib/string.h"

#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_NB_CPUS 0x0005 /* u16: -smp's CPU count */
#define FW_CFG_FILE_DIR 0x0019
#define FW_CFG_NAME_LEN 56

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void fw_cfg_read(uint16_t sel, void *buf, uint32_t len)
{
	fw_cfg_port_select(sel);
	fw_cfg_port_read(buf, len);
}

static bool present(void)
{
	uint8_t sig[4];

	fw_cfg_read(FW_CFG_SIGNATURE, sig, sizeof(sig));
	return memcmp(sig, "QEMU", 4) == 0;
}

unsigned fw_cfg_nb_cpus(void)
{
	uint8_t n[2] = {0};

	if (!present()) {
		return 1;
	}
	fw_cfg_read(FW_CFG_NB_CPUS, n, sizeof(n)); /* little-endian */
	return (unsigned)n[0] | (unsigned)n[1] << 8;
}

bool fw_cfg_find(const char *name, uint16_t *sel, uint32_t *size)
{
	uint8_t cnt[4], ent[64];
	uint32_t n = 0;

	if (!present()) {
		return false;
	}
	fw_cfg_port_select(FW_CFG_FILE_DIR);
	fw_cfg_port_read(cnt, sizeof(cnt));
	n = be32(cnt);
	for (uint32_t i = 0; i < n && i < 4096; i++) {
		fw_cfg_port_read(ent, sizeof(ent));
		ent[8 + FW_CFG_NAME_LEN - 1] = '\0';
		if (strcmp((const char *)&ent[8], name) == 0) {
			*size = be32(ent);
			*sel = (uint16_t)(ent[4] << 8 | ent[5]);
			return true;
		}
	}
	return false;
}
