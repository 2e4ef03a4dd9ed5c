// SPDX-License-Identifier: Apache-2.0
/*
 * vGICv3 distributor (GICD_*) register table, GICv3 IHI0069 H §12.9: affinity routing always on
 * and a single security state (GICD_CTLR.ARE=1, DS=1), so the SGI/PPI rows are RAZ/WI here and
 * live in the redistributors, and SPIs are routed by GICD_IROUTER<n>.
 */
#include "hyp/types.h"
#include "hyp/vdev.h"

#include "vgic3_internal.h"

/* GICD_TYPER fields, GICv3 IHI0069 H §12.9.38 */
#define GICD_TYPER_IDBITS_SHIFT 19
#define VGIC_IDBITS 9 /* 10-bit INTIDs: SPIs up to 1019, no LPIs */

/* GICD_IROUTER<n> keeps Aff3, IRM and Aff2.Aff1.Aff0, GICv3 IHI0069 H §12.9.22 */
#define GICD_IROUTER_RW (GENMASK(39, 32) | BIT(31) | GENMASK(23, 0))

#define VGIC_NR_INTIDS 1024 /* every bits-per-IRQ array spans the architectural INTID space */

/* GICD_CTLR, GICv3 IHI0069 H §12.9.4: ARE and DS read 1, RWP reads 0 (writes apply at once). */
static struct mmio_read gicd_ctlr_read(struct vgic *g, uint64_t off, unsigned width, unsigned vcpu)
{
	(void)off;
	(void)width;
	(void)vcpu;
	return MMIO_READ_OK(g->ctlr);
}

static uint32_t gicd_ctlr_write(struct vgic *g, uint64_t off, unsigned width, unsigned vcpu,
				uint64_t value)
{
	uint32_t was = g->ctlr;

	(void)off;
	(void)width;
	(void)vcpu;

	g->ctlr = GICD_CTLR_ARE | GICD_CTLR_DS |
		  ((uint32_t)value & (GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1));
	/* A group just enabled may release SPIs that were pending all along. */
	return g->ctlr & ~was ? vgic_spi_kick_mask_locked(g) : 0;
}

/* GICD_TYPER, GICv3 IHI0069 H §12.9.38: no LPIs, MBIS, ESPI, RSS; CPUNumber 0 as ARE=1. */
static struct mmio_read gicd_typer_read(struct vgic *g, uint64_t off, unsigned width, unsigned vcpu)
{
	uint64_t it_lines = (g->nr_spis + VGIC_NR_PRIVATE) / 32 - 1;

	(void)off;
	(void)width;
	(void)vcpu;

	return MMIO_READ_OK(it_lines | (uint64_t)VGIC_IDBITS << GICD_TYPER_IDBITS_SHIFT);
}

/* The SPI a GICD_IROUTER<n> access names; INTIDs 0-31 have no router (RAZ/WI). */
static struct vgic_irq *gicd_irouter_irq(struct vgic *g, uint64_t off, unsigned *intid)
{
	*intid = (unsigned)(off / 8);
	return *intid < VGIC_NR_PRIVATE ? NULL : vgic_irq_lookup(g, 0, *intid);
}

/* GICD_IROUTER<n>, GICv3 IHI0069 H §12.9.22: 64-bit, or 32-bit halves. */
static struct mmio_read gicd_irouter_read(struct vgic *g, uint64_t off, unsigned width,
					  unsigned vcpu)
{
	unsigned intid;
	const struct vgic_irq *irq = gicd_irouter_irq(g, off, &intid);

	(void)vcpu;
	return MMIO_READ_OK(irq ? vgic_reg64_slice(irq->irouter, off, width) : 0);
}

static uint32_t gicd_irouter_write(struct vgic *g, uint64_t off, unsigned width, unsigned vcpu,
				   uint64_t value)
{
	unsigned intid;
	struct vgic_irq *irq = gicd_irouter_irq(g, off, &intid);

	(void)vcpu;
	if (!irq) {
		return 0;
	}
	irq->irouter = vgic_reg64_merge(irq->irouter, off, width, value) & GICD_IROUTER_RW;
	irq->target = (uint8_t)vgic_spi_route(g, irq->irouter);
	/* The new target may have to take it now. */
	return vgic_irq_kick_mask_locked(g, irq, intid);
}

