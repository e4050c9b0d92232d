// SPDX-License-Identifier: MIT
/*
 * The ACPI table loader (src/boot/acpi_loader.c) on a fake fw_cfg: a table
 * set shaped like QEMU q35's (RSDP revision 0 -> RSDT -> FACP (FACS, DSDT)
 * and APIC; and an XSDT variant) loads and links, and each hostile script
 * or table is refused with its own reason, nothing written outside the
 * arena (ASan: the arena is a heap block of exactly its size).
 */
#include <stdlib.h>

#include "lib/fw_cfg.h"

#include "boot/acpi_loader.h"
#include "tap.h"

#define BASE 0xF08000u
#define ARENA 0x20000u

/* ---- fake fw_cfg ---- */
struct ffile {
	const char *name;
	uint8_t data[1024];
	uint32_t size;
};
static struct ffile files[ACPI_LOADER_MAX_FILES + 1];
static unsigned nfiles;

bool fw_cfg_find(const char *name, uint16_t *sel, uint32_t *size)
{
	for (unsigned i = 0; i < nfiles; i++) {
		if (strcmp(files[i].name, name) == 0) {
			*sel = (uint16_t)i;
			*size = files[i].size;
			return true;
		}
	}
	return false;
}

void fw_cfg_read(uint16_t sel, void *buf, uint32_t len)
{
	memcpy(buf, files[sel].data,
	       len < files[sel].size ? len : files[sel].size);
}

/* ---- a q35-like set ---- */
enum { T_FACS = 0, T_DSDT = 64, T_FACP = 128, T_APIC = 384, T_RSDT = 448 };
#define FACP_LEN 244
#define RSDT_LEN (36 + 4 * 2)
#define TABLES_LEN (T_RSDT + RSDT_LEN)

static uint8_t script[64 * ACPI_LOADER_ENTRY_SIZE];
static size_t ncmd;
static uint8_t *arena;

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static void hdr(uint8_t *t, const char *sig, uint32_t len)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
}

static uint8_t *cmd(uint32_t c)
{
	uint8_t *p = script + ncmd++ * ACPI_LOADER_ENTRY_SIZE;

	memset(p, 0, ACPI_LOADER_ENTRY_SIZE);
	put32(p, c);
	return p;
}

static void allocate(const char *f, uint32_t align, uint8_t zone)
{
	uint8_t *p = cmd(ACPI_LOADER_ALLOCATE);

	strcpy((char *)p + 4, f);
	put32(p + 60, align);
	p[64] = zone;
}

static void add_pointer(const char *dst, const char *src, uint32_t off,
			uint8_t size)
{
	uint8_t *p = cmd(ACPI_LOADER_ADD_POINTER);

	strcpy((char *)p + 4, dst);
	strcpy((char *)p + 60, src);
	put32(p + 116, off);
	p[120] = size;
}

static void add_checksum(const char *f, uint32_t off, uint32_t start,
			 uint32_t len)
{
	uint8_t *p = cmd(ACPI_LOADER_ADD_CHECKSUM);

	strcpy((char *)p + 4, f);
	put32(p + 60, off);
	put32(p + 64, start);
	put32(p + 68, len);
}

#define RSDP "etc/acpi/rsdp"
#define TABLES "etc/acpi/tables"

/* Files and script as QEMU makes them: tables first in the blob order,
 * pointers hold offsets into the target file, checksums zero. */
static void make_set(void)
{
	uint8_t *t = files[1].data, *r = files[0].data;

	memset(files, 0, sizeof(files));
	nfiles = 2;
	files[0].name = RSDP;
	files[0].size = 20;
	files[1].name = TABLES;
	files[1].size = TABLES_LEN;
	memcpy(r, "RSD PTR ", 8);
	put32(r + 16, T_RSDT);
	hdr(t + T_FACS, "FACS", 64);
	hdr(t + T_DSDT, "DSDT", 40);
	hdr(t + T_FACP, "FACP", FACP_LEN);
	put32(t + T_FACP + 36, T_FACS);
	put32(t + T_FACP + 40, T_DSDT);
	hdr(t + T_APIC, "APIC", 44);
	hdr(t + T_RSDT, "RSDT", RSDT_LEN);
	put32(t + T_RSDT + 36, T_FACP);
	put32(t + T_RSDT + 40, T_APIC);

	memset(script, 0, sizeof(script));
	ncmd = 0;
	allocate(RSDP, 16, ACPI_LOADER_ZONE_FSEG);
	allocate(TABLES, 64, ACPI_LOADER_ZONE_HIGH);
	add_checksum(TABLES, T_DSDT + 9, T_DSDT, 40);
	add_pointer(TABLES, TABLES, T_FACP + 36, 4);
	add_pointer(TABLES, TABLES, T_FACP + 40, 4);
	add_checksum(TABLES, T_FACP + 9, T_FACP, FACP_LEN);
	add_checksum(TABLES, T_APIC + 9, T_APIC, 44);
	add_pointer(TABLES, TABLES, T_RSDT + 36, 4);
	add_pointer(TABLES, TABLES, T_RSDT + 40, 4);
	add_checksum(TABLES, T_RSDT + 9, T_RSDT, RSDT_LEN);
	add_pointer(RSDP, TABLES, 16, 4);
	add_checksum(RSDP, 8, 0, 20);
}

