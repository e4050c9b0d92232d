/* SPDX-License-Identifier: MIT */
/*
 * The vTPM's persistent state, held in memory: libtpms stores and loads
 * whole "files" by name through its NV callbacks (permall = the NV
 * contents, volatilestate and savestate), and the embedder moves them as
 * one blob (vtpm_state_export / vtpm_init). Blob format, little-endian:
 *   "VTPMNV01" | u32 count | count * (u8 name_len | name | u32 len | data)
 * The blob may come from untrusted storage: import checks every length
 * against the bytes that remain and accepts only the names libtpms uses.
 */
#include <libtpms/tpm_error.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vtpm_private.h"

#define NV_MAGIC "VTPMNV01"
#define NV_MAGIC_LEN 8u
/* Larger than any libtpms 0.9 state (permall is ~60 KB); bounds imports. */
#define NV_FILE_MAX (1u << 20)

struct nv_file {
	const char *name;
	uint8_t *data;
	uint32_t len;
	bool present;
};

static struct nv_file nv_files[] = {
	{"permall", NULL, 0, false},
	{"volatilestate", NULL, 0, false},
	{"savestate", NULL, 0, false},
};

#define NV_FILE_COUNT (sizeof(nv_files) / sizeof(nv_files[0]))

static struct nv_file *nv_find(const char *name, size_t name_len)
{
	for (size_t i = 0; i < NV_FILE_COUNT; i++) {
		if (strlen(nv_files[i].name) == name_len &&
		    memcmp(nv_files[i].name, name, name_len) == 0) {
			return &nv_files[i];
		}
	}
	return NULL;
}

static void nv_drop(struct nv_file *f)
{
	if (f->data != NULL) {
		memset(f->data, 0, f->len); /* it holds the TPM's seeds */
		free(f->data);
	}
	f->data = NULL;
	f->len = 0;
	f->present = false;
}

static bool nv_set(struct nv_file *f, const uint8_t *data, uint32_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	if (copy == NULL) {
		return false;
	}
	memcpy(copy, data, len);
	nv_drop(f);
	f->data = copy;
	f->len = len;
	f->present = true;
	return true;
}

TPM_RESULT nvstore_load(unsigned char **data, uint32_t *length,
			uint32_t tpm_number, const char *name)
{
	struct nv_file *f = nv_find(name, strlen(name));

	(void)tpm_number;
	*data = NULL;
	*length = 0;
	if (f == NULL || !f->present) {
		return TPM_RETRY; /* libtpms: "no such file", manufacture */
	}
	/* libtpms takes ownership and frees it with free(). */
	*data = malloc(f->len ? f->len : 1);
	if (*data == NULL) {
		return TPM_FAIL;
	}
	memcpy(*data, f->data, f->len);
	*length = f->len;
	return TPM_SUCCESS;
}

TPM_RESULT nvstore_store(const unsigned char *data, uint32_t length,
			 uint32_t tpm_number, const char *name)
{
	struct nv_file *f = nv_find(name, strlen(name));

	(void)tpm_number;
	if (f == NULL || length > NV_FILE_MAX) {
		return TPM_FAIL;
	}
	return nv_set(f, data, length) ? TPM_SUCCESS : TPM_FAIL;
}

TPM_RESULT nvstore_delete(uint32_t tpm_number, const char *name,
			  TPM_BOOL must_exist)
{
	struct nv_file *f = nv_find(name, strlen(name));

	(void)tpm_number;
	if (f == NULL || !f->present) {
		return must_exist ? TPM_FAIL : TPM_SUCCESS;
	}
	nv_drop(f);
	return TPM_SUCCESS;
}

void nvstore_clear(void)
{
	for (size_t i = 0; i < NV_FILE_COUNT; i++) {
		nv_drop(&nv_files[i]);
	}
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

bool nvstore_import(const uint8_t *blob, size_t len)
{
	size_t off = NV_MAGIC_LEN + 4;

	if (len < off || memcmp(blob, NV_MAGIC, NV_MAGIC_LEN) != 0) {
		return false;
	}
	uint32_t count = get_le32(blob + NV_MAGIC_LEN);
	if (count > NV_FILE_COUNT) {
		return false;
	}
	nvstore_clear();
	for (uint32_t i = 0; i < count; i++) {
		if (len - off < 1) {
			goto bad;
		}
		size_t name_len = blob[off++];
		if (len - off < name_len + 4) {
			goto bad;
		}
		struct nv_file *f = nv_find((const char *)blob + off, name_len);
		off += name_len;
		uint32_t flen = get_le32(blob + off);
		off += 4;
		if (f == NULL || f->present || flen > NV_FILE_MAX ||
		    len - off < flen) {
			goto bad;
		}
		if (!nv_set(f, blob + off, flen)) {
			goto bad;
		}
		off += flen;
	}
	if (off != len) {
		goto bad;
	}
	return true;
bad:
	nvstore_clear();
	return false;
}

size_t nvstore_export_size(void)
{
	size_t n = NV_MAGIC_LEN + 4;

	for (size_t i = 0; i < NV_FILE_COUNT; i++) {
		if (nv_files[i].present) {
			n += 1 + strlen(nv_files[i].name) + 4 + nv_files[i].len;
		}
	}
	return n;
}

size_t nvstore_export(uint8_t *out, size_t cap)
{
	size_t need = nvstore_export_size();
	size_t off = NV_MAGIC_LEN + 4;
	uint32_t count = 0;

	if (cap < need) {
		return 0;
	}
	memcpy(out, NV_MAGIC, NV_MAGIC_LEN);
	for (size_t i = 0; i < NV_FILE_COUNT; i++) {
		const struct nv_file *f = &nv_files[i];
		if (!f->present) {
			continue;
		}
		size_t name_len = strlen(f->name);
		out[off++] = (uint8_t)name_len;
		memcpy(out + off, f->name, name_len);
		off += name_len;
		put_le32(out + off, f->len);
		off += 4;
		memcpy(out + off, f->data, f->len);
		off += f->len;
		count++;
	}
	put_le32(out + NV_MAGIC_LEN, count);
	return off;
}
