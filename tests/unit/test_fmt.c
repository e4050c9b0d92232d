// SPDX-License-Identifier: MIT
/* The bounded formatter (lib/fmt.c), checked against expectations. */
#include "lib/fmt.h"

#include "tap.h"

static char out[256];

#define FMT(expect, ...)                                              \
	do {                                                          \
		int n_ = fmt_snprintf(out, sizeof(out), __VA_ARGS__); \
		CHECK_STR(out, expect);                               \
		CHECK_EQ(n_, strlen(expect));                         \
	} while (0)

TAP_CASE(integers)
{
	FMT("0", "%d", 0);
	FMT("-42 42", "%d %u", -42, 42u);
	FMT("-2147483648", "%d", INT32_MIN);
	FMT("-9223372036854775808", "%lld", (long long)INT64_MIN);
	FMT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	FMT("ffffffff", "%x", 0xffffffffu);
	FMT("DEADBEEF", "%X", 0xdeadbeefu);
	FMT("17", "%o", 15u);
	FMT("255 65535", "%hhu %hu", 0x1ff, 0x1ffff);
	FMT("12345678", "%zx", (size_t)0x12345678);
}

TAP_CASE(width_precision_flags)
{
	FMT("   42", "%5d", 42);
	FMT("42   |", "%-5d|", 42);
	FMT("00042", "%05d", 42);
	FMT("-0042", "%05d", -42);
	FMT("  007", "%5.3d", 7);
	FMT("0000000000001000", "%016llx", 0x1000ull);
	FMT("ab", "%.2s", "abcdef");
	FMT("   ab", "%5.2s", "abcdef");
	FMT("  x", "%*s", 3, "x");
	FMT("x  |", "%*s|", -3, "x");
	FMT("", "%.0d", 0);
	{
		const char *volatile null_str =
			NULL; /* hide it from -Wformat */

		FMT("(null)", "%s", null_str);
	}
	FMT("0x1000", "%p", (void *)0x1000);
	FMT("c%", "%c%%", 'c');
}

TAP_CASE(unknown_and_truncated_conversions)
{
	/* Through a variable: these formats are wrong on purpose. */
	const char *bad[][2] = {{"%q", "%q"}, {"a%", "a%"}, {"%5q", "%5q"}};

	for (unsigned i = 0; i < 3; i++) {
		const char *f = bad[i][0];

		CHECK_EQ(fmt_snprintf(out, sizeof(out), f, 0),
			 strlen(bad[i][1]));
		CHECK_STR(out, bad[i][1]);
	}
}

TAP_CASE(truncation_is_bounded_and_reported)
{
	char small[6];

	memset(small, 'Z', sizeof(small));
	CHECK_EQ(fmt_snprintf(small, sizeof(small), "%s", "0123456789"), 10);
	CHECK_STR(small, "01234");
	CHECK_EQ(fmt_snprintf(small, 1, "%d", 12345), 5);
	CHECK_EQ(small[0], '\0');
	small[0] = 'Z';
	CHECK_EQ(fmt_snprintf(small, 0, "%d", 12345), 5);
	CHECK_EQ(small[0], 'Z'); /* size 0: nothing written */
}

TAP_CASE(huge_width_is_clamped)
{
	static char big[8192];
	int n = fmt_snprintf(big, sizeof(big), "%99999d", 1);

	CHECK_EQ(n, 4096);
	CHECK_EQ(strlen(big), 4096);
}

TAP_MAIN(TAP_ENTRY(integers), TAP_ENTRY(width_precision_flags),
	 TAP_ENTRY(unknown_and_truncated_conversions),
	 TAP_ENTRY(truncation_is_bounded_and_reported),
	 TAP_ENTRY(huge_width_is_clamped))
