// SPDX-License-Identifier: Apache-2.0
/*
 * vGICv3 interrupt state: init and reset, device input (edge events and level lines), SGIs
 * raised through ICC_SGI1R_EL1, and the delivery predicates the register and LR code share.
 * Kicks always happen after g->lock is dropped: kick() may take vm->lock, which orders before it.
 */
#include "hyp/errno.h"
#include "hyp/spinlock.h"
#include "hyp/string.h"
#include "hyp/types.h"

#include "vgic3_internal.h"

/* ICC_SGI1R_EL1 fields, GICv3 IHI0069 H §12.2.22 */
#define ICC_SGI1R_TARGET_LIST GENMASK(15, 0)
#define ICC_SGI1R_AFF1 GENMASK(23, 16)
#define ICC_SGI1R_INTID_SHIFT 24
#define ICC_SGI1R_INTID GENMASK(27, 24)
#define ICC_SGI1R_AFF2 GENMASK(39, 32)
#define ICC_SGI1R_IRM BIT(40)
#define ICC_SGI1R_RS GENMASK(47, 44)
#define ICC_SGI1R_AFF3 GENMASK(55, 48)

/* GICD_IROUTER<n> fields, GICv3 IHI0069 H §12.9.22 */
#define GICD_IROUTER_AFF0 GENMASK(7, 0)
#define GICD_IROUTER_AFF21 GENMASK(23, 8)
#define GICD_IROUTER_IRM BIT(31)
#define GICD_IROUTER_AFF3 GENMASK(39, 32)

/* An SGI TargetList names Aff0 values 0-15 of one cluster: vCPU i has Aff0 = i, Aff1-3 = 0. */
_Static_assert(VGIC_MAX_VCPUS <= 16, "SGI TargetList addresses 16 vCPUs");

/* ICC_SGI1R_EL1.INTID: the SGI a write raises. */
static unsigned sgi1r_intid(uint64_t value)
{
	return (unsigned)((value & ICC_SGI1R_INTID) >> ICC_SGI1R_INTID_SHIFT);
}

/** Pending state: the latch, or an asserted line for a level-sensitive interrupt. */
bool vgic_irq_is_pending(const struct vgic_irq *irq)
{
	/* Level-sensitive: pending while the line is asserted, GICv3 IHI0069 H §4.1.2 */
	return irq->pending || (!irq->edge && irq->level);
}

/* The GICD_CTLR group enables gate SPIs; SGIs and PPIs are gated by their enable bits only. */
bool vgic_group_is_enabled(const struct vgic *g, const struct vgic_irq *irq, unsigned intid)
{
	if (intid < VGIC_NR_PRIVATE) {
		return true;
	}
	return (g->ctlr & (irq->group1 ? GICD_CTLR_ENABLE_GRP1 : GICD_CTLR_ENABLE_GRP0)) != 0;
}

/** Enabled, pending and its group enabled: the CPU interface may take it. */
bool vgic_irq_is_deliverable_locked(const struct vgic *g, const struct vgic_irq *irq,
				    unsigned intid)
{
	return irq->enabled && vgic_irq_is_pending(irq) && vgic_group_is_enabled(g, irq, intid);
}

/** The vCPU whose LRs this interrupt goes to. */
unsigned vgic_irq_owner(const struct vgic_irq *irq)
{
	/* An active or LR-held interrupt stays on its vCPU until deactivated, even if rerouted. */
	return irq->active || irq->in_lr ? irq->vcpu : irq->target;
}

/** The vCPU to kick (as a mask) if irq is deliverable, else 0. */
uint32_t vgic_irq_kick_mask_locked(const struct vgic *g, const struct vgic_irq *irq, unsigned intid)
{
	if (!vgic_irq_is_deliverable_locked(g, irq, intid)) {
		return 0;
	}
	return (uint32_t)BIT(vgic_irq_owner(irq));
}

/** The vCPUs that have a deliverable SPI, as a mask. */
uint32_t vgic_spi_kick_mask_locked(const struct vgic *g)
{
	uint32_t mask = 0;

	for (unsigned i = 0; i < g->nr_spis; i++) {
		mask |= vgic_irq_kick_mask_locked(g, &g->spi[i], VGIC_NR_PRIVATE + i);
	}
	return mask;
}

