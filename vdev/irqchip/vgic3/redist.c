// SPDX-License-Identifier: Apache-2.0
/*
 * vGICv3 redistributors (GICR_*), GICv3 IHI0069 H §12.10 (map) and §12.11 (registers): one
 * 128 KiB frame pair per vCPU, RD_base at +0 and SGI_base at +64 KiB, banked by address.
 * No LPIs: GICR_TYPER.PLPIS=0, so PROPBASER/PENDBASER and GICR_CTLR.EnableLPIs are RAZ/WI.
 */
#include "hyp/types.h"
#include "hyp/vdev.h"

#include "vgic3_internal.h"

#define VGIC_SGI_BASE 0x10000ULL

/* GICR_TYPER fields, GICv3 IHI0069 H §12.11 */
#define GICR_TYPER_LAST BIT(4)
#define GICR_TYPER_PROCESSOR_NUMBER_SHIFT 8
#define GICR_TYPER_AFFINITY_SHIFT 32

/*
 * GICR_TYPER, GICv3 IHI0069 H §12.11: Affinity_Value is Aff3.Aff2.Aff1.Aff0 of the vCPU's
 * MPIDR, which Linux matches; Last ends its walk over the frames.
 */
static struct mmio_read gicr_typer_read(struct vgic *g, uint64_t off, unsigned width, unsigned vcpu)
{
	uint64_t mpidr = g->cpu[vcpu].mpidr;
	uint64_t aff = (mpidr & GENMASK(23, 0)) | ((mpidr & GENMASK(39, 32)) >> 8);
	uint64_t typer =
	    aff << GICR_TYPER_AFFINITY_SHIFT | (uint64_t)vcpu << GICR_TYPER_PROCESSOR_NUMBER_SHIFT;

	if (vcpu == g->nr_vcpus - 1) {
		typer |= GICR_TYPER_LAST;
	}
	return MMIO_READ_OK(vgic_reg64_slice(typer, off, width));
}

/* GICR_WAKER, GICv3 IHI0069 H §12.11.42: nothing to quiesce, so ChildrenAsleep follows at once. */
static struct mmio_read gicr_waker_read(struct vgic *g, uint64_t off, unsigned width, unsigned vcpu)
{
	(void)off;
	(void)width;
	return MMIO_READ_OK(g->cpu[vcpu].waker);
}

static uint32_t gicr_waker_write(struct vgic *g, uint64_t off, unsigned width, unsigned vcpu,
				 uint64_t value)
{
	bool sleep = (value & GICR_WAKER_PROCESSOR_SLEEP) != 0;

	(void)off;
	(void)width;
	g->cpu[vcpu].waker = sleep ? GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP : 0;
	return 0;
}

/* RD_base frame, sorted; reserved gaps are RAZ/WI. */
const struct vgic_reg vgic_rd_regs[] = {
    /* GICR_CTLR: RWP and UWP read 0 (writes apply at once), GICv3 IHI0069 H §12.11.2 */
    VGIC_REG_CONST(0x0000, 4, VGIC_W32, vgic_reg_raz, vgic_reg_wi),
    /* GICR_IIDR, GICR_TYPER, GICR_WAKER */
    VGIC_REG_CONST(0x0004, 4, VGIC_W32, vgic_reg_iidr, vgic_reg_wi),
    VGIC_REG_CONST(0x0008, 8, VGIC_W32 | VGIC_W64, gicr_typer_read, vgic_reg_wi),
    VGIC_REG(0x0014, 4, VGIC_W32, gicr_waker_read, gicr_waker_write),
    /* GICR_PROPBASER, GICR_PENDBASER: no LPIs */
    VGIC_REG_CONST(0x0070, 8, VGIC_W32 | VGIC_W64, vgic_reg_raz, vgic_reg_wi),
    VGIC_REG_CONST(0x0078, 8, VGIC_W32 | VGIC_W64, vgic_reg_raz, vgic_reg_wi),
    /* GICR_PIDR2 */
    VGIC_REG_CONST(0xFFE8, 4, VGIC_W32, vgic_reg_pidr2, vgic_reg_wi),
    VGIC_REG_END,
};

static uint8_t vgic_rd_index[VGIC_INDEX_SIZE];
const struct vgic_table vgic_rd_table = VGIC_TABLE(vgic_rd_regs, vgic_rd_index, false);

