// SPDX-License-Identifier: Apache-2.0
/*
 * vGICv3 register-table walker shared by the distributor and redistributor windows, and the
 * bits-per-IRQ fields both of them expose (GICv3 IHI0069 H §12.9 and §12.11 describe them once
 * per frame; the encodings are identical). Reserved offsets are RAZ/WI.
 */
#include "hyp/errno.h"
#include "hyp/spinlock.h"
#include "hyp/string.h"
#include "hyp/types.h"

#include "vgic3_internal.h"

#define VGIC_ICFGR_EDGE 2U /* Int_config[1]: 1 = edge-triggered, GICv3 IHI0069 H §12.9.9 */

_Static_assert(sizeof(struct vgic_reg) == 32, "a table lookup scales its index by a shift");

/* The interrupt a bits-per-IRQ field names, or NULL when it is RAZ/WI in this frame. */
static struct vgic_irq *vgic_mmio_irq(const struct vgic_mmio *m, unsigned intid)
{
	/* With ARE=1 the distributor's private-INTID fields are RAZ/WI, GICv3 IHI0069 H §12.9 */
	if (m->dist && intid < VGIC_NR_PRIVATE) {
		return NULL;
	}
	if (!m->dist && intid >= VGIC_NR_PRIVATE) {
		return NULL;
	}
	return vgic_irq_lookup(m->g, m->vcpu, intid);
}

static uint64_t vgic_fields_read_locked(const struct vgic_mmio *m, const struct vgic_reg *r)
{
	unsigned first = (unsigned)(m->off * 8 / r->bpi), nr = m->width * 8 / r->bpi;
	uint64_t value = 0;

	for (unsigned i = 0; i < nr; i++) {
		const struct vgic_irq *irq = vgic_mmio_irq(m, first + i);

		if (irq) {
			value |= (uint64_t)r->field_read(irq) << (i * r->bpi);
		}
	}
	return value;
}

/* Returns the vCPUs to kick: those whose interrupt became deliverable through this write. */
static uint32_t vgic_fields_write_locked(const struct vgic_mmio *m, const struct vgic_reg *r,
					 uint64_t value)
{
	unsigned first = (unsigned)(m->off * 8 / r->bpi), nr = m->width * 8 / r->bpi;
	uint32_t mask = (uint32_t)BIT(r->bpi) - 1, kick = 0;

	for (unsigned i = 0; i < nr; i++) {
		unsigned intid = first + i;
		struct vgic_irq *irq = vgic_mmio_irq(m, intid);
		bool was;

		if (!irq) {
			continue;
		}
		was = vgic_irq_is_deliverable_locked(m->g, irq, intid);
		r->field_write(irq, intid, (uint32_t)(value >> (i * r->bpi)) & mask);
		if (irq->pending || irq->active) {
			vgic_cand_mark_locked(m->g, m->vcpu,
					      intid); /* ISPENDR/ISACTIVER added state */
		}
		if (!was) {
			kick |= vgic_irq_kick_mask_locked(m->g, irq, intid);
		}
	}
	return kick;
}

/* Read row r, which holds interrupt state, under g->lock. Not inlined: a tail call, frameless. */
__attribute__((noinline)) static struct mmio_read vgic_reg_read_state(struct vgic *g, uint64_t off,
								      unsigned width, unsigned vcpu,
								      const struct vgic_reg *r,
								      bool dist)
{
	const struct vgic_mmio m = {.g = g, .off = off, .vcpu = vcpu, .width = width, .dist = dist};
	struct mmio_read rd;

	spin_lock(&g->lock);
	rd = r->bpi ? MMIO_READ_OK(vgic_fields_read_locked(&m, r)) : r->read(g, off, width, vcpu);
	spin_unlock(&g->lock);
	return rd;
}

/*
 * Not inline: GCC 12 makes no tail call of a call returning a struct once it is inlined, and
 * here both the frame's handler (vgic_dist_read, vgic_redist_read) and this function end in
 * one, so that a register read runs no frame of the walker's.
 */
struct mmio_read vgic_regs_read(struct vgic *g, uint64_t offset, unsigned width, unsigned vcpu,
				const struct vgic_table *t)
{
	const struct vgic_reg *r = vgic_table_find(t, offset);

	if (!r) {
		return MMIO_READ_OK(0); /* reserved: RAZ */
	}
	if (!vgic_reg_allows(r, width)) {
		return MMIO_READ_REFUSED(-EINVAL);
	}
	if (r->flags & VGIC_REG_FLAG_CONST) {
		return r->read(g, offset - r->offset, width, vcpu);
	}
	return vgic_reg_read_state(g, offset - r->offset, width, vcpu, r, t->dist);
}

