/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlock: FIFO-fair, so no vCPU starves behind another.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct spinlock {
	uint32_t next;
	uint32_t owner;
};

#define SPINLOCK_INIT \
	{             \
		0, 0  \
	}

static inline void spin_init(struct spinlock *l)
{
	l->next = 0;
	l->owner = 0;
}

static inline void spin_lock(struct spinlock *l)
{
	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket) {
		__builtin_ia32_pause();
	}
}

static inline bool spin_trylock(struct spinlock *l)
{
	uint32_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	uint32_t expected = owner;

	return __atomic_compare_exchange_n(&l->next, &expected, owner + 1,
					   false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(struct spinlock *l)
{
	return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
}