/* SGI_base frame (offsets from SGI_base), sorted: the banked SGI/PPI rows of GICD_*. */
const struct vgic_reg vgic_sgi_regs[] = {
    /* GICR_IGROUPR0 */
    VGIC_REG_IRQ(0x0080, VGIC_NR_PRIVATE, 1, vgic_field_group_read, vgic_field_group_write),
    /* GICR_ISENABLER0, GICR_ICENABLER0 */
    VGIC_REG_IRQ(0x0100, VGIC_NR_PRIVATE, 1, vgic_field_enable_read, vgic_field_set_enable),
    VGIC_REG_IRQ(0x0180, VGIC_NR_PRIVATE, 1, vgic_field_enable_read, vgic_field_clear_enable),
    /* GICR_ISPENDR0, GICR_ICPENDR0 */
    VGIC_REG_IRQ(0x0200, VGIC_NR_PRIVATE, 1, vgic_field_pending_read, vgic_field_set_pending),
    VGIC_REG_IRQ(0x0280, VGIC_NR_PRIVATE, 1, vgic_field_pending_read, vgic_field_clear_pending),
    /* GICR_ISACTIVER0, GICR_ICACTIVER0 */
    VGIC_REG_IRQ(0x0300, VGIC_NR_PRIVATE, 1, vgic_field_active_read, vgic_field_set_active),
    VGIC_REG_IRQ(0x0380, VGIC_NR_PRIVATE, 1, vgic_field_active_read, vgic_field_clear_active),
    /* GICR_IPRIORITYR0-7 */
    VGIC_REG_IRQ(0x0400, VGIC_NR_PRIVATE, 8, vgic_field_priority_read, vgic_field_priority_write),
    /* GICR_ICFGR0 (SGIs: edge, read-only), GICR_ICFGR1 (PPIs) */
    VGIC_REG_IRQ(0x0C00, VGIC_NR_PRIVATE, 2, vgic_field_cfg_read, vgic_field_cfg_write),
    /* GICR_IGRPMODR0, GICR_NSACR: RAZ/WI when DS=1, GICv3 IHI0069 H §12.11 */
    VGIC_REG_CONST(0x0D00, 4, VGIC_W32, vgic_reg_raz, vgic_reg_wi),
    VGIC_REG_CONST(0x0E00, 4, VGIC_W32, vgic_reg_raz, vgic_reg_wi),
    VGIC_REG_END,
};

static uint8_t vgic_sgi_index[VGIC_INDEX_SIZE];
const struct vgic_table vgic_sgi_table = VGIC_TABLE(vgic_sgi_regs, vgic_sgi_index, false);

/* Frames past the last redistributor: no registers, every offset RAZ/WI (its zeroed index exact).
 */
static const struct vgic_reg vgic_absent_regs[] = {VGIC_REG_END};
static uint8_t vgic_absent_index[VGIC_INDEX_SIZE];
static const struct vgic_table vgic_absent_table =
    VGIC_TABLE(vgic_absent_regs, vgic_absent_index, false);

/* Each frame of the pair is a walker's frame: offsets below VGIC_FRAME_SIZE. */
_Static_assert(VGIC_SGI_BASE == VGIC_FRAME_SIZE && VGIC_REDIST_STRIDE == 2 * VGIC_FRAME_SIZE,
	       "GICR frames are walker frames");

/* Bank the access by address: frame pair offset/stride is the vCPU. Past the last: RAZ/WI. */
static const struct vgic_table *vgic_redist_frame(const struct vgic *g, uint64_t *offset,
						  unsigned *vcpu)
{
	uint64_t index = *offset / VGIC_REDIST_STRIDE;
	bool sgi = (*offset % VGIC_REDIST_STRIDE) >= VGIC_SGI_BASE;

	*offset %= VGIC_FRAME_SIZE;
	*vcpu = 0;
	if (index >= g->nr_vcpus) {
		return &vgic_absent_table;
	}
	*vcpu = (unsigned)index;
	return sgi ? &vgic_sgi_table : &vgic_rd_table;
}

static struct mmio_read vgic_redist_read(void *dev, uint64_t offset, unsigned width)
{
	unsigned vcpu;
	const struct vgic_table *t = vgic_redist_frame(dev, &offset, &vcpu);

	return vgic_regs_read(dev, offset, width, vcpu, t);
}

static int vgic_redist_write(void *dev, uint64_t offset, unsigned width, uint64_t value)
{
	unsigned vcpu;
	const struct vgic_table *t = vgic_redist_frame(dev, &offset, &vcpu);
	int ret = vgic_regs_write(dev, offset, width, value, t, vcpu);

	vgic_hint_all(dev); /* after the change: a flush that cleared the hint has seen it */
	return ret;
}

const struct vdev_ops vgic_redist_ops = {
    .read = vgic_redist_read,
    .write = vgic_redist_write,
};
