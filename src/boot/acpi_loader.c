// SPDX-License-Identifier: MIT
/*
 * The table-loader script (acpi_loader.h). Formats: QEMU
 * hw/acpi/bios-linker-loader.c (BiosLinkerLoaderEntry, little-endian);
 * semantics as OVMF's OvmfPkg/AcpiPlatformDxe/QemuFwCfgAcpi.c applies them
 * (a pointer's original value is an offset into its source file and must
 * lie inside it; the patched value must fit the pointer's width; a file is
 * allocated once). Stricter than OVMF: an unknown command refuses the set
 * instead of being skipped, and the linked tables are checked before Linux
 * sees them (docs/linux-boot.md §10).
 */
#include "boot/acpi_loader.h"

#include <stdbool.h>

#include "lib/fw_cfg.h"
#include "lib/string.h"

/* Field offsets inside one command (after the 4-byte command word). */
#define CMD_ARG 4
#define ALLOC_ALIGN (CMD_ARG + ACPI_LOADER_NAME_LEN)
#define ALLOC_ZONE (ALLOC_ALIGN + 4)
#define PTR_SRC (CMD_ARG + ACPI_LOADER_NAME_LEN)
#define PTR_OFFSET (PTR_SRC + ACPI_LOADER_NAME_LEN)
#define PTR_SIZE (PTR_OFFSET + 4)
#define CSUM_OFFSET (CMD_ARG + ACPI_LOADER_NAME_LEN)
#define CSUM_START (CSUM_OFFSET + 4)
#define CSUM_LENGTH (CSUM_START + 4)
#define WPTR_DST_OFFSET (PTR_SRC + ACPI_LOADER_NAME_LEN)
#define WPTR_SRC_OFFSET (WPTR_DST_OFFSET + 4)
#define WPTR_SIZE (WPTR_SRC_OFFSET + 4)
_Static_assert(WPTR_SIZE < ACPI_LOADER_ENTRY_SIZE, "command layout");

/* ACPI 6.5 §5.2.5.3 (RSDP) and §5.2.6 (system description table header). */
#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define RSDP_REVISION 15
#define RSDP_RSDT 16
#define RSDP_LENGTH 20
#define RSDP_XSDT 24
#define SDT_HDR_LEN 36
#define SDT_LENGTH 4
/* FADT (§5.2.9): FIRMWARE_CTRL, DSDT, X_FIRMWARE_CTRL, X_DSDT. */
#define FADT_FACS 36
#define FADT_DSDT 40
#define FADT_X_FACS 132
#define FADT_X_DSDT 140
#define FACS_MIN_LEN 64

struct file {
	char name[ACPI_LOADER_NAME_LEN];
	size_t off; /* in the arena */
	uint32_t size;
};

struct loader {
	uint8_t *arena;
	size_t arena_size;
	uint64_t base; /* arena_at */
	struct file files[ACPI_LOADER_MAX_FILES];
	uint32_t nfiles;
	size_t used;
	struct acpi_loader_result *res;
};

static uint64_t get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i > 0; i--) {
		v = v << 8 | p[i - 1];
	}
	return v;
}

static void put_le(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	for (size_t i = 0; i < n; i++) {
		s = (uint8_t)(s + p[i]);
	}
	return s;
}

static bool all_zero(const uint8_t *c)
{
	for (size_t i = 0; i < ACPI_LOADER_ENTRY_SIZE; i++) {
		if (c[i] != 0) {
			return false;
		}
	}
	return true;
}

static svsm_err_t refuse(struct loader *l, svsm_err_t e, const char *why)
{
	l->res->why = why;
	return e;
}

/* A name field: NUL-terminated inside its 56 bytes, not empty. */
static bool name_ok(const uint8_t *p)
{
	return p[0] != '\0' &&
	       RT_SYM(strnlen)((const char *)p, ACPI_LOADER_NAME_LEN) <
		       ACPI_LOADER_NAME_LEN;
}

static struct file *lookup(struct loader *l, const uint8_t *name)
{
	for (uint32_t i = 0; i < l->nfiles; i++) {
		if (RT_SYM(strcmp)(l->files[i].name, (const char *)name) == 0) {
			return &l->files[i];
		}
	}
	return NULL;
}