/* Sorted by offset; reserved gaps are RAZ/WI. Map: GICv3 IHI0069 H §12.8. */
const struct vgic_reg vgic_dist_regs[] = {
    /* GICD_CTLR, GICD_TYPER, GICD_IIDR, GICD_TYPER2 */
    VGIC_REG(0x0000, 4, VGIC_W32, gicd_ctlr_read, gicd_ctlr_write),
    VGIC_REG_CONST(0x0004, 4, VGIC_W32, gicd_typer_read, vgic_reg_wi),
    VGIC_REG_CONST(0x0008, 4, VGIC_W32, vgic_reg_iidr, vgic_reg_wi),
    VGIC_REG_CONST(0x000C, 4, VGIC_W32, vgic_reg_raz, vgic_reg_wi),
    /* GICD_IGROUPR<n> */
    VGIC_REG_IRQ(0x0080, VGIC_NR_INTIDS, 1, vgic_field_group_read, vgic_field_group_write),
    /* GICD_ISENABLER<n>, GICD_ICENABLER<n> */
    VGIC_REG_IRQ(0x0100, VGIC_NR_INTIDS, 1, vgic_field_enable_read, vgic_field_set_enable),
    VGIC_REG_IRQ(0x0180, VGIC_NR_INTIDS, 1, vgic_field_enable_read, vgic_field_clear_enable),
    /* GICD_ISPENDR<n>, GICD_ICPENDR<n> */
    VGIC_REG_IRQ(0x0200, VGIC_NR_INTIDS, 1, vgic_field_pending_read, vgic_field_set_pending),
    VGIC_REG_IRQ(0x0280, VGIC_NR_INTIDS, 1, vgic_field_pending_read, vgic_field_clear_pending),
    /* GICD_ISACTIVER<n>, GICD_ICACTIVER<n> */
    VGIC_REG_IRQ(0x0300, VGIC_NR_INTIDS, 1, vgic_field_active_read, vgic_field_set_active),
    VGIC_REG_IRQ(0x0380, VGIC_NR_INTIDS, 1, vgic_field_active_read, vgic_field_clear_active),
    /* GICD_IPRIORITYR<n>: INTIDs 0-1019 */
    VGIC_REG_IRQ(0x0400, 1020, 8, vgic_field_priority_read, vgic_field_priority_write),
    /* GICD_ICFGR<n> */
    VGIC_REG_IRQ(0x0C00, VGIC_NR_INTIDS, 2, vgic_field_cfg_read, vgic_field_cfg_write),
    /* GICD_IGRPMODR<n>: RAZ/WI when DS=1, GICv3 IHI0069 H §12.9 */
    VGIC_REG_CONST(0x0D00, VGIC_NR_INTIDS / 8, VGIC_W32, vgic_reg_raz, vgic_reg_wi),
    /* GICD_IROUTER<n>: INTIDs 0-1019, 0-31 RAZ/WI */
    VGIC_REG(0x6000, 1020 * 8, VGIC_W32 | VGIC_W64, gicd_irouter_read, gicd_irouter_write),
    /* GICD_PIDR2 */
    VGIC_REG_CONST(0xFFE8, 4, VGIC_W32, vgic_reg_pidr2, vgic_reg_wi),
    VGIC_REG_END,
};

static uint8_t vgic_dist_index[VGIC_INDEX_SIZE];
const struct vgic_table vgic_dist_table = VGIC_TABLE(vgic_dist_regs, vgic_dist_index, true);

/* The bus passes offsets inside the window, which is one frame: the walker's precondition. */
_Static_assert(VGIC_DIST_SIZE == VGIC_FRAME_SIZE, "GICD window is one frame");

static struct mmio_read vgic_dist_read(void *dev, uint64_t offset, unsigned width)
{
	return vgic_regs_read(dev, offset, width, 0, &vgic_dist_table);
}

static int vgic_dist_write(void *dev, uint64_t offset, unsigned width, uint64_t value)
{
	int ret = vgic_regs_write(dev, offset, width, value, &vgic_dist_table, 0);

	vgic_hint_all(dev); /* after the change: a flush that cleared the hint has seen it */
	return ret;
}

const struct vdev_ops vgic_dist_ops = {
    .read = vgic_dist_read,
    .write = vgic_dist_write,
};
