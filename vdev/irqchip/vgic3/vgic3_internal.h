/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to the vGICv3 model: the register-table format shared by the distributor and
 * redistributor files, the table walker, and the interrupt-state helpers they call.
 * Lock rule: every *_locked helper expects g->lock held; only the entry points in irq.c, lr.c
 * and regs.c take it, once, so no path nests it (the host lock asserts that).
 */
#ifndef VDEV_VGIC3_INTERNAL_H
#define VDEV_VGIC3_INTERNAL_H

#include "hyp/errno.h"
#include "hyp/types.h"

#include "vgic3.h"

#define VGIC_NR_SGIS 16 /* INTIDs 0-15; PPIs are 16-31 */

/*
 * Access widths a register accepts, each flag the width in bytes it allows: an access of width
 * w (1, 2, 4 or 8, which the bus guarantees) is allowed when widths & w is set
 * (vgic_reg_allows()).
 */
#define VGIC_W8 1U
#define VGIC_W16 2U
#define VGIC_W32 4U
#define VGIC_W64 8U
#define VGIC_W_ALL (VGIC_W8 | VGIC_W16 | VGIC_W32 | VGIC_W64)

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

/** One guest access as the bits-per-IRQ walker sees it (64-bit fields first: stored in pairs). */
struct vgic_mmio {
	struct vgic *g;
	uint64_t off;  /**< byte offset from the start of the table entry */
	unsigned vcpu; /**< redistributor's vCPU; 0 for the distributor */
	unsigned width;
	bool dist; /**< distributor view: private INTIDs are RAZ/WI (ARE=1) */
};

/**
 * Whole-register handlers: the access as separate arguments (the byte offset from the start of
 * the table entry, the width, the redistributor's vCPU or 0 for the distributor), so that they
 * arrive in registers; GCC 12 passes even a 16-byte struct through the stack with -mstrict-align.
 * The write returns a mask of vCPUs to kick.
 */
typedef struct mmio_read vgic_reg_read_fn(struct vgic *g, uint64_t off, unsigned width,
					  unsigned vcpu);
typedef uint32_t vgic_reg_write_fn(struct vgic *g, uint64_t off, unsigned width, unsigned vcpu,
				   uint64_t value);
/** Per-interrupt field handlers for bits-per-IRQ registers (IGROUPR, ISENABLER, ...). */
typedef uint32_t vgic_field_read_fn(const struct vgic_irq *irq);
typedef void vgic_field_write_fn(struct vgic_irq *irq, unsigned intid, uint32_t field);

/*
 * Reads return what vgic_init() fixed (GICD_TYPER, GICR_TYPER, the IIDRs and PIDR2s, RAZ rows):
 * nothing they read changes while the VM runs, so they need no lock.
 */
#define VGIC_REG_FLAG_CONST BIT(0)

/**
 * One register or register array, [offset, end) of the frame. With bpi != 0 the range holds bpi
 * bits per INTID, starting at INTID 0, and the walker calls field_read/field_write once per
 * INTID covered; otherwise read/write see the whole access. offset and end are multiples of the
 * widest access allowed, so an aligned access of an allowed width never crosses the end
 * (vgic_regs_are_well_formed). 32 bytes, so that an index scales by a shift: the handlers of
 * the two kinds share their slots, as bpi says which kind a row is.
 */
struct vgic_reg {
	uint32_t offset;
	uint32_t end;	/**< the first byte past the range: the lookup compares it alone */
	uint8_t bpi;	/**< bits per interrupt, 0 for a plain register */
	uint8_t flags;	/**< VGIC_REG_FLAG_* */
	uint8_t widths; /**< VGIC_W* */
	union {
		vgic_reg_read_fn *read;		/**< bpi == 0 */
		vgic_field_read_fn *field_read; /**< bpi != 0 */
	};
	union {
		vgic_reg_write_fn *write;	  /**< bpi == 0 */
		vgic_field_write_fn *field_write; /**< bpi != 0 */
	};
};

#define VGIC_REG(off, size, w, rd, wr)                                                             \
	{                                                                                          \
		.offset = (off), .end = (off) + (size), .widths = (w), .read = (rd), .write = (wr) \
	}
/* A register whose reads are constant after vgic_init(): read without the lock. */
#define VGIC_REG_CONST(off, size, w, rd, wr)                                                       \
	{                                                                                          \
		.offset = (off), .end = (off) + (size), .widths = (w),                             \
		.flags = VGIC_REG_FLAG_CONST, .read = (rd), .write = (wr)                          \
	}
/* A bits-per-IRQ range for nr INTIDs; byte access only where the spec allows it (bpi 8). */
#define VGIC_REG_IRQ(off, nr, bits, rd, wr)                                                        \
	{                                                                                          \
		.offset = (off), .end = (off) + (nr) * (bits) / 8, .bpi = (bits),                  \
		.widths = (bits) == 8 ? VGIC_W8 | VGIC_W32 : VGIC_W32, .field_read = (rd),         \
		.field_write = (wr)                                                                \
	}

