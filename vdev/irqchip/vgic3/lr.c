// SPDX-License-Identifier: Apache-2.0
/*
 * vGICv3 list registers: fold the LRs saved at exit back into the model (sync), pick and encode
 * the interrupts for the next entry (flush), and the WFI wake-up test.
 *
 * Pending-state ownership: when an edge-triggered or hardware-backed interrupt is placed in an
 * LR as pending, its pending latch moves into the LR (cleared here) and comes back on sync only
 * if the LR is still pending. A level-sensitive interrupt keeps its line in the model; its
 * software latch (GICD_ISPENDR) is consumed once the guest acknowledges it. Level interrupts
 * carry ICH_LR.EOI so the guest's deactivation raises a maintenance interrupt, the vCPU exits,
 * and the next flush resamples the line.
 */
#include "hyp/spinlock.h"
#include "hyp/types.h"

#include "vgic3_internal.h"

/* The best nr_lrs candidates, kept ordered, and how many there were in all. */
struct vgic_lr_pick {
	struct vgic_irq *irq[VGIC_MAX_LRS];
	uint16_t intid[VGIC_MAX_LRS];
	unsigned count;
	unsigned cap;
	unsigned eligible;
};

/* Active interrupts first (the guest is handling them), then pending by priority, lower first. */
static unsigned vgic_lr_rank(const struct vgic_irq *irq)
{
	return irq->active ? 0 : 1U + irq->priority;
}

/* Insert keeping rank order; equal ranks keep INTID order since candidates come in INTID order. */
static void vgic_lr_pick_add(struct vgic_lr_pick *p, struct vgic_irq *irq, unsigned intid)
{
	unsigned rank = vgic_lr_rank(irq), i;

	p->eligible++;
	if (p->cap == 0 || (p->count == p->cap && rank >= vgic_lr_rank(p->irq[p->count - 1]))) {
		return;
	}
	if (p->count < p->cap) {
		p->count++;
	}
	for (i = p->count - 1; i > 0 && vgic_lr_rank(p->irq[i - 1]) > rank; i--) {
		p->irq[i] = p->irq[i - 1];
		p->intid[i] = p->intid[i - 1];
	}
	p->irq[i] = irq;
	p->intid[i] = (uint16_t)intid;
}

/* Should irq be in an LR of vcpu v? An LR held by v itself is stale once v has exited. */
static bool vgic_irq_is_eligible_locked(const struct vgic *g, const struct vgic_irq *irq,
					unsigned intid, unsigned v)
{
	if (vgic_irq_owner(irq) != v) {
		return false;
	}
	return irq->active || vgic_irq_is_deliverable_locked(g, irq, intid);
}

static bool vgic_irq_has_state(const struct vgic_irq *irq)
{
	return irq->pending || irq->level || irq->active || irq->in_lr;
}

/* Append the set bits of *word (INTIDs base + bit) that still have state; drop the others. */
static inline unsigned vgic_cand_word_locked(struct vgic *g, unsigned v, uint32_t *word,
					     unsigned base, uint16_t *out)
{
	uint32_t w = *word;
	unsigned n = 0;

	while (w) {
		unsigned intid = base + (unsigned)__builtin_ctz(w);

		w &= w - 1;
		if (vgic_irq_has_state(vgic_irq_lookup(g, v, intid))) {
			out[n++] = (uint16_t)intid;
		} else {
			*word &= ~(uint32_t)BIT(intid % 32);
		}
	}
	return n;
}

unsigned vgic_cand_collect_locked(struct vgic *g, unsigned v, uint16_t *out)
{
	unsigned n = vgic_cand_word_locked(g, v, &g->cand_priv[v], 0, out);

	for (unsigned w = 0; w < g->nr_spis / 32; w++) {
		if (g->cand_spi[w]) { /* usually none: no walk */
			n += vgic_cand_word_locked(g, v, &g->cand_spi[w], VGIC_NR_PRIVATE + 32 * w,
						   out + n);
		}
	}
	return n;
}

/*
 * Between sync and flush none of v's interrupts is in an LR. Clearing leftovers keeps a missed
 * sync (or a reset in between) from hiding an interrupt from every vCPU forever. An interrupt
 * in an LR is always a candidate, so the candidate list covers them.
 */
