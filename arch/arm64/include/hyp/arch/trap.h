/* SPDX-License-Identifier: Apache-2.0 */
/* The arm64 trap layer: per-exception-class handlers and exception injection into guests. */
#ifndef HYP_ARCH_TRAP_H
#define HYP_ARCH_TRAP_H

#include "hyp/vcpu.h"

/** A trap handler: consumes the exit recorded in v->arch.fault. */
typedef void (*exit_handler_fn)(struct vcpu *v);

void arm64_trap_sysreg(struct vcpu *v);
void arm64_trap_dabt(struct vcpu *v);
void arm64_trap_iabt(struct vcpu *v);
void arm64_trap_hvc(struct vcpu *v);
void arm64_trap_smc(struct vcpu *v);

/*
 * Light-path handlers (arch/arm64/trap/light.h), called with the caller-saved registers and Rt
 * in the frame but not ELR_EL2/SPSR_EL2, which the handler advances itself. They return LIGHT_*
 * (layout.h); with LIGHT_FULL nothing was changed and the full path handles the exit from scratch.
 */
unsigned arm64_dabt_light(struct vcpu *v, uint64_t esr);
unsigned arm64_sysreg_light(struct vcpu *v, uint64_t esr);

/** Flush v's interrupts to the list registers and set its traps: the last step before ERET. */
struct vcpu *arm64_vcpu_prepare_entry(struct vcpu *v);

/** Reflect an UNDEFINED instruction exception to the guest's EL1 (EC 0x00). */
void arm64_inject_undef(struct vcpu *v);
/** Reflect a synchronous external abort on a data access at far (EC 0x24/0x25, DFSC 0x10). */
void arm64_inject_dabt(struct vcpu *v, uint64_t far, bool write);
/** Reflect a synchronous external abort on an instruction fetch (EC 0x20/0x21, IFSC 0x10). */
void arm64_inject_iabt(struct vcpu *v, uint64_t far);

#endif