static struct acpi_loader_result res;

static svsm_err_t run(void)
{
	free(arena);
	arena = calloc(1, ARENA);
	return acpi_loader_run(script, ncmd * ACPI_LOADER_ENTRY_SIZE, arena,
			       ARENA, gpa(BASE), &res);
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n-- > 0) {
		s = (uint8_t)(s + *p++);
	}
	return s;
}

TAP_CASE(q35_like_set_loads_and_links)
{
	const uint8_t *t = NULL;

	make_set();
	CHECK_EQ(run(), SVSM_OK);
	/* RSDP first (offset 0), the tables at the next 64-byte boundary. */
	CHECK_EQ(gpa_val(res.rsdp), BASE);
	t = arena + 64;
	CHECK_EQ(res.files, 2);
	CHECK_EQ(res.pointers, 5);
	CHECK_EQ(res.checksums, 5);
	CHECK_EQ(res.tables, 2);
	CHECK_EQ(res.used, 64 + TABLES_LEN);
	CHECK_EQ(get32(arena + 16), BASE + 64 + T_RSDT);
	CHECK_EQ(get32(t + T_RSDT + 36), BASE + 64 + T_FACP);
	CHECK_EQ(get32(t + T_FACP + 40), BASE + 64 + T_DSDT);
	CHECK_EQ(sum(arena, 20), 0);
	CHECK_EQ(sum(t + T_RSDT, RSDT_LEN), 0);
	CHECK_EQ(sum(t + T_FACP, FACP_LEN), 0);
	/* Nothing written past the files. */
	CHECK_EQ(sum(arena + 64 + TABLES_LEN, ARENA - 64 - TABLES_LEN), 0);
}

TAP_CASE(xsdt_revision_2)
{
	uint8_t *r = files[0].data, *t = files[1].data;
	uint8_t *p = NULL;

	make_set();
	/* Turn the RSDT into an XSDT with 8-byte entries. */
	files[0].size = 36;
	r[15] = 2;
	put32(r + 16, 0);
	put32(r + 20, 36);
	memcpy(r + 24, &(uint64_t){T_RSDT}, 8);
	hdr(t + T_RSDT, "XSDT", 36 + 16);
	memcpy(t + T_RSDT + 36, &(uint64_t){T_FACP}, 8);
	memcpy(t + T_RSDT + 44, &(uint64_t){T_APIC}, 8);
	files[1].size = T_RSDT + 52;
	/* Patch the pointer commands: XSDT entries and RSDP are 8 wide. */
	p = script + 7 * ACPI_LOADER_ENTRY_SIZE;
	put32(p + 116, T_RSDT + 36);
	p[120] = 8;
	p += ACPI_LOADER_ENTRY_SIZE;
	put32(p + 116, T_RSDT + 44);
	p[120] = 8;
	p += ACPI_LOADER_ENTRY_SIZE;
	put32(p + 68, 52);
	p += ACPI_LOADER_ENTRY_SIZE;
	put32(p + 116, 24);
	p[120] = 8;
	add_checksum(RSDP, 32, 0, 36);
	CHECK_EQ(run(), SVSM_OK);
	CHECK_EQ(res.tables, 2);
	CHECK_EQ(sum(arena, 36), 0);
	/* The extended checksum wrong: refused. */
	ncmd--;
	CHECK_EQ(run(), SVSM_E_FORMAT);
	CHECK_TRUE(strstr(res.why, "extended checksum") != NULL);
}

/* Run @ncmd commands of the set after @edit; expect @e and @why. */
#define REFUSED(e, why_part)                                     \
	do {                                                     \
		CHECK_EQ(run(), (e));                            \
		CHECK_TRUE(res.why != NULL &&                    \
			   strstr(res.why, (why_part)) != NULL); \
		CHECK_TRUE(gpa_is_invalid(res.rsdp));            \
	} while (0)