static void vgic_lr_forget_locked(struct vgic *g, unsigned v, const uint16_t *cand, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct vgic_irq *irq = vgic_irq_lookup(g, v, cand[i]);

		if (irq->in_lr && irq->vcpu == v) {
			irq->in_lr = false;
		}
	}
}

/*
 * May irq go into a direct slot of vCPU v as a fresh pending interrupt, with the model left
 * as it is? Only when it has no state the model would have to merge (not pending, active or
 * listed), an LR needs no maintenance for it (edge, or hardware-backed), and it is enabled.
 */
static bool vgic_irq_may_go_direct_locked(const struct vgic *g, const struct vgic_irq *irq,
					  unsigned intid, unsigned v)
{
	return irq->enabled && (irq->edge || irq->hw) && !vgic_irq_is_pending(irq) &&
	       !irq->active && !irq->in_lr && vgic_irq_owner(irq) == v &&
	       vgic_group_is_enabled(g, irq, intid);
}

/* ICH_LR<n>_EL2 for irq as a new pending interrupt, GICv3 IHI0069 H §12.4.6. */
static uint64_t vgic_lr_pending_value(const struct vgic_irq *irq, unsigned intid)
{
	uint64_t lr =
	    intid | (uint64_t)irq->priority << ICH_LR_PRIORITY_SHIFT | ICH_LR_STATE_PENDING;

	if (irq->group1) {
		lr |= ICH_LR_GROUP;
	}
	if (irq->hw) {
		lr |= ICH_LR_HW |
		      (((uint64_t)irq->hw_intid << ICH_LR_PINTID_SHIFT) & ICH_LR_PINTID_MASK);
	}
	return lr;
}

/* Encode one ICH_LR<n>_EL2, GICv3 IHI0069 H §12.4.6, and hand the pending state to it. */
static uint64_t vgic_lr_encode_locked(const struct vgic *g, struct vgic_irq *irq, unsigned intid,
				      unsigned v)
{
	bool pending = vgic_irq_is_deliverable_locked(g, irq, intid);
	uint64_t lr = intid | (uint64_t)irq->priority << ICH_LR_PRIORITY_SHIFT;

	if (irq->group1) {
		lr |= ICH_LR_GROUP;
	}
	if (irq->hw) {
		lr |= ICH_LR_HW |
		      (((uint64_t)irq->hw_intid << ICH_LR_PINTID_SHIFT) & ICH_LR_PINTID_MASK);
		/* HW=1: the pending state of an active interrupt lives in the physical GIC. */
		pending = pending && !irq->active;
	} else if (!irq->edge) {
		lr |= ICH_LR_EOI; /* resample the line when the guest deactivates it */
	}
	if (irq->active) {
		lr |= ICH_LR_STATE_ACTIVE;
	}
	if (pending) {
		lr |= ICH_LR_STATE_PENDING;
		if (irq->edge || irq->hw) {
			irq->pending = false;
		}
	}
	irq->in_lr = true;
	irq->vcpu = (uint8_t)v;
	return lr;
}

/* The scan behind vgic_flush_lrs(), when the hint says something may have changed. */
static uint32_t vgic_lr_fold_locked(struct vgic *g, unsigned v, uint64_t lr);
static bool vgic_direct_close_locked(struct vgic *g, unsigned v, struct gic_lr_state *s);
static void vgic_direct_reserve_locked(struct vgic *g, unsigned v, struct gic_lr_state *s,
				       bool direct);

__attribute__((noinline)) static void vgic_flush_scan(struct vgic *g, unsigned vcpu_id,
						      struct gic_lr_state *s, uint32_t bit)
{
	uint32_t kick = 0;
	struct vgic_lr_pick p; /* irq[] and intid[] are written before they are read */
	unsigned i;
	bool direct;

