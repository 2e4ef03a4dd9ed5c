/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Virtual GICv3 model (GICv3 IHI0069 H): distributor and redistributors emulated from register
 * tables, the CPU interface left to hardware (the ICH_ and ICV_ registers) through list
 * registers. The model is pure C: the arch layer saves the hardware CPU-interface state into
 * struct gic_lr_state and calls vgic_sync_lrs() after an exit and vgic_flush_lrs() before an
 * entry.
 */
#ifndef VDEV_VGIC3_H
#define VDEV_VGIC3_H

#include "hyp/spinlock.h"
#include "hyp/types.h"
#include "hyp/vdev.h"

#define VGIC_MAX_VCPUS 8
#define VGIC_NR_PRIVATE 32 /* SGIs 0-15, PPIs 16-31 */
#define VGIC_MAX_SPIS 96   /* INTIDs 32..127 */
#define VGIC_MAX_LRS 16
#define VGIC_DIST_SIZE 0x10000ULL
#define VGIC_REDIST_STRIDE 0x20000ULL /* RD_base frame + SGI_base frame, GICv3 IHI0069 H §12.10 */

/** Hardware CPU-interface state of one vCPU, saved and restored by the arch world switch. */
struct gic_lr_state {
	uint64_t lr[VGIC_MAX_LRS]; /**< ICH_LR<n>_EL2, List Registers */
	uint32_t hcr;		   /**< ICH_HCR_EL2, Hyp Control Register */
	uint32_t vmcr;		   /**< ICH_VMCR_EL2, Virtual Machine Control Register */
	uint32_t ap0r[4];	   /**< ICH_AP0R<n>_EL2, active priorities group 0 */
	uint32_t ap1r[4];	   /**< ICH_AP1R<n>_EL2, active priorities group 1 */
	uint8_t nr_lrs;		   /**< implemented LRs, ICH_VTR_EL2.ListRegs + 1 */
	uint8_t used_lrs;	   /**< LRs filled by the last flush: only these are saved */
	/*
	 * The direct slot: with direct set, a flush leaves LR0 empty (used_lrs counts it) for the
	 * exception vector to fill without the model's lock, with the forwarded timer interrupt
	 * (direct_hw_lr, encoded by the flush; 0 when it may not go there) or with what another
	 * vCPU posted in this vCPU's mailbox. The model learns of it at the next full exit.
	 */
	bool direct;
	bool direct_ok; /**< set by the arch: it runs the fast paths, delivers posts to the vCPU */
	/*
	 * Since this entry, the LRs hold nothing the model does not know: nothing is listed beside
	 * the empty direct slot and no fast path or injection has written an LR. Set by
	 * vgic_direct_open() at every entry, cleared by whatever writes an LR in the meantime, or
	 * by the arch (vgic_lrs_hold()).
	 */
	bool quiet;
	uint64_t direct_hw_lr;
	uint64_t posted;	   /**< a post taken from the mailbox while the slot was busy */
	struct vgic_mbox *mailbox; /**< the vGIC's mailbox for this vCPU, set by a flush */
};

/*
 * Mailbox words (struct vgic_mbox.word). CLOSED (0): the vCPU is not in the guest with a direct
 * slot. Open: the entry's own value (struct vgic_mbox.open: even, not 0, below bit 62), the slot
 * empty. Busy: the same with VGIC_MBOX_BUSY set, a fast path filled the slot. Any other value is
 * an ICH_LR encoding another vCPU posted: its State field, bits [63:62], is never 0.
 *
 * Each entry opens with a new value (VGIC_MBOX_EPOCH more than the last), so a sender, which
 * checks the target's state without the model's lock and then swaps the word it read for its
 * LR, can only post into the entry whose state it checked: a word that was closed and opened
 * again in between differs (no ABA).
 */
#define VGIC_MBOX_CLOSED 0ULL
#define VGIC_MBOX_BUSY 1ULL
#define VGIC_MBOX_EPOCH 2ULL

/** A vCPU's direct-slot mailbox: one atomic word, changed only by compare-and-swap or exchange. */
struct vgic_mbox {
	uint64_t word; /**< VGIC_MBOX_CLOSED, open, busy, or a posted LR */
	uint64_t open; /**< the open word of the vCPU's last entry; only the vCPU's CPU writes it */
};