static uint8_t *nth(size_t i)
{
	return script + i * ACPI_LOADER_ENTRY_SIZE;
}

TAP_CASE(refuse_script_shape)
{
	make_set();
	CHECK_EQ(acpi_loader_run(script, 100, arena, ARENA, gpa(BASE), &res),
		 SVSM_E_FORMAT);
	CHECK_EQ(acpi_loader_run(script, 0, arena, ARENA, gpa(BASE), &res),
		 SVSM_E_FORMAT);
	CHECK_EQ(acpi_loader_run(script, ACPI_LOADER_MAX_SCRIPT + 128, arena,
				 ARENA, gpa(BASE), &res),
		 SVSM_E_FORMAT);
	/* An area whose end passes 4 GiB cannot hold 32-bit pointers. */
	CHECK_EQ(acpi_loader_run(script, ncmd * 128, arena, ARENA,
				 gpa(0xFFFF0000u), &res),
		 SVSM_E_FORMAT);
	make_set();
	put32(nth(3), 9);
	REFUSED(SVSM_E_FORMAT, "unknown command");
	CHECK_EQ(res.cmd, 3);
	/* QEMU's zero padding to 4 KiB is skipped; a command 0 entry with
	 * anything else in it is not padding. */
	make_set();
	ncmd = 32;
	CHECK_EQ(run(), SVSM_OK);
	nth(20)[100] = 1;
	REFUSED(SVSM_E_FORMAT, "unknown command");
	CHECK_EQ(res.cmd, 20);
}

TAP_CASE(refuse_bad_allocate)
{
	static const char *const names[] = {"f0", "f1", "f2", "f3", "f4",
					    "f5", "f6", "f7", "f8"};

	make_set();
	memset(nth(1) + 4, 'a', ACPI_LOADER_NAME_LEN); /* no NUL */
	REFUSED(SVSM_E_FORMAT, "bad file name");
	make_set();
	put32(nth(1) + 60, 48);
	REFUSED(SVSM_E_FORMAT, "alignment");
	make_set();
	put32(nth(1) + 60, 8192);
	REFUSED(SVSM_E_FORMAT, "alignment");
	make_set();
	put32(nth(1) + 60, 0);
	REFUSED(SVSM_E_FORMAT, "alignment");
	make_set();
	nth(1)[64] = 3;
	REFUSED(SVSM_E_FORMAT, "zone");
	make_set();
	strcpy((char *)nth(1) + 4, RSDP);
	REFUSED(SVSM_E_FORMAT, "allocated twice");
	make_set();
	strcpy((char *)nth(1) + 4, "etc/acpi/nothere");
	REFUSED(SVSM_E_FORMAT, "no such fw_cfg file");
	make_set();
	files[1].size = 0;
	REFUSED(SVSM_E_FORMAT, "empty file");
	/* A file that does not fit the area: the host names its size. */
	make_set();
	files[1].size = ARENA - 63;
	REFUSED(SVSM_E_NOMEM, "do not fit");
	/* More files than the loader keeps. */
	make_set();
	ncmd = 0;
	for (unsigned i = 0; i <= ACPI_LOADER_MAX_FILES; i++) {
		files[i].name = names[i];
		files[i].size = 16;
		allocate(names[i], 16, ACPI_LOADER_ZONE_HIGH);
	}
	nfiles = ACPI_LOADER_MAX_FILES + 1;
	REFUSED(SVSM_E_NOMEM, "too many files");
}

TAP_CASE(refuse_bad_pointer)
{
	make_set();
	strcpy((char *)nth(3) + 60, "etc/unallocated");
	REFUSED(SVSM_E_FORMAT, "not allocated");
	make_set();
	put32(nth(3) + 116, TABLES_LEN - 2); /* 4 bytes from 2 before the end */
	REFUSED(SVSM_E_FORMAT, "outside its file");
	make_set();
	put32(nth(3) + 116, UINT32_MAX - 1); /* offset + size wraps */
	REFUSED(SVSM_E_FORMAT, "outside its file");
	make_set();
	nth(3)[120] = 3;
	REFUSED(SVSM_E_FORMAT, "outside its file");
	/* The original value must be an offset inside the source file. */
	make_set();
	put32(files[1].data + T_FACP + 36, TABLES_LEN);
	REFUSED(SVSM_E_FORMAT, "offset outside the source");
	/* A one-byte field cannot hold the address. */
	make_set();
	nth(3)[120] = 1;
	REFUSED(SVSM_E_FORMAT, "does not fit");
	/* A pointer into a file not allocated yet (order matters). */
	make_set();
	memcpy(nth(0), nth(3), ACPI_LOADER_ENTRY_SIZE);
	REFUSED(SVSM_E_FORMAT, "not allocated");
}

