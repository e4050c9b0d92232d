/* SPDX-License-Identifier: MIT */
/*
 * Reading a fuzz input as a program: each read takes the next bytes, and
 * reading past the end yields zeros, so every input is a complete program.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t u8(struct fuzz_in *in)
{
	if (in->n == 0) {
		return 0;
	}
	in->n--;
	return *in->p++;
}

static inline uint16_t u16(struct fuzz_in *in)
{
	uint16_t lo = u8(in);

	return (uint16_t)(lo | ((uint16_t)u8(in) << 8));
}

static inline uint64_t u64(struct fuzz_in *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++) {
		v |= (uint64_t)u8(in) << (8 * i);
	}
	return v;
}