	p.count = 0;
	p.eligible = 0;
	p.cap = MIN(s->nr_lrs, VGIC_MAX_LRS);
	spin_lock(&g->lock);
	/*
	 * LRs placed directly since the last sync go back to the model before it is rescanned;
	 * the direct slot (LR0) is folded by vgic_direct_close_locked(), never as an LR of the
	 * model (an empty one would read as INTID 0).
	 */
	for (i = s->direct; i < MIN(s->used_lrs, p.cap); i++) {
		kick |= vgic_lr_fold_locked(g, vcpu_id, s->lr[i]);
	}
	vgic_hint_mask(g, kick); /* a fold that moved an interrupt: its owner's flush must look */
	(void)vgic_direct_close_locked(g, vcpu_id, s); /* a post made during a light exit */
	/* Cleared under the lock: a change made after this point sets it again. */
	__atomic_and_fetch(&g->flush_hint, ~bit, __ATOMIC_ACQ_REL);
	if (vcpu_id < g->nr_vcpus) {
		uint16_t cand[VGIC_NR_PRIVATE + VGIC_MAX_SPIS];
		unsigned n = vgic_cand_collect_locked(g, vcpu_id, cand);

		vgic_lr_forget_locked(g, vcpu_id, cand, n);
		for (i = 0; i < n; i++) {
			struct vgic_irq *irq = vgic_irq_lookup(g, vcpu_id, cand[i]);

			if (vgic_irq_is_eligible_locked(g, irq, cand[i], vcpu_id)) {
				vgic_lr_pick_add(&p, irq, cand[i]);
			}
		}
	}
	/*
	 * Everything eligible fits with one LR to spare: LR0 becomes the direct slot, if the
	 * arch runs the fast paths for it (direct_ok: it also delivers the posts).
	 */
	direct = s->direct_ok && vcpu_id < g->nr_vcpus && p.cap >= 2 && p.eligible < p.cap;
	for (i = 0; i < p.count; i++) {
		s->lr[direct + i] = vgic_lr_encode_locked(g, p.irq[i], p.intid[i], vcpu_id);
	}
	if (vcpu_id < g->nr_vcpus) {
		vgic_direct_reserve_locked(g, vcpu_id, s, direct);
	}
	spin_unlock(&g->lock);
	vgic_kick_mask(g, kick);
	for (i += direct; i < p.cap; i++) {
		s->lr[i] = 0;
	}
	if (direct) {
		s->lr[0] = 0; /* the slot starts empty, whatever LR0 held before it was one */
	}
	s->used_lrs = (uint8_t)(direct + p.count);
	if (p.eligible) {
		__atomic_or_fetch(&g->flush_hint, bit,
				  __ATOMIC_RELAXED); /* still live: look again */
	}
	/* Underflow maintenance interrupt to refill once the LRs drain, GICv3 IHI0069 H §12.4.3 */
	s->hcr = (s->hcr | ICH_HCR_EN) & ~(uint32_t)ICH_HCR_UIE;
	if (p.eligible > p.count) {
		s->hcr |= ICH_HCR_UIE;
	}
}

/** Fill the LRs for the next entry of vcpu_id; see vgic3.h. */
void vgic_flush_lrs(struct vgic *g, unsigned vcpu_id, struct gic_lr_state *s)
{
	uint32_t bit = vgic_vcpu_bit(vcpu_id);

	/*
	 * Nothing changed since a flush found nothing: the LRs hold exactly what
	 * vgic_inject_direct() put there since the last sync (usually nothing).
	 */
	if (!(__atomic_load_n(&g->flush_hint, __ATOMIC_ACQUIRE) & bit)) {
		s->hcr = (s->hcr | ICH_HCR_EN) & ~(uint32_t)ICH_HCR_UIE;
		return;
	}
	vgic_flush_scan(g, vcpu_id, s, bit);
}

/*
 * Fold one saved LR back: its state field is what the guest left, GICv3 IHI0069 H §12.4.6.
 * Returns the vCPU to kick (as a mask) when the interrupt, still pending, now belongs to
 * another vCPU: the guest rerouted it (GICD_IROUTER) while it sat in this vCPU's LR.
 */
static uint32_t vgic_lr_fold_locked(struct vgic *g, unsigned v, uint64_t lr)
{
	unsigned intid = (unsigned)(lr & ICH_LR_VINTID_MASK);
	uint64_t state = lr & ICH_LR_STATE_MASK;
	struct vgic_irq *irq = vgic_irq_lookup(g, v, intid);

	/* Only LRs this model filled for v count; anything else is stale (e.g. reset since). */
	if (!irq || !irq->in_lr || irq->vcpu != v) {
		return 0;
	}
	irq->in_lr = false;
	irq->active = (state & ICH_LR_STATE_ACTIVE) != 0;
	if (state & ICH_LR_STATE_PENDING) {
		if (irq->edge || irq->hw) {
			irq->pending = true; /* not taken yet: the latch comes back */
		}
	} else if (!irq->edge && !irq->hw) {
		irq->pending = false; /* acknowledged: software latch consumed */
	}
	return vgic_irq_owner(irq) != v ? vgic_irq_kick_mask_locked(g, irq, intid) : 0;
}

