// SPDX-License-Identifier: Apache-2.0
/*
 * Physical GICv3 driver (GICv3 IHI0069 H): affinity routing, group 1, EOImode 1 so that a
 * forwarded interrupt (the virtual timer) stays active until the guest deactivates it.
 */
#include "hyp/arch/gic.h"
#include "hyp/arch/layout.h"
#include "hyp/arch/sysreg.h"
#include "hyp/check.h"
#include "hyp/errno.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP BIT(31)
#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_ENGRP1 BIT(1)

#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180)
#define GICR_ISACTIVER0 (GICR_SGI + 0x0300)
#define GICR_ICACTIVER0 (GICR_SGI + 0x0380)
#define GICR_IPRIORITYR0 (GICR_SGI + 0x0400)
#define GICR_TYPER_LAST BIT(4)
#define GICR_WAKER_PSLEEP BIT(1)
#define GICR_WAKER_CASLEEP BIT(2)
#define GICR_FRAME 0x20000

#define IRQ_PRIO 0xa0

unsigned arm64_intid_hyp_timer = 26;
unsigned arm64_intid_vtimer = 27;
static uint8_t *gicd;
static uint8_t *gicr_of_cpu[HYP_MAX_CPUS];
/* ICC_SGI1R_EL1 naming CPU i (the platform's order) alone, INTID field 0: set once at boot. */
static uint64_t sgi1r_of_cpu[HYP_MAX_CPUS];

static inline uint32_t rd32(uint8_t *base, unsigned off)
{
	return *(volatile uint32_t *)(base + off);
}

static inline void wr32(uint8_t *base, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static inline uint64_t rd64(uint8_t *base, unsigned off)
{
	return *(volatile uint64_t *)(base + off);
}

static inline void wr64(uint8_t *base, unsigned off, uint64_t v)
{
	*(volatile uint64_t *)(base + off) = v;
}

static unsigned cpu_index(void)
{
	return (unsigned)(read_sysreg(mpidr_el1) & 0xff);
}

void arm64_gic_init_global(uint64_t gicd_base)
{
	unsigned lines;

	gicd = (uint8_t *)(uintptr_t)gicd_base;
	wr32(gicd, GICD_CTLR, 0);
	while (rd32(gicd, GICD_CTLR) & GICD_CTLR_RWP) {
	}
	lines = ((rd32(gicd, GICD_TYPER) & 0x1f) + 1) * 32;
	for (unsigned i = 32; i < lines; i += 32) {
		wr32(gicd, GICD_ICENABLER + i / 8, ~0U);
		wr32(gicd, GICD_IGROUPR + i / 8, ~0U);
	}
	for (unsigned i = 32; i < lines; i += 4) {
		wr32(gicd, GICD_IPRIORITYR + i, IRQ_PRIO * 0x01010101U);
	}
	wr32(gicd, GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENGRP1);
	while (rd32(gicd, GICD_CTLR) & GICD_CTLR_RWP) {
	}
}

/* Redistributor frame whose GICR_TYPER.Affinity_Value matches this CPU, §12.10.37. */
static uint8_t *find_redist(uint64_t gicr_base, uint64_t gicr_size)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000);

	for (uint64_t off = 0; off + GICR_FRAME <= gicr_size; off += GICR_FRAME) {
		uint8_t *rd = (uint8_t *)(uintptr_t)(gicr_base + off);
		uint64_t typer = rd64(rd, GICR_TYPER);

		if ((typer >> 32) == aff) {
			return rd;
		}
		if (typer & GICR_TYPER_LAST) {
			break;
		}
	}
	return NULL;
}

static void cpu_interface_init(void)
{
	/* ICC_SRE_EL2: system-register interface, and EL1 may use it too (GICv3 IHI0069 H,
	 * ICC_SRE_EL2). */
	write_sysreg(S3_4_C12_C9_5, 0xfULL);
	isb();
	write_sysreg(S3_0_C12_C12_5, 0x7ULL); /* ICC_SRE_EL1: SRE, DFB, DIB for the guest */
	write_sysreg(S3_0_C4_C6_0, 0xffULL);  /* ICC_PMR_EL1: let every priority through */
	write_sysreg(S3_0_C12_C12_3, 0ULL);   /* ICC_BPR1_EL1 */
	write_sysreg(S3_0_C12_C12_4, 0x2ULL); /* ICC_CTLR_EL1.EOImode: drop and deactivate apart */
	write_sysreg(S3_0_C12_C12_7, 1ULL);   /* ICC_IGRPEN1_EL1 */
	write_sysreg(S3_4_C12_C11_0, 0ULL);   /* ICH_HCR_EL2 off until a vCPU is loaded */
	isb();
}

