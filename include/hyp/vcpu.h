/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A virtual CPU: its lifecycle state machine and its accessors. Only the physical CPU a vCPU
 * is assigned to runs it and moves it between RUNNABLE and BLOCKED; other CPUs power it on
 * (under the VM's lock) and otherwise only kick it.
 *
 *   OFF --CPU_ON / VM start--> RUNNABLE --WFI, nothing pending--> BLOCKED
 *   BLOCKED --interrupt pending (kick)--> RUNNABLE;  RUNNABLE --CPU_OFF--> OFF
 *   any --SYSTEM_OFF / SYSTEM_RESET--> OFF (reset restarts vCPU 0 as RUNNABLE)
 */
#ifndef HYP_VCPU_H
#define HYP_VCPU_H

#include "uapi/hyp/hypercall.h"

#include "hyp/arch/vcpu.h"
#include "hyp/types.h"

struct vm;
struct pcpu;

enum vcpu_state {
	VCPU_OFF,      /**< powered off; not scheduled */
	VCPU_RUNNABLE, /**< wants to run (or is running) on its physical CPU */
	VCPU_BLOCKED,  /**< waiting in WFI for an interrupt */
};

struct vcpu {
	struct arch_vcpu arch; /* must stay first: entry.S reaches the register frame through it */
	struct vm *vm;
	struct pcpu *pcpu; /**< the physical CPU it is assigned to */
	unsigned id;	   /**< index in its VM; MPIDR Aff0 */
	enum vcpu_state state;
	bool on_pending; /**< CPU_ON accepted, not yet run: AFFINITY_INFO says ON_PENDING */
	bool reload;	 /**< its saved context was reset: load it even if this CPU holds it */
	bool running;	 /**< between entry and exit (read by a CPU waiting for it to stop) */
	unsigned resets; /**< times its context was reset; an SMCCC call compares it */
	uint64_t exits[TESSERA_EXIT_CLASS_COUNT];
};

/* n is 64-bit so that an index decoded from a syndrome needs no widening. */
static inline uint64_t vcpu_reg_get(const struct vcpu *v, uint64_t n)
{
	return n < 31 ? v->arch.regs.x[n] : 0; /* register 31 is XZR here */
}

/* Register 31 (XZR) takes the write in a slot never read: no test on the trap path. */
static inline void vcpu_reg_set(struct vcpu *v, uint64_t n, uint64_t val)
{
	v->arch.regs.x[n & 31] = val;
}

static inline void vcpu_pc_advance(struct vcpu *v)
{
	v->arch.regs.pc += 4;
}

static inline void vcpu_count_exit(struct vcpu *v, enum tessera_exit_class c)
{
	v->exits[c]++;
}

#endif