/*
 * Fold an LR a fast path filled without the model (the direct slot, or a post it never
 * wrote): whatever state the guest left becomes model state. Returns whether any is left.
 */
static bool vgic_lr_fold_direct_locked(struct vgic *g, unsigned v, uint64_t lr)
{
	struct vgic_irq *irq = vgic_irq_lookup(g, v, (unsigned)(lr & ICH_LR_VINTID_MASK));

	if (!irq || !(lr & ICH_LR_STATE_MASK)) {
		return false;
	}
	if (lr & ICH_LR_STATE_ACTIVE) {
		irq->active = true;
		irq->vcpu = (uint8_t)v;
	}
	if (lr & ICH_LR_STATE_PENDING) {
		irq->pending = true; /* edge or hardware-backed: the latch comes back */
	}
	vgic_cand_mark_locked(g, v, (unsigned)(lr & ICH_LR_VINTID_MASK));
	return true;
}

/*
 * Close the mailbox (no more posts) and fold what fast paths left: the direct slot as saved
 * (s->lr[0]), a post still waiting in the mailbox and one taken but not written.
 */
static bool vgic_direct_close_locked(struct vgic *g, unsigned v, struct gic_lr_state *s)
{
	uint64_t post;
	bool live;

	if (!s->direct) {
		return false;
	}
	/* s->mailbox is set with s->direct, by vgic_direct_reserve_locked(). */
	post = __atomic_exchange_n(&s->mailbox->word, VGIC_MBOX_CLOSED, __ATOMIC_ACQ_REL);
	live = vgic_lr_fold_direct_locked(g, v, s->lr[0]);
	if (vgic_mbox_is_post(post)) {
		live |= vgic_lr_fold_direct_locked(g, v, post);
	}
	if (s->posted) {
		live |= vgic_lr_fold_direct_locked(g, v, s->posted);
	}
	s->lr[0] = 0;
	s->posted = 0;
	return live;
}

/*
 * Make LR0 the direct slot, or not, and encode the forwarded timer interrupt for it if it may
 * go there, GICv3 IHI0069 H §12.4.6.
 */
static void vgic_direct_reserve_locked(struct vgic *g, unsigned v, struct gic_lr_state *s,
				       bool direct)
{
	unsigned ppi = g->cpu[v].direct_ppi;
	const struct vgic_irq *irq = &g->cpu[v].priv[ppi];

	s->direct = direct;
	s->direct_hw_lr = 0;
	s->mailbox = &g->cpu[v].mbox;
	if (direct && ppi && irq->hw && vgic_irq_may_go_direct_locked(g, irq, ppi, v)) {
		s->direct_hw_lr = vgic_lr_pending_value(irq, ppi);
	}
}

/** Fold the LRs saved at exit back into the model; see vgic3.h. */
void vgic_sync_lrs(struct vgic *g, unsigned vcpu_id, struct gic_lr_state *s)
{
	unsigned n = MIN(s->used_lrs, MIN(s->nr_lrs, VGIC_MAX_LRS));
	uint32_t kick = 0;
	bool live = false;

	if (n == 0) {
		s->hcr &= ~(uint32_t)ICH_HCR_UIE;
		return; /* nothing was handed to the guest: nothing to fold back */
	}
	spin_lock(&g->lock);
	live = vgic_direct_close_locked(g, vcpu_id, s);
	for (unsigned i = s->direct; i < n; i++) { /* LR0, if the direct slot, is folded above */
		if (s->lr[i] & ICH_LR_STATE_MASK) {
			live =
			    true; /* still pending or active: the next flush must list it again */
		}
		kick |= vgic_lr_fold_locked(g, vcpu_id, s->lr[i]);
		s->lr[i] = 0; /* the LR's content is the model's again */
	}
	if (kick) {
		vgic_hint_all(g); /* the new owner's next flush must look */
	} else if (live) {
		vgic_hint_mask(g, vgic_vcpu_bit(vcpu_id));
	}
	spin_unlock(&g->lock);
	vgic_kick_mask(g, kick);
	s->used_lrs = s->direct; /* the direct slot stays reserved, empty */
	s->hcr &= ~(uint32_t)ICH_HCR_UIE;
}

