/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Light exits: what decides whether an exit may skip the vGIC save/sync/flush and the scheduler,
 * shared by the full path (trap.c) and the light handlers of the commonest classes (dabt.c,
 * sysreg.c), which the vector's light_path calls with only x0-x8, x16, x17 and x30 in the frame
 * (all of x0-x30 when the access's Rt is one of x9-x29; EL2 C keeps the others) and
 * ELR_EL2/SPSR_EL2 left in place: a handler reads and writes no register of the frame but Rt.
 */
#ifndef ARM64_TRAP_LIGHT_H
#define ARM64_TRAP_LIGHT_H

#include "hyp/arch/layout.h"
#include "hyp/arch/sysreg.h"
#include "hyp/sched.h"
#include "hyp/vm.h"

/*
 * Before the handler: the list registers hold nothing the model must see first, and no virtual
 * SError waits to be folded (arm64_vcpu_prepare_entry() holds the LRs for that): one test,
 * vgic_lrs_quiet().
 */
static inline bool light_may_begin(const struct vcpu *v)
{
	return vgic_lrs_quiet(&v->arch.gic);
}

/* After the handler: nothing for the vGIC to flush to this vCPU's list registers. */
static inline bool light_vgic_keeps(const struct vcpu *v)
{
	return vgic_lrs_quiet(&v->arch.gic) && !vgic_needs_flush(&v->vm->vgic, v->id);
}

/* Step over the trapped instruction (always 4 bytes: AArch64 guests only). */
static inline void light_step(void)
{
	write_sysreg(elr_el2, read_sysreg(elr_el2) + 4);
}

/*
 * The end of a light handler that emulated the access: step over the instruction and say
 * whether the guest may resume at once. A data abort or MSR/MRS handler never changes a run
 * state (only PSCI calls do), and a change made by another CPU comes with a physical kick,
 * taken as soon as the guest runs again; so of the scheduler's conditions (sched_keeps) only
 * a kick from this very exit, pcpu->resched, is left to look at. lrs_quiet is what the caller
 * knows of vgic_lrs_quiet() after its handler.
 */
static inline unsigned light_end_as(const struct vcpu *v, bool lrs_quiet)
{
	light_step();
	return lrs_quiet && !vgic_needs_flush_relaxed(&v->vm->vgic, v->id) && !v->pcpu->resched
		   ? LIGHT_RESUME
		   : LIGHT_FINISH;
}

static inline unsigned light_end(const struct vcpu *v)
{
	return light_end_as(v, vgic_lrs_quiet(&v->arch.gic));
}

/*
 * light_end() after an emulated MMIO access. A device model never sees a vCPU or its list
 * registers (hyp/vdev.h), and no interrupt is taken at EL2 during the exit, so the LRs are still
 * as quiet as light_may_begin() found them.
 */
static inline unsigned light_end_mmio(const struct vcpu *v)
{
	return light_end_as(v, true);
}

#endif
