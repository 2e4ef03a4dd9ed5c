// SPDX-License-Identifier: Apache-2.0
/*
 * Guest exits: record the syndrome, fold the list registers back into the vGIC, dispatch on
 * ESR_EL2.EC through one table (ARM DDI0487 K.a D19.2.40), and let the scheduler pick what runs
 * next. Every class without a handler reflects UNDEF into the guest.
 */
#include "hyp/arch/trap.h"

#include "hyp/arch/cpu.h"
#include "hyp/arch/gic.h"
#include "hyp/arch/layout.h"
#include "hyp/arch/sysreg.h"
#include "hyp/arch_api.h"
#include "hyp/check.h"
#include "hyp/log.h"
#include "hyp/sched.h"
#include "hyp/vm.h"

/* An exception class we do not emulate (SVE, SME, PAC with keys untrapped, ...): UNDEF. */
static void trap_unknown(struct vcpu *v)
{
	vcpu_count_exit(v, TESSERA_EXIT_UNDEF);
	arm64_inject_undef(v);
}

/* WFI/WFE, HCR_EL2.TWI/TWE — ARM DDI0487 K.a D19.2.48. ISS[1:0]: 0 WFI, 1 WFE, 2/3 WFIT/WFET. */
static void trap_wfx(struct vcpu *v)
{
	vcpu_count_exit(v, TESSERA_EXIT_WFX);
	vcpu_pc_advance(v);
	/* WFIT's timeout is not tracked, so only a plain WFI may block (an early wake is legal). */
	if ((v->arch.fault.esr_el2 & 3) == 0 && !arch_vcpu_has_pending_irq(v)) {
		v->state = VCPU_BLOCKED; /* sched_next() idles until an interrupt is pending */
	}
}

/* The range designator gives every class the safe default first (the KVM idiom). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static const exit_handler_fn exit_handlers[EC_MAX + 1] = {
    [0 ... EC_MAX] = trap_unknown,   [EC_WFX] = trap_wfx,
    [EC_HVC64] = arm64_trap_hvc,     [EC_SMC64] = arm64_trap_smc,
    [EC_SYSREG] = arm64_trap_sysreg, [EC_IABT_LOW] = arm64_trap_iabt,
    [EC_DABT_LOW] = arm64_trap_dabt,
};
#pragma GCC diagnostic pop

static void handle_sync(struct vcpu *v)
{
	struct vcpu_fault *f = &v->arch.fault;

	f->esr_el2 = read_sysreg(esr_el2);
	f->far_el2 = read_sysreg(far_el2);
	f->hpfar_el2 = read_sysreg(hpfar_el2);
	exit_handlers[(f->esr_el2 >> ESR_EC_SHIFT) & ESR_EC_MASK](v);
}

/* A physical SError while the guest ran is its own doing: hand it a virtual SError. */
static void handle_serror(struct vcpu *v)
{
	vcpu_count_exit(v, TESSERA_EXIT_ABORT);
	v->arch.hcr_el2 |= HCR_VSE;
}

struct vcpu *arm64_trap_entry(struct vcpu *v, uint64_t reason);

struct vcpu *arm64_trap_entry(struct vcpu *v, uint64_t reason)
{
	if (v->arch.hcr_el2 & HCR_VSE) {
		v->arch.hcr_el2 = read_sysreg(hcr_el2); /* VSE clears when the guest took it */
	}
	arm64_vgic_save(&v->arch.gic);
	vgic_sync_lrs(&v->vm->vgic, v->id, &v->arch.gic);
	switch (reason) {
	case EXIT_REASON_SYNC:
		handle_sync(v);
		break;
	case EXIT_REASON_IRQ:
		vcpu_count_exit(v, TESSERA_EXIT_IRQ);
		arm64_irq_handle();
		break;
	default:
		handle_serror(v);
		break;
	}
	return arm64_vcpu_prepare_entry(sched_next(v));
}

void arm64_hyp_fault(uint64_t kind, uint64_t sp);

/* An exception taken from EL2 itself is a Tessera bug: report it and stop this CPU. */
void arm64_hyp_fault(uint64_t kind, uint64_t sp)
{
	panic("EL2 exception kind %llu: ESR_EL2 %#llx ELR_EL2 %#llx FAR_EL2 %#llx SP %#llx",
	      (unsigned long long)kind, (unsigned long long)read_sysreg(esr_el2),
	      (unsigned long long)read_sysreg(elr_el2), (unsigned long long)read_sysreg(far_el2),
	      (unsigned long long)sp);
}
