/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GICv3 driver for test guests (GICv3 IHI0069 H): one security state (GICD_CTLR.DS = 1, as on
 * QEMU virt without EL3 and in the Tessera vGIC), affinity routing, group 1 only.
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include <stdbool.h>
#include <stdint.h>

/* QEMU virt's addresses; a build for another machine layout may define its own. */
#ifndef GICD_BASE
#define GICD_BASE 0x08000000UL
#endif
#ifndef GICR_BASE
#define GICR_BASE 0x080A0000UL
#endif
#define GICR_STRIDE 0x20000UL	  /* RD_base + SGI_base frames per redistributor */
#define GICR_SGI_OFFSET 0x10000UL /* SGI_base follows RD_base */

/* Distributor registers, GICv3 IHI0069 H §12.9. */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000
#define GICD_PIDR2 0xffe8

#define GICD_CTLR_ENABLE_GRP1 (1U << 1) /* EnableGrp1 when DS = 1 */
#define GICD_CTLR_ARE (1U << 4)
#define GICD_CTLR_RWP (1U << 31)

/* Redistributor RD_base registers, GICv3 IHI0069 H §12.11. */
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8

#define GICR_TYPER_LAST (1ULL << 4)
#define GICR_TYPER_PROC_NUM_SHIFT 8
#define GICR_TYPER_AFF_SHIFT 32
#define GICR_WAKER_PROCESSOR_SLEEP (1U << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1U << 2)

/* Redistributor SGI_base registers (offsets from SGI_base), GICv3 IHI0069 H §12.11. */
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_ISACTIVER0 0x0300
#define GICR_IPRIORITYR 0x0400

/* PIDR2.ArchRev, GICv3 IHI0069 H §12.9 (GICD_PIDR2): 3 for GICv3. */
#define GIC_PIDR2_ARCHREV(v) (((v) >> 4) & 0xfU)

#define GIC_INTID_SPURIOUS 1023U
#define GIC_PRIO_DEFAULT 0xa0U
#define GIC_PMR_ALLOW_ALL 0xffU

/** RD_base of the redistributor whose GICR_TYPER affinity is Aff0 = cpu; 0 if none. */
uintptr_t gic_redist_base(unsigned cpu);
/** Distributor: affinity routing on, group 1 on. Boot vCPU, once. */
void gic_dist_init(void);
/** This vCPU: wake its redistributor, SGIs/PPIs to group 1, CPU interface on. */
bool gic_cpu_init(void);
/** Enable intid with priority prio; SPIs are routed to this vCPU. */
void gic_irq_enable(uint32_t intid, uint8_t prio);
void gic_irq_disable(uint32_t intid);
/** ICC_IAR1_EL1: acknowledge the highest-priority pending group-1 interrupt. */
uint32_t gic_ack(void);
/** ICC_EOIR1_EL1: priority drop and deactivation (ICC_CTLR_EL1.EOImode = 0). */
void gic_eoi(uint32_t intid);
/** ICC_SGI1R_EL1: send SGI intid to the vCPU whose Aff0 is cpu (Aff1..3 = 0). */
void gic_sgi_send(uint32_t intid, unsigned cpu);

#endif