/* Would the virtual CPU interface signal irq under this ICH_VMCR_EL2, GICv3 IHI0069 H §12.4.9? */
static bool vgic_vmcr_allows(const struct vgic_irq *irq, uint32_t vmcr)
{
	unsigned vpmr = (vmcr >> ICH_VMCR_VPMR_SHIFT) & 0xFF;

	if (irq->priority >= vpmr) {
		return false;
	}
	return (vmcr & (irq->group1 ? ICH_VMCR_VENG1 : ICH_VMCR_VENG0)) != 0;
}

/** WFI wake-up test, after vgic_sync_lrs(); see vgic3.h. */
bool vgic_vcpu_has_pending(struct vgic *g, unsigned vcpu_id, uint32_t vmcr)
{
	bool found = false;

	if (vcpu_id >= g->nr_vcpus) {
		return false;
	}
	uint16_t cand[VGIC_NR_PRIVATE + VGIC_MAX_SPIS];
	unsigned n;

	spin_lock(&g->lock);
	n = vgic_cand_collect_locked(g, vcpu_id, cand);
	for (unsigned i = 0; i < n; i++) {
		const struct vgic_irq *irq = vgic_irq_lookup(g, vcpu_id, cand[i]);

		if (vgic_irq_owner(irq) == vcpu_id &&
		    vgic_irq_is_deliverable_locked(g, irq, cand[i]) &&
		    vgic_vmcr_allows(irq, vmcr)) {
			found = true;
			break;
		}
	}
	spin_unlock(&g->lock);
	return found;
}

/*
 * Fast injection into the vCPU that is exiting on this CPU, after its LRs were synced: when
 * nothing else is waiting for it (its flush hint is clear, so the next flush will not rescan)
 * and an LR is free, the interrupt goes straight into that LR, as a flush would have put it.
 * Otherwise this is vgic_inject(). A later full flush folds the LR back first.
 */
void vgic_inject_direct(struct vgic *g, unsigned vcpu_id, unsigned intid, struct gic_lr_state *s)
{
	uint32_t bit = vgic_vcpu_bit(vcpu_id);
	struct vgic_irq *irq;
	bool done = false;

	spin_lock(&g->lock);
	irq = vgic_irq_lookup(g, vcpu_id, intid);
	if (irq && !(__atomic_load_n(&g->flush_hint, __ATOMIC_ACQUIRE) & bit) &&
	    s->used_lrs < MIN(s->nr_lrs, VGIC_MAX_LRS) && !irq->in_lr && !irq->active &&
	    vgic_irq_owner(irq) == vcpu_id) {
		irq->pending = true;
		vgic_cand_mark_locked(g, vcpu_id, intid);
		if (vgic_irq_is_deliverable_locked(g, irq, intid)) {
			s->lr[s->used_lrs++] = vgic_lr_encode_locked(g, irq, intid, vcpu_id);
			s->quiet = false;
		} else {
			vgic_hint_mask(g, bit); /* not deliverable now: the model keeps it */
		}
		done = true;
	}
	spin_unlock(&g->lock);
	if (!done) {
		vgic_inject(g, vcpu_id, intid);
	}
}

/** Open the direct slot for this entry, with a word no earlier entry used; see vgic3.h. */
void vgic_direct_open(struct gic_lr_state *s)
{
	uint64_t closed = VGIC_MBOX_CLOSED, open;

	s->quiet = s->used_lrs == s->direct;
	if (!s->direct) {
		return;
	}
	open = s->mailbox->open + VGIC_MBOX_EPOCH;
	if (vgic_mbox_is_post(open)) {
		open = VGIC_MBOX_EPOCH; /* after 2^61 entries: no sender waits that long */
	}
	/* After a light exit it may be open still, or hold a post the kick will deliver. */
	if (__atomic_compare_exchange_n(&s->mailbox->word, &closed, open, false, __ATOMIC_ACQ_REL,
					__ATOMIC_RELAXED)) {
		s->mailbox->open = open;
	}
}

/** Close the direct slot after a light exit; see vgic3.h. */
void vgic_direct_close(struct vgic *g, unsigned vcpu_id, struct gic_lr_state *s)
{
	bool live;

	if (!s->direct) {
		return;
	}
	spin_lock(&g->lock);
	live = vgic_direct_close_locked(g, vcpu_id, s);
	if (live) {
		vgic_hint_mask(g, vgic_vcpu_bit(vcpu_id));
	}
	spin_unlock(&g->lock);
}
