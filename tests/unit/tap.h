/* SPDX-License-Identifier: MIT */
/*
 * A minimal TAP producer for hosted unit tests (docs/style.md §6): each
 * TAP_CASE is a function; tap_main() runs them, prints "1..N" and one
 * ok/not ok line each, and exits non-zero if any failed.
 */
#pragma once

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tap_case {
	const char *name;
	void (*fn)(void);
};

extern bool tap_failed;

#define TAP_CASE(name) static void name(void)
#define TAP_ENTRY(name)     \
	{                   \
#name, name \
	}

#define CHECK_TRUE(cond)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			printf("# %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			tap_failed = true;                                  \
		}                                                           \
	} while (0)

#define CHECK_EQ(a, b)                                              \
	do {                                                        \
		uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);    \
		if (_a != _b) {                                     \
			printf("# %s:%d: %s == %s: 0x%" PRIx64      \
			       " != 0x%" PRIx64 "\n",               \
			       __FILE__, __LINE__, #a, #b, _a, _b); \
			tap_failed = true;                          \
		}                                                   \
	} while (0)

#define CHECK_STR(a, b)                                                 \
	do {                                                            \
		const char *_a = (a), *_b = (b);                        \
		if (strcmp(_a, _b) != 0) {                              \
			printf("# %s:%d: \"%s\" != \"%s\"\n", __FILE__, \
			       __LINE__, _a, _b);                       \
			tap_failed = true;                              \
		}                                                       \
	} while (0)

static inline int tap_run(const struct tap_case *cases, size_t count)
{
	int failed = 0;

	printf("1..%zu\n", count);
	for (size_t i = 0; i < count; i++) {
		tap_failed = false;
		cases[i].fn();
		printf("%sok %zu - %s\n", tap_failed ? "not " : "", i + 1,
		       cases[i].name);
		failed += tap_failed ? 1 : 0;
	}
	fflush(stdout);
	return failed == 0 ? 0 : 1;
}

#define TAP_MAIN(...)                                                    \
	bool tap_failed;                                                 \
	int main(void)                                                   \
	{                                                                \
		static const struct tap_case cases[] = {__VA_ARGS__};    \
		return tap_run(cases, sizeof(cases) / sizeof(cases[0])); \
	}
