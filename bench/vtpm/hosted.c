/* SPDX-License-Identifier: MIT */
/*
 * The vTPM benchmark driver (tests/unit/vtpm/fs/bench.c, unchanged) on
 * Debian's hosted libtpms.so.0, which uses the system's OpenSSL with its
 * assembly: the same commands, timed the same way, so the figures compare
 * engine to engine. libtpms keeps its NV in files under $TPM_PATH; a state
 * blob of the engine (vtpm/nvstore.c's format) is written there as those
 * files, so both libraries run the same TPM (the same seeds).
 */
#include <inttypes.h>
#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <vtpm/vtpm.h>

#include "sys.h"

static unsigned char *resp_buf;
static uint32_t resp_buf_size;

int32_t vtpm_cmd(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap)
{
	static unsigned char cmd[VTPM_BUFFER_MAX];
	uint32_t resp_len = 0;

	if (in_len > sizeof(cmd)) {
		return VTPM_E_PARAM;
	}
	memcpy(cmd, in, in_len);
	if (TPMLIB_Process(&resp_buf, &resp_len, &resp_buf_size, cmd,
			   (uint32_t)in_len) != TPM_SUCCESS) {
		return VTPM_E_TPM;
	}
	if (resp_len > out_cap) {
		return VTPM_E_NOSPACE;
	}
	memcpy(out, resp_buf, resp_len);
	return (int32_t)resp_len;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* "VTPMNV01" | u32 count | count * (u8 name_len | name | u32 len | data),
 * little-endian; each file becomes $TPM_PATH/tpm2-00.NAME. */
static bool write_state(const uint8_t *p, size_t n)
{
	const char *dir = getenv("TPM_PATH");
	size_t off = 12;

	if (dir == NULL || n < 12 || memcmp(p, "VTPMNV01", 8) != 0) {
		return false;
	}
	for (uint32_t i = 0, count = le32(p + 8); i < count; i++) {
		char path[4096];
		size_t name_len = off < n ? p[off] : 0;

		if (name_len == 0 || name_len > 20 ||
		    n - off < 1 + name_len + 4) {
			return false;
		}
		uint32_t len = le32(p + off + 1 + name_len);
		const uint8_t *data = p + off + 1 + name_len + 4;
		if (len > n - off - 1 - name_len - 4) {
			return false;
		}
		snprintf(path, sizeof(path), "%s/tpm2-00.%.*s", dir,
			 (int)name_len, (const char *)p + off + 1);
		FILE *f = fopen(path, "wb");
		bool ok = f != NULL && fwrite(data, 1, len, f) == len;
		if (f == NULL || fclose(f) != 0 || !ok) {
			return false;
		}
		off += 1 + name_len + 4 + len;
	}
	return true;
}

int vtpm_init(const uint8_t *state, size_t state_len, bool resume)
{
	static const uint8_t startup[12] = {0x80, 0x01, 0, 0,    0, 12,
					    0,    0,    1, 0x44, 0, 0};
	uint8_t resp[64];

	(void)resume;
	if (state != NULL && !write_state(state, state_len)) {
		return VTPM_E_STATE;
	}
	if (TPMLIB_ChooseTPMVersion(TPMLIB_TPM_VERSION_2) != TPM_SUCCESS ||
	    TPMLIB_MainInit() != TPM_SUCCESS) {
		return VTPM_E_INIT;
	}
	return vtpm_cmd(startup, sizeof(startup), resp, sizeof(resp)) == 10 &&
			       resp[6] == 0 && resp[7] == 0 && resp[8] == 0 &&
			       resp[9] == 0
		       ? VTPM_OK
		       : VTPM_E_INIT;
}

/* Stops libtpms and deletes its NV file: the next vtpm_init manufactures a
 * new TPM (new seeds), as vtpm_init(NULL, ...) does in the engine. */
void vtpm_terminate(void)
{
	char path[4096];
	const char *dir = getenv("TPM_PATH");

	TPMLIB_Terminate();
	if (dir != NULL) {
		snprintf(path, sizeof(path), "%s/tpm2-00.permall", dir);
		unlink(path);
	}
}

size_t vtpm_heap_peak(void)
{
	return 0; /* not measured for the hosted library */
}

int32_t vtpm_state_export(uint8_t *out, size_t out_cap)
{
	(void)out;
	(void)out_cap;
	return VTPM_E_NOSPACE; /* states come from the engine (mkstates) */
}

uint64_t sys_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

bool in_read_all(void *buf, size_t len)
{
	return fread(buf, 1, len, stdin) == len;
}

bool out_write_all(const void *buf, size_t len)
{
	return fwrite(buf, 1, len, stdout) == len;
}

uint64_t sys_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void out_str(const char *s)
{
	fputs(s, stdout);
}

void out_u64(uint64_t v)
{
	printf("%" PRIu64, v);
}

int main(int argc, char **argv)
{
	int rc = bench_main(argc > 1 ? atoi(argv[1]) : 20,
			    argc > 2 && strcmp(argv[2], "states") == 0);
	fflush(stdout);
	return rc;
}