/* A GICD frame or one GICR frame (RD_base, SGI_base) spans 64 KiB, GICv3 IHI0069 H §12.8, §12.10 */
#define VGIC_FRAME_SIZE 0x10000U
/*
 * The last row of every table: it starts past the frame and never ends, so that a lookup's
 * scan stops on it without counting and finds every offset of the frame below it reserved.
 */
#define VGIC_REG_END                                                                               \
	{                                                                                          \
		.offset = VGIC_FRAME_SIZE, .end = UINT32_MAX                                       \
	}
/* Lookup index granule: 128 bytes, the spacing of the bits-per-IRQ arrays (GICD_IGROUPR, ...). */
#define VGIC_INDEX_SHIFT 7
#define VGIC_INDEX_SIZE (VGIC_FRAME_SIZE >> VGIC_INDEX_SHIFT)

/**
 * A register table and its lookup index. index[offset >> VGIC_INDEX_SHIFT] is the first entry
 * that ends after the start of that 128-byte bucket, so a lookup is one load and a forward scan
 * past the few entries sharing the bucket. vgic_tables_check() builds the indexes at boot; a
 * zeroed index starts every scan at entry 0, slower but with the same answer.
 */
struct vgic_table {
	const struct vgic_reg *regs;
	size_t count;	/**< rows with VGIC_REG_END, at most UINT8_MAX: index entries are bytes */
	uint8_t *index; /**< VGIC_INDEX_SIZE entries, one per bucket of the frame */
	bool dist;	/**< distributor view: private INTIDs are RAZ/WI (ARE=1) */
};

#define VGIC_TABLE(regs_, index_, dist_)                                                           \
	{                                                                                          \
		.regs = (regs_), .count = ARRAY_SIZE(regs_), .index = (index_), .dist = (dist_)    \
	}

extern const struct vgic_reg vgic_dist_regs[];
extern const struct vgic_reg vgic_rd_regs[];
extern const struct vgic_reg vgic_sgi_regs[];
extern const struct vgic_table vgic_dist_table;
extern const struct vgic_table vgic_rd_table;
extern const struct vgic_table vgic_sgi_table;

/*
 * The table walker. Its lookup is inline here, as every GICD/GICR access runs it; regs.c holds
 * the rest and the per-IRQ fields common to GICD and GICR. It takes the access as the bus passes
 * it (hyp/vdev.h): 1, 2, 4 or 8 bytes, naturally aligned, at an offset inside the frame
 * (the frame handlers cut the redistributor window into frames).
 */

/*
 * r accepts an access of width: a width it allows. The entry is aligned to its widths and the
 * access to its own width, so the access stays inside the entry.
 */
static inline bool vgic_reg_allows(const struct vgic_reg *r, unsigned width)
{
	return (r->widths & width) != 0;
}

/**
 * The entry holding offset (below VGIC_FRAME_SIZE), or NULL for a reserved one: an index load,
 * then a short scan, which stops at the latest on the table's VGIC_REG_END.
 */
static inline const struct vgic_reg *vgic_table_find(const struct vgic_table *t, uint64_t offset)
{
	const struct vgic_reg *r = &t->regs[t->index[offset >> VGIC_INDEX_SHIFT]];

	while (offset >= r->end) {
		r++;
	}
	return offset >= r->offset ? r : NULL;
}

/**
 * Read through a register table: the value (reserved offsets read 0) or -EINVAL for a width the
 * register does not have. The arguments are the access as the bus passes it to a model, offset
 * within the frame, the vCPU the frame banks for, then the frame's table: the order of a row's
 * handler, which it passes them on to.
 */
struct mmio_read vgic_regs_read(struct vgic *g, uint64_t offset, unsigned width, unsigned vcpu,
				const struct vgic_table *t);

/** Write through a register table, as vgic_regs_read(); kicks the vCPUs it made pending. */
int vgic_regs_write(struct vgic *g, uint64_t offset, unsigned width, uint64_t value,
		    const struct vgic_table *t, unsigned vcpu);
bool vgic_regs_are_well_formed(const struct vgic_reg *t, size_t n);
vgic_reg_read_fn vgic_reg_raz;
vgic_reg_read_fn vgic_reg_iidr;
vgic_reg_read_fn vgic_reg_pidr2;
vgic_reg_write_fn vgic_reg_wi;
uint64_t vgic_reg64_slice(uint64_t reg, uint64_t off, unsigned width);
uint64_t vgic_reg64_merge(uint64_t reg, uint64_t off, unsigned width, uint64_t value);
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
/** The state of intid as seen by vcpu (SPIs ignore vcpu), or NULL for an INTID this VM lacks. */
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

