// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target: the vGICv3 model (vdev/irqchip/vgic3) driven by an operation stream: register
 * accesses, SGIs, device lines, and list-register flush/sync with what a guest may leave in the
 * LRs. Register accesses go through an MMIO bus, as a guest's do. vCPUs the input marks run the
 * direct slot as arch/arm64 does (direct_ok): their mailboxes open at each entry, take posts,
 * the timer claims the slot, and a light exit that needs the full path closes it. Checks the LR
 * invariants after every flush and fast path, the mailbox protocol (vgic3.h) after every
 * operation, and the vCPU ids handed to kick().
 */
#include <string.h>

#include "hyp/errno.h"

#include "fuzz.h"
#include "fuzz_bus.h"
#include "vdev/irqchip/vgic3/vgic3.h"

#define MAX_OPS 256
#define REDIST_WINDOW (VGIC_MAX_VCPUS * VGIC_REDIST_STRIDE) /* past nr_vcpus: RAZ/WI */
#define DIST_BASE 0x8000000ULL /* where QEMU virt puts them; any aligned base would do */
#define REDIST_BASE 0x80A0000ULL
#define ICH_VMCR_VENG0_BIT 1U /* ICH_VMCR_EL2.VENG0, GICv3 IHI0069 H §12.4.9 */
/* Both groups on, priority mask open: what a WFI test sees as pending, flush must hand over. */
#define VMCR_ALL ((0xFFU << ICH_VMCR_VPMR_SHIFT) | ICH_VMCR_VENG1 | ICH_VMCR_VENG0_BIT)
#define INTID_SPAN 1100U /* beyond 1019 too: the model must ignore those */
/* ICC_SGI1R_EL1 fields, GICv3 IHI0069 H §12.2.22 */
#define SGI1R_TARGET_LIST GENMASK(15, 0)
#define SGI1R_INTID GENMASK(27, 24)
#define SGI1R_IRM BIT(40)

struct world {
	struct vgic g;
	struct mmio_bus bus;
	struct gic_lr_state lrs[VGIC_MAX_VCPUS];
	bool loaded[VGIC_MAX_VCPUS];  /* flushed and opened, not yet synced: LRs "in hardware" */
	bool corrupt[VGIC_MAX_VCPUS]; /* synced from LRs no hardware could hold */
	struct fuzz_in in;
};

static struct world w;

static void kick(void *ctx, unsigned vcpu_id)
{
	(void)ctx;
	FUZZ_CHECK(vcpu_id < w.g.nr_vcpus);
}

static const struct vgic_ops fuzz_vgic_ops = {.kick = kick};

static unsigned lr_intid(uint64_t lr)
{
	return (unsigned)(lr & ICH_LR_VINTID_MASK);
}

static uint64_t lr_state(uint64_t lr)
{
	return lr & ICH_LR_STATE_MASK;
}

static uint64_t mbox_word(const struct world *x, unsigned v)
{
	return __atomic_load_n(&x->g.cpu[v].mbox.word, __ATOMIC_ACQUIRE);
}

/* Register offsets (GICv3 IHI0069 H §12.8, §12.10) to start from: random ones rarely hit. */
static const uint32_t dist_regs[] = {0x0000, 0x0004, 0x0008, 0x000C, 0x0080, 0x0100,
				     0x0180, 0x0200, 0x0280, 0x0300, 0x0380, 0x0400,
				     0x0C00, 0x0D00, 0x6000, 0x6100, 0xFFE8};
static const uint32_t redist_regs[] = {0x0000,	0x0004,	 0x0008,  0x0014,  0x0070,  0x0078,
				       0xFFE8,	0x10080, 0x10100, 0x10180, 0x10200, 0x10280,
				       0x10300, 0x10380, 0x10400, 0x10C00, 0x10D00, 0x10E00};

