/* SPDX-License-Identifier: MIT */
/*
 * In-image tests: TEST(suite, name) { ... } registers a case in the
 * "image_tests" linker section; test_run() runs the selected ones and prints
 * TAP on the console, which the host runner (tools/run-image) parses.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/compiler.h"

struct test_ctx {
	uint32_t checks; /* EXPECT/ASSERT evaluated, for the summary line */
	uint32_t failures;
	bool stop; /* an ASSERT failed: the case ends */
};

struct test_case {
	const char *suite;
	const char *name;
	void (*fn)(struct test_ctx *t);
	uint32_t flags;
};

/* Run only when the filter names the suite: used for harness self-tests. */
#define TEST_F_HIDDEN (1u << 0)

#define TEST_DEFINE(suite_, name_, flags_)                                \
	static void test_fn_##suite_##_##name_(struct test_ctx *_t);      \
	static const struct test_case test_desc_##suite_##_##name_ __used \
		__section("image_tests") __aligned(8) = {                 \
			.suite = #suite_,                                 \
			.name = #name_,                                   \
			.fn = test_fn_##suite_##_##name_,                 \
			.flags = (flags_),                                \
	};                                                                \
	static void test_fn_##suite_##_##name_(struct test_ctx *_t)

#define TEST(suite_, name_) TEST_DEFINE(suite_, name_, 0)
#define TEST_HIDDEN(suite_, name_) TEST_DEFINE(suite_, name_, TEST_F_HIDDEN)

void test_fail(struct test_ctx *t, const char *file, int line, const char *fmt,
	       ...) __printf(4, 5);

#define EXPECT(cond)                                                    \
	do {                                                            \
		_t->checks++;                                           \
		if (!(cond)) {                                          \
			test_fail(_t, __FILE__, __LINE__, "%s", #cond); \
		}                                                       \
	} while (0)

#define EXPECT_EQ(a, b)                                                 \
	do {                                                            \
		uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);        \
		_t->checks++;                                           \
		if (_a != _b) {                                         \
			test_fail(_t, __FILE__, __LINE__,               \
				  "%s == %s: 0x%llx != 0x%llx", #a, #b, \
				  (unsigned long long)_a,               \
				  (unsigned long long)_b);              \
		}                                                       \
	} while (0)

#define ASSERT(cond)                                                    \
	do {                                                            \
		_t->checks++;                                           \
		if (!(cond)) {                                          \
			test_fail(_t, __FILE__, __LINE__, "%s", #cond); \
			return;                                         \
		}                                                       \
	} while (0)

/* A check named by a sentence (@what): the diagnostic says what failed. */
#define EXPECT_MSG(cond, what)                                           \
	do {                                                             \
		_t->checks++;                                            \
		if (!(cond)) {                                           \
			test_fail(_t, __FILE__, __LINE__, "%s", (what)); \
		}                                                        \
	} while (0)

/**
 * Run the registered cases that match @filter ("" or "*" = all visible
 * cases; "suite" or "suite/name" also selects hidden ones). Prints a TAP
 * plan, one line per case and a "# N checks in M cases" summary. Returns the
 * number of failed cases, or -1 if the filter matched nothing.
 */
int test_run(const char *filter);
