// SPDX-License-Identifier: Apache-2.0
/*
 * Per-CPU bring-up of Tessera on arm64: feature probe, EL2 MMU, GIC, the firmware calls that
 * start secondary CPUs and power off, and waiting for interrupts while no vCPU runs.
 */
#include "hyp/arch/cpu.h"

#include "hyp/arch/gic.h"
#include "hyp/arch/layout.h"
#include "hyp/arch/sysreg.h"
#include "hyp/arch_api.h"
#include "hyp/check.h"
#include "hyp/init.h"
#include "hyp/irq.h"
#include "hyp/log.h"
#include "hyp/plat_console.h"
#include "hyp/platform.h"
#include "hyp/sched.h"

#define PSCI_SYSTEM_OFF 0x84000008ULL

unsigned arch_cpu_index(void);

struct cpu_features cpu_features;

static uint64_t field(uint64_t reg, unsigned shift)
{
	return (reg >> shift) & 0xf;
}

void arm64_cpu_features_probe(void)
{
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1);
	uint64_t isar2 = read_sysreg(S3_0_C0_C6_2); /* ID_AA64ISAR2_EL1 */
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	uint64_t mmfr1 = read_sysreg(id_aa64mmfr1_el1);

	cpu_features.pauth = field(isar1, ID_AA64ISAR1_APA_SHIFT) ||
			     field(isar1, ID_AA64ISAR1_API_SHIFT) ||
			     field(isar2, ID_AA64ISAR2_APA3_SHIFT);
	cpu_features.hcx = field(mmfr1, ID_AA64MMFR1_HCX_SHIFT) != 0;
	cpu_features.fgt = field(mmfr0, ID_AA64MMFR0_FGT_SHIFT) != 0;
	cpu_features.parange = MIN(mmfr0 & ID_AA64MMFR0_PARANGE_MASK, 5ULL);
	cpu_features.pmu_counters = (unsigned)((read_sysreg(pmcr_el0) >> 11) & 0x1f);
}

int64_t arm64_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

/* pcpus[i] is the platform's CPU i, whose SGI target arm64_gic_sgi_targets_init() recorded. */
_Static_assert(SCHED_MAX_PCPUS <= HYP_MAX_CPUS, "every pCPU has an SGI target");

void arch_pcpu_kick(unsigned pcpu_id)
{
	arm64_gic_send_sgi(pcpu_id, INTID_SGI_KICK);
}

/* Handle intid (already acknowledged) and every interrupt still pending after it. */
void arm64_irq_handle(unsigned intid)
{
	/* 1020-1023 are special INTIDs: nothing (more) to handle, GICv3 IHI0069 H §2.2.1 */
	for (; intid < 1020; intid = arm64_gic_ack()) {
		arm64_gic_eoi(intid);
		if (irq_dispatch(intid)) {
			arm64_gic_deactivate(intid);
		}
	}
}

void arch_idle(void)
{
	/* WFI wakes on a pending interrupt even with PSTATE.I set (ARM DDI0487 K.a D1.6.2). */
	dsb(sy);
	wfi();
	arm64_irq_handle(arm64_gic_ack());
}

/* Firmware below EL2 is reached with SMC; an "hvc" or missing PSCI node means there is none. */
static bool have_firmware = true;

void arch_firmware_init(const struct platform_info *info)
{
	have_firmware = info->psci == PSCI_CONDUIT_SMC;
}

void arch_system_off(void)
{
	plat_console_flush();
	if (have_firmware) {
		arm64_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
	log_notice("no firmware to power off: stopping CPU %u\n", arch_cpu_index());
	for (;;) {
		wfe();
	}
}

void arch_dcache_clean_range(const void *p, size_t size)
{
	uint64_t line = 4ULL << ((read_sysreg(ctr_el0) >> 16) & 0xf); /* CTR_EL0.DminLine */
	uint64_t a = ALIGN_DOWN((uint64_t)(uintptr_t)p, line);

	for (; a < (uint64_t)(uintptr_t)p + size; a += line) {
		__asm__ volatile("dc cvac, %0" ::"r"(a) : "memory");
	}
	dsb(sy);
}

void arch_icache_invalidate_all(void)
{
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}

void arch_wait_event(void)
{
	wfe();
}

void arch_send_event(void)
{
	dsb(ish);
	sev();
}

extern uint8_t hyp_stacks[];

/* Stacks are HYP_STACK_SIZE apart and never left while Tessera runs, so sp names the CPU. */
unsigned arch_cpu_index(void)
{
	uint64_t sp;

	__asm__ volatile("mov %0, sp" : "=r"(sp));
	return (unsigned)((sp - 1 - (uint64_t)(uintptr_t)hyp_stacks) / HYP_STACK_SIZE);
}

uint64_t arch_timer_now(void)
{
	isb(); /* no early counter read, ARM DDI0487 K.a D12.2.1 */
	return read_sysreg(cntpct_el0);
}

uint64_t arch_timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

/* CNTHP_CVAL_EL2/CNTHP_CTL_EL2, ARM DDI0487 K.a: Tessera's own EL2 physical timer. */
void arch_hyp_timer_set(uint64_t deadline)
{
	write_sysreg(cnthp_cval_el2, deadline);
	write_sysreg(cnthp_ctl_el2, 1); /* ENABLE, IMASK clear */
	isb();
}

void arch_hyp_timer_cancel(void)
{
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
}
