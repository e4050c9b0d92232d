// SPDX-License-Identifier: MIT
/* Runtime string functions (lib/string.c), compiled as rt_*. */
#include "lib/string.h"

#include "tap.h"

TAP_CASE(memcpy_copies_exactly)
{
	uint8_t src[37], dst[41];

	for (unsigned i = 0; i < sizeof(src); i++) {
		src[i] = (uint8_t)(i * 7 + 1);
	}
	memset(dst, 0xee, sizeof(dst));
	CHECK_TRUE(rt_memcpy(dst + 2, src, sizeof(src)) == dst + 2);
	CHECK_TRUE(memcmp(dst + 2, src, sizeof(src)) == 0);
	CHECK_EQ(dst[1], 0xee);
	CHECK_EQ(dst[2 + sizeof(src)], 0xee);
	CHECK_TRUE(rt_memcpy(dst, src, 0) == dst);
}

TAP_CASE(memmove_handles_both_overlaps)
{
	char buf[16];

	memcpy(buf, "0123456789abcdef", 16);
	rt_memmove(buf + 2, buf, 10);
	CHECK_TRUE(memcmp(buf, "010123456789cdef", 16) == 0);
	memcpy(buf, "0123456789abcdef", 16);
	rt_memmove(buf, buf + 3, 10);
	CHECK_TRUE(memcmp(buf, "3456789abcabcdef", 16) == 0);
	rt_memmove(buf, buf, 16);
	CHECK_TRUE(memcmp(buf, "3456789abcabcdef", 16) == 0);
}

TAP_CASE(memset_and_wipe)
{
	uint8_t buf[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};

	rt_memset(buf + 1, 0x1ff, 7); /* only the low byte counts */
	CHECK_EQ(buf[0], 1);
	CHECK_EQ(buf[1], 0xff);
	CHECK_EQ(buf[7], 0xff);
	CHECK_EQ(buf[8], 9);
	mem_wipe(buf, sizeof(buf));
	for (unsigned i = 0; i < sizeof(buf); i++) {
		CHECK_EQ(buf[i], 0);
	}
}

TAP_CASE(memcmp_is_unsigned)
{
	const uint8_t a[] = {1, 0x80};
	const uint8_t b[] = {1, 0x7f};

	CHECK_TRUE(rt_memcmp(a, b, 2) > 0);
	CHECK_TRUE(rt_memcmp(b, a, 2) < 0);
	CHECK_TRUE(rt_memcmp(a, b, 1) == 0);
	CHECK_TRUE(rt_memcmp(a, b, 0) == 0);
}

TAP_CASE(str_functions)
{
	CHECK_EQ(rt_strlen(""), 0);
	CHECK_EQ(rt_strlen("svsm"), 4);
	CHECK_EQ(rt_strnlen("svsm", 2), 2);
	CHECK_EQ(rt_strnlen("svsm", 10), 4);
	CHECK_TRUE(rt_strcmp("abc", "abc") == 0);
	CHECK_TRUE(rt_strcmp("abc", "abd") < 0);
	CHECK_TRUE(rt_strcmp("ab", "abc") < 0);
	CHECK_TRUE(rt_strcmp("\xff", "a") > 0);
	CHECK_TRUE(rt_strncmp("abcX", "abcY", 3) == 0);
	CHECK_TRUE(rt_strncmp("abcX", "abcY", 4) < 0);
	CHECK_TRUE(rt_strncmp("a", "a", 100) == 0);
	CHECK_TRUE(rt_strchr("a=b", '=') != NULL);
	CHECK_TRUE(rt_strchr("ab", '=') == NULL);
	CHECK_TRUE(rt_strchr("ab", '\0') != NULL);
}

TAP_MAIN(TAP_ENTRY(memcpy_copies_exactly),
	 TAP_ENTRY(memmove_handles_both_overlaps), TAP_ENTRY(memset_and_wipe),
	 TAP_ENTRY(memcmp_is_unsigned), TAP_ENTRY(str_functions))