/** Kick every vCPU in mask; call with g->lock dropped. */
void vgic_kick_mask(struct vgic *g, uint32_t mask)
{
	if (!mask || !g->ops || !g->ops->kick) {
		return;
	}
	mask &= (uint32_t)GENMASK(g->nr_vcpus - 1, 0);
	while (mask) {
		unsigned v = (unsigned)__builtin_ctz(mask);

		mask &= mask - 1;
		g->ops->kick(g->ops_ctx, v);
	}
}

/** The vCPU a GICD_IROUTER<n> value routes to. */
unsigned vgic_spi_route(const struct vgic *g, uint64_t irouter)
{
	uint64_t aff0 = irouter & GICD_IROUTER_AFF0;

	/* IRM=1 (1 of N) may pick any participating PE: we always pick vCPU 0. */
	if (irouter & GICD_IROUTER_IRM) {
		return 0;
	}
	/* A path naming no implemented PE is CONSTRAINED UNPREDICTABLE: deliver to vCPU 0. */
	if ((irouter & (GICD_IROUTER_AFF21 | GICD_IROUTER_AFF3)) || aff0 >= g->nr_vcpus) {
		return 0;
	}
	return (unsigned)aff0;
}

/** Set up the model; see vgic3.h. */
int vgic_init(struct vgic *g, unsigned nr_vcpus, unsigned nr_spis, const struct vgic_ops *ops,
	      void *ctx)
{
	if (nr_vcpus == 0 || nr_vcpus > VGIC_MAX_VCPUS || nr_spis % 32 != 0 ||
	    nr_spis > VGIC_MAX_SPIS) {
		return -EINVAL;
	}
	memset(g, 0, sizeof(*g));
	g->nr_vcpus = nr_vcpus;
	g->nr_spis = nr_spis;
	g->ops = ops;
	g->ops_ctx = ctx;
	for (unsigned v = 0; v < nr_vcpus; v++) {
		g->cpu[v].mpidr = v; /* Aff0 = index, Aff1-3 = 0 */
	}
	vgic_reset(g);
	return 0;
}

/* Reset one interrupt; the hw mapping and the input line belong to the device, not the GIC. */
/*
 * The device wiring (hw, hw_intid) and the input line survive; a line still high keeps the
 * interrupt a candidate (the sets were cleared), or it would never be seen pending again.
 */
static void vgic_irq_reset_locked(struct vgic *g, unsigned intid, unsigned target, bool edge)
{
	struct vgic_irq *irq = vgic_irq_lookup(g, target, intid);
	bool hw = irq->hw, level = irq->level;
	uint16_t hw_intid = irq->hw_intid;

	memset(irq, 0, sizeof(*irq));
	irq->hw = hw;
	irq->hw_intid = hw_intid;
	irq->level = level;
	irq->target = (uint8_t)target;
	irq->vcpu = (uint8_t)target;
	irq->edge = edge;
	if (level) {
		vgic_cand_mark_locked(g, target, intid);
	}
}

/** Back to the reset state; see vgic3.h. */
void vgic_reset(struct vgic *g)
{
	spin_lock(&g->lock);
	/* Affinity routing on, single security state: GICD_CTLR, GICv3 IHI0069 H §12.9.4 */
	g->ctlr = GICD_CTLR_ARE | GICD_CTLR_DS;
	memset(g->cand_priv, 0, sizeof(g->cand_priv));
	memset(g->cand_spi, 0, sizeof(g->cand_spi));
	for (unsigned v = 0; v < g->nr_vcpus; v++) {
		/* GICR_WAKER resets asleep, GICv3 IHI0069 H §12.11.42 */
		g->cpu[v].waker = GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP;
		/* A post made before the reset is dropped with everything else. */
		__atomic_store_n(&g->cpu[v].mbox.word, VGIC_MBOX_CLOSED, __ATOMIC_RELEASE);
		for (unsigned i = 0; i < VGIC_NR_PRIVATE; i++) {
			/* SGIs are always edge; PPIs reset level (GICR_ICFGR1 = 0). */
			vgic_irq_reset_locked(g, i, v, i < VGIC_NR_SGIS);
		}
	}
	for (unsigned i = 0; i < g->nr_spis; i++) {
		vgic_irq_reset_locked(g, VGIC_NR_PRIVATE + i, 0, false);
	}
	vgic_hint_all(g);
	spin_unlock(&g->lock);
}