/* ICH_LR<n>_EL2 fields, GICv3 IHI0069 H §12.4.6 */
#define ICH_LR_VINTID_MASK GENMASK(31, 0)
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_PINTID_MASK GENMASK(44, 32)
#define ICH_LR_EOI BIT(41)
#define ICH_LR_PRIORITY_SHIFT 48
#define ICH_LR_GROUP BIT(60)
#define ICH_LR_HW BIT(61)
#define ICH_LR_STATE_SHIFT 62
#define ICH_LR_STATE_PENDING (1ULL << 62)
#define ICH_LR_STATE_ACTIVE (2ULL << 62)
#define ICH_LR_STATE_MASK (3ULL << 62)
/* ICH_HCR_EL2 fields, GICv3 IHI0069 H §12.4.3 */
#define ICH_HCR_EN BIT(0)
#define ICH_HCR_UIE BIT(1)
#define ICH_HCR_NPIE BIT(3)
/* ICH_VMCR_EL2 fields, GICv3 IHI0069 H §12.4.9 */
#define ICH_VMCR_VENG1 BIT(1)
#define ICH_VMCR_VPMR_SHIFT 24

/** State of one virtual interrupt. */
struct vgic_irq {
	uint8_t priority;  /**< GICD_IPRIORITYR / GICR_IPRIORITYR byte */
	uint8_t target;	   /**< vCPU it is delivered to (SPIs: from GICD_IROUTER) */
	uint8_t vcpu;	   /**< vCPU whose LR holds it (in_lr) or on which it is active */
	bool enabled;	   /**< GICD_ISENABLER */
	bool group1;	   /**< GICD_IGROUPR */
	bool edge;	   /**< GICD_ICFGR: edge-triggered */
	bool pending;	   /**< pending latch (edge event, GICD_ISPENDR write) */
	bool level;	   /**< input line level, for level-sensitive interrupts */
	bool active;	   /**< GICD_ISACTIVER */
	bool in_lr;	   /**< currently held in a list register of `target` */
	bool hw;	   /**< backed by a physical interrupt (LR.HW) */
	uint16_t hw_intid; /**< the physical INTID when hw */
	uint64_t irouter;  /**< GICD_IROUTER<n> as written (SPIs only) */
};

struct vgic_cpu {
	struct vgic_irq priv[VGIC_NR_PRIVATE]; /**< SGIs and PPIs, banked per vCPU */
	uint32_t waker;			       /**< GICR_WAKER, ProcessorSleep/ChildrenAsleep */
	uint64_t mpidr;			       /**< affinity reported in GICR_TYPER */
	struct vgic_mbox mbox;		       /**< the direct slot's mailbox */
	uint8_t direct_ppi; /**< the hardware-backed PPI a direct slot may take (0: none) */
};

/** Callbacks from the model into the core. */
struct vgic_ops {
	/** vcpu_id has a newly pending interrupt: make it re-enter (IPI its pCPU, wake it). */
	void (*kick)(void *ctx, unsigned vcpu_id);
};

struct vgic {
	struct spinlock lock;
	unsigned nr_vcpus;
	unsigned nr_spis;
	uint32_t ctlr; /**< GICD_CTLR */
	/*
	 * Bit v set: vCPU v may have something to put in its list registers. Every state change
	 * sets it; a flush that finds nothing eligible clears it, so the common exit (nothing
	 * pending, nothing in the LRs) skips the scan of every interrupt. Near the start: every
	 * light exit and post reads it, and an offset below 4 KiB is one instruction shorter.
	 */
	uint32_t flush_hint;
	struct vgic_irq spi[VGIC_MAX_SPIS];
	struct vgic_cpu cpu[VGIC_MAX_VCPUS];
	const struct vgic_ops *ops;
	void *ops_ctx;
	/*
	 * Candidates: a superset of the interrupts with any state (pending, line high, active, in
	 * an LR), one bit per INTID. Set wherever such state appears, cleared lazily by the scans
	 * that find an interrupt without state, so scans visit these bits instead of every INTID.
	 */
	uint32_t cand_priv[VGIC_MAX_VCPUS];
	uint32_t cand_spi[VGIC_MAX_SPIS / 32];
};

