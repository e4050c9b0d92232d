// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the igvm.cfg reader and the layout built from it
 * (tools/svsm-igvm: cfg.c, layout.c, layout_check.c, emit.c): the input is
 * the text of a config, run through the same cfg_parse -> layout_load ->
 * layout_emit path as `svsm-igvm build`, with the input files of the unit
 * tests (tests/unit/igvm/cfg_harness.c: tiny ELFs, an OVMF stand-in, a
 * bzImage, keys) behind ${svsm}, ${guest}, ${ovmf}, ${bz}, ${key} ...
 *
 * Invariants (a violation traps, which libFuzzer reports as a crash):
 *  C1 a refusal names the file: its message starts with "t.cfg:" (the
 *     builder's contract, docs/abi.md §16: every error says file:line);
 *  C2 an accepted config yields a file that the IGVM parser accepts (what
 *     the builder writes, snpemu and QEMU must be able to load).
 * Texts naming an absolute path are skipped: the builder would read any
 * file the config names (e.g. /dev/zero forever), which is the user's
 * choice, not a parser defect.
 */
#include <stdlib.h>
#include <string.h>

#include "cfg_harness.h"

bool tap_failed; /* cfg_harness.c reports through the TAP helpers */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	harness_setup();
	atexit(harness_cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct igvm_file f;
	struct result r;
	char *text = NULL;

	if (size > 16384 || memchr(data, '/', size) != NULL) {
		return -1; /* not kept in the corpus */
	}
	text = malloc(size + 1);
	if (text == NULL) {
		abort();
	}
	memcpy(text, data, size);
	text[size] = '\0';
	run(text, &r);
	if (!r.ok && strncmp(r.error, "t.cfg:", 6) != 0) {
		fprintf(stderr, "invariant C1: refusal '%s'\n", r.error);
		__builtin_trap();
	}
	if (r.ok && igvm_parse(r.file, r.len, &f) != IGVM_OK) {
		fprintf(stderr, "invariant C2: emitted file does not parse\n");
		__builtin_trap();
	}
	free(r.file);
	free(text);
	return 0;
}
