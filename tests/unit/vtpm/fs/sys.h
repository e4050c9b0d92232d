/* SPDX-License-Identifier: MIT */
/*
 * The freestanding test program's whole environment: Linux system calls
 * (write, read, exit, clock_gettime, arch_prctl, getrandom) and output
 * helpers. No libc: the vTPM must not need one from its embedder.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int64_t sys_write(int fd, const void *buf, size_t len);
int64_t sys_read(int fd, void *buf, size_t len);
_Noreturn void sys_exit(int code);
uint64_t sys_monotonic_ns(void);
/** CPU time of the calling thread: what a command costs, load aside. */
uint64_t sys_cpu_ns(void);
void sys_getrandom(void *buf, size_t len);
/** Points FS_BASE at a block with a random stack-protector canary at 0x28. */
void sys_setup_fs_canary(void);

/* Output to stdout (TAP) with a small buffer; flushed by out_flush. */
void out_str(const char *s);
void out_u64(uint64_t v);
void out_hex(const uint8_t *p, size_t n);
void out_flush(void);

/* Reads exactly len bytes from fd 0; false at end of input. */
bool in_read_all(void *buf, size_t len);
/* Writes all of buf to fd 1 (binary, unbuffered). */
bool out_write_all(const void *buf, size_t len);

int fs_strcmp(const char *a, const char *b);

/* Modes of the program (main.c dispatches on argv[1]). */
int session_test_main(void);
int bench_main(int iterations, bool shared_states);
int mkstates_main(int count);
int serve_main(void);
int soak_main(int cycles);
