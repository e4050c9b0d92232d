/* SPDX-License-Identifier: MIT */
/*
 * Hosted helpers: libcrypto hashes and whole-file I/O.
 */
#include "igvm/host.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>

static void digest(const EVP_MD *md, const void *data, size_t len, uint8_t *out)
{
	unsigned int n = 0;

	/* EVP_Digest only fails on allocation failure: treat as fatal. */
	if (!EVP_Digest(data, len, out, &n, md, NULL)) {
		fprintf(stderr, "fatal: libcrypto digest failed\n");
		abort();
	}
}

void igvm_host_sha384(const void *data, size_t len, uint8_t out[48])
{
	digest(EVP_sha384(), data, len, out);
}

void igvm_host_sha256(const void *data, size_t len, uint8_t out[32])
{
	digest(EVP_sha256(), data, len, out);
}

void igvm_host_hex(const uint8_t *bytes, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[bytes[i] >> 4];
		out[2 * i + 1] = hex[bytes[i] & 15];
	}
	out[2 * len] = '\0';
}

bool igvm_host_read_file(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	*data = NULL;
	*len = 0;
	if (!f) {
		return false;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			uint8_t *nb = realloc(buf, ncap);

			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return false;
			}
			buf = nb;
			cap = ncap;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			break;
		}
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return false;
	}
	fclose(f);
	*data = buf;
	*len = n;
	return true;
}

bool igvm_host_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	bool ok;

	if (!f) {
		return false;
	}
	ok = fwrite(data, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	return ok;
}
