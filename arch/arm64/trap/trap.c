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

#include "light.h"

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

/* A physical SError while the guest ran is its own doing: hand it a virtual SError. */
static void handle_serror(struct vcpu *v)
{
	vcpu_count_exit(v, TESSERA_EXIT_ABORT);
	v->arch.hcr_el2 |= HCR_VSE;
}

/* First step of a full exit: the guest's list registers back into the vGIC model. */
static void exit_begin(struct vcpu *v)
{
	if (v->arch.hcr_el2 & HCR_VSE) {
		v->arch.hcr_el2 = read_sysreg(hcr_el2); /* VSE clears when the guest took it */
	}
	arm64_vgic_save(&v->arch.gic);
	vgic_sync_lrs(&v->vm->vgic, v->id, &v->arch.gic);
}

/* Last step of a full exit: what runs next, with its interrupts in the list registers. */
static struct vcpu *exit_finish(struct vcpu *v)
{
	return arm64_vcpu_prepare_entry(sched_next(v));
}

/*
 * A light exit leaves the vGIC and the scheduler alone: taken when the list registers hold
 * nothing the model must see first (vgic_lrs_quiet) and by every class but WFx, which needs
 * the saved ICH_VMCR_EL2 for its wake-up test.
 */
static bool exit_may_be_light(const struct vcpu *v, unsigned ec)
{
	return ec != EC_WFX && light_may_begin(v);
}

/* After a light exit's handler: nothing for the model to flush, nothing to reschedule. */
static bool light_may_resume(const struct vcpu *v)
{
	return light_vgic_keeps(v) && sched_keeps(v);
}

struct vcpu *arm64_trap_sync(struct vcpu *v);

/* Synchronous exit, called from the vector with the guest's registers saved. */
struct vcpu *arm64_trap_sync(struct vcpu *v)
{
	struct vcpu_fault *f = &v->arch.fault;
	unsigned ec;
	bool light;

	f->esr_el2 = read_sysreg(esr_el2);
	f->far_el2 = read_sysreg(far_el2);
	f->hpfar_el2 = read_sysreg(hpfar_el2);
	ec = (unsigned)(f->esr_el2 >> ESR_EC_SHIFT) & ESR_EC_MASK;
	light = exit_may_be_light(v, ec);
	if (!light) {
		exit_begin(v);
	}
	exit_handlers[ec](v);
	if (light) {
		if (light_may_resume(v)) {
			return v;
		}
		/* The LRs held nothing; only a post to the direct slot may need folding. */
		vgic_direct_close(&v->vm->vgic, v->id, &v->arch.gic);
	}
	return exit_finish(v);
}

struct vcpu *arm64_trap_finish(struct vcpu *v);

/* A light exit whose handler changed what the model or the scheduler must see: finish it. */
struct vcpu *arm64_trap_finish(struct vcpu *v)
{
	vgic_direct_close(&v->vm->vgic, v->id, &v->arch.gic);
	return exit_finish(v);
}

struct vcpu *arm64_trap_entry(struct vcpu *v, uint64_t reason, uint64_t intid);

/*
 * Asynchronous exit (IRQ, FIQ, SError), called from the vector with all registers saved; intid
 * is what the IRQ fast path acknowledged and left here, or IRQ_NONE_ACKED.
 */
struct vcpu *arm64_trap_entry(struct vcpu *v, uint64_t reason, uint64_t intid)
{
	exit_begin(v);
	if (reason == EXIT_REASON_IRQ) {
		vcpu_count_exit(v, TESSERA_EXIT_IRQ);
		arm64_irq_handle(intid < 1020 ? (unsigned)intid : arm64_gic_ack());
	} else {
		handle_serror(v);
	}
	return exit_finish(v);
}

/*
 * The vCPU's forwarded timer fired while it ran: into the direct slot, if the flush left one
 * for it. The physical interrupt stays active (priority dropped only, EOImode 1) until the
 * guest deactivates the virtual one, which LR.HW passes on, GICv3 IHI0069 H §12.4.6.
 */
static bool fast_vtimer(struct vcpu *v, unsigned intid)
{
	struct gic_lr_state *s = &v->arch.gic;

	if (!s->direct_hw_lr || !vgic_direct_claim(s, arm64_lr0_read())) {
		return false;
	}
	arm64_lr0_write(s->direct_hw_lr);
	arm64_gic_eoi(intid);
	return true;
}

/*
 * The post SGI: another vCPU posted an interrupt for the direct slot (other requests come by
 * the kick SGI, so this one means nothing else). Written into the free slot, it is done.
 */
static bool fast_post(struct vcpu *v, unsigned intid)
{
	struct gic_lr_state *s = &v->arch.gic;
	uint64_t post;

	arm64_gic_eoi(intid);
	arm64_gic_deactivate(intid);
	post = vgic_direct_take(s);
	if (!post) {
		return true; /* folded by a full exit since: nothing left to do but return */
	}
	if (arm64_lr0_read() & ICH_LR_STATE_MASK) {
		s->posted = post; /* the slot is in use: the full exit folds the post */
		return false;
	}
	arm64_lr0_write(post);
	return true;
}

unsigned arm64_irq_fast(struct vcpu *v);

/*
 * IRQ from the guest, first step, with only the caller-saved registers stored: acknowledge,
 * and finish here the two interrupts that can go to the guest through the direct slot, with
 * neither the model nor the scheduler (IRQ_FAST_DONE). Otherwise the INTID left to
 * arm64_trap_entry(), to which the vector goes on.
 */
unsigned arm64_irq_fast(struct vcpu *v)
{
	unsigned intid = arm64_gic_ack();
	bool done;

	if (intid == INTID_VTIMER) {
		done = fast_vtimer(v, intid);
	} else if (intid == INTID_SGI_POST) {
		done = fast_post(v, intid);
		intid = IRQ_NONE_ACKED; /* acknowledged and ended either way */
	} else {
		done = false;
	}
	if (done) {
		vcpu_count_exit(v, TESSERA_EXIT_IRQ);
		return IRQ_FAST_DONE;
	}
	return intid;
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