/* Near a register most of the time, else anywhere in the window; mostly naturally aligned. */
static uint64_t pick_offset(struct fuzz_in *in, bool dist, unsigned width)
{
	uint8_t how = fuzz_u8(in);
	uint64_t off;

	if (how & 2U) {
		off = fuzz_u32(in) % (dist ? VGIC_DIST_SIZE : REDIST_WINDOW);
	} else if (dist) {
		off = dist_regs[fuzz_u8(in) % ARRAY_SIZE(dist_regs)] + 4U * fuzz_u8(in);
	} else {
		/* Frames up to one past the largest VM here: that one is RAZ/WI. */
		off = (fuzz_u8(in) % 5U) * VGIC_REDIST_STRIDE +
		      redist_regs[fuzz_u8(in) % ARRAY_SIZE(redist_regs)] + fuzz_u8(in) % 32U;
	}
	return how & 1U ? off : off & ~(uint64_t)(width - 1U);
}

/* An INTID: private to a vCPU half the time (most fast paths are for those), else any. */
static unsigned pick_intid(struct fuzz_in *in)
{
	uint16_t r = fuzz_u16(in);

	return r & 0x8000U ? r % VGIC_NR_PRIVATE : r % INTID_SPAN;
}

/*
 * An ICC_SGI1R_EL1 value. Drawn words almost never name a vCPU (Aff3.Aff2.Aff1 = 0.0.0 and
 * IRM = 0 or 1 only), so most keep only INTID and TargetList, by the top bits narrowed to one
 * vCPU (the lock-free post's case) or with IRM set; a top nibble of 0xF keeps the word as drawn.
 */
static uint64_t pick_sgi1r(struct fuzz_in *in)
{
	uint64_t r = fuzz_u64(in), value = r & (SGI1R_INTID | SGI1R_TARGET_LIST);
	unsigned how = (unsigned)(r >> 60);

	if (how == 0xF) {
		return r;
	}
	if (how & 1U) {
		value = (value & ~SGI1R_TARGET_LIST) | BIT((r & SGI1R_TARGET_LIST) % 5U);
	}
	if (how & 2U) {
		value |= SGI1R_IRM;
	}
	return value;
}

static void op_mmio(struct world *x, bool dist, bool write)
{
	unsigned width = fuzz_width(&x->in);
	uint64_t addr = (dist ? DIST_BASE : REDIST_BASE) + pick_offset(&x->in, dist, width);

	/* Offsets near the last registers may pass the window: -ENODEV, nobody claims those. */
	(void)fuzz_bus_access(&x->bus, addr, width, write, fuzz_u64(&x->in));
}

/*
 * Each filled LR: a distinct implemented vINTID, pending or active (GICv3 IHI0069 H §12.4.6).
 * The direct slot, LR0 when s->direct (only for a vCPU that set direct_ok), is filled by the
 * fast paths alone, with a private interrupt: empty until then.
 */
static void check_lrs(const struct world *x, unsigned v)
{
	const struct gic_lr_state *s = &x->lrs[v];

	FUZZ_CHECK(s->used_lrs <= s->nr_lrs);
	FUZZ_CHECK(!s->direct || (s->direct_ok && s->used_lrs >= 1));
	for (unsigned i = 0; i < s->used_lrs; i++) {
		if (i == 0 && s->direct) {
			FUZZ_CHECK(s->lr[0] == 0 || (lr_intid(s->lr[0]) < VGIC_NR_PRIVATE &&
						     lr_state(s->lr[0]) != 0));
			continue;
		}
		FUZZ_CHECK(lr_intid(s->lr[i]) < VGIC_NR_PRIVATE + x->g.nr_spis);
		FUZZ_CHECK(lr_state(s->lr[i]) != 0);
		for (unsigned j = 0; j < i; j++) {
			FUZZ_CHECK(lr_intid(s->lr[j]) != lr_intid(s->lr[i]) || s->lr[j] == 0);
		}
	}
}