/** Model ops for the distributor window (VGIC_DIST_SIZE bytes); dev is the struct vgic. */
extern const struct vdev_ops vgic_dist_ops;
/** Model ops for the redistributor window (nr_vcpus * VGIC_REDIST_STRIDE); dev is the vgic. */
extern const struct vdev_ops vgic_redist_ops;

/**
 * The register tables are sorted, non-overlapping and complete (checked at boot and in tests);
 * also builds their lookup indexes (lookups before that still answer, by a longer scan).
 */
bool vgic_tables_check(void);
/** Set up for nr_vcpus (vCPU i has MPIDR affinity Aff0 = i) and nr_spis SPIs (multiple of 32). */
int __must_check vgic_init(struct vgic *g, unsigned nr_vcpus, unsigned nr_spis,
			   const struct vgic_ops *ops, void *ctx);
/** Back to the architectural reset state (guest reboot); hw mappings are kept. */
void vgic_reset(struct vgic *g);
/**
 * Guest wrote ICC_SGI1R_EL1 (GICv3 IHI0069 H §12.2.22): raise the SGIs it names. Returns the
 * vCPUs whose mailbox got a post, as a mask: the caller makes each one's CPU write it into the
 * direct slot (only an arch that set direct_ok opens mailboxes, so only it ever gets a post).
 * A vCPU never posts to itself, so those CPUs are all other than the sender's.
 */
uint32_t __must_check vgic_sgi1r_write(struct vgic *g, unsigned sender, uint64_t value);
/** vgic_sgi1r_write() by the exiting vCPU sender, whose synced LRs are s (SGIs to itself). */
uint32_t __must_check vgic_sgi1r_write_from(struct vgic *g, unsigned sender, uint64_t value,
					    struct gic_lr_state *s);
/** vgic_sgi1r_post() made no post. */
#define VGIC_NO_POST VGIC_MAX_VCPUS
/**
 * The commonest ICC_SGI1R_EL1 write, one SGI to one other vCPU, when it can be posted to that
 * vCPU's open direct slot without the model's lock: then posted, and that vCPU returned, for
 * the caller to tell as vgic_sgi1r_write() says. VGIC_NO_POST: nothing was done, the write is
 * vgic_sgi1r_write_from()'s. It reads and changes nothing of the sender (its LRs may hold
 * anything).
 */
unsigned __must_check vgic_sgi1r_post(struct vgic *g, unsigned sender, uint64_t value);
/** Make an interrupt pending as an edge event (SGI/PPI on vcpu_id; SPIs ignore vcpu_id). */
void vgic_inject(struct vgic *g, unsigned vcpu_id, unsigned intid);
/**
 * vgic_inject() for the vCPU whose exit this CPU is handling, after vgic_sync_lrs(): when
 * nothing else waits for it and an LR is free, the interrupt goes straight into s.
 */
void vgic_inject_direct(struct vgic *g, unsigned vcpu_id, unsigned intid, struct gic_lr_state *s);
/** Drive a level-sensitive input line. */
void vgic_set_level(struct vgic *g, unsigned vcpu_id, unsigned intid, bool level);
/** Back a private virtual interrupt by a physical one: its LRs carry HW=1 and pINTID. */
void vgic_map_hw(struct vgic *g, unsigned vcpu_id, unsigned vintid, unsigned pintid);
/**
 * Is the hardware-backed private interrupt intid of vcpu_id pending, active or listed? The
 * arch layer mirrors this into the physical active state when it loads the vCPU, so that the
 * guest's deactivation of the virtual interrupt deactivates a physical one that is active.
 */
bool vgic_hw_irq_is_live(struct vgic *g, unsigned vcpu_id, unsigned intid);
/** After an exit: fold the saved LRs of vcpu_id back into the model. */
void vgic_sync_lrs(struct vgic *g, unsigned vcpu_id, struct gic_lr_state *s);
/** Before an entry: fill the LRs of vcpu_id from the model, and ICH_HCR_EL2.UIE on overflow. */
void vgic_flush_lrs(struct vgic *g, unsigned vcpu_id, struct gic_lr_state *s);
/** A mailbox word that is a posted LR rather than a state. */
static inline bool vgic_mbox_is_post(uint64_t m)
{
	return (m & ICH_LR_STATE_MASK) != 0;
}