/** Write through a register table, then kick the vCPUs it made pending (lock dropped). */
int vgic_regs_write(struct vgic *g, uint64_t offset, unsigned width, uint64_t value,
		    const struct vgic_table *t, unsigned vcpu)
{
	const struct vgic_reg *r;
	struct vgic_mmio m;
	uint32_t kick;

	r = vgic_table_find(t, offset);
	if (!r) {
		return 0; /* reserved: WI */
	}
	if (!vgic_reg_allows(r, width)) {
		return -EINVAL;
	}
	m = (struct vgic_mmio){
	    .g = g, .off = offset - r->offset, .vcpu = vcpu, .width = width, .dist = t->dist};
	spin_lock(&g->lock); /* value holds only the width's bytes: the bus cut it */
	kick = r->bpi ? vgic_fields_write_locked(&m, r, value)
		      : r->write(g, m.off, width, vcpu, value);
	spin_unlock(&g->lock);
	vgic_kick_mask(g, kick);
	return 0;
}

/* Some width allowed, only 1, 2, 4 or 8; offset and end multiples of each (so of the widest). */
static bool vgic_reg_is_aligned(const struct vgic_reg *r)
{
	if (r->widths == 0 || (r->widths & ~VGIC_W_ALL)) {
		return false;
	}
	for (unsigned w = 1; w <= 8; w <<= 1) {
		if ((r->widths & w) && ((r->offset | r->end) & (w - 1))) {
			return false;
		}
	}
	return true;
}

/* The row that ends a table, VGIC_REG_END. */
static bool vgic_reg_is_end(const struct vgic_reg *r)
{
	return r->offset == VGIC_FRAME_SIZE && r->end == UINT32_MAX;
}

/**
 * True when t is sorted by offset, its ranges do not overlap and fit the frame, every entry has
 * handlers, is aligned to the widths it allows, only plain registers are marked constant, and
 * VGIC_REG_END ends it.
 */
bool vgic_regs_are_well_formed(const struct vgic_reg *t, size_t n)
{
	if (n == 0 || !vgic_reg_is_end(&t[n - 1])) {
		return false;
	}
	for (size_t i = 0; i < n - 1; i++) {
		bool plain = t[i].read && t[i].write, fields = t[i].field_read && t[i].field_write;

		if (t[i].end <= t[i].offset || t[i].end > VGIC_FRAME_SIZE ||
		    !(t[i].bpi ? fields : plain) || !vgic_reg_is_aligned(&t[i])) {
			return false;
		}
		if (t[i].bpi && (t[i].flags & VGIC_REG_FLAG_CONST)) {
			return false;
		}
		if (i > 0 && t[i].offset < t[i - 1].end) {
			return false;
		}
	}
	return true;
}

/** GICD_IIDR and GICR_IIDR, GICv3 IHI0069 H §12.9 and §12.11: one identity for both. */
struct mmio_read vgic_reg_iidr(struct vgic *g, uint64_t off, unsigned width, unsigned vcpu)
{
	(void)g;
	(void)off;
	(void)width;
	(void)vcpu;
	return MMIO_READ_OK(VGIC_IIDR);
}

/** GICD_PIDR2 and GICR_PIDR2: ArchRev 3 (GICv3) is what Linux probes for. */
struct mmio_read vgic_reg_pidr2(struct vgic *g, uint64_t off, unsigned width, unsigned vcpu)
{
	(void)g;
	(void)off;
	(void)width;
	(void)vcpu;
	return MMIO_READ_OK(VGIC_PIDR2);
}

/** Read-as-zero for plain registers. */
struct mmio_read vgic_reg_raz(struct vgic *g, uint64_t off, unsigned width, unsigned vcpu)
{
	(void)g;
	(void)off;
	(void)width;
	(void)vcpu;
	return MMIO_READ_OK(0);
}

/** Write-ignored for plain registers. */
uint32_t vgic_reg_wi(struct vgic *g, uint64_t off, unsigned width, unsigned vcpu, uint64_t value)
{
	(void)g;
	(void)off;
	(void)width;
	(void)vcpu;
	(void)value;
	return 0;
}

/** The part of a 64-bit register a 32- or 64-bit access sees. */
uint64_t vgic_reg64_slice(uint64_t reg, uint64_t off, unsigned width)
{
	uint64_t v = reg >> ((off & 7) * 8);

	return width < 8 ? v & (BIT(width * 8) - 1) : v;
}

/** A 64-bit register after a 32- or 64-bit write to part of it. */
uint64_t vgic_reg64_merge(uint64_t reg, uint64_t off, unsigned width, uint64_t value)
{
	unsigned shift = (unsigned)(off & 7) * 8;
	uint64_t mask = width < 8 ? BIT(width * 8) - 1 : ~0ULL;

	return (reg & ~(mask << shift)) | ((value & mask) << shift);
}