/* An SPI sits in the LRs of at most one running vCPU. */
static void check_spis_unique(const struct world *x)
{
	uint8_t seen[VGIC_MAX_SPIS] = {0};

	for (unsigned v = 0; v < x->g.nr_vcpus; v++) {
		for (unsigned i = 0; x->loaded[v] && i < x->lrs[v].used_lrs; i++) {
			unsigned intid = lr_intid(x->lrs[v].lr[i]);

			if (intid >= VGIC_NR_PRIVATE) {
				FUZZ_CHECK(seen[intid - VGIC_NR_PRIVATE]++ == 0);
			}
		}
	}
}

/*
 * The mailbox protocol (vgic3.h, vgic3_internal.h): a mailbox is open (or holds a post) only
 * while its vCPU is in the guest with a direct slot, and a waiting post is a pending SGI of
 * this VM that the model has not listed in that vCPU's LRs: a post needs the SGI without
 * state, in_lr included. (The direct slot may hold the same SGI, written by a fast path
 * behind the model's back: the full exit folds the two into one pending state.)
 */
static void check_mailboxes(const struct world *x)
{
	for (unsigned v = 0; v < x->g.nr_vcpus; v++) {
		const struct gic_lr_state *s = &x->lrs[v];
		uint64_t m = mbox_word(x, v);

		if (m == VGIC_MBOX_CLOSED) {
			continue;
		}
		FUZZ_CHECK(x->loaded[v] && s->direct);
		if (!vgic_mbox_is_post(m)) {
			continue;
		}
		FUZZ_CHECK(lr_intid(m) < 16U && lr_state(m) == ICH_LR_STATE_PENDING);
		FUZZ_CHECK((m & (ICH_LR_HW | ICH_LR_EOI | ICH_LR_PINTID_MASK)) == 0);
		for (unsigned i = s->direct; i < s->used_lrs && i < VGIC_MAX_LRS; i++) {
			FUZZ_CHECK(lr_intid(s->lr[i]) != lr_intid(m) || s->lr[i] == 0);
		}
	}
}

/*
 * Before an entry (arm64_vcpu_prepare_entry): flush, then open the direct slot. When the model
 * knows all the LRs hold (after a faithful sync, the order the WFI test is defined for, or a
 * light exit's close), whatever it sees as pending must reach an LR beside the slot. Not
 * checked after a flush without either, or a sync of rewritten vINTIDs: the model then drops
 * what it thinks is still in the LRs.
 */
static void flush_entry(struct world *x, unsigned v, bool known)
{
	struct gic_lr_state *s = &x->lrs[v];
	bool pending = known && vgic_vcpu_has_pending(&x->g, v, VMCR_ALL);

	vgic_flush_lrs(&x->g, v, s);
	vgic_direct_open(s);
	x->loaded[v] = true;
	x->corrupt[v] = false;
	check_lrs(x, v);
	FUZZ_CHECK(!pending || s->used_lrs > s->direct);
	FUZZ_CHECK(!known || !s->direct || s->lr[0] == 0);
	FUZZ_CHECK(!s->direct || mbox_word(x, v) != VGIC_MBOX_CLOSED);
	FUZZ_CHECK(vgic_lrs_quiet(s) == (s->used_lrs == s->direct));
	check_spis_unique(x);
}

static void op_flush(struct world *x, unsigned v)
{
	flush_entry(x, v, !x->loaded[v] && !x->corrupt[v]);
}

/* The guest ran: it may acknowledge or complete; a corrupt LR also rewrites the vINTID. */
static uint64_t guest_lr(struct fuzz_in *in, uint64_t lr, bool *corrupt)
{
	switch (fuzz_u8(in) % 4U) {
	case 0:
		return lr;
	case 1:
		return (lr & ~ICH_LR_STATE_MASK) | ((uint64_t)fuzz_u8(in) << ICH_LR_STATE_SHIFT);
	case 2:
		return lr & ~ICH_LR_STATE_MASK;
	default:
		*corrupt = true;
		return fuzz_u64(in);
	}
}

/*
 * After a full exit: fold what the guest left back into the model, with the direct slot and
 * the mailbox. The guest cannot make an empty direct slot pending or active.
 */