/** A mailbox word that is open or busy: the vCPU is in the guest with a direct slot. */
static inline bool vgic_mbox_is_open(uint64_t m)
{
	return m != VGIC_MBOX_CLOSED && !vgic_mbox_is_post(m);
}

/*
 * Direct-slot fast paths, run by the arch layer with interrupts masked on the vCPU's own CPU
 * while the vCPU is in the guest (its LRs live in hardware); inline, as they sit on the
 * interrupt path. hw_slot is the slot's current ICH_LR value.
 */

/** May the forwarded timer interrupt go into the direct slot now? Then it is BUSY. */
static inline bool vgic_direct_claim(struct gic_lr_state *s, uint64_t hw_slot)
{
	uint64_t m;

	/* A slot holding a pending or active interrupt is not free, GICv3 IHI0069 H §12.4.6 */
	if (!s->direct_hw_lr || (hw_slot & ICH_LR_STATE_MASK)) {
		return false;
	}
	m = __atomic_load_n(&s->mailbox->word, __ATOMIC_ACQUIRE);
	if (!vgic_mbox_is_open(m)) {
		return false; /* closed, or a post waits for the slot: the full path sorts it out */
	}
	if (!__atomic_compare_exchange_n(&s->mailbox->word, &m, m | VGIC_MBOX_BUSY, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		return false;
	}
	s->quiet = false; /* the caller writes the slot */
	return true;
}

/** The LR another vCPU posted for the direct slot, or 0; the slot is then BUSY. */
static inline uint64_t vgic_direct_take(struct gic_lr_state *s)
{
	uint64_t m;

	if (!s->direct) {
		return 0;
	}
	m = __atomic_load_n(&s->mailbox->word, __ATOMIC_ACQUIRE);
	/* A post is always for this entry (a close folds it), so busy is this entry's open word. */
	if (!vgic_mbox_is_post(m) ||
	    !__atomic_compare_exchange_n(&s->mailbox->word, &m, s->mailbox->open | VGIC_MBOX_BUSY,
					 false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		return 0;
	}
	s->quiet = false; /* the caller writes the slot, or keeps the post in s->posted */
	return m;
}
/** Before entry, after vgic_flush_lrs(): open the direct slot (if any) to the fast paths; quiet. */
void vgic_direct_open(struct gic_lr_state *s);
/**
 * May this vCPU's LR state be left in hardware across a light exit (nothing there to fold)?
 * A post waiting in the mailbox does not count: it is an SGI still on its way, which the post
 * SGI writes into the slot once the guest runs, or the next full exit folds.
 */
static inline bool vgic_lrs_quiet(const struct gic_lr_state *s)
{
	return s->quiet;
}
/**
 * After vgic_direct_open(): the arch has state of its own for the next exit to fold, so no exit
 * of this entry may be light. One flag for both keeps a light exit's first test to one load.
 */
static inline void vgic_lrs_hold(struct gic_lr_state *s)
{
	s->quiet = false;
}
/** A light exit turned out to need the full path: close the mailbox, fold a post into the model. */
void vgic_direct_close(struct vgic *g, unsigned vcpu_id, struct gic_lr_state *s);
/** Does vcpu_id's next flush have to look at the model (something changed)? */
static inline bool vgic_needs_flush(const struct vgic *g, unsigned vcpu_id)
{
	return (__atomic_load_n(&g->flush_hint, __ATOMIC_ACQUIRE) >> vcpu_id) & 1;
}
/**
 * vgic_needs_flush() for a caller that only picks its path by the answer and reads no model
 * state on it without the lock: the end of a light exit, whose "yes" is a full exit (which
 * takes the lock), and whose "no" to another CPU's change is mended by the kick that change
 * sends. No ordering is needed, so the load is a volatile one, as Linux's READ_ONCE(): a single
 * load of an aligned word, atomic on every CPU we build for, which unlike GCC's atomic loads
 * may address the field at an offset from the vGIC.
 */
static inline bool vgic_needs_flush_relaxed(const struct vgic *g, unsigned vcpu_id)
{
	return (*(const volatile uint32_t *)&g->flush_hint >> vcpu_id) & 1;
}
/** Would vcpu_id take an interrupt if it ran now (enabled, pending, above the VMCR mask)? */
bool vgic_vcpu_has_pending(struct vgic *g, unsigned vcpu_id, uint32_t vmcr);

#endif
