/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to the vGICv3 model: the register-table format shared by the distributor and
 * redistributor files, the table walker, and the interrupt-state helpers they call.
 * Lock rule: every *_locked helper expects g->lock held; only the entry points in irq.c, lr.c
 * and regs.c take it, once, so no path nests it (the host lock asserts that).
 */
#ifndef VDEV_VGIC3_INTERNAL_H
#define VDEV_VGIC3_INTERNAL_H

#include "hyp/types.h"

#include "vgic3.h"

#define VGIC_NR_SGIS 16 /* INTIDs 0-15; PPIs are 16-31 */

/* Access widths a register accepts, as a mask of byte counts. */
#define VGIC_W8 BIT(0)
#define VGIC_W16 BIT(1)
#define VGIC_W32 BIT(2)
#define VGIC_W64 BIT(3)

/* GICD_CTLR / GICR_* bits, GICv3 IHI0069 H §12.9.4 (DS=1 layout) */
#define GICD_CTLR_ENABLE_GRP0 BIT(0)
#define GICD_CTLR_ENABLE_GRP1 BIT(1)
#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_DS BIT(6)

/* Identification shared by GICD_IIDR and GICR_IIDR: JEP106 Arm (0x43B), ProductID 0. */
#define VGIC_IIDR 0x0000043BU
/* GICD_PIDR2 / GICR_PIDR2: ArchRev [7:4] = 3 (GICv3), JEP106 ID bits [3:0]. */
#define VGIC_PIDR2 0x3BU

/* GICR_WAKER, GICv3 IHI0069 H §12.11.42 */
#define GICR_WAKER_PROCESSOR_SLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)

/* ICH_VMCR_EL2.VENG0, GICv3 IHI0069 H §12.4.9 */
#define ICH_VMCR_VENG0 BIT(0)

/** One guest access as a register handler sees it. */
struct vgic_mmio {
	struct vgic *g;
	unsigned vcpu; /**< redistributor's vCPU; 0 for the distributor */
	bool dist;     /**< distributor view: private INTIDs are RAZ/WI (ARE=1) */
	uint64_t off;  /**< byte offset from the start of the table entry */
	unsigned width;
};

/** Whole-register handlers; the write returns a mask of vCPUs to kick. */
typedef uint64_t vgic_reg_read_fn(const struct vgic_mmio *m);
typedef uint32_t vgic_reg_write_fn(const struct vgic_mmio *m, uint64_t value);
/** Per-interrupt field handlers for bits-per-IRQ registers (IGROUPR, ISENABLER, ...). */
typedef uint32_t vgic_field_read_fn(const struct vgic_irq *irq);
typedef void vgic_field_write_fn(struct vgic_irq *irq, unsigned intid, uint32_t field);

/**
 * One register or register array. With bpi != 0 the range holds bpi bits per INTID, starting
 * at INTID 0, and the walker calls field_read/field_write once per INTID covered; otherwise
 * read/write see the whole access.
 */
struct vgic_reg {
	uint32_t offset;
	uint32_t len; /**< bytes covered by the range */
	uint8_t bpi;  /**< bits per interrupt, 0 for a plain register */
	uint8_t widths;
	vgic_reg_read_fn *read;
	vgic_reg_write_fn *write;
	vgic_field_read_fn *field_read;
	vgic_field_write_fn *field_write;
};

#define VGIC_REG(off, size, w, rd, wr)                                                             \
	{                                                                                          \
		.offset = (off), .len = (size), .widths = (w), .read = (rd), .write = (wr)         \
	}
/* A bits-per-IRQ range for nr INTIDs; byte access only where the spec allows it (bpi 8). */
#define VGIC_REG_IRQ(off, nr, bits, rd, wr)                                                        \
	{                                                                                          \
		.offset = (off), .len = (nr) * (bits) / 8, .bpi = (bits),                          \
		.widths = (bits) == 8 ? VGIC_W8 | VGIC_W32 : VGIC_W32, .field_read = (rd),         \
		.field_write = (wr)                                                                \
	}

extern const struct vgic_reg vgic_dist_regs[];
extern const size_t vgic_dist_regs_count;
extern const struct vgic_reg vgic_rd_regs[];
extern const size_t vgic_rd_regs_count;
extern const struct vgic_reg vgic_sgi_regs[];
extern const size_t vgic_sgi_regs_count;

/* regs.c: the table walker and the per-IRQ fields common to GICD and GICR */
int vgic_regs_read(struct vgic_mmio *m, const struct vgic_reg *t, size_t n, uint64_t offset,
		   uint64_t *value);
int vgic_regs_write(struct vgic_mmio *m, const struct vgic_reg *t, size_t n, uint64_t offset,
		    uint64_t value);