/*
 * The end of a change to irq's state made under g->lock: only the owner's LRs can change, so its
 * flush must look (after the change); then drop the lock and kick whom the change concerns.
 */
static void vgic_irq_changed_unlock(struct vgic *g, const struct vgic_irq *irq, uint32_t kick)
{
	vgic_hint_mask(g, BIT(vgic_irq_owner(irq)));
	spin_unlock(&g->lock);
	vgic_kick_mask(g, kick);
}

/** Edge event on an interrupt; see vgic3.h. */
void vgic_inject(struct vgic *g, unsigned vcpu_id, unsigned intid)
{
	struct vgic_irq *irq;

	spin_lock(&g->lock);
	irq = vgic_irq_lookup(g, vcpu_id, intid);
	if (!irq) {
		spin_unlock(&g->lock);
		return;
	}
	irq->pending = true;
	vgic_cand_mark_locked(g, vcpu_id, intid);
	vgic_irq_changed_unlock(g, irq, vgic_irq_kick_mask_locked(g, irq, intid));
}

/** Drive an input line; see vgic3.h. */
void vgic_set_level(struct vgic *g, unsigned vcpu_id, unsigned intid, bool level)
{
	struct vgic_irq *irq;
	bool was;

	spin_lock(&g->lock);
	irq = vgic_irq_lookup(g, vcpu_id, intid);
	if (!irq) {
		spin_unlock(&g->lock);
		return;
	}
	was = vgic_irq_is_deliverable_locked(g, irq, intid);
	/* An edge-configured input latches on the rising edge, GICv3 IHI0069 H §4.1.2 */
	if (irq->edge && level && !irq->level) {
		irq->pending = true;
	}
	irq->level = level;
	vgic_cand_mark_locked(g, vcpu_id, intid);
	vgic_irq_changed_unlock(g, irq, was ? 0 : vgic_irq_kick_mask_locked(g, irq, intid));
}

/** Back a virtual interrupt by a physical one; see vgic3.h. */
void vgic_map_hw(struct vgic *g, unsigned vcpu_id, unsigned vintid, unsigned pintid)
{
	struct vgic_irq *irq;

	/* pINTID must be a PPI or SPI; SGIs are never hardware-backed, GICv3 IHI0069 H §12.4.6 */
	if (pintid < VGIC_NR_SGIS || pintid > 1019 || vintid < VGIC_NR_SGIS) {
		return;
	}
	spin_lock(&g->lock);
	irq = vgic_irq_lookup(g, vcpu_id, vintid);
	if (irq) {
		irq->hw = true;
		irq->hw_intid = (uint16_t)pintid;
		if (vintid < VGIC_NR_PRIVATE) {
			g->cpu[vcpu_id].direct_ppi = (uint8_t)vintid;
		}
	}
	spin_unlock(&g->lock);
}

/* vCPUs named by an ICC_SGI1R_EL1 value, as a mask, GICv3 IHI0069 H §12.2.22 */
static uint32_t vgic_sgi1r_targets(const struct vgic *g, unsigned sender, uint64_t value)
{
	uint32_t all = (uint32_t)BIT(g->nr_vcpus) - 1;

	if (value & ICC_SGI1R_IRM) {
		return sender < g->nr_vcpus ? all & ~(uint32_t)BIT(sender) : all;
	}
	/* Every vCPU sits in cluster 0.0.0 and RS != 0 names Aff0 >= 16: nobody is there. */
	if (value & (ICC_SGI1R_AFF1 | ICC_SGI1R_AFF2 | ICC_SGI1R_AFF3 | ICC_SGI1R_RS)) {
		return 0;
	}
	return (uint32_t)(value & ICC_SGI1R_TARGET_LIST) & all;
}

