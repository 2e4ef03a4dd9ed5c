// SPDX-License-Identifier: Apache-2.0
/*
 * Physical interrupts Tessera owns on arm64: the kick SGI, the GIC maintenance interrupt and
 * the forwarded EL1 virtual timer (GICv3 IHI0069 H, "Hardware interrupts" under the ICH_LR<n>_EL2
 * HW bit: an LR with HW = 1 lets the guest's deactivation deactivate the physical interrupt, so the
 * guest's EOI costs no exit).
 */
#include "hyp/irq.h"

#include "hyp/arch/cpu.h"
#include "hyp/arch/gic.h"
#include "hyp/arch/sysreg.h"
#include "hyp/arch_api.h"
#include "hyp/check.h"
#include "hyp/init.h"
#include "hyp/sched.h"
#include "hyp/vm.h"

extern uint8_t secondary_entry[];

/* The kick only makes this CPU leave the guest or its idle WFI; sched_next() does the rest. */
static bool kick_irq(unsigned intid)
{
	(void)intid;
	this_pcpu()->wakeups++;
	return true;
}

/*
 * Interrupts whose exit is all they ask for. A post SGI that arrives outside the guest (idle,
 * or at EL2): the vCPU's exit has closed its mailbox and folded the post into the model. A
 * maintenance interrupt (underflow, EOI of a level interrupt): the exit resynchronises the LRs.
 */
static bool exit_is_enough(unsigned intid)
{
	(void)intid;
	return true;
}

/* The loaded vCPU's timer fired: it stays active until that guest deactivates it. */
static bool vtimer_irq(unsigned intid)
{
	struct vcpu *v = this_pcpu()->loaded;

	if (!v) {
		return true;
	}
	(void)intid;
	if (v->running && v->state == VCPU_RUNNABLE) {
		/* Taken while v exits to EL2: its LRs are synced, so it goes straight in. */
		vgic_inject_direct(&v->vm->vgic, v->id, GUEST_VTIMER_INTID, &v->arch.gic);
	} else {
		vgic_inject(&v->vm->vgic, v->id, GUEST_VTIMER_INTID);
	}
	return false;
}

/* CNTHP fired: the scheduler re-evaluates on the way out (time slice, a sleeping vCPU's timer). */
static bool hyp_timer_irq(unsigned intid)
{
	(void)intid;
	arch_hyp_timer_cancel();
	return true;
}

static bool is_ppi(unsigned intid)
{
	return intid >= 16 && intid < 32;
}

unsigned arch_vtimer_intid(void)
{
	return INTID_VTIMER;
}

void arch_irq_init_global(const struct platform_info *info)
{
	/* timer_intid[]: secure phys, non-secure phys, virtual, hyp phys (arm,armv8-timer). */
	if (is_ppi(info->timer_intid[2]) && is_ppi(info->timer_intid[3])) {
		arm64_intid_vtimer = info->timer_intid[2];
		arm64_intid_hyp_timer = info->timer_intid[3];
	}
	CHECK(irq_register(INTID_SGI_KICK, kick_irq) == 0);
	CHECK(irq_register(INTID_SGI_POST, exit_is_enough) == 0);
	CHECK(irq_register(INTID_MAINTENANCE, exit_is_enough) == 0);
	CHECK(irq_register(INTID_VTIMER, vtimer_irq) == 0);
	CHECK(irq_register(INTID_HYP_TIMER, hyp_timer_irq) == 0);
	arm64_gic_init_global(info->gicd_base);
	arm64_gic_sgi_targets_init(info->cpu_mpidr, info->cpu_count);
}

int arch_irq_init_cpu(const struct platform_info *info)
{
	return arm64_gic_init_cpu(info->gicr_base, info->gicr_size);
}

void arch_irq_route_spi(unsigned intid, uint64_t mpidr)
{
	arm64_gic_enable_spi(intid, mpidr);
}

/* PSCI CPU_ON (SMC64), PSCI DEN0022 E §5.6: the CPU starts at secondary_entry with x0 = id. */
int arch_cpu_start(unsigned id, uint64_t mpidr)
{
	int64_t ret = arm64_smc(0xC4000003ULL, mpidr, (uint64_t)(uintptr_t)secondary_entry, id);

	return ret == 0 ? 0 : -1;
}
