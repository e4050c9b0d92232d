/* SPDX-License-Identifier: MIT */
/*
 * Shared by every fuzz target's invariant checks (docs/fuzzing.md §2): a
 * violation prints which one and traps, which libFuzzer reports as a crash
 * and keeps the input; the checker itself stays out of the coverage the
 * fuzzer steers by.
 */
#pragma once

#include <stdio.h>

#define FAIL(...)                                           \
	do {                                                \
		fprintf(stderr, "invariant: " __VA_ARGS__); \
		fprintf(stderr, "\n");                      \
		__builtin_trap();                           \
	} while (0)

/*
 * noinline: a check inlined into an instrumented caller would be
 * instrumented after all (the coverage pass runs after inlining), and its
 * trace-cmp hooks on every byte and page cost most of an input's time.
 */
#define NO_COV __attribute__((no_sanitize("coverage"), noinline))