/*
 * The one vCPU a value names when it has a single bit set besides INTID, that bit in the
 * TargetList: IRM = 0, RS = 0 and Aff3.Aff2.Aff1 = 0.0.0, where every vCPU sits. Any other value
 * gives 16 or more (its lowest bit's position, 63 for none), as no VM has more than 16 vCPUs:
 * the commonest IPI decoded in a few instructions, the rest left to vgic_sgi1r_targets().
 */
static inline unsigned vgic_sgi1r_single_target(uint64_t value)
{
	uint64_t bits = value & ~ICC_SGI1R_INTID;

	if (bits & (bits - 1)) {
		return 64; /* two bits or more */
	}
	return (unsigned)__builtin_ctzll(bits | BIT(63));
}

/* Post SGI intid to vCPU v's direct slot (see vgic3_internal.h); false: go through the model. */
static inline bool vgic_sgi_post(struct vgic *g, unsigned v, unsigned intid)
{
	uint64_t m, lr = vgic_sgi_post_check(g, v, intid, &m);

	return lr && vgic_sgi_post_commit(g, v, m, lr);
}

/*
 * Raise SGI intid on each vCPU in targets, posted to its direct slot or pending in the model;
 * kick the ones made pending. Returns those posted to, as a mask, for the caller to signal.
 */
static uint32_t vgic_sgi_raise(struct vgic *g, unsigned sender, unsigned intid, uint32_t targets)
{
	uint32_t kick = 0, post = 0;

	spin_lock(&g->lock);
	while (targets) {
		unsigned v = (unsigned)__builtin_ctz(targets);
		struct vgic_irq *irq = &g->cpu[v].priv[intid];

		targets &= targets - 1;
		if (v != sender && vgic_sgi_post(g, v, intid)) {
			post |= (uint32_t)BIT(v); /* its CPU writes the LR, once told */
			continue;
		}
		irq->pending = true;
		vgic_cand_mark_locked(g, v, intid);
		kick |= vgic_irq_kick_mask_locked(g, irq, intid);
		vgic_hint_mask(g, BIT(v)); /* the sender's own LRs are untouched */
	}
	spin_unlock(&g->lock);
	vgic_kick_mask(g, kick);
	return post;
}

/** Guest wrote ICC_SGI1R_EL1; see vgic3.h. */
uint32_t vgic_sgi1r_write(struct vgic *g, unsigned sender, uint64_t value)
{
	unsigned intid = sgi1r_intid(value);

	return vgic_sgi_raise(g, sender, intid, vgic_sgi1r_targets(g, sender, value));
}

/** Is a hardware-backed private interrupt of vcpu_id pending or active in the model? */
bool vgic_hw_irq_is_live(struct vgic *g, unsigned vcpu_id, unsigned intid)
{
	struct vgic_irq *irq;
	bool live;

	if (vcpu_id >= g->nr_vcpus || intid >= VGIC_NR_PRIVATE) {
		return false;
	}
	spin_lock(&g->lock);
	irq = vgic_irq_lookup(g, vcpu_id, intid);
	/* In an LR (placed directly and not yet synced) counts too: it is pending there. */
	live = irq->hw && (irq->pending || irq->active || irq->in_lr);
	spin_unlock(&g->lock);
	return live;
}

/** The commonest ICC_SGI1R_EL1 write, posted without the model's lock; see vgic3.h. */
unsigned vgic_sgi1r_post(struct vgic *g, unsigned sender, uint64_t value)
{
	unsigned intid = sgi1r_intid(value);
	unsigned v = vgic_sgi1r_single_target(value);

	if (v >= g->nr_vcpus || v == sender || !vgic_sgi_post(g, v, intid)) {
		return VGIC_NO_POST;
	}
	return v;
}

/** An ICC_SGI1R_EL1 write from the exiting vCPU whose LRs are in s; see vgic3.h. */
uint32_t vgic_sgi1r_write_from(struct vgic *g, unsigned sender, uint64_t value,
			       struct gic_lr_state *s)
{
	unsigned intid = sgi1r_intid(value);
	uint32_t targets = vgic_sgi1r_targets(g, sender, value); /* nr_vcpus is set at init */

	if (targets != BIT(sender)) {
		return vgic_sgi_raise(g, sender, intid, targets);
	}
	vgic_inject_direct(g, sender, intid, s); /* an SGI to itself: straight to an LR */
	return 0;
}
