/* SPDX-License-Identifier: Apache-2.0 */
/* Host fake: unit tests are single-threaded, so a lock only checks that it is balanced. */
#ifndef HYP_ARCH_SPINLOCK_H
#define HYP_ARCH_SPINLOCK_H

#include <assert.h>

struct spinlock {
	int held;
};

#define SPINLOCK_INIT                                                                              \
	{                                                                                          \
		0                                                                                  \
	}

static inline void arch_spin_lock(struct spinlock *l)
{
	assert(!l->held);
	l->held = 1;
}

static inline void arch_spin_unlock(struct spinlock *l)
{
	assert(l->held);
	l->held = 0;
}

#endif