static void op_sync(struct world *x, unsigned v)
{
	struct gic_lr_state *s = &x->lrs[v];
	unsigned n;

	for (unsigned i = 0; i < s->used_lrs && i < VGIC_MAX_LRS; i++) {
		if (i > 0 || !s->direct || s->lr[0] != 0) {
			s->lr[i] = guest_lr(&x->in, s->lr[i], &x->corrupt[v]);
		}
	}
	if (fuzz_u8(&x->in) == 0xFF) {
		/* A corrupt count: sync must clamp it. The arch's save always counts the slot. */
		uint8_t count = fuzz_u8(&x->in);

		s->used_lrs = MAX(count, (uint8_t)s->direct);
		x->corrupt[v] = true;
	}
	n = MIN(s->used_lrs, s->nr_lrs);
	vgic_sync_lrs(&x->g, v, s);
	x->loaded[v] = false;
	/* Nothing to fold: nothing touched. Else all folded, the slot left reserved and empty. */
	FUZZ_CHECK(s->used_lrs == (n ? s->direct : 0U));
	FUZZ_CHECK(!n || !s->direct || (mbox_word(x, v) == VGIC_MBOX_CLOSED && s->posted == 0));
	for (unsigned i = 0; n && i < VGIC_MAX_LRS; i++) {
		FUZZ_CHECK(s->lr[i] == 0 || i >= n);
	}
}

/*
 * A guest reboot: every vCPU is stopped, whatever its LRs held is gone; a direct slot stays
 * reserved (and empty), as a full exit leaves it.
 */
static void op_reset(struct world *x)
{
	vgic_reset(&x->g);
	for (unsigned v = 0; v < VGIC_MAX_VCPUS; v++) {
		struct gic_lr_state *s = &x->lrs[v];

		x->loaded[v] = false;
		memset(s->lr, 0, sizeof(s->lr));
		s->posted = 0;
		s->used_lrs = s->direct;
	}
}

/*
 * The post SGI reaches v's CPU while v is in the guest (arm64 fast_post): the post goes into
 * the free direct slot. If it finds none (the slot busy, the post gone), a full exit follows at
 * once, with interrupts masked: a second post cannot be taken before it folds the first.
 */
static void op_take(struct world *x, unsigned v)
{
	struct gic_lr_state *s = &x->lrs[v];
	uint64_t post;

	if (!x->loaded[v]) {
		return; /* the mailbox is closed: a post is folded, not taken */
	}
	post = vgic_direct_take(s);
	if (post) {
		FUZZ_CHECK(s->direct && vgic_mbox_is_open(mbox_word(x, v)));
		FUZZ_CHECK(lr_intid(post) < 16U && lr_state(post) == ICH_LR_STATE_PENDING);
		FUZZ_CHECK(!vgic_lrs_quiet(s));
		if (!lr_state(s->lr[0])) {
			s->lr[0] = post;
			check_lrs(x, v);
			return;
		}
		FUZZ_CHECK(s->posted == 0);
		s->posted = post;
	}
	op_sync(x, v);
}

/* Is hardware-backed PPI intid (0: none) of v live in the model or in one of its LRs? */
static bool hw_ppi_live(struct world *x, unsigned v, unsigned intid)
{
	const struct gic_lr_state *s = &x->lrs[v];

	if (!intid) {
		return false;
	}
	for (unsigned i = 0; i < s->used_lrs && i < VGIC_MAX_LRS; i++) {
		if (lr_state(s->lr[i]) && lr_intid(s->lr[i]) == intid) {
			return true;
		}
	}
	return vgic_hw_irq_is_live(&x->g, v, intid);
}

