// SPDX-License-Identifier: MIT
/* TAP lines for the snpemu test payloads (tap.h). */
#include "tap.h"

#include <stdarg.h>

#include "lib/compiler.h"
#include "lib/fmt.h"

static unsigned test_no, failures;

void out(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	payload_con_write(buf, (size_t)MIN(n, (int)sizeof(buf) - 1));
}

void report(bool ok, const char *name)
{
	test_no++;
	if (!ok) {
		failures++;
	}
	out("%sok %u - %s\n", ok ? "" : "not ", test_no, name);
}

unsigned tap_failures(void)
{
	return failures;
}
