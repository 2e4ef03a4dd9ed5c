// SPDX-License-Identifier: Apache-2.0
/* GICv3 distributor, redistributor and CPU interface setup for test guests. */
#include "guest/gic.h"

#include "guest/smp.h"
#include "guest/sysreg.h"

/* Bound on RWP / ChildrenAsleep polls: a broken model must fail a check, not hang. */
#define GIC_POLL_SPINS 100000U

/* ICC_SRE_EL1.SRE (GICv3 IHI0069 H §12.2, ICC_SRE_EL1): use the system-register interface. */
#define ICC_SRE_SRE (1ULL << 0)
/* ICC_SGI1R_EL1 fields (GICv3 IHI0069 H §12.2, ICC_SGI1R_EL1). */
#define ICC_SGI1R_INTID_SHIFT 24

uintptr_t gic_redist_base(unsigned cpu)
{
	for (unsigned i = 0; i < GUEST_MAX_CPUS; i++) {
		uintptr_t rd = GICR_BASE + i * GICR_STRIDE;
		uint64_t typer = mmio_read64(rd + GICR_TYPER);

		if ((typer >> GICR_TYPER_AFF_SHIFT) == cpu) {
			return rd;
		}
		if (typer & GICR_TYPER_LAST) {
			break;
		}
	}
	return 0;
}

static void gic_dist_wait_rwp(void)
{
	/* GICD_CTLR.RWP: writes to CTLR/ICENABLER take effect once it reads 0 (§12.9). */
	for (unsigned i = 0; i < GIC_POLL_SPINS; i++) {
		if (!(mmio_read32(GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)) {
			return;
		}
	}
}

void gic_dist_init(void)
{
	/* ARE must be set before the group enable takes effect with affinity routing (§12.9). */
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ARE);
	gic_dist_wait_rwp();
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
	gic_dist_wait_rwp();
}

/*
 * IPRIORITYR is byte-accessible (§12.9, §12.11), but the runtime uses word read-modify-write so
 * that only tests/guest/mmio.c depends on a model's byte-access support.
 */
static void gic_prio_set(uintptr_t ipriorityr, uint32_t intid, uint8_t prio)
{
	uintptr_t word = ipriorityr + (intid & ~3U);
	unsigned shift = (intid & 3U) * 8U;
	uint32_t v = mmio_read32(word);

	v = (v & ~(0xffU << shift)) | ((uint32_t)prio << shift);
	mmio_write32(word, v);
}

static bool gic_redist_wake(uintptr_t rd)
{
	uint32_t waker = mmio_read32(rd + GICR_WAKER);

	/* GICR_WAKER: clear ProcessorSleep, then wait for ChildrenAsleep to clear (§12.11). */
	mmio_write32(rd + GICR_WAKER, waker & ~GICR_WAKER_PROCESSOR_SLEEP);
	for (unsigned i = 0; i < GIC_POLL_SPINS; i++) {
		if (!(mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)) {
			return true;
		}
	}
	return false;
}

static void gic_cpuif_init(void)
{
	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | ICC_SRE_SRE);
	isb();
	write_sysreg(icc_pmr_el1, GIC_PMR_ALLOW_ALL);
	write_sysreg(icc_bpr1_el1, 0);
	/* EOImode = 0: one EOIR write drops priority and deactivates (ICC_CTLR_EL1.EOImode). */
	write_sysreg(icc_ctlr_el1, 0);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

bool gic_cpu_init(void)
{
	uintptr_t rd = gic_redist_base(cpu_id());
	uintptr_t sgi;

	if (rd == 0 || !gic_redist_wake(rd)) {
		return false;
	}
	sgi = rd + GICR_SGI_OFFSET;
	mmio_write32(sgi + GICR_ICENABLER0, ~0U);
	mmio_write32(sgi + GICR_IGROUPR0, ~0U);
	for (uint32_t n = 0; n < 32; n += 4) {
		mmio_write32(sgi + GICR_IPRIORITYR + n, GIC_PRIO_DEFAULT * 0x01010101U);
	}
	gic_cpuif_init();
	return true;
}

static void gic_spi_setup(uint32_t intid, uint8_t prio)
{
	uint32_t reg = GICD_IGROUPR + (intid / 32) * 4;
	uint64_t aff0 = read_sysreg(mpidr_el1) & MPIDR_AFF0_MASK;

	mmio_write32(GICD_BASE + reg, mmio_read32(GICD_BASE + reg) | (1U << (intid % 32)));
	gic_prio_set(GICD_BASE + GICD_IPRIORITYR, intid, prio);
	/* GICD_IROUTER<n>.Interrupt_Routing_Mode = 0: deliver to Aff3.Aff2.Aff1.Aff0 (§12.9). */
	mmio_write64(GICD_BASE + GICD_IROUTER + intid * 8ULL, aff0);
}

void gic_irq_enable(uint32_t intid, uint8_t prio)
{
	uint32_t bit = 1U << (intid % 32);

	if (intid >= 32) {
		gic_spi_setup(intid, prio);
		mmio_write32(GICD_BASE + GICD_ISENABLER + (intid / 32) * 4, bit);
		return;
	}
	uintptr_t sgi = gic_redist_base(cpu_id()) + GICR_SGI_OFFSET;

	gic_prio_set(sgi + GICR_IPRIORITYR, intid, prio);
	mmio_write32(sgi + GICR_ISENABLER0, bit);
}

void gic_irq_disable(uint32_t intid)
{
	uint32_t bit = 1U << (intid % 32);

	if (intid >= 32) {
		mmio_write32(GICD_BASE + GICD_ICENABLER + (intid / 32) * 4, bit);
		gic_dist_wait_rwp();
		return;
	}
	mmio_write32(gic_redist_base(cpu_id()) + GICR_SGI_OFFSET + GICR_ICENABLER0, bit);
}

uint32_t gic_ack(void)
{
	/* INTID is ICC_IAR1_EL1[23:0]; the DSB orders the ack before the handler's accesses. */
	uint32_t intid = (uint32_t)(read_sysreg(icc_iar1_el1) & 0xffffffU);

	dsb(sy);
	return intid;
}

void gic_eoi(uint32_t intid)
{
	write_sysreg(icc_eoir1_el1, intid);
	isb();
}

void gic_sgi_send(uint32_t intid, unsigned cpu)
{
	/* Handler-visible data must be written before the SGI is generated. */
	dsb(sy);
	write_sysreg(icc_sgi1r_el1, ((uint64_t)intid << ICC_SGI1R_INTID_SHIFT) | (1ULL << cpu));
	isb();
}