/*
 * v's forwarded timer fires while it is in the guest (arm64 fast_vtimer): into the direct slot
 * when the flush encoded it for the slot and the slot is free; else a full exit injects it
 * (arm64 vtimer_irq, vgic_inject_direct()). The physical interrupt stays active until the
 * guest deactivates the virtual one (LR.HW, GICv3 IHI0069 H §12.4.6; the arch mirrors a live
 * one into the physical GIC), so it cannot fire while the timer is live in the model or an LR:
 * the PPI mapped now, or the one the flush encoded (vgic_map_hw() may have moved it since).
 */
static void op_timer(struct world *x, unsigned v)
{
	struct gic_lr_state *s = &x->lrs[v];
	unsigned ppi = x->g.cpu[v].direct_ppi, slot_ppi = lr_intid(s->direct_hw_lr);

	if (!x->loaded[v] || hw_ppi_live(x, v, ppi) || hw_ppi_live(x, v, slot_ppi)) {
		return;
	}
	if (s->direct_hw_lr && vgic_direct_claim(s, s->lr[0])) {
		FUZZ_CHECK(s->direct && slot_ppi >= 16U && slot_ppi < VGIC_NR_PRIVATE);
		FUZZ_CHECK(lr_state(s->direct_hw_lr) == ICH_LR_STATE_PENDING);
		FUZZ_CHECK((s->direct_hw_lr & ICH_LR_HW) && !lr_state(s->lr[0]));
		FUZZ_CHECK(mbox_word(x, v) == (x->g.cpu[v].mbox.open | VGIC_MBOX_BUSY));
		FUZZ_CHECK(!vgic_lrs_quiet(s));
		s->lr[0] = s->direct_hw_lr;
		check_lrs(x, v);
		return;
	}
	op_sync(x, v);
	if (!x->corrupt[v]) {
		vgic_inject_direct(&x->g, v, ppi ? ppi : pick_intid(&x->in), s);
		check_lrs(x, v);
	}
}

/*
 * ICC_SGI1R_EL1 from vCPU v in the arch's order: the lock-free post at a light exit, else the
 * full exit's write, with v's LRs synced first when it was in the guest (then an SGI to itself
 * may go straight into them). A post may only go to another vCPU, whose mailbox then holds it;
 * telling that vCPU's CPU is the arch's part, taken up by op_take().
 */
static void fuzz_sgi1r(struct world *x, unsigned v, uint64_t value)
{
	unsigned t = vgic_sgi1r_post(&x->g, v, value);
	uint32_t posted;

	if (t != VGIC_NO_POST) {
		FUZZ_CHECK(t < x->g.nr_vcpus && t != v);
		FUZZ_CHECK(vgic_mbox_is_post(mbox_word(x, t)));
		return;
	}
	if (v < x->g.nr_vcpus && x->loaded[v] && (fuzz_u8(&x->in) & 1U)) {
		op_sync(x, v);
	}
	if (v < x->g.nr_vcpus && !x->loaded[v] && !x->corrupt[v]) {
		posted = vgic_sgi1r_write_from(&x->g, v, value, &x->lrs[v]);
	} else {
		posted = vgic_sgi1r_write(&x->g, v, value);
	}
	FUZZ_CHECK((posted & BIT(v)) == 0 && posted >> x->g.nr_vcpus == 0);
	for (; posted; posted &= posted - 1) {
		FUZZ_CHECK(vgic_mbox_is_post(mbox_word(x, (unsigned)__builtin_ctz(posted))));
	}
}

static void op_lines(struct world *x, unsigned op, unsigned v)
{
	unsigned intid = pick_intid(&x->in);

	switch (op) {
	case 0:
		vgic_inject(&x->g, v, intid);
		break;
	case 1:
		vgic_set_level(&x->g, v, intid, fuzz_u8(&x->in) & 1U);
		break;
	case 2:
		fuzz_sgi1r(x, v, pick_sgi1r(&x->in));
		break;
	case 3:
		vgic_map_hw(&x->g, v, intid, pick_intid(&x->in));
		break;
	default:
		(void)vgic_hw_irq_is_live(&x->g, v, intid);
		break;
	}
}

