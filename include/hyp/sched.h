/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Physical CPUs and the choice of what each runs next. Today every vCPU is pinned to one
 * physical CPU (vCPU i of a VM on pCPU i); handlers never idle the CPU themselves, they change
 * vCPU state and sched_next() decides (docs/architecture.md, "Scheduling").
 */
#ifndef HYP_SCHED_H
#define HYP_SCHED_H

#include "hyp/types.h"
#include "hyp/vcpu.h"

struct vm;

#define SCHED_MAX_PCPUS 8

struct pcpu {
	unsigned id;
	uint64_t mpidr;
	bool online;
	struct vcpu *vcpu;   /**< the vCPU pinned here, or NULL */
	struct vcpu *loaded; /**< whose EL1 context is in the registers */
	uint64_t wakeups;    /**< kicks received, for debugging */
};

extern struct pcpu pcpus[SCHED_MAX_PCPUS];
extern unsigned pcpu_count;

struct pcpu *this_pcpu(void);
/** Pin v to p. */
void sched_assign(struct pcpu *p, struct vcpu *v);
/**
 * After a trap on vCPU cur (or NULL from boot/idle): the vCPU this CPU enters next. Waits for
 * interrupts, with them masked at EL2, while nothing here is runnable.
 */
struct vcpu *sched_next(struct vcpu *cur);
/** Make v's physical CPU look at v again (new interrupt, powered on, stopped). */
void sched_kick(struct vcpu *v);
/** A VM has powered off: when none is left running, the machine powers off. */
void sched_vm_stopped(struct vm *vm);
/** Boot/secondary CPUs enter the scheduler here and never return. */
__noreturn void sched_start(void);

#endif
