// SPDX-License-Identifier: Apache-2.0
/*
 * EL1 virtual timer (ARM DDI0487 K.a, CNTV_CTL_EL0 / CNTV_TVAL_EL0) through the vGIC: PPI 27 is
 * delivered, acknowledged and EOI'd, fires periodically and never early, stops when disabled,
 * and wakes a WFI while PSTATE.I masks it.
 *
 * expect: freq gic_init irq_intid periodic_ticks tick_not_early eoi_done stops_when_disabled
 * expect: wfi_wakes wfi_irq_taken
 */
#include "guest/timer.h"

#include <stdint.h>

#include "guest/exc.h"
#include "guest/gic.h"
#include "guest/smp.h"
#include "guest/sysreg.h"
#include "guest/test.h"

const char guest_name[] = "timer";

#define TICKS_WANTED 3U
#define PERIOD_US 10000U
#define WAIT_US 2000000U

static volatile uint32_t tick_count;
static volatile uint32_t last_intid;
static volatile uint32_t early_count; /* ticks that came before their deadline */
static volatile uint64_t armed_at;
static uint64_t period;

static void tick_arm(void)
{
	/* Read the counter first: the deadline is then at least armed_at + period. */
	armed_at = timer_now();
	vtimer_arm(period);
}

static void on_tick(uint32_t intid)
{
	last_intid = intid;
	if (timer_now() - armed_at < period) {
		early_count++;
	}
	tick_count++;
	/* The timer interrupt is level-sensitive: rearm or disable it before the EOI. */
	if (tick_count < TICKS_WANTED) {
		tick_arm();
	} else {
		vtimer_stop();
	}
}

static void test_periodic(void)
{
	uintptr_t sgi = gic_redist_base(cpu_id()) + GICR_SGI_OFFSET;

	tick_arm();
	irq_enable();
	(void)smp_wait_ge(&tick_count, TICKS_WANTED, WAIT_US);
	check_eq(last_intid, VTIMER_INTID, "irq_intid");
	check_eq(tick_count, TICKS_WANTED, "periodic_ticks");
	/* Both need at least one tick, or they would pass without a single interrupt. */
	test_checkf(tick_count > 0 && early_count == 0, "tick_not_early",
		    "%u of %u ticks before their deadline", early_count, tick_count);
	/* Idle running priority and not active: every ack had its EOI (GICv3 IHI0069 H §12.2). */
	test_checkf(tick_count > 0 && read_sysreg(icc_rpr_el1) == 0xff &&
			!(mmio_read32(sgi + GICR_ISACTIVER0) & (1U << VTIMER_INTID)),
		    "eoi_done", "ICC_RPR_EL1 %#lx GICR_ISACTIVER0 %#x", read_sysreg(icc_rpr_el1),
		    mmio_read32(sgi + GICR_ISACTIVER0));
	timer_delay_us(3 * PERIOD_US);
	check_eq(tick_count, TICKS_WANTED, "stops_when_disabled");
	irq_disable();
}

/*
 * WFI wakes on a pending interrupt even when PSTATE.I masks it (ARM DDI0487 K.a, WFI). WFI may
 * also return early for no reason, so loop until the timer condition holds, bounded by time.
 */
static void test_wfi(void)
{
	uint32_t before = tick_count;
	uint64_t end = timer_now() + timer_us_to_ticks(WAIT_US);
	uint64_t woke = 0;
	unsigned wfi_count = 0;

	tick_arm();
	while (woke == 0 && timer_now() < end) {
		wfi();
		wfi_count++;
		if (vtimer_ctl() & CNTV_CTL_ISTATUS) {
			woke = timer_now();
		}
	}
	guest_printf("# timer: %u WFIs until the timer fired\n", wfi_count);
	test_checkf(woke != 0 && woke - armed_at >= period, "wfi_wakes",
		    "CNTV_CTL_EL0 %#lx after %u WFIs, woke %ld ticks after arming (period %lu)",
		    vtimer_ctl(), wfi_count, woke != 0 ? (int64_t)(woke - armed_at) : -1, period);
	irq_enable();
	(void)smp_wait_ge(&tick_count, before + 1, WAIT_US);
	irq_disable();
	check_eq(tick_count, before + 1, "wfi_irq_taken");
}

void guest_main(void)
{
	period = timer_us_to_ticks(PERIOD_US);
	test_checkf(timer_freq() != 0, "freq", "CNTFRQ_EL0 is 0");
	gic_dist_init();
	if (!check(gic_cpu_init(), "gic_init")) {
		return;
	}
	irq_register(VTIMER_INTID, on_tick);
	gic_irq_enable(VTIMER_INTID, GIC_PRIO_DEFAULT);
	test_periodic();
	test_wfi();
}