/*
 * A light exit of v (arm64_trap_sync), taken only with its LRs quiet; its handler may change
 * the model (here a register access). When v then needs a flush, or the scheduler wants the
 * CPU, the exit finishes on the full path without a sync: the mailbox closes, folding a post
 * that came meanwhile, and the next entry is flushed with the LRs still in the hardware.
 */
static void op_light(struct world *x, unsigned v)
{
	struct gic_lr_state *s = &x->lrs[v];
	uint8_t how = fuzz_u8(&x->in);

	if (!x->loaded[v] || !vgic_lrs_quiet(s)) {
		return; /* a full exit: op_sync() */
	}
	if (how & 1U) {
		op_mmio(x, how & 2U, how & 4U);
	}
	if (!vgic_needs_flush(&x->g, v) && (how & 8U)) {
		return; /* resumes the guest */
	}
	vgic_direct_close(&x->g, v, s);
	FUZZ_CHECK(!s->direct ||
		   (mbox_word(x, v) == VGIC_MBOX_CLOSED && s->lr[0] == 0 && s->posted == 0));
	flush_entry(x, v, true);
}

static void op_run(struct world *x, unsigned op)
{
	unsigned nr = x->g.nr_vcpus;
	unsigned v = fuzz_u8(&x->in) % nr, any = fuzz_u8(&x->in) % (nr + 1U);

	if (op < 4) {
		op_mmio(x, op < 2, op & 1U);
	} else if (op < 9) {
		op_lines(x, op - 4, any);
	} else if (op == 9 || op == 10) {
		op_flush(x, v);
	} else if (op == 11 || op == 12) {
		op_sync(x, v);
	} else if (op == 13) {
		(void)vgic_vcpu_has_pending(&x->g, any, fuzz_u32(&x->in));
	} else if (op == 14) {
		if (fuzz_u8(&x->in) == 0) {
			op_reset(x);
		}
	} else if (op == 15) {
		op_take(x, v);
	} else if (op == 16) {
		op_timer(x, v);
	} else {
		op_light(x, v);
	}
}

static void add_regions(struct world *x)
{
	const struct mmio_region d = {
	    .base = DIST_BASE, .size = VGIC_DIST_SIZE, .ops = &vgic_dist_ops, .dev = &x->g};
	const struct mmio_region r = {
	    .base = REDIST_BASE, .size = REDIST_WINDOW, .ops = &vgic_redist_ops, .dev = &x->g};

	FUZZ_CHECK(mmio_bus_add(&x->bus, &d) == 0 && mmio_bus_add(&x->bus, &r) == 0);
}

/*
 * 2-4 vCPUs, 0-96 SPIs, 1-16 LRs (the low nibble of the third byte; its high nibble: the vCPUs
 * with direct_ok), then up to MAX_OPS operations.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned nr_vcpus, nr_spis, nr_lrs, direct_ok;
	uint8_t lrs_byte;

	memset(&w, 0, sizeof(w));
	w.in = fuzz_in_make(data, size);
	nr_vcpus = 2U + fuzz_u8(&w.in) % 3U;
	nr_spis = 32U * (fuzz_u8(&w.in) % 4U);
	lrs_byte = fuzz_u8(&w.in);
	nr_lrs = 1U + lrs_byte % VGIC_MAX_LRS;
	direct_ok = lrs_byte >> 4;
	FUZZ_CHECK(vgic_init(&w.g, nr_vcpus, nr_spis, &fuzz_vgic_ops, NULL) == 0);
	add_regions(&w);
	for (unsigned v = 0; v < VGIC_MAX_VCPUS; v++) {
		w.lrs[v].nr_lrs = (uint8_t)nr_lrs;
		w.lrs[v].direct_ok = (direct_ok >> v) & 1U;
	}
	for (unsigned n = 0; n < MAX_OPS && !fuzz_in_is_empty(&w.in); n++) {
		op_run(&w, fuzz_u8(&w.in) % 18U);
		check_mailboxes(&w);
	}
	return 0;
}
