/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The contract the core needs from an architecture port (arch/<isa>/). Everything privileged
 * happens behind these calls; core/ never includes arch-private headers.
 */
#ifndef HYP_ARCH_API_H
#define HYP_ARCH_API_H

#include "hyp/types.h"

struct vcpu;
struct vm;

/** Architectural reset state: EL1h, MMU off, interrupts masked, pc = entry, x0 = arg. */
void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0);
/** Per-VM trap configuration and the guest's view of identification registers. */
void arch_vcpu_init(struct vcpu *v);
/** Put v's EL1 context, timer and stage 2 on this CPU. */
void arch_vcpu_load(struct vcpu *v);
/** Save v's EL1 context and timer off this CPU. */
void arch_vcpu_put(struct vcpu *v);
/** Enter v (its interrupt state flushed to list registers); does not return. */
__noreturn void arch_vcpu_enter(struct vcpu *v);
/** Has the guest a pending interrupt it would take now? Used to decide WFI blocking. */
bool arch_vcpu_has_pending_irq(struct vcpu *v);
/** The saved (not loaded) virtual timer of v fires at *deadline (physical count)? */
bool arch_vcpu_timer_deadline(const struct vcpu *v, uint64_t *deadline);
/** Physical count now (CNTPCT_EL0), and Tessera's own timer (CNTHP) of this CPU. */
uint64_t arch_timer_now(void);
uint64_t arch_timer_freq(void);
void arch_hyp_timer_set(uint64_t deadline);
void arch_hyp_timer_cancel(void);
/** The physical INTID of the EL1 virtual timer, which the guest's own timer interrupt maps to. */
unsigned arch_vtimer_intid(void);
/** Interrupt the physical CPU p (it re-examines its vCPU). */
void arch_pcpu_kick(unsigned pcpu_id);
/** Wait for an interrupt at EL2 with interrupts masked, then handle what is pending. */
void arch_idle(void);
/** Wait for an event (another CPU's state change, announced by arch_send_event). */
void arch_wait_event(void);
void arch_send_event(void);
/** Turn the machine off (after flushing the console). */
__noreturn void arch_system_off(void);
/** Clean data cache lines over a range to the point of coherency (guest runs MMU-off first). */
void arch_dcache_clean_range(const void *p, size_t size);
/** Invalidate all instruction caches to the point of unification, inner shareable. */
void arch_icache_invalidate_all(void);
/** Forget v's timer and forwarded interrupts (vCPU reset/off). */
void arch_vcpu_quiesce(struct vcpu *v);

#endif