static svsm_err_t cmd_allocate(struct loader *l, const uint8_t *c)
{
	const uint32_t align = (uint32_t)get_le(c + ALLOC_ALIGN, 4);
	const uint8_t zone = c[ALLOC_ZONE];
	struct file *f = NULL;
	uint16_t sel = 0;
	uint32_t size = 0;
	size_t off = 0;

	if (!name_ok(c + CMD_ARG)) {
		return refuse(l, SVSM_E_FORMAT, "ALLOCATE: bad file name");
	}
	if (align == 0 || (align & (align - 1)) != 0 || align > PAGE_SIZE) {
		return refuse(l, SVSM_E_FORMAT,
			      "ALLOCATE: alignment not a power of two <= 4096");
	}
	if (zone != ACPI_LOADER_ZONE_HIGH && zone != ACPI_LOADER_ZONE_FSEG) {
		return refuse(l, SVSM_E_FORMAT, "ALLOCATE: unknown zone");
	}
	if (lookup(l, c + CMD_ARG) != NULL) {
		return refuse(l, SVSM_E_FORMAT,
			      "ALLOCATE: file allocated twice");
	}
	if (l->nfiles == ACPI_LOADER_MAX_FILES) {
		return refuse(l, SVSM_E_NOMEM, "ALLOCATE: too many files");
	}
	if (!fw_cfg_find((const char *)(c + CMD_ARG), &sel, &size)) {
		return refuse(l, SVSM_E_FORMAT,
			      "ALLOCATE: no such fw_cfg file");
	}
	if (size == 0) {
		return refuse(l, SVSM_E_FORMAT, "ALLOCATE: empty file");
	}
	off = (l->used + align - 1) & ~(size_t)(align - 1);
	if (off > l->arena_size || size > l->arena_size - off) {
		return refuse(l, SVSM_E_NOMEM,
			      "ALLOCATE: the files do not fit the ACPI area");
	}
	f = &l->files[l->nfiles++];
	RT_SYM(memcpy)(f->name, c + CMD_ARG, ACPI_LOADER_NAME_LEN);
	f->off = off;
	f->size = size;
	fw_cfg_read(sel, l->arena + off, size);
	l->used = off + size;
	l->res->files++;
	return SVSM_OK;
}