bool vgic_regs_are_sorted(const struct vgic_reg *t, size_t n);
uint64_t vgic_reg_raz(const struct vgic_mmio *m);
uint32_t vgic_reg_wi(const struct vgic_mmio *m, uint64_t value);
uint64_t vgic_reg64_slice(uint64_t reg, const struct vgic_mmio *m);
uint64_t vgic_reg64_merge(uint64_t reg, const struct vgic_mmio *m, uint64_t value);
vgic_field_read_fn vgic_field_group_read;
vgic_field_write_fn vgic_field_group_write;
vgic_field_read_fn vgic_field_enable_read;
vgic_field_write_fn vgic_field_set_enable;
vgic_field_write_fn vgic_field_clear_enable;
vgic_field_read_fn vgic_field_pending_read;
vgic_field_write_fn vgic_field_set_pending;
vgic_field_write_fn vgic_field_clear_pending;
vgic_field_read_fn vgic_field_active_read;
vgic_field_write_fn vgic_field_set_active;
vgic_field_write_fn vgic_field_clear_active;
vgic_field_read_fn vgic_field_priority_read;
vgic_field_write_fn vgic_field_priority_write;
vgic_field_read_fn vgic_field_cfg_read;
vgic_field_write_fn vgic_field_cfg_write;

/* irq.c: interrupt state */
/** The state of intid as seen by vcpu (SPIs ignore vcpu), or NULL if not implemented. */
static inline struct vgic_irq *vgic_irq_lookup(struct vgic *g, unsigned vcpu, unsigned intid)
{
	if (intid < VGIC_NR_PRIVATE) {
		return vcpu < g->nr_vcpus ? &g->cpu[vcpu].priv[intid] : NULL;
	}
	if (intid - VGIC_NR_PRIVATE < g->nr_spis) {
		return &g->spi[intid - VGIC_NR_PRIVATE];
	}
	return NULL;
}

/** Record that INTID intid (of vcpu, when private) may now have state; g->lock held. */
static inline void vgic_cand_mark_locked(struct vgic *g, unsigned vcpu, unsigned intid)
{
	if (intid < VGIC_NR_PRIVATE) {
		g->cand_priv[vcpu % VGIC_MAX_VCPUS] |= (uint32_t)BIT(intid);
	} else if (intid - VGIC_NR_PRIVATE < VGIC_MAX_SPIS) {
		g->cand_spi[(intid - VGIC_NR_PRIVATE) / 32] |= (uint32_t)BIT(intid % 32);
	}
}

/** Collect vcpu's candidate INTIDs into out (dropping ones without state); their count. */
unsigned vgic_cand_collect_locked(struct vgic *g, unsigned vcpu, uint16_t *out);

/** The interrupts of the vCPUs in mask changed: their next flush must look. */
static inline void vgic_hint_mask(struct vgic *g, uint64_t mask)
{
	__atomic_or_fetch(&g->flush_hint, (uint32_t)mask, __ATOMIC_RELEASE);
}

/** Some interrupt state changed: every vCPU's next flush must look (lock not required). */
static inline void vgic_hint_all(struct vgic *g)
{
	__atomic_store_n(&g->flush_hint, (uint32_t)GENMASK(VGIC_MAX_VCPUS - 1, 0),
			 __ATOMIC_RELAXED);
}
bool vgic_irq_is_pending(const struct vgic_irq *irq);
/** SPIs are gated by the GICD_CTLR group enables; SGIs and PPIs only by their enable bits. */
bool vgic_group_is_enabled(const struct vgic *g, const struct vgic_irq *irq, unsigned intid);
/** Post SGI intid to vCPU v's direct slot (lr.c); false when it must go through the model. */
bool vgic_direct_post_locked(struct vgic *g, unsigned v, unsigned intid);
/** SPIs are gated by the GICD_CTLR group enables; SGIs and PPIs only by their enable bits. */
bool vgic_group_is_enabled(const struct vgic *g, const struct vgic_irq *irq, unsigned intid);
/** Post intid to vCPU v's direct slot (lr.c); false when it must go through the model. */
bool vgic_direct_post_locked(struct vgic *g, unsigned v, unsigned intid);
bool vgic_irq_is_deliverable_locked(const struct vgic *g, const struct vgic_irq *irq,
				    unsigned intid);
unsigned vgic_irq_owner(const struct vgic_irq *irq);
uint32_t vgic_irq_kick_mask_locked(const struct vgic *g, const struct vgic_irq *irq,
				   unsigned intid);
uint32_t vgic_spi_kick_mask_locked(const struct vgic *g);
void vgic_kick_mask(struct vgic *g, uint32_t mask);
void vgic_post_mask(struct vgic *g, uint32_t mask);
void vgic_post_mask(struct vgic *g, uint32_t mask);
unsigned vgic_spi_route(const struct vgic *g, uint64_t irouter);

#endif
