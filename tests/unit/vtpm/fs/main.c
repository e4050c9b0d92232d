/* SPDX-License-Identifier: MIT */
/*
 * The freestanding vTPM test program. Modes (argv[1]):
 *   session      TAP session test of the engine (default)
 *   bench N [states]
 *                median latencies of vtpm_cmd, N runs per command; with
 *                "states", the primaries run on the TPMs read from stdin
 *   mkstates K   K freshly manufactured TPMs' state blobs on stdout
 *   serve        TPM commands framed on stdin/stdout (for the mssim bridge)
 *   soak N       heap in use over N cycles of a long session (TAP)
 */
#include <stdint.h>

#include "sys.h"

_Noreturn void fs_start(uint64_t *sp);

/*
 * Stack high-water mark of a mode: paint STACK_PAINT bytes below our frame
 * before it runs, find the deepest overwritten byte after. Linux grows the
 * main stack on demand, so the painted pages need no mapping of their own.
 */
#define STACK_PAINT (256u * 1024u)
#define STACK_PATTERN 0x5a

static __attribute__((noinline)) void paint_stack(uint8_t *top)
{
	volatile uint8_t *p = top - STACK_PAINT;

	/* Stop 4 KB short of our own frame, which is in use right now. */
	for (uint32_t i = 0; i < STACK_PAINT - 4096u; i++) {
		p[i] = STACK_PATTERN;
	}
}

static uint32_t stack_used(uint8_t *top)
{
	volatile uint8_t *p = top - STACK_PAINT;
	uint32_t i = 0;

	while (i < STACK_PAINT - 4096u && p[i] == STACK_PATTERN) {
		i++;
	}
	return STACK_PAINT - i;
}

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

	uint8_t *top = (uint8_t *)__builtin_frame_address(0);

	sys_setup_fs_canary();
	if (argc < 2 || fs_strcmp(argv[1], "session") == 0) {
		paint_stack(top);
		rc = session_test_main();
		out_str("# stack peak ");
		out_u64(stack_used(top));
		out_str(" bytes (session, including the test's own frames)\n");
	} else if (fs_strcmp(argv[1], "bench") == 0) {
		rc = bench_main(argc > 2 ? parse_int(argv[2]) : 20,
				argc > 3 && fs_strcmp(argv[3], "states") == 0);
	} else if (fs_strcmp(argv[1], "mkstates") == 0) {
		rc = mkstates_main(argc > 2 ? parse_int(argv[2]) : 1);
	} else if (fs_strcmp(argv[1], "serve") == 0) {
		rc = serve_main();
	} else if (fs_strcmp(argv[1], "soak") == 0) {
		rc = soak_main(argc > 2 ? parse_int(argv[2]) : 1000);
	} else {
		out_str("usage: vtpm-fs [session | bench N [states] | "
			"mkstates K | serve | soak N]\n");
	}
	sys_exit(rc);
}
