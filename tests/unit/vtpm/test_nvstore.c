/* SPDX-License-Identifier: MIT */
/*
 * vtpm/nvstore.c under ASan/UBSan: the state blob parser takes input from
 * storage the guest's host may control, so every truncation, every bad
 * length and every duplicate must be refused without reading out of bounds.
 */
#include <libtpms/tpm_error.h>

#include "tap.h"
#include "vtpm_private.h"

static uint8_t blob[4096];
static size_t blob_len;

static void make_store(void)
{
	static const uint8_t perm[100] = {1, 2, 3};
	static const uint8_t vol[7] = {9, 8, 7};

	nvstore_clear();
	nvstore_store(perm, sizeof(perm), 0, "permall");
	nvstore_store(vol, sizeof(vol), 0, "volatilestate");
	blob_len = nvstore_export(blob, sizeof(blob));
}

TAP_CASE(round_trip)
{
	unsigned char *data = NULL;
	uint32_t len = 0;

	make_store();
	CHECK_EQ(blob_len, nvstore_export_size());
	CHECK_EQ(blob_len, 12 + (1 + 7 + 4 + 100) + (1 + 13 + 4 + 7));
	nvstore_clear();
	CHECK_EQ(nvstore_load(&data, &len, 0, "permall"), TPM_RETRY);
	CHECK_TRUE(nvstore_import(blob, blob_len));
	CHECK_EQ(nvstore_load(&data, &len, 0, "permall"), TPM_SUCCESS);
	CHECK_EQ(len, 100);
	CHECK_TRUE(data != NULL && data[0] == 1 && data[2] == 3);
	free(data);
	CHECK_EQ(nvstore_load(&data, &len, 0, "savestate"), TPM_RETRY);
	CHECK_EQ(nvstore_export(blob, 10), 0); /* too small: refused */
}

TAP_CASE(every_truncation_is_refused)
{
	make_store();
	for (size_t n = 0; n < blob_len; n++) {
		CHECK_TRUE(!nvstore_import(blob, n));
	}
	CHECK_TRUE(nvstore_import(blob, blob_len));
}

TAP_CASE(trailing_bytes_are_refused)
{
	make_store();
	blob[blob_len] = 0;
	CHECK_TRUE(!nvstore_import(blob, blob_len + 1));
}

TAP_CASE(bad_fields_are_refused)
{
	make_store();
	blob[0] ^= 1; /* magic */
	CHECK_TRUE(!nvstore_import(blob, blob_len));
	blob[0] ^= 1;
	blob[8] = 4; /* count larger than the names libtpms uses */
	CHECK_TRUE(!nvstore_import(blob, blob_len));
	blob[8] = 2;
	blob[13] = 'X'; /* an unknown name ("Xermall") */
	CHECK_TRUE(!nvstore_import(blob, blob_len));
	blob[13] = 'p';
	blob[20] = 0xff; /* permall length 0xff0000ff: past the end */
	blob[23] = 0xff;
	CHECK_TRUE(!nvstore_import(blob, blob_len));
	make_store();
	CHECK_TRUE(nvstore_import(blob, blob_len));
}

TAP_CASE(duplicate_names_are_refused)
{
	static uint8_t dup[64];
	static const uint8_t entry[] = {7,   'p', 'e', 'r', 'm', 'a', 'l',
					'l', 1,   0,   0,   0,   0x42};
	size_t off = 12;

	memcpy(dup, "VTPMNV01", 8);
	dup[8] = 2;
	memcpy(dup + off, entry, sizeof(entry));
	off += sizeof(entry);
	memcpy(dup + off, entry, sizeof(entry));
	off += sizeof(entry);
	CHECK_TRUE(!nvstore_import(dup, off));
	dup[8] = 1;
	CHECK_TRUE(nvstore_import(dup, off - sizeof(entry)));
}

TAP_CASE(delete_and_unknown_names)
{
	static const uint8_t b[1] = {5};

	nvstore_clear();
	CHECK_EQ(nvstore_store(b, 1, 0, "other"), TPM_FAIL);
	CHECK_EQ(nvstore_delete(0, "savestate", TRUE), TPM_FAIL);
	CHECK_EQ(nvstore_delete(0, "savestate", FALSE), TPM_SUCCESS);
	CHECK_EQ(nvstore_store(b, 1, 0, "savestate"), TPM_SUCCESS);
	CHECK_EQ(nvstore_delete(0, "savestate", TRUE), TPM_SUCCESS);
	nvstore_clear();
}

TAP_MAIN(TAP_ENTRY(round_trip), TAP_ENTRY(every_truncation_is_refused),
	 TAP_ENTRY(trailing_bytes_are_refused),
	 TAP_ENTRY(bad_fields_are_refused),
	 TAP_ENTRY(duplicate_names_are_refused),
	 TAP_ENTRY(delete_and_unknown_names))
