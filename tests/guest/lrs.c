// SPDX-License-Identifier: Apache-2.0
/*
 * More interrupts pending than list registers (GICv3 IHI0069 H §4.7, ICH_HCR_EL2.UIE): with
 * interrupts masked, vCPU 0 makes eight SGIs pending on itself, each with its own priority,
 * then unmasks. QEMU's GICv3 has four LRs, so Tessera can list only half of them; the rest
 * must follow through the underflow maintenance interrupt, without any other exit to help.
 * Every SGI must be taken exactly once, highest priority (lowest value) first.
 *
 * expect: gic_init all_taken each_once priority_order
 */
#include <stdint.h>

#include "guest/exc.h"
#include "guest/gic.h"
#include "guest/smp.h"
#include "guest/sysreg.h"
#include "guest/test.h"

const char guest_name[] = "lrs";

#define NR_SGIS 8U
#define WAIT_US 5000000U

static volatile uint32_t taken;
static volatile uint32_t seen_mask;
static volatile uint32_t order[NR_SGIS];

/* SGI i (1..8) gets priority 0x40 + 8 * (8 - i): SGI 8 is the most urgent. */
static uint8_t sgi_prio(uint32_t intid)
{
	return (uint8_t)(0x40U + 8U * (NR_SGIS - intid));
}

static void on_sgi(uint32_t intid)
{
	uint32_t n = taken;

	if (n < NR_SGIS) {
		order[n] = intid;
	}
	seen_mask |= 1U << intid;
	smp_publish(&taken, n + 1);
}

static bool in_priority_order(void)
{
	for (uint32_t i = 0; i < NR_SGIS; i++) {
		if (order[i] != NR_SGIS - i) {
			return false;
		}
	}
	return true;
}

void guest_main(void)
{
	gic_dist_init();
	if (!check(gic_cpu_init(), "gic_init")) {
		return;
	}
	for (uint32_t intid = 1; intid <= NR_SGIS; intid++) {
		irq_register(intid, on_sgi);
		gic_irq_enable(intid, sgi_prio(intid));
	}
	irq_disable();
	for (uint32_t intid = 1; intid <= NR_SGIS; intid++) {
		gic_sgi_send(intid, 0);
	}
	irq_enable();
	test_checkf(smp_wait_ge(&taken, NR_SGIS, WAIT_US), "all_taken", "%u of %u SGIs taken",
		    taken, NR_SGIS);
	irq_disable();
	check_eq(seen_mask, 0x1feU, "each_once");
	test_checkf(in_priority_order(), "priority_order", "order %u %u %u %u %u %u %u %u",
		    order[0], order[1], order[2], order[3], order[4], order[5], order[6], order[7]);
}
