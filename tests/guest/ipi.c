// SPDX-License-Identifier: Apache-2.0
/*
 * SGIs between vCPUs (GICv3 IHI0069 H §12.2, ICC_SGI1R_EL1): vCPU 0 starts vCPU 1 with CPU_ON,
 * then each sends SGI_COUNT SGIs to the other, one at a time; both handlers must run for every
 * one, with the right INTID. Counts are kept per handling vCPU, so an SGI delivered to the
 * wrong vCPU shows up as a wrong count on both sides.
 *
 * expect: gic_init cpu_on secondary_ready secondary_count secondary_intid
 * expect: primary_count primary_intid secondary_finished
 */
#include <stdint.h>

#include "guest/exc.h"
#include "guest/gic.h"
#include "guest/smccc.h"
#include "guest/smp.h"
#include "guest/sysreg.h"
#include "guest/test.h"

const char guest_name[] = "ipi";

#define IPI_INTID 3U
#define SGI_COUNT 3U
#define WAIT_US 5000000U

/* Per-vCPU observations, each written only by its own vCPU's handler. */
static volatile uint32_t sgi_count[2];
static volatile uint32_t sgi_intid[2];
/* vCPU 1 progress: 1 = GIC ready, 2 = sent all its SGIs (or gave up). */
static volatile uint32_t secondary_state;

static void on_sgi(uint32_t intid)
{
	unsigned cpu = cpu_id() & 1U;

	sgi_intid[cpu] = intid;
	smp_publish(&sgi_count[cpu], sgi_count[cpu] + 1);
}

/* Send one SGI at a time: a second one while the first is pending would merge with it. */
static void sgi_send_all(unsigned target, volatile uint32_t *count)
{
	for (uint32_t i = 0; i < SGI_COUNT; i++) {
		gic_sgi_send(IPI_INTID, target);
		if (!smp_wait_ge(count, i + 1, WAIT_US)) {
			return;
		}
	}
}

static void secondary_main(uint64_t arg)
{
	(void)arg;
	if (!gic_cpu_init()) {
		return;
	}
	gic_irq_enable(IPI_INTID, GIC_PRIO_DEFAULT);
	irq_enable();
	smp_publish(&secondary_state, 1);
	(void)smp_wait_ge(&sgi_count[1], SGI_COUNT, WAIT_US);
	sgi_send_all(0, &sgi_count[0]);
	irq_disable();
	smp_publish(&secondary_state, 2);
}

static void check_side(unsigned cpu, const char *count, const char *intid)
{
	check_eq(sgi_count[cpu], SGI_COUNT, count);
	check_eq(sgi_intid[cpu], IPI_INTID, intid);
}

void guest_main(void)
{
	gic_dist_init();
	if (!check(gic_cpu_init(), "gic_init")) {
		return;
	}
	irq_register(IPI_INTID, on_sgi);
	gic_irq_enable(IPI_INTID, GIC_PRIO_DEFAULT);
	irq_enable();
	if (!check_eq(smp_cpu_on(1, secondary_main, 0), PSCI_RET_SUCCESS, "cpu_on") ||
	    !test_checkf(smp_wait_ge(&secondary_state, 1, WAIT_US), "secondary_ready",
			 "vCPU 1 never enabled its GIC")) {
		return;
	}
	sgi_send_all(1, &sgi_count[1]);
	test_checkf(smp_wait_ge(&secondary_state, 2, WAIT_US), "secondary_finished",
		    "vCPU 1 state %u", secondary_state);
	irq_disable();
	check_side(1, "secondary_count", "secondary_intid");
	check_side(0, "primary_count", "primary_intid");
}
