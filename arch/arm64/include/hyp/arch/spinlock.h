/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ticket lock: FIFO fairness between physical CPUs. Waiters sleep in WFE; the unlocking store
 * to the lock word clears their exclusive monitor and wakes them (ARM DDI0487 K.a D1.16.1),
 * which also keeps waiting cheap under QEMU's round-robin -icount scheduling.
 */
#ifndef HYP_ARCH_SPINLOCK_H
#define HYP_ARCH_SPINLOCK_H

#include <stdint.h>

struct spinlock {
	uint16_t owner;
	uint16_t next;
};

#define SPINLOCK_INIT                                                                              \
	{                                                                                          \
		0, 0                                                                               \
	}

static inline void arch_spin_lock(struct spinlock *l)
{
	uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	uint16_t owner;

	/* Arm the monitor with a load-exclusive so the owner's store wakes us from WFE. */
	for (;;) {
		__asm__ volatile("ldaxrh %w0, [%1]" : "=&r"(owner) : "r"(&l->owner) : "memory");
		if (owner == ticket) {
			break;
		}
		__asm__ volatile("wfe" ::: "memory");
	}
}

static inline void arch_spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

#endif
