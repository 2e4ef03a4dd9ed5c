// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target: the vGICv3 model (vdev/irqchip/vgic3) driven by an operation stream: register
 * accesses, SGIs, device lines, and list-register flush/sync with what a guest may leave in the
 * LRs. Register accesses go through an MMIO bus, as a guest's do. Checks the LR invariants after
 * every flush and the vCPU ids handed to kick().
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
	bool loaded[VGIC_MAX_VCPUS];  /* flushed, not yet synced: its LRs are "in hardware" */
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

/* Each filled LR: a distinct implemented vINTID, pending or active (GICv3 IHI0069 H §12.4.6). */
static void check_lrs(const struct world *x, unsigned v)
{
	const struct gic_lr_state *s = &x->lrs[v];

	FUZZ_CHECK(s->used_lrs <= s->nr_lrs);
	for (unsigned i = 0; i < s->used_lrs; i++) {
		FUZZ_CHECK(lr_intid(s->lr[i]) < VGIC_NR_PRIVATE + x->g.nr_spis);
		FUZZ_CHECK((s->lr[i] & ICH_LR_STATE_MASK) != 0);
		for (unsigned j = 0; j < i; j++) {
			FUZZ_CHECK(lr_intid(s->lr[j]) != lr_intid(s->lr[i]));
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
 * Before an entry. After a faithful sync (the order the WFI test is defined for), whatever it
 * sees as pending must reach an LR. Not checked after a flush without a sync, or a sync of
 * rewritten vINTIDs: the model then drops what it thinks is still in the LRs.
 */
static void op_flush(struct world *x, unsigned v)
{
	bool pending = !x->loaded[v] && !x->corrupt[v] && vgic_vcpu_has_pending(&x->g, v, VMCR_ALL);

	vgic_flush_lrs(&x->g, v, &x->lrs[v]);
	x->loaded[v] = true;
	x->corrupt[v] = false;
	check_lrs(x, v);
	FUZZ_CHECK(!pending || x->lrs[v].used_lrs > 0);
	check_spis_unique(x);
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

/* After an exit: fold what the guest left back into the model. */
static void op_sync(struct world *x, unsigned v)
{
	struct gic_lr_state *s = &x->lrs[v];

	for (unsigned i = 0; i < s->used_lrs && i < VGIC_MAX_LRS; i++) {
		s->lr[i] = guest_lr(&x->in, s->lr[i], &x->corrupt[v]);
	}
	if (fuzz_u8(&x->in) == 0xFF) {
		s->used_lrs = fuzz_u8(&x->in); /* a corrupt count: sync must clamp it */
		x->corrupt[v] = true;
	}
	vgic_sync_lrs(&x->g, v, s);
	x->loaded[v] = false;
	FUZZ_CHECK(s->used_lrs == 0);
}

/* A guest reboot: every vCPU is stopped, whatever its LRs held is gone. */
static void op_reset(struct world *x)
{
	vgic_reset(&x->g);
	for (unsigned v = 0; v < VGIC_MAX_VCPUS; v++) {
		x->loaded[v] = false;
		x->lrs[v].used_lrs = 0;
	}
}

/*
 * ICC_SGI1R_EL1 from vCPU v in the arch's order: the lock-free post, else the model. A post may
 * only go to another vCPU; who gets it is the arch's to signal (not modelled here).
 */
static void fuzz_sgi1r(struct world *x, unsigned v, uint64_t value)
{
	unsigned t = vgic_sgi1r_post(&x->g, v, value);

	if (t == VGIC_NO_POST) {
		FUZZ_CHECK((vgic_sgi1r_write(&x->g, v, value) & BIT(v)) == 0);
		return;
	}
	FUZZ_CHECK(t < x->g.nr_vcpus && t != v);
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
	} else if (fuzz_u8(&x->in) == 0) {
		op_reset(x);
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

/* 2-4 vCPUs, 0-96 SPIs, 1-16 LRs; then up to MAX_OPS operations. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned nr_vcpus, nr_spis, nr_lrs;

	memset(&w, 0, sizeof(w));
	w.in = fuzz_in_make(data, size);
	nr_vcpus = 2U + fuzz_u8(&w.in) % 3U;
	nr_spis = 32U * (fuzz_u8(&w.in) % 4U);
	nr_lrs = 1U + fuzz_u8(&w.in) % VGIC_MAX_LRS;
	FUZZ_CHECK(vgic_init(&w.g, nr_vcpus, nr_spis, &fuzz_vgic_ops, NULL) == 0);
	add_regions(&w);
	for (unsigned v = 0; v < VGIC_MAX_VCPUS; v++) {
		w.lrs[v].nr_lrs = (uint8_t)nr_lrs;
	}
	for (unsigned n = 0; n < MAX_OPS && !fuzz_in_is_empty(&w.in); n++) {
		op_run(&w, fuzz_u8(&w.in) % 15U);
	}
	return 0;
}
