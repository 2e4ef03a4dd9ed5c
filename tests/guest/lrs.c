// SPDX-License-Identifier: Apache-2.0
/*
 * More interrupts pending than list registers (GICv3 IHI0069 H §4.7, ICH_HCR_EL2.UIE): with
 * interrupts masked, vCPU 0 makes eight SGIs pending on itself, each with its own priority,
 * then unmasks. QEMU's GICv3 has four LRs, so Tessera can list only half of them; the rest
 * must follow through the underflow maintenance interrupt, without any other exit to help.
 * Every SGI must be taken exactly once (none again while interrupts stay unmasked a little
 * longer), highest priority (lowest value) first.
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
/* After the eighth: how long a repeated delivery has to show up, with interrupts unmasked. */
#define SETTLE_US 50000U

static volatile uint32_t taken;
static volatile uint32_t count[NR_SGIS + 1]; /* deliveries per INTID; 0 is not used */
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
	if (intid <= NR_SGIS) {
		count[intid]++;
	}
	smp_publish(&taken, n + 1);
}

/* Every SGI delivered once, and nothing else: a repeated one is a ninth delivery. */
static bool each_once(void)
{
	for (uint32_t intid = 1; intid <= NR_SGIS; intid++) {
		if (count[intid] != 1) {
			return false;
		}
	}
	return taken == NR_SGIS;
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
	/* Still unmasked: wait (bounded, in WFE) for a delivery there should not be. */
	(void)smp_wait_ge(&taken, NR_SGIS + 1, SETTLE_US);
	irq_disable();
	test_checkf(each_once(), "each_once", "taken %u, per SGI 1-8: %u %u %u %u %u %u %u %u",
		    taken, count[1], count[2], count[3], count[4], count[5], count[6], count[7],
		    count[8]);
	test_checkf(in_priority_order(), "priority_order", "order %u %u %u %u %u %u %u %u",
		    order[0], order[1], order[2], order[3], order[4], order[5], order[6], order[7]);
}