/* A vCPU's bit in flush_hint and the kick masks: none for an id no mask holds. */
static inline uint32_t vgic_vcpu_bit(unsigned vcpu_id)
{
	return vcpu_id < 32 ? (uint32_t)BIT(vcpu_id) : 0;
}

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

/*
 * Posting an SGI to another vCPU's direct slot, without the model's lock (GICv3 IHI0069 H
 * §12.2.22 raises it, §12.4.6 encodes it). A check reads the target's mailbox word and then its
 * state; the commit swaps that very word for the LR. Why no lock is needed:
 *
 * - Only the target's own CPU puts an SGI of the target in an LR (a flush, or
 *   vgic_inject_direct() during its exit), and only after closing the mailbox or before its
 *   light exit finishes, which closes it and folds a post into the model. A word that closed and
 *   opened again in between never compares equal (VGIC_MBOX_EPOCH), so a commit lands in the
 *   entry whose flush the check saw (the acquire load of the open word orders its reads after
 *   that flush) and the SGI is never listed twice.
 * - A change another CPU makes under the lock between check and commit (the SGI disabled, made
 *   pending, its priority changed) does not look at the mailbox: the post is then what a post
 *   made just before that change would have been, a pending SGI in the slot, which the target's
 *   next full exit folds into the model.
 * - Fields are read once each (VGIC_READ_ONCE): they may change meanwhile, as said.
 */
#define VGIC_READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define VGIC_READ_BYTE(x) (*(const volatile uint8_t *)&(x)) /* a bool, as its byte */

/*
 * The SGI's state permits a post: enabled, and no state of its own the model would merge.
 * SGIs are edge-triggered and gated only by their enable bit, GICv3 IHI0069 H §12.11.4.
 */
static inline bool vgic_sgi_may_post(const struct vgic_irq *irq)
{
	/* Flags read as bytes (a volatile bool gets masked to one bit), three tested as one. */
	unsigned state =
	    VGIC_READ_BYTE(irq->pending) | VGIC_READ_BYTE(irq->active) | VGIC_READ_BYTE(irq->in_lr);

	return VGIC_READ_BYTE(irq->enabled) != 0 && state == 0;
}

/** The ICH_LR<n>_EL2 of SGI intid pending, GICv3 IHI0069 H §12.4.6 (never HW: no pINTID). */
static inline uint64_t vgic_sgi_lr(const struct vgic_irq *irq, unsigned intid)
{
	return intid | (uint64_t)VGIC_READ_ONCE(irq->priority) << ICH_LR_PRIORITY_SHIFT |
	       (uint64_t)VGIC_READ_BYTE(irq->group1) << 60 /* ICH_LR_GROUP */ |
	       ICH_LR_STATE_PENDING;
}

/*
 * Check: the ICH_LR<n>_EL2 to post SGI intid (< 16) of vCPU v with, or 0 when it must go through
 * the model: v is not in the guest with an open slot, something else waits for v (its flush
 * hint is set: an interrupt of higher priority may be pending), or the SGI has state. *m is
 * the mailbox word checked. SGIs are never hardware-backed (vgic_map_hw() refuses them).
 */
static inline uint64_t vgic_sgi_post_check(struct vgic *g, unsigned v, unsigned intid, uint64_t *m)
{
	struct vgic_cpu *c = &g->cpu[v];
	const struct vgic_irq *irq = &c->priv[intid];
	uint64_t lr;

	*m = __atomic_load_n(&c->mbox.word, __ATOMIC_ACQUIRE);
	if (!vgic_mbox_is_open(*m) || vgic_needs_flush(g, v)) {
		return 0;
	}
	lr = vgic_sgi_lr(irq, intid); /* read before the test: the address is computed once */
	return vgic_sgi_may_post(irq) ? lr : 0;
}

/* Commit: the post is made if v's mailbox still holds m; then v's CPU must be told of it. */
static inline bool vgic_sgi_post_commit(struct vgic *g, unsigned v, uint64_t m, uint64_t lr)
{
	return __atomic_compare_exchange_n(&g->cpu[v].mbox.word, &m, lr, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_RELAXED);
}
bool vgic_irq_is_deliverable_locked(const struct vgic *g, const struct vgic_irq *irq,
				    unsigned intid);
unsigned vgic_irq_owner(const struct vgic_irq *irq);
uint32_t vgic_irq_kick_mask_locked(const struct vgic *g, const struct vgic_irq *irq,
				   unsigned intid);
uint32_t vgic_spi_kick_mask_locked(const struct vgic *g);
void vgic_kick_mask(struct vgic *g, uint32_t mask);
unsigned vgic_spi_route(const struct vgic *g, uint64_t irouter);

#endif
