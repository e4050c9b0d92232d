/* SPDX-License-Identifier: MIT */
/*
 * The freestanding vTPM test program. Modes (argv[1]):
 *   session      TAP session test of the engine (default)
 *   bench N      median latencies of vtpm_cmd, N runs per command
 *   serve        TPM commands framed on stdin/stdout (for the mssim bridge)
 */
#include <stdint.h>

#include "sys.h"

_Noreturn void fs_start(uint64_t *sp);

static int parse_int(const char *s)
{
	int v = 0;

	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

_Noreturn void fs_start(uint64_t *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	int rc = 2;

	sys_setup_fs_canary();
	if (argc < 2 || fs_strcmp(argv[1], "session") == 0) {
		rc = session_test_main();
	} else if (fs_strcmp(argv[1], "bench") == 0) {
		rc = bench_main(argc > 2 ? parse_int(argv[2]) : 20);
	} else if (fs_strcmp(argv[1], "serve") == 0) {
		rc = serve_main();
	} else {
		out_str("usage: vtpm-fs [session | bench N | serve]\n");
	}
	sys_exit(rc);
}
