// SPDX-License-Identifier: Apache-2.0
/*
 * vCPU reset, trap configuration and the load/put/enter steps of the world switch.
 * The trap configuration is per VM and written on every load, so vCPUs of different VMs (or a
 * VM and Tessera's idle loop) can share a physical CPU.
 */
#include "hyp/arch/cpu.h"
#include "hyp/arch/el1_switch.h"
#include "hyp/arch/gic.h"
#include "hyp/arch/layout.h"
#include "hyp/arch/sysreg.h"
#include "hyp/arch/trap.h"
#include "hyp/arch_api.h"
#include "hyp/sched.h"
#include "hyp/string.h"
#include "hyp/vm.h"

/*
 * HCR_EL2 for guests, ARM DDI0487 K.a D19.2.48: stage 2 on; physical IRQ/FIQ/SError to EL2
 * (virtual ones to the guest); trap WFI, SMC, ID group 3 (to hide SVE/SME/MTE/AMU), ACTLR;
 * broadcast TLB/barriers inner shareable; SWIO turns set/way invalidate into clean+invalidate.
 * API/APK: pointer-authentication instructions and keys are not trapped.
 */
#define GUEST_HCR                                                                                  \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TWI |         \
	 HCR_TID3 | HCR_TSC | HCR_TACR | HCR_RW | HCR_API | HCR_APK)
/* CPTR_EL2: trap SVE (TZ), SME (TSM) and activity monitors (TAM); FP/SIMD stays native. */
#define GUEST_CPTR (CPTR_RES1 | CPTR_TZ | CPTR_TSM | CPTR_TAM)
/* VTCR_EL2, ARM DDI0487 K.a D19.2.157: T0SZ 25, SL0 1 (level 1), WBWA walks, inner shareable. */
#define VTCR_VALUE(ps)                                                                             \
	(BIT(31) | ((uint64_t)(ps) << 16) | (3ULL << 12) | (1ULL << 10) | (1ULL << 8) |            \
	 (1ULL << 6) | 25ULL)
#define GUEST_PSTATE (PSR_MODE_EL1H | PSR_DAIF)

_Static_assert(offsetof(struct vcpu, exits) == VCPU_EXITS_OFFSET, "entry.S: VCPU_EXITS_OFFSET");
_Static_assert(offsetof(struct vcpu_regs, pc) == VCPU_REGS_PC_OFFSET &&
		   offsetof(struct vcpu_regs, pstate) == VCPU_REGS_PC_OFFSET + 8,
	       "entry.S: VCPU_REGS_PC_OFFSET; it moves pc and pstate as one pair");
_Static_assert(TESSERA_EXIT_HVC == 0, "entry.S counts fast-path hypercalls in exits[0]");

void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0)
{
	struct arch_vcpu *a = &v->arch;
	uint8_t nr_lrs = a->gic.nr_lrs;

	memset(&a->regs, 0, sizeof(a->regs));
	memset(&a->el1, 0, sizeof(a->el1));
	memset(&a->fp, 0, sizeof(a->fp));
	memset(&a->pac, 0, sizeof(a->pac));
	memset(&a->tmr, 0, sizeof(a->tmr));
	memset(&a->gic, 0, sizeof(a->gic));
	a->gic.nr_lrs = nr_lrs;
	a->gic.hcr = ICH_HCR_EN;
	a->regs.x[0] = x0;
	a->regs.pc = entry;
	a->regs.pstate = GUEST_PSTATE;
	a->el1.sctlr_el1 = SCTLR_EL1_RES1;
	a->el1.vmpidr_el2 = BIT(31) | v->id; /* Aff0 = vCPU index, U = 0 */
	a->hcr_el2 = GUEST_HCR;
	v->reload = true;
	v->resets++;
}

void arch_vcpu_init(struct vcpu *v)
{
	v->arch.gic.nr_lrs = (uint8_t)MIN(arm64_gic_nr_lrs(), (unsigned)VGIC_MAX_LRS);
	v->arch.post_sgi1r = arm64_gic_sgi1r(v->pcpu->id, INTID_SGI_POST); /* pcpu is assigned */
	arch_vcpu_reset(v, 0, 0);
}

