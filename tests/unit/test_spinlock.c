// SPDX-License-Identifier: MIT
/*
 * The ticket spinlock (lib/include/lib/spinlock.h): single-thread
 * semantics, and mutual exclusion under real contention from host threads.
 */
#include <pthread.h>

#include "lib/spinlock.h"

#include "tap.h"

TAP_CASE(lock_unlock_trylock)
{
	struct spinlock l = SPINLOCK_INIT;

	CHECK_TRUE(!spin_is_locked(&l));
	spin_lock(&l);
	CHECK_TRUE(spin_is_locked(&l));
	CHECK_TRUE(!spin_trylock(&l));
	spin_unlock(&l);
	CHECK_TRUE(!spin_is_locked(&l));
	CHECK_TRUE(spin_trylock(&l));
	CHECK_TRUE(spin_is_locked(&l));
	spin_unlock(&l);
	CHECK_TRUE(!spin_is_locked(&l));
}

#define THREADS 2 /* one per core: a preempted ticket holder stalls all */
#define ITERATIONS 20000

static struct spinlock shared_lock = SPINLOCK_INIT;
static volatile uint64_t shared_counter;

static void *hammer(void *arg)
{
	(void)arg;
	for (int i = 0; i < ITERATIONS; i++) {
		spin_lock(&shared_lock);
		/* Non-atomic read-modify-write: only the lock keeps it exact.
		 */
		shared_counter = shared_counter + 1;
		spin_unlock(&shared_lock);
	}
	return NULL;
}

TAP_CASE(mutual_exclusion_under_contention)
{
	pthread_t t[THREADS];

	shared_counter = 0;
	for (int i = 0; i < THREADS; i++) {
		CHECK_TRUE(pthread_create(&t[i], NULL, hammer, NULL) == 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
	}
	CHECK_EQ(shared_counter, (uint64_t)THREADS * ITERATIONS);
	CHECK_TRUE(!spin_is_locked(&shared_lock));
}

TAP_MAIN(TAP_ENTRY(lock_unlock_trylock),
	 TAP_ENTRY(mutual_exclusion_under_contention))
