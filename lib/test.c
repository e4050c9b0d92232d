// SPDX-License-Identifier: MIT
/*
 * In-image test runner: prints TAP (a plan, then "ok N - suite/name" or
 * "not ok N - suite/name" with "# " diagnostics) on the console.
 */
#include "lib/test.h"

#include <stdarg.h>

#include "lib/console.h"
#include "lib/fmt.h"
#include "lib/string.h"

extern const struct test_case __start_image_tests[];
extern const struct test_case __stop_image_tests[];

void test_fail(struct test_ctx *t, const char *file, int line, const char *fmt,
	       ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	con_printf("# %s:%d: %s\n", file, line, msg);
	t->failures++;
}

static bool test_selected(const struct test_case *tc, const char *filter)
{
	size_t slen = strlen(tc->suite);

	if (filter[0] == '\0' || strcmp(filter, "*") == 0) {
		return (tc->flags & TEST_F_HIDDEN) == 0;
	}
	if (strncmp(filter, tc->suite, slen) != 0) {
		return false;
	}
	if (filter[slen] == '\0') {
		return true;
	}
	return filter[slen] == '/' && strcmp(filter + slen + 1, tc->name) == 0;
}

int test_run(const char *filter)
{
	uint32_t planned = 0;
	uint32_t n = 0;
	uint32_t checks = 0;
	int failed = 0;

	for (const struct test_case *tc = __start_image_tests;
	     tc < __stop_image_tests; tc++) {
		planned += test_selected(tc, filter) ? 1 : 0;
	}
	if (planned == 0) {
		con_printf("# no test matches '%s'\n", filter);
		return -1;
	}
	con_printf("1..%u\n", planned);
	for (const struct test_case *tc = __start_image_tests;
	     tc < __stop_image_tests; tc++) {
		struct test_ctx t = {.checks = 0, .failures = 0, .stop = false};

		if (!test_selected(tc, filter)) {
			continue;
		}
		n++;
		tc->fn(&t);
		con_printf("%sok %u - %s/%s\n", t.failures ? "not " : "", n,
			   tc->suite, tc->name);
		failed += t.failures ? 1 : 0;
		checks += t.checks;
	}
	con_printf("# %u checks in %u cases\n", checks, n);
	return failed;
}
