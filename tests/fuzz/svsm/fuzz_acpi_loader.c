// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the ACPI table loader (src/boot/acpi_loader.c): the
 * host's fw_cfg data is the input. Layout (little-endian): u16 script
 * length, u16 RSDP file length, the `etc/table-loader` script, the
 * `etc/acpi/rsdp` file, and the rest as `etc/acpi/tables`; a fourth name,
 * `etc/tpm/log`, is 64 zero bytes. The arena is a heap block of exactly
 * the size the SVSM uses, so ASan catches any write outside it.
 *
 * Invariants (docs/fuzzing.md): success names an RSDP inside the arena
 * with a valid signature and checksum, inside the bytes in use, and
 * nothing past those bytes written; a refusal names its reason and no RSDP.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fw_cfg.h"

#include "svsm/abi/boot_params.h"

#include "../fuzz_check.h"
#include "boot/acpi_loader.h"

#define BASE 0xF08000u
#define ARENA (SVSM_LINUX_ACPI_PAGES * 4096u)

static const char *const names[] = {"etc/table-loader", "etc/acpi/rsdp",
				    "etc/acpi/tables", "etc/tpm/log"};
static const uint8_t *file_data[4];
static uint32_t file_size[4];
static const uint8_t zeros[64];

bool fw_cfg_find(const char *name, uint16_t *sel, uint32_t *size)
{
	for (uint16_t i = 0; i < 4; i++) {
		if (strcmp(names[i], name) == 0) {
			*sel = i;
			*size = file_size[i];
			return true;
		}
	}
	return false;
}

void fw_cfg_read(uint16_t sel, void *buf, uint32_t len)
{
	if (sel >= 4 || len > file_size[sel]) {
		FAIL("fw_cfg_read(%u, %u): more than the file holds", sel, len);
	}
	memcpy(buf, file_data[sel], len);
}

NO_COV static void check(svsm_err_t e, const struct acpi_loader_result *r,
			 const uint8_t *arena)
{
	uint64_t at = 0;
	uint8_t s = 0;

	if (e != SVSM_OK) {
		if (r->why == NULL || !gpa_is_invalid(r->rsdp)) {
			FAIL("refusal without reason, or with an RSDP");
		}
		return;
	}
	at = gpa_val(r->rsdp);
	if (r->used > ARENA || at < BASE || at + 20 > BASE + r->used) {
		FAIL("RSDP %llx or used %zu outside the arena",
		     (unsigned long long)at, r->used);
	}
	if (memcmp(arena + (at - BASE), "RSD PTR ", 8) != 0) {
		FAIL("RSDP signature");
	}
	for (unsigned i = 0; i < 20; i++) {
		s = (uint8_t)(s + arena[at - BASE + i]);
	}
	if (s != 0) {
		FAIL("RSDP checksum");
	}
	for (size_t i = r->used; i < ARENA; i++) {
		if (arena[i] != 0) {
			FAIL("arena byte %zu written past the files", i);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_loader_result r;
	uint32_t script = 0, rsdp = 0;
	uint8_t *arena = NULL;
	svsm_err_t e = SVSM_OK;

	if (size < 4) {
		return 0;
	}
	script = (uint32_t)(data[0] | data[1] << 8);
	rsdp = (uint32_t)(data[2] | data[3] << 8);
	data += 4;
	size -= 4;
	if (script > size || rsdp > size - script) {
		return 0;
	}
	file_data[0] = data;
	file_size[0] = script;
	file_data[1] = data + script;
	file_size[1] = rsdp;
	file_data[2] = data + script + rsdp;
	file_size[2] = (uint32_t)(size - script - rsdp);
	file_data[3] = zeros;
	file_size[3] = sizeof(zeros);
	arena = calloc(1, ARENA);
	if (arena == NULL) {
		return 0;
	}
	e = acpi_loader_run(file_data[0], file_size[0], arena, ARENA, gpa(BASE),
			    &r);
	check(e, &r, arena);
	free(arena);
	return 0;
}