TAP_CASE(refuse_bad_checksum_command)
{
	make_set();
	put32(nth(2) + 60, TABLES_LEN);
	REFUSED(SVSM_E_FORMAT, "range outside");
	make_set();
	put32(nth(2) + 64, UINT32_MAX);
	put32(nth(2) + 68, 2);
	REFUSED(SVSM_E_FORMAT, "range outside");
	make_set();
	put32(nth(2) + 68, TABLES_LEN);
	REFUSED(SVSM_E_FORMAT, "range outside");
	make_set();
	strcpy((char *)nth(2) + 4, "etc/unallocated");
	REFUSED(SVSM_E_FORMAT, "not allocated");
}

TAP_CASE(refuse_bad_linked_tables)
{
	/* No RSDP file in the set. */
	make_set();
	files[0].name = "etc/acpi/rsdp2";
	strcpy((char *)nth(0) + 4, "etc/acpi/rsdp2");
	strcpy((char *)nth(10) + 4, "etc/acpi/rsdp2");
	strcpy((char *)nth(11) + 4, "etc/acpi/rsdp2");
	REFUSED(SVSM_E_FORMAT, "no RSDP");
	/* RSDP checksum never fixed. */
	make_set();
	ncmd--;
	REFUSED(SVSM_E_FORMAT, "RSDP: bad signature or checksum");
	/* RSDT pointer left unpatched: it points below the area. */
	make_set();
	memcpy(nth(10), nth(11), ACPI_LOADER_ENTRY_SIZE);
	ncmd--;
	REFUSED(SVSM_E_FORMAT, "RSDT/XSDT outside");
	/* A listed table with a bad checksum (APIC's never fixed). */
	make_set();
	put32(nth(6), ACPI_LOADER_WRITE_POINTER);
	memset(nth(6) + 4, 0, 124);
	strcpy((char *)nth(6) + 4, "etc/vmgenid_addr");
	strcpy((char *)nth(6) + 60, TABLES);
	nth(6)[124] = 8;
	REFUSED(SVSM_E_FORMAT, "bad checksum");
	CHECK_EQ(res.write_pointers, 1);
	/* A table whose length runs past its file. */
	make_set();
	put32(files[1].data + T_APIC + 4, TABLES_LEN);
	REFUSED(SVSM_E_FORMAT, "outside the tables");
	/* The FADT's DSDT pointer left unpatched. */
	make_set();
	memcpy(nth(4), nth(5), ACPI_LOADER_ENTRY_SIZE);
	REFUSED(SVSM_E_FORMAT, "FADT");
	/* An RSDT whose length is not a whole number of entries. */
	make_set();
	put32(files[1].data + T_RSDT + 4, RSDT_LEN - 1);
	put32(nth(9) + 68, RSDT_LEN - 1);
	REFUSED(SVSM_E_FORMAT, "RSDT/XSDT length");
}

TAP_CASE(write_pointer_checked_not_performed)
{
	uint8_t *p = NULL;

	make_set();
	p = cmd(ACPI_LOADER_WRITE_POINTER);
	strcpy((char *)p + 4, "etc/vmgenid_addr");
	strcpy((char *)p + 60, TABLES);
	put32(p + 120, 0);
	p[124] = 8;
	CHECK_EQ(run(), SVSM_OK);
	CHECK_EQ(res.write_pointers, 1);
	put32(p + 120, TABLES_LEN); /* source offset outside the file */
	REFUSED(SVSM_E_FORMAT, "WRITE_POINTER");
	put32(p + 120, 0);
	p[124] = 5;
	REFUSED(SVSM_E_FORMAT, "WRITE_POINTER");
}

TAP_MAIN(TAP_ENTRY(q35_like_set_loads_and_links), TAP_ENTRY(xsdt_revision_2),
	 TAP_ENTRY(refuse_script_shape), TAP_ENTRY(refuse_bad_allocate),
	 TAP_ENTRY(refuse_bad_pointer), TAP_ENTRY(refuse_bad_checksum_command),
	 TAP_ENTRY(refuse_bad_linked_tables),
	 TAP_ENTRY(write_pointer_checked_not_performed))
