// SPDX-License-Identifier: MIT
/*
 * In-image tests of the freestanding runtime as it runs in the images:
 * the rep-movsb string functions, the formatter, and backtraces.
 */
#include "lib/fmt.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "lib/test.h"

TEST(runtime, memcpy_memmove_memset)
{
	static uint8_t buf[64];

	for (unsigned i = 0; i < sizeof(buf); i++) {
		buf[i] = (uint8_t)i;
	}
	memmove(buf + 1, buf, 32); /* overlapping, forwards would corrupt */
	EXPECT_EQ(buf[1], 0);
	EXPECT_EQ(buf[32], 31);
	memmove(buf, buf + 1, 32);
	EXPECT_EQ(buf[0], 0);
	EXPECT_EQ(buf[31], 31);
	memset(buf, 0xa5, 17);
	EXPECT_EQ(buf[16], 0xa5);
	EXPECT_EQ(buf[17], 17);
	memcpy(buf + 40, buf, 8);
	EXPECT(memcmp(buf + 40, buf, 8) == 0);
}

TEST(runtime, snprintf_truncates)
{
	char out[8];
	int n = fmt_snprintf(out, sizeof(out), "%s-%d", "abcdef", -42);

	EXPECT_EQ(n, 10);
	EXPECT(strcmp(out, "abcdef-") == 0);
}

static __attribute__((noinline)) uint32_t bt_depth2(uint64_t *pcs)
{
	uint64_t rsp = 0;
	uint32_t n = 0;

	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	n = bt_collect((uint64_t)(uintptr_t)__builtin_frame_address(0), rsp,
		       (rsp | (RT_STACK_SIZE - 1)) + 1, pcs, 8);
	barrier();
	return n;
}

static __attribute__((noinline)) uint32_t bt_depth1(uint64_t *pcs)
{
	uint32_t n = bt_depth2(pcs);

	barrier();
	return n;
}

TEST(runtime, backtrace_walks_frames)
{
	uint64_t pcs[8] = {0};
	uint32_t n = bt_depth1(pcs);

	/* bt_depth2 -> bt_depth1 -> this test -> runner -> ... */
	EXPECT(n >= 3);
	EXPECT(pcs[0] != 0);
}