int arm64_gic_init_cpu(uint64_t gicr_base, uint64_t gicr_size)
{
	uint8_t *rd = find_redist(gicr_base, gicr_size);

	if (!rd) {
		return -ENODEV;
	}
	gicr_of_cpu[cpu_index() % HYP_MAX_CPUS] = rd;
	wr32(rd, GICR_WAKER, rd32(rd, GICR_WAKER) & ~(uint32_t)GICR_WAKER_PSLEEP);
	while (rd32(rd, GICR_WAKER) & GICR_WAKER_CASLEEP) {
	}
	wr32(rd, GICR_ICENABLER0, ~0U);
	wr32(rd, GICR_IGROUPR0, ~0U);
	for (unsigned i = 0; i < 32; i += 4) {
		wr32(rd, GICR_IPRIORITYR0 + i, IRQ_PRIO * 0x01010101U);
	}
	wr32(rd, GICR_ISENABLER0,
	     (uint32_t)(BIT(INTID_SGI_KICK) | BIT(INTID_SGI_POST) | BIT(INTID_MAINTENANCE) |
			BIT(INTID_HYP_TIMER) | BIT(INTID_VTIMER)));
	cpu_interface_init();
	return 0;
}

void arm64_gic_enable_spi(unsigned intid, uint64_t target_mpidr)
{
	uint64_t aff = (target_mpidr & 0xffffff) | ((target_mpidr >> 8) & 0xff00000000ULL);

	wr64(gicd, GICD_IROUTER + intid * 8, aff);
	wr32(gicd, GICD_ISENABLER + (intid / 32) * 4, 1U << (intid % 32));
}

/* ICC_SGI1R_EL1 targeting the CPU with this MPIDR alone, GICv3 IHI0069 H §12.2.22 */
static uint64_t sgi1r_target(uint64_t mpidr)
{
	uint64_t aff0 = mpidr & 0xff;

	/* TargetList bit Aff0[3:0] in the range RS = Aff0[7:4], then Aff1, Aff2, Aff3. */
	return BIT(aff0 & 0xf) | ((mpidr >> 8) & 0xff) << 16 | ((mpidr >> 16) & 0xff) << 32 |
	       (aff0 >> 4) << 44 | ((mpidr >> 32) & 0xff) << 48;
}

void arm64_gic_sgi_targets_init(const uint64_t *mpidr, unsigned count)
{
	for (unsigned i = 0; i < count && i < HYP_MAX_CPUS; i++) {
		sgi1r_of_cpu[i] = sgi1r_target(mpidr[i]);
	}
}

uint64_t arm64_gic_sgi1r(unsigned cpu, unsigned intid)
{
	CHECK(cpu < HYP_MAX_CPUS); /* a CPU index is Tessera's own: anything else is a bug */
	return sgi1r_of_cpu[cpu] | (uint64_t)intid << 24; /* INTID, bits [27:24] */
}

void arm64_gic_send_sgi(unsigned cpu, unsigned intid)
{
	arm64_gic_sgi1r_write(arm64_gic_sgi1r(cpu, intid));
}

void arm64_gic_clear_active_ppi(unsigned intid)
{
	uint8_t *rd = gicr_of_cpu[cpu_index() % HYP_MAX_CPUS];

	wr32(rd, GICR_ICACTIVER0, 1U << intid);
}

void arm64_gic_set_active_ppi(unsigned intid)
{
	uint8_t *rd = gicr_of_cpu[cpu_index() % HYP_MAX_CPUS];

	wr32(rd, GICR_ISACTIVER0, 1U << intid);
}

unsigned arm64_gic_nr_lrs(void)
{
	return (unsigned)(read_sysreg(S3_4_C12_C11_1) & 0x1f) + 1; /* ICH_VTR_EL2.ListRegs */
}