/* Width of a pointer field: 1, 2, 4 or 8 bytes. */
static bool width_ok(uint8_t n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

static svsm_err_t cmd_add_pointer(struct loader *l, const uint8_t *c)
{
	const uint32_t at = (uint32_t)get_le(c + PTR_OFFSET, 4);
	const uint8_t n = c[PTR_SIZE];
	struct file *dst = NULL, *src = NULL;
	uint64_t v = 0;

	if (!name_ok(c + CMD_ARG) || !name_ok(c + PTR_SRC)) {
		return refuse(l, SVSM_E_FORMAT, "ADD_POINTER: bad file name");
	}
	dst = lookup(l, c + CMD_ARG);
	src = lookup(l, c + PTR_SRC);
	if (dst == NULL || src == NULL) {
		return refuse(l, SVSM_E_FORMAT,
			      "ADD_POINTER: file not allocated");
	}
	if (!width_ok(n) || at > dst->size || n > dst->size - at) {
		return refuse(l, SVSM_E_FORMAT,
			      "ADD_POINTER: field outside its file");
	}
	v = get_le(l->arena + dst->off + at, n);
	/* The original value is an offset into the source file. */
	if (v >= src->size) {
		return refuse(l, SVSM_E_FORMAT,
			      "ADD_POINTER: offset outside the source file");
	}
	v += l->base + src->off;
	if (n < 8 && (v >> (8 * n)) != 0) {
		return refuse(l, SVSM_E_FORMAT,
			      "ADD_POINTER: address does not fit the field");
	}
	put_le(l->arena + dst->off + at, n, v);
	l->res->pointers++;
	return SVSM_OK;
}

static svsm_err_t cmd_add_checksum(struct loader *l, const uint8_t *c)
{
	const uint32_t at = (uint32_t)get_le(c + CSUM_OFFSET, 4);
	const uint32_t start = (uint32_t)get_le(c + CSUM_START, 4);
	const uint32_t len = (uint32_t)get_le(c + CSUM_LENGTH, 4);
	struct file *f = NULL;
	uint8_t *p = NULL;

	if (!name_ok(c + CMD_ARG)) {
		return refuse(l, SVSM_E_FORMAT, "ADD_CHECKSUM: bad file name");
	}
	f = lookup(l, c + CMD_ARG);
	if (f == NULL) {
		return refuse(l, SVSM_E_FORMAT,
			      "ADD_CHECKSUM: file not allocated");
	}
	if (at >= f->size || start > f->size || len > f->size - start) {
		return refuse(l, SVSM_E_FORMAT,
			      "ADD_CHECKSUM: range outside its file");
	}
	p = l->arena + f->off;
	/* As SeaBIOS: whatever the byte held, the range then sums to 0. */
	p[at] = (uint8_t)(p[at] - sum8(p + start, len));
	l->res->checksums++;
	return SVSM_OK;
}

/*
 * WRITE_POINTER tells a device (vmgenid, vmcoreinfo) where its blob lies
 * by writing into a writable fw_cfg file, which needs fw_cfg DMA; snpemu
 * denies DMA, and the SVSM does not hand the host guest addresses. Checked
 * as strictly as the others, counted, not performed: that device then
 * does not learn the address, the tables are unaffected.
 */
static svsm_err_t cmd_write_pointer(struct loader *l, const uint8_t *c)
{
	const uint32_t src_off = (uint32_t)get_le(c + WPTR_SRC_OFFSET, 4);
	const uint8_t n = c[WPTR_SIZE];
	struct file *src = NULL;

	if (!name_ok(c + CMD_ARG) || !name_ok(c + PTR_SRC)) {
		return refuse(l, SVSM_E_FORMAT, "WRITE_POINTER: bad file name");
	}
	src = lookup(l, c + PTR_SRC);
	if (src == NULL || !width_ok(n) || src_off >= src->size) {
		return refuse(l, SVSM_E_FORMAT,
			      "WRITE_POINTER: bad source or width");
	}
	l->res->write_pointers++;
	return SVSM_OK;
}

/* [gpa, gpa + len) inside one allocation: its arena bytes, else NULL. */
static const uint8_t *in_file(struct loader *l, uint64_t g, uint64_t len)
{
	for (uint32_t i = 0; i < l->nfiles; i++) {
		const uint64_t s = l->base + l->files[i].off;

		if (g >= s && g - s <= l->files[i].size &&
		    len <= l->files[i].size - (g - s)) {
			return l->arena + l->files[i].off + (g - s);
		}
	}
	return NULL;
}

/* A table with a header at @g: inside one file, its length too, checksum
 * 0 (@csum false for the FACS, which has none). */
static const uint8_t *table_at(struct loader *l, uint64_t g, uint32_t min,
			       bool csum)
{
	const uint8_t *h = in_file(l, g, min);
	uint32_t len = 0;

	if (h == NULL) {
		return NULL;
	}
	len = (uint32_t)get_le(h + SDT_LENGTH, 4);
	if (len < min || in_file(l, g, len) == NULL ||
	    (csum && sum8(h, len) != 0)) {
		return NULL;
	}
	return h;
}

/* The FADT's DSDT and FACS, where given (the 64-bit fields win). */
static bool fadt_ok(struct loader *l, const uint8_t *t)
{
	const uint32_t len = (uint32_t)get_le(t + SDT_LENGTH, 4);
	uint64_t dsdt = 0, facs = 0;

	if (len < FADT_DSDT + 4) {
		return false;
	}
	facs = get_le(t + FADT_FACS, 4);
	dsdt = get_le(t + FADT_DSDT, 4);
	if (len >= FADT_X_FACS + 8 && get_le(t + FADT_X_FACS, 8) != 0) {
		facs = get_le(t + FADT_X_FACS, 8);
	}
	if (len >= FADT_X_DSDT + 8 && get_le(t + FADT_X_DSDT, 8) != 0) {
		dsdt = get_le(t + FADT_X_DSDT, 8);
	}
	return (dsdt == 0 || table_at(l, dsdt, SDT_HDR_LEN, true) != NULL) &&
	       (facs == 0 || table_at(l, facs, FACS_MIN_LEN, false) != NULL);
}

/* The RSDT (@w 4) or XSDT (@w 8) at @g and every table it lists. */
static svsm_err_t check_sdt(struct loader *l, uint64_t g, unsigned w)
{
	const uint8_t *t = table_at(l, g, SDT_HDR_LEN, true);
	uint32_t len = 0;

	if (t == NULL) {
		return refuse(l, SVSM_E_FORMAT,
			      "RSDT/XSDT outside the tables or bad checksum");
	}
	len = (uint32_t)get_le(t + SDT_LENGTH, 4);
	if ((len - SDT_HDR_LEN) % w != 0) {
		return refuse(l, SVSM_E_FORMAT, "RSDT/XSDT length");
	}
	for (uint32_t o = SDT_HDR_LEN; o < len; o += w) {
		const uint8_t *e =
			table_at(l, get_le(t + o, w), SDT_HDR_LEN, true);

		if (e == NULL) {
			return refuse(l, SVSM_E_FORMAT,
				      "a listed table is outside the tables "
				      "or has a bad checksum");
		}
		if (RT_SYM(memcmp)(e, "FACP", 4) == 0 && !fadt_ok(l, e)) {
			return refuse(l, SVSM_E_FORMAT,
				      "FADT: DSDT or FACS outside the tables");
		}
		l->res->tables++;
	}
	return SVSM_OK;
}

static svsm_err_t check_rsdp(struct loader *l)
{
	const struct file *f =
		lookup(l, (const uint8_t *)ACPI_LOADER_RSDP_FILE);
	const uint8_t *r = NULL;
	uint64_t xsdt = 0;

	if (f == NULL || f->size < RSDP_V1_LEN) {
		return refuse(l, SVSM_E_FORMAT, "no RSDP file allocated");
	}
	r = l->arena + f->off;
	if (RT_SYM(memcmp)(r, "RSD PTR ", 8) != 0 ||
	    sum8(r, RSDP_V1_LEN) != 0) {
		return refuse(l, SVSM_E_FORMAT,
			      "RSDP: bad signature or checksum");
	}
	l->res->rsdp = gpa(l->base + f->off);
	if (r[RSDP_REVISION] < 2) {
		return check_sdt(l, get_le(r + RSDP_RSDT, 4), 4);
	}
	if (f->size < RSDP_V2_LEN || get_le(r + RSDP_LENGTH, 4) < RSDP_V2_LEN ||
	    get_le(r + RSDP_LENGTH, 4) > f->size ||
	    sum8(r, (size_t)get_le(r + RSDP_LENGTH, 4)) != 0) {
		return refuse(l, SVSM_E_FORMAT,
			      "RSDP: bad length or extended checksum");
	}
	/* Linux prefers the XSDT when present; check what it will use,
	 * and the RSDT too if one is named. */
	xsdt = get_le(r + RSDP_XSDT, 8);
	if (get_le(r + RSDP_RSDT, 4) != 0) {
		svsm_err_t e = check_sdt(l, get_le(r + RSDP_RSDT, 4), 4);

		if (e != SVSM_OK || xsdt == 0) {
			return e;
		}
		l->res->tables = 0;
	}
	if (xsdt == 0) {
		return refuse(l, SVSM_E_FORMAT, "RSDP names no RSDT or XSDT");
	}
	return check_sdt(l, xsdt, 8);
}

svsm_err_t acpi_loader_run(const uint8_t *script, size_t len, uint8_t *arena,
			   size_t arena_size, gpa_t arena_at,
			   struct acpi_loader_result *res)
{
	struct loader l = {
		.arena = arena,
		.arena_size = arena_size,
		.base = gpa_val(arena_at),
		.res = res,
	};
	uint64_t end = 0;
	svsm_err_t e = SVSM_OK;

	RT_SYM(memset)(res, 0, sizeof(*res));
	res->cmd = UINT32_MAX;
	res->rsdp = gpa_invalid();
	if (len == 0 || len % ACPI_LOADER_ENTRY_SIZE != 0 ||
	    len > ACPI_LOADER_MAX_SCRIPT) {
		return refuse(&l, SVSM_E_FORMAT,
			      "etc/table-loader: size not a whole number of "
			      "commands (or too many)");
	}
	/* The arena's addresses must not wrap and must fit the 32-bit RSDT
	 * pointers QEMU emits. */
	if (!range_end(l.base, arena_size, &end) || end > UINT32_MAX) {
		return refuse(&l, SVSM_E_FORMAT, "ACPI area above 4 GiB");
	}
	for (size_t i = 0; i < len / ACPI_LOADER_ENTRY_SIZE; i++) {
		const uint8_t *c = script + i * ACPI_LOADER_ENTRY_SIZE;

		res->cmd = (uint32_t)i;
		switch (get_le(c, 4)) {
		case ACPI_LOADER_ALLOCATE:
			e = cmd_allocate(&l, c);
			break;
		case ACPI_LOADER_ADD_POINTER:
			e = cmd_add_pointer(&l, c);
			break;
		case ACPI_LOADER_ADD_CHECKSUM:
			e = cmd_add_checksum(&l, c);
			break;
		case ACPI_LOADER_WRITE_POINTER:
			e = cmd_write_pointer(&l, c);
			break;
		case 0:
			/* QEMU pads the script to 4 KiB with zeros
			 * (acpi-build.c, ACPI_BUILD_ALIGN_SIZE): a whole
			 * zero entry is padding, anything else in it is not. */
			if (!all_zero(c)) {
				e = refuse(&l, SVSM_E_FORMAT,
					   "unknown command");
			}
			break;
		default:
			e = refuse(&l, SVSM_E_FORMAT, "unknown command");
			break;
		}
		if (e != SVSM_OK) {
			return e;
		}
	}
	res->cmd = UINT32_MAX;
	e = check_rsdp(&l);
	if (e != SVSM_OK) {
		res->rsdp = gpa_invalid();
		return e;
	}
	res->used = l.used;
	return SVSM_OK;
}