static void load_traps(const struct vcpu *v)
{
	write_sysreg(hcr_el2, v->arch.hcr_el2);
	write_sysreg(cptr_el2, GUEST_CPTR);
	/* MDCR_EL2: all PMU counters to the guest, PMU accesses untrapped (benchmarks read it). */
	write_sysreg(mdcr_el2, cpu_features.pmu_counters & MDCR_HPMN_MASK);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vtcr_el2, VTCR_VALUE(cpu_features.parange));
	write_sysreg(vttbr_el2, stage2_vttbr(&v->vm->s2));
	if (cpu_features.hcx) {
		write_sysreg(S3_4_C1_C2_2, 0); /* HCRX_EL2: no extended traps or features */
	}
	if (cpu_features.fgt) {
		/* FEAT_FGT, ARM DDI0487 K.a HFGRTR_EL2 and siblings: no fine-grained traps,
		 * whatever firmware left. */
		write_sysreg(S3_4_C1_C1_4, 0); /* HFGRTR_EL2 */
		write_sysreg(S3_4_C1_C1_5, 0); /* HFGWTR_EL2 */
		write_sysreg(S3_4_C1_C1_6, 0); /* HFGITR_EL2 */
		write_sysreg(S3_4_C3_C1_4, 0); /* HDFGRTR_EL2 */
		write_sysreg(S3_4_C3_C1_5, 0); /* HDFGWTR_EL2 */
	}
}

void arch_vcpu_load(struct vcpu *v)
{
	v->reload = false;
	/*
	 * The physical timer PPI is active exactly while this vCPU's forwarded virtual timer
	 * interrupt is pending or active, so the guest's deactivation has something to deactivate
	 * and no other vCPU's timer is held off by it.
	 */
	arm64_gic_clear_active_ppi(INTID_VTIMER);
	if (vgic_hw_irq_is_live(&v->vm->vgic, v->id, GUEST_VTIMER_INTID)) {
		arm64_gic_set_active_ppi(INTID_VTIMER);
	}
	load_traps(v);
	arm64_el1_restore(&v->arch.el1);
	arm64_fp_restore(&v->arch.fp);
	if (cpu_features.pauth) {
		arm64_pac_restore(&v->arch.pac);
	}
	arm64_vtimer_restore(&v->arch.tmr);
	arm64_vgic_load(&v->arch.gic);
	isb();
}

void arch_vcpu_put(struct vcpu *v)
{
	arm64_el1_save(&v->arch.el1);
	arm64_fp_save(&v->arch.fp);
	if (cpu_features.pauth) {
		arm64_pac_save(&v->arch.pac);
	}
	arm64_vgic_put(&v->arch.gic);
	arm64_vtimer_save(&v->arch.tmr); /* the timer is off now: its PPI can be released */
	arm64_gic_clear_active_ppi(INTID_VTIMER);
}

bool arch_vcpu_timer_deadline(const struct vcpu *v, uint64_t *deadline)
{
	const struct vtimer_state *t = &v->arch.tmr;

	/* CNTV_CTL_EL0: ENABLE set, IMASK clear; CNTVOFF_EL2 is 0, so CVAL is physical time. */
	if ((t->cntv_ctl_el0 & 3) != 1) {
		return false;
	}
	*deadline = t->cntv_cval_el0;
	return true;
}

void arch_vcpu_quiesce(struct vcpu *v)
{
	v->arch.tmr.cntv_ctl_el0 = 0;
	if (v->pcpu->loaded == v) {
		write_sysreg(cntv_ctl_el0, 0);
		isb();
		/* A forwarded timer interrupt may still be active, waiting for a guest EOI. */
		arm64_gic_clear_active_ppi(INTID_VTIMER);
	}
}

void arm64_guest_enter(struct vcpu *v) __attribute__((noreturn));

/* Last step before every ERET into v: its interrupts into the list registers. */
struct vcpu *arm64_vcpu_prepare_entry(struct vcpu *v)
{
	/*
	 * A direct slot only on a CPU v has to itself: a post then always finds v in the guest,
	 * and a time-shared CPU's exits stay as they were.
	 */
	v->arch.gic.direct_ok = v->pcpu->nr_vcpus == 1;
	vgic_flush_lrs(&v->vm->vgic, v->id, &v->arch.gic);
	arm64_vgic_restore(&v->arch.gic);
	vgic_direct_open(&v->arch.gic);
	if (v->arch.hcr_el2 & HCR_VSE) {
		/*
		 * A virtual SError is pending: only a full exit reads back whether the guest took
		 * it (exit_begin()); a light one that finishes would enter with VSE set again.
		 */
		vgic_lrs_hold(&v->arch.gic);
	}
	write_sysreg(hcr_el2, v->arch.hcr_el2);
	isb();
	return v;
}

void arch_vcpu_enter(struct vcpu *v)
{
	arm64_guest_enter(arm64_vcpu_prepare_entry(v));
}

bool arch_vcpu_has_pending_irq(struct vcpu *v)
{
	return vgic_vcpu_has_pending(&v->vm->vgic, v->id, v->arch.gic.vmcr);
}
