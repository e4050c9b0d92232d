// SPDX-License-Identifier: MIT
/*
 * psp_certs.h: read and check the build's key file once. The file comes
 * from the host that runs snpemu, which is trusted in this model (it plays
 * AMD's key distribution); it is checked anyway so a stale or truncated
 * file fails loudly instead of producing reports nobody can verify.
 */
#include "psp_certs.h"

#include "lib/console.h"
#include "lib/fw_cfg.h"
#include "lib/string.h"

#include "svsm/abi/snp_certs.h"

#include "psp_crypto.h"

static struct psp_keys_hdr keys;
static uint8_t table[PSP_CERTS_MAX];
static bool loaded;

/* Entries inside the table, terminator present, every certificate in it. */
static bool table_ok(const uint8_t *t, size_t len)
{
	struct snp_cert_entry e;
	static const uint8_t zero[sizeof(e)];

	for (size_t off = 0; off + sizeof(e) <= len; off += sizeof(e)) {
		memcpy(&e, t + off, sizeof(e));
		if (memcmp(&e, zero, sizeof(e)) == 0) {
			return off > 0;
		}
		if (e.offset > len || e.length > len - e.offset) {
			return false;
		}
	}
	return false;
}

bool psp_certs_load(void)
{
	uint16_t sel = 0;
	uint32_t size = 0;
	static uint8_t file[sizeof(keys) + PSP_CERTS_MAX];

	if (!fw_cfg_find(PSP_KEYS_FW_CFG, &sel, &size)) {
		con_printf(
			"snpemu: no %s (fw_cfg): guest requests will be "
			"refused\n",
			PSP_KEYS_FW_CFG);
		return false;
	}
	if (size < sizeof(keys) || size > sizeof(file)) {
		con_printf("snpemu: %s: bad size %u\n", PSP_KEYS_FW_CFG, size);
		return false;
	}
	fw_cfg_read(sel, file, size);
	memcpy(&keys, file, sizeof(keys));
	if (memcmp(keys.magic, PSP_KEYS_MAGIC, 8) != 0 || keys.version != 1 ||
	    keys.table_len != size - sizeof(keys) ||
	    !table_ok(file + sizeof(keys), keys.table_len) ||
	    !pspc_set_vcek(keys.vcek_d)) {
		con_printf("snpemu: %s is not a psp-keys v1 file\n",
			   PSP_KEYS_FW_CFG);
		return false;
	}
	memcpy(table, file + sizeof(keys), keys.table_len);
	memset(file, 0, sizeof(file)); /* the scalar lives on in psp_crypto */
	memset(keys.vcek_d, 0, sizeof(keys.vcek_d));
	loaded = true;
	con_printf(
		"snpemu: PSP keys loaded (VCEK + %u-byte certificate "
		"table)\n",
		keys.table_len);
	return true;
}

bool psp_certs_loaded(void)
{
	return loaded;
}

const uint8_t *psp_certs_table(size_t *len)
{
	*len = loaded ? keys.table_len : 0;
	return loaded ? table : NULL;
}

uint64_t psp_certs_tcb(void)
{
	return keys.tcb;
}

const uint8_t *psp_certs_hwid(void)
{
	return keys.hwid;
}
