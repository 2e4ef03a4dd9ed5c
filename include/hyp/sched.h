/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Physical CPUs and the choice of what each runs next. Every vCPU is assigned to one physical
 * CPU (vCPU i on pCPU i mod n). A CPU with one vCPU runs it whenever it is runnable; a CPU with
 * several time-shares them round-robin in slices kept by Tessera's own timer (CNTHP), which
 * also wakes the CPU when a sleeping, switched-out vCPU's virtual timer is due. Handlers never
 * idle the CPU themselves: they change vCPU state and sched_next() decides.
 */
#ifndef HYP_SCHED_H
#define HYP_SCHED_H

#include "hyp/types.h"
#include "hyp/vcpu.h"

struct vm;

#define SCHED_MAX_PCPUS 8
#define SCHED_MAX_PER_PCPU 8
#define SCHED_SLICE_US 10000 /* a time slice when vCPUs share a physical CPU */

struct pcpu {
	unsigned id;
	uint64_t mpidr;
	bool online;
	struct vcpu *vcpus[SCHED_MAX_PER_PCPU]; /**< the vCPUs assigned here */
	unsigned nr_vcpus;
	unsigned rr;	     /**< index of the vCPU chosen last, for round-robin */
	uint64_t slice_end;  /**< physical count at which the running vCPU's slice ends */
	struct vcpu *loaded; /**< whose EL1 context is in the registers */
	uint64_t wakeups;    /**< kicks received, for debugging */
	uint64_t switches;   /**< vCPU context switches on this CPU */
	bool resched;	     /**< a vCPU here was kicked by this CPU: run sched_next() */
};

extern struct pcpu pcpus[SCHED_MAX_PCPUS];
extern unsigned pcpu_count;

struct pcpu *this_pcpu(void);
/** The online physical CPU that vCPU index i goes to: the i-th online one, modulo their number. */
struct pcpu *sched_pcpu_for(unsigned i);
/** Assign v to p (at VM creation). */
void sched_assign(struct pcpu *p, struct vcpu *v);
/**
 * After a trap on vCPU cur (or NULL from boot/idle): the vCPU this CPU enters next. Waits for
 * interrupts, with them masked at EL2, while nothing here is runnable.
 */
struct vcpu *sched_next(struct vcpu *cur);
/**
 * May cur, back from an exit that made no scheduling decision, re-enter at once? It and its VM
 * still run and nothing asked it to reload. On a shared CPU the slice end is CNTHP's to signal.
 */
bool sched_keeps(const struct vcpu *cur);
/** Make v's physical CPU look at v again (new interrupt, powered on, stopped). */
void sched_kick(struct vcpu *v);
/** A VM has powered off: when none is left running, the machine powers off. */
void sched_vm_stopped(struct vm *vm);
/** Boot/secondary CPUs enter the scheduler here and never return. */
__noreturn void sched_start(void);

#endif
