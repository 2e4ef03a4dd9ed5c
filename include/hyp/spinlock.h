/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Spinlocks. The lock word and its lock/unlock live in hyp/arch/spinlock.h (a ticket lock with
 * WFE on arm64, a no-op on the single-threaded host build). Lock order, outermost first:
 * vm->lock, pl011->lock, vgic->lock, pool->lock (docs/architecture.md).
 */
#ifndef HYP_SPINLOCK_H
#define HYP_SPINLOCK_H

#include "hyp/arch/spinlock.h"

static inline void spin_lock(struct spinlock *l)
{
	arch_spin_lock(l);
}

static inline void spin_unlock(struct spinlock *l)
{
	arch_spin_unlock(l);
}

#endif