/* GICD_IGROUPR<n> / GICR_IGROUPR0, GICv3 IHI0069 H §12.9 / §12.11 */
uint32_t vgic_field_group_read(const struct vgic_irq *irq)
{
	return irq->group1;
}

void vgic_field_group_write(struct vgic_irq *irq, unsigned intid, uint32_t field)
{
	(void)intid;
	irq->group1 = field != 0;
}

/* GICD_ISENABLER<n> / GICD_ICENABLER<n>: write 1 to set / clear, reads return the state. */
uint32_t vgic_field_enable_read(const struct vgic_irq *irq)
{
	return irq->enabled;
}

void vgic_field_set_enable(struct vgic_irq *irq, unsigned intid, uint32_t field)
{
	(void)intid;
	if (field) {
		irq->enabled = true;
	}
}

void vgic_field_clear_enable(struct vgic_irq *irq, unsigned intid, uint32_t field)
{
	(void)intid;
	if (field) {
		irq->enabled = false;
	}
}

/*
 * GICD_ISPENDR<n> / GICD_ICPENDR<n>: the latch only; a level line stays pending while high.
 * An interrupt held in an LR shows the model's view (its edge latch is in the LR).
 */
uint32_t vgic_field_pending_read(const struct vgic_irq *irq)
{
	return vgic_irq_is_pending(irq);
}

void vgic_field_set_pending(struct vgic_irq *irq, unsigned intid, uint32_t field)
{
	(void)intid;
	if (field) {
		irq->pending = true;
	}
}

void vgic_field_clear_pending(struct vgic_irq *irq, unsigned intid, uint32_t field)
{
	(void)intid;
	if (field) {
		irq->pending = false;
	}
}

/* GICD_ISACTIVER<n> / GICD_ICACTIVER<n> */
uint32_t vgic_field_active_read(const struct vgic_irq *irq)
{
	return irq->active;
}

void vgic_field_set_active(struct vgic_irq *irq, unsigned intid, uint32_t field)
{
	(void)intid;
	if (!field) {
		return;
	}
	/* An interrupt made active by software is active on its current target. */
	if (!irq->active && !irq->in_lr) {
		irq->vcpu = irq->target;
	}
	irq->active = true;
}

void vgic_field_clear_active(struct vgic_irq *irq, unsigned intid, uint32_t field)
{
	(void)intid;
	if (field) {
		irq->active = false;
	}
}

/* GICD_IPRIORITYR<n>: one byte per INTID, byte-accessible, GICv3 IHI0069 H §12.9.20 */
uint32_t vgic_field_priority_read(const struct vgic_irq *irq)
{
	return irq->priority;
}

void vgic_field_priority_write(struct vgic_irq *irq, unsigned intid, uint32_t field)
{
	(void)intid;
	irq->priority = (uint8_t)field;
}

/* GICD_ICFGR<n>, GICv3 IHI0069 H §12.9.9: SGIs are edge-triggered and read-only. */
uint32_t vgic_field_cfg_read(const struct vgic_irq *irq)
{
	return irq->edge ? VGIC_ICFGR_EDGE : 0;
}

void vgic_field_cfg_write(struct vgic_irq *irq, unsigned intid, uint32_t field)
{
	if (intid >= VGIC_NR_SGIS) {
		irq->edge = (field & VGIC_ICFGR_EDGE) != 0;
	}
}

/*
 * Bucket b starts its scan at the first entry that ends after the bucket's first byte: entry
 * i takes the buckets up to the one holding its last byte that no earlier entry took. Filled
 * run by run with memset, as this runs on the boot path (the tables are sorted).
 */
static void vgic_table_index(const struct vgic_table *t)
{
	size_t b = 0;

	for (size_t i = 0; i < t->count && b < VGIC_INDEX_SIZE; i++) {
		uint64_t last = ((uint64_t)t->regs[i].end - 1) >> VGIC_INDEX_SHIFT;
		size_t end = (size_t)MIN(last + 1, (uint64_t)VGIC_INDEX_SIZE);

		if (end > b) {
			memset(&t->index[b], (int)i, end - b);
			b = end;
		}
	}
}

/* Check one table (its registers fit the frame the index covers); then build its index. */
static bool vgic_table_prepare(const struct vgic_table *t)
{
	if (t->count > UINT8_MAX || !vgic_regs_are_well_formed(t->regs, t->count)) {
		return false;
	}
	vgic_table_index(t);
	return true;
}

/**
 * Every register table is sorted and well formed; see vgic3.h. Also builds the lookup indexes:
 * core/init.c calls this once at boot, before any vCPU runs, so the trap path finds them ready
 * (and lookups before that, as in host tests, still answer right from a zeroed index).
 */
bool vgic_tables_check(void)
{
	return vgic_table_prepare(&vgic_dist_table) && vgic_table_prepare(&vgic_rd_table) &&
	       vgic_table_prepare(&vgic_sgi_table);
}
