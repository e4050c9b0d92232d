// SPDX-License-Identifier: MIT
/*
 * Machine side of acpi_tables.h: fw_cfg through the GHCB, the loader itself
 * is pure (boot/acpi_loader.c). The data port is read with GHCB string I/O,
 * one exit per 2032 bytes: byte by byte, every byte is an exit to the
 * hypervisor (docs/linux-boot.md §10 has the figures).
 */
#include "acpi_tables.h"

#include "arch/cpu.h"

#include "lib/console.h"
#include "lib/fw_cfg.h"
#include "lib/string.h"

#include "boot/acpi_loader.h"
#include "mm/mem.h"
#include "sev/ghcb.h"

#define LOADER_FILE "etc/table-loader"

void fw_cfg_port_select(uint16_t sel)
{
	ghcb_io_out(FW_CFG_PORT_SEL, 2, sel);
}

void fw_cfg_port_read(void *buf, uint32_t len)
{
	uint8_t *p = buf;
	const uint32_t chunk = sizeof(((struct ghcb *)0)->shared_buffer);

	while (len > 0) {
		uint32_t n = len < chunk ? len : chunk;

		ghcb_io_in_str8(FW_CFG_PORT_DATA, p, n);
		p += n;
		len -= n;
	}
}

#define SCRIPT_PAGES (ACPI_LOADER_MAX_SCRIPT / PAGE_SIZE)

/* Read the script (@len bytes of item @sel) into @script and run it. */
static gpa_t run(uint16_t sel, uint32_t len, uint8_t *script, uint8_t *area,
		 size_t size, gpa_t at, uint64_t t0)
{
	struct acpi_loader_result res;

	fw_cfg_read(sel, script, len);
	if (acpi_loader_run(script, len, area, size, at, &res) != SVSM_OK) {
		memset(area, 0, size);
		con_printf(
			"acpi: REFUSED the host's ACPI tables (%s command "
			"%d: %s): Linux boots without ACPI tables\n",
			LOADER_FILE, res.cmd == UINT32_MAX ? -1 : (int)res.cmd,
			res.why);
		return gpa_invalid();
	}
	con_printf(
		"acpi: host tables loaded at %llx: %u files, %zu bytes, "
		"%u pointers, %u checksums, %u tables listed, RSDP at "
		"%llx (%llu k TSC cycles)\n",
		(unsigned long long)gpa_val(at), res.files, res.used,
		res.pointers, res.checksums, res.tables,
		(unsigned long long)gpa_val(res.rsdp),
		(unsigned long long)((rdtsc() - t0) / 1000));
	if (res.write_pointers != 0) {
		con_printf(
			"acpi: %u WRITE_POINTER commands not performed (no "
			"fw_cfg DMA)\n",
			res.write_pointers);
	}
	return res.rsdp;
}

gpa_t acpi_tables_load(uint8_t *area, size_t size, gpa_t at)
{
	const uint64_t t0 = rdtsc();
	uint16_t sel = 0;
	uint32_t len = 0;
	uint8_t *script = NULL;
	gpa_t rsdp = gpa_invalid();

	if (!fw_cfg_find(LOADER_FILE, &sel, &len)) {
		con_printf(
			"acpi: the host offers no %s (fw_cfg): Linux boots "
			"without ACPI tables\n",
			LOADER_FILE);
		return gpa_invalid();
	}
	if (len == 0 || len > ACPI_LOADER_MAX_SCRIPT) {
		con_printf(
			"acpi: REFUSED the host's ACPI tables: %s is %u "
			"bytes (at most %u): Linux boots without ACPI "
			"tables\n",
			LOADER_FILE, len, (unsigned)ACPI_LOADER_MAX_SCRIPT);
		return gpa_invalid();
	}
	/* The script, copied once from the host (docs/style.md §3 G6) into
	 * pool pages that are only needed now. */
	script = mem_alloc_buf(SCRIPT_PAGES);
	if (script == NULL) {
		con_printf(
			"acpi: no SVSM memory for %s: Linux boots without "
			"ACPI tables\n",
			LOADER_FILE);
		return gpa_invalid();
	}
	rsdp = run(sel, len, script, area, size, at, t0);
	mem_free_buf(script, SCRIPT_PAGES);
	return rsdp;
}
