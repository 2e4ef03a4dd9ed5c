// SPDX-License-Identifier: Apache-2.0
/*
 * Host tests for the vGICv3 model: the register tables, guest-visible register values and
 * semantics (GICv3 IHI0069 H §12.9, §12.11), SGI routing, and list-register flush/sync.
 */
#include <string.h>

#include "hyp/errno.h"

#include "test.h"
#include "vdev/irqchip/vgic3/vgic3.h"
#include "vdev/irqchip/vgic3/vgic3_internal.h"

/* Distributor offsets, GICv3 IHI0069 H §12.8 */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR(n) (0x0080 + 4 * (n))
#define GICD_ISENABLER(n) (0x0100 + 4 * (n))
#define GICD_ICENABLER(n) (0x0180 + 4 * (n))
#define GICD_ISPENDR(n) (0x0200 + 4 * (n))
#define GICD_ISACTIVER(n) (0x0300 + 4 * (n))
#define GICD_IPRIORITYR(intid) (0x0400 + (intid))
#define GICD_ICFGR(n) (0x0C00 + 4 * (n))
#define GICD_IROUTER(intid) (0x6000 + 8 * (intid))
#define GICD_PIDR2 0xFFE8
/* Redistributor offsets, GICv3 IHI0069 H §12.10 */
#define GICR(v, off) ((v)*VGIC_REDIST_STRIDE + (off))
#define GICR_SGI 0x10000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xFFE8
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ISPENDR0 (GICR_SGI + 0x0200)
#define GICR_IPRIORITYR(intid) (GICR_SGI + 0x0400 + (intid))
#define GICR_ICFGR0 (GICR_SGI + 0x0C00)
#define GICR_ICFGR1 (GICR_SGI + 0x0C04)

#define VMCR(pmr, veng1) ((uint32_t)(pmr) << ICH_VMCR_VPMR_SHIFT | ((veng1) ? ICH_VMCR_VENG1 : 0))
#define LR_INTID(lr) ((unsigned)((lr)&ICH_LR_VINTID_MASK))
#define LR_PRIO(lr) ((unsigned)(((lr) >> ICH_LR_PRIORITY_SHIFT) & 0xFF))

static struct vgic g;
static unsigned kicks[VGIC_MAX_VCPUS];

static void count_kick(void *ctx, unsigned vcpu_id)
{
	(void)ctx;
	kicks[vcpu_id]++;
}

static const struct vgic_ops test_ops = {.kick = count_kick};

/* Posts the SGI writes returned, per receiver: the post SGIs the arch would send. */
static unsigned posts[VGIC_MAX_VCPUS];

static bool setup(unsigned nr_vcpus, unsigned nr_spis)
{
	memset(kicks, 0, sizeof(kicks));
	memset(posts, 0, sizeof(posts));
	return vgic_init(&g, nr_vcpus, nr_spis, &test_ops, NULL) == 0;
}

static void count_posts(uint32_t posted)
{
	for (; posted; posted &= posted - 1) {
		posts[__builtin_ctz(posted)]++;
	}
}

/* An ICC_SGI1R_EL1 write through the model (the full path), its posts counted. */
static void sgi1r(unsigned sender, uint64_t value)
{
	count_posts(vgic_sgi1r_write(&g, sender, value));
}

static uint64_t rd(const struct vdev_ops *ops, uint64_t off, unsigned width)
{
	struct mmio_read r = ops->read(&g, off, width);

	EXPECT_EQ(r.err, 0);
	return r.value;
}

static void wr(const struct vdev_ops *ops, uint64_t off, unsigned width, uint64_t v)
{
	EXPECT_EQ(ops->write(&g, off, width, v), 0);
}

/* A group-1, enabled SPI with the given priority and trigger, group 1 on in GICD_CTLR. */
static void spi_setup(unsigned intid, uint8_t prio, bool edge)
{
	unsigned bit = intid % 32;

	wr(&vgic_dist_ops, GICD_CTLR, 4, 0x2);
	wr(&vgic_dist_ops, GICD_IGROUPR(intid / 32), 4,
	   rd(&vgic_dist_ops, GICD_IGROUPR(intid / 32), 4) | 1U << bit);
	wr(&vgic_dist_ops, GICD_IPRIORITYR(intid), 1, prio);
	if (edge) {
		uint64_t cfg = rd(&vgic_dist_ops, GICD_ICFGR(intid / 16), 4);

		wr(&vgic_dist_ops, GICD_ICFGR(intid / 16), 4, cfg | 2U << (2 * (intid % 16)));
	}
	wr(&vgic_dist_ops, GICD_ISENABLER(intid / 32), 4, 1U << bit);
}

static void lr_state_init(struct gic_lr_state *s, unsigned nr_lrs)
{
	memset(s, 0, sizeof(*s));
	s->nr_lrs = (uint8_t)nr_lrs;
}

/* What the guest did to LR i while running: replace its state field. */
static void lr_set_state(struct gic_lr_state *s, unsigned i, uint64_t state)
{
	s->lr[i] = (s->lr[i] & ~ICH_LR_STATE_MASK) | state;
}

TEST(vgic3, register_tables_are_sorted_and_non_overlapping)
{
	static const struct vgic_reg overlap[] = {
	    VGIC_REG(0x0, 8, VGIC_W32, vgic_reg_raz, vgic_reg_wi),
	    VGIC_REG(0x4, 4, VGIC_W32, vgic_reg_raz, vgic_reg_wi),
	    VGIC_REG_END,
	};

	static const struct vgic_reg misaligned[] = {
	    VGIC_REG(0x4, 8, VGIC_W32 | VGIC_W64, vgic_reg_raz, vgic_reg_wi),
	    VGIC_REG_END,
	};
	static const struct vgic_reg const_fields[] = {
	    {.offset = 0x80,
	     .end = 0x84,
	     .bpi = 1,
	     .widths = VGIC_W32,
	     .flags = VGIC_REG_FLAG_CONST,
	     .field_read = vgic_field_group_read,
	     .field_write = vgic_field_group_write},
	    VGIC_REG_END,
	};
	static const struct vgic_reg good[] = {
	    VGIC_REG(0x0, 4, VGIC_W32, vgic_reg_raz, vgic_reg_wi),
	    VGIC_REG(0x4, 4, VGIC_W32, vgic_reg_raz, vgic_reg_wi),
	    VGIC_REG_END,
	};
	const struct vgic_table *tables[] = {&vgic_dist_table, &vgic_rd_table, &vgic_sgi_table};

	EXPECT_TRUE(vgic_tables_check());
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		const struct vgic_table *t = tables[i];
		const struct vgic_reg *last = &t->regs[t->count - 1];

		EXPECT_TRUE(vgic_regs_are_well_formed(t->regs, t->count));
		/* VGIC_REG_END ends every table; the rest fits the 64 KiB frame the index covers.
		 */
		EXPECT_EQ(last->offset, VGIC_FRAME_SIZE);
		EXPECT_EQ(last->end, UINT32_MAX);
		EXPECT_TRUE(last[-1].end <= VGIC_FRAME_SIZE);
		EXPECT_TRUE(t->count <= UINT8_MAX);
	}
	EXPECT_TRUE(vgic_dist_table.dist);
	EXPECT_FALSE(vgic_rd_table.dist || vgic_sgi_table.dist);
	EXPECT_EQ(VGIC_DIST_SIZE, VGIC_FRAME_SIZE);
	EXPECT_FALSE(vgic_regs_are_well_formed(overlap, ARRAY_SIZE(overlap)));
	EXPECT_FALSE(vgic_regs_are_well_formed(misaligned, ARRAY_SIZE(misaligned)));
	EXPECT_FALSE(vgic_regs_are_well_formed(const_fields, ARRAY_SIZE(const_fields)));
	EXPECT_TRUE(vgic_regs_are_well_formed(good, ARRAY_SIZE(good)));
	/* Without its end row, a scan could run off the table. */
	EXPECT_FALSE(vgic_regs_are_well_formed(good, ARRAY_SIZE(good) - 1));
}

/* The reference lookup: binary search over the sorted registers (not the end row). */
static const struct vgic_reg *bsearch_reg(const struct vgic_table *t, uint64_t offset)
{
	size_t lo = 0, hi = t->count - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (offset < t->regs[mid].offset) {
			hi = mid;
		} else if (offset >= t->regs[mid].end) {
			lo = mid + 1;
		} else {
			return &t->regs[mid];
		}
	}
	return NULL;
}

/* Every offset of the frame resolves to the entry binary search finds. */
static bool index_matches_bsearch(const struct vgic_table *t)
{
	for (uint64_t off = 0; off < VGIC_FRAME_SIZE; off++) {
		if (vgic_table_find(t, off) != bsearch_reg(t, off)) {
			return false;
		}
	}
	return true;
}

TEST(vgic3, register_index_finds_what_binary_search_finds)
{
	const struct vgic_table *tables[] = {&vgic_dist_table, &vgic_rd_table, &vgic_sgi_table};
	uint8_t saved[VGIC_INDEX_SIZE];

	ASSERT_TRUE(vgic_tables_check());
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		const struct vgic_table *t = tables[i];

		EXPECT_TRUE(index_matches_bsearch(t));
		/* An index not built yet (zeroed) scans from entry 0: slower, same answers. */
		memcpy(saved, t->index, sizeof(saved));
		memset(t->index, 0, VGIC_INDEX_SIZE);
		EXPECT_TRUE(index_matches_bsearch(t));
		memcpy(t->index, saved, sizeof(saved));
	}
	/* Spot checks against the GICv3 map, IHI0069 H §12.8. */
	EXPECT_EQ(vgic_table_find(&vgic_dist_table, GICD_TYPER)->offset, GICD_TYPER);
	EXPECT_EQ(vgic_table_find(&vgic_dist_table, GICD_IROUTER(1019) + 4)->offset, 0x6000);
	EXPECT_TRUE(vgic_table_find(&vgic_dist_table, GICD_IROUTER(1020)) == NULL);
	EXPECT_TRUE(vgic_table_find(&vgic_dist_table, 0x0010) == NULL);
	EXPECT_TRUE(vgic_table_find(&vgic_dist_table, VGIC_FRAME_SIZE - 4) == NULL);
}

TEST(vgic3, constant_registers_are_read_without_the_lock)
{
	ASSERT_TRUE(setup(2, 64));
	/* As if another CPU held the lock: the host lock asserts if a read takes it. */
	g.lock.held = 1;
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_TYPER, 4), 2 | 9U << 19);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_IIDR, 4), VGIC_IIDR);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_PIDR2, 4), VGIC_PIDR2);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_TYPER), 8), 1ULL << 32 | 1U << 8 | BIT(4));
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_TYPER) + 4, 4), 1);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_PIDR2), 4), VGIC_PIDR2);
	/* Widths are still checked on the lock-free path. */
	EXPECT_EQ(vgic_dist_ops.read(&g, GICD_TYPER, 8).err, -EINVAL);
	EXPECT_EQ(vgic_redist_ops.read(&g, GICR(0, GICR_TYPER), 2).err, -EINVAL);
	g.lock.held = 0;
}

TEST(vgic3, init_rejects_bad_vcpu_and_spi_counts)
{
	EXPECT_EQ(vgic_init(&g, 0, 32, &test_ops, NULL), -EINVAL);
	EXPECT_EQ(vgic_init(&g, VGIC_MAX_VCPUS + 1, 32, &test_ops, NULL), -EINVAL);
	EXPECT_EQ(vgic_init(&g, 1, 33, &test_ops, NULL), -EINVAL);
	EXPECT_EQ(vgic_init(&g, 1, VGIC_MAX_SPIS + 32, &test_ops, NULL), -EINVAL);
	EXPECT_EQ(vgic_init(&g, VGIC_MAX_VCPUS, VGIC_MAX_SPIS, &test_ops, NULL), 0);
	EXPECT_EQ(vgic_init(&g, 1, 0, NULL, NULL), 0);
}

TEST(vgic3, gicd_typer_pidr2_iidr_ctlr_identify_a_gicv3)
{
	ASSERT_TRUE(setup(2, 64));
	/* ITLinesNumber = (64 + 32) / 32 - 1 = 2, IDbits = 9 at [23:19] */
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_TYPER, 4), 2 | 9U << 19);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_PIDR2, 4), 0x3B);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_IIDR, 4), 0x43B);
	EXPECT_EQ(rd(&vgic_dist_ops, 0x000C, 4), 0); /* GICD_TYPER2 */
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_PIDR2), 4), 0x3B);
	/* ARE (bit 4) and DS (bit 6) read 1, group enables 0 at reset */
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_CTLR, 4), 0x50);
}

TEST(vgic3, gicd_ctlr_keeps_are_ds_and_rwp_reads_zero)
{
	ASSERT_TRUE(setup(1, 32));
	wr(&vgic_dist_ops, GICD_CTLR, 4, 0x80000003);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_CTLR, 4), 0x53);
	wr(&vgic_dist_ops, GICD_CTLR, 4, 0);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_CTLR, 4), 0x50);
}

TEST(vgic3, isenabler_sets_and_icenabler_clears)
{
	ASSERT_TRUE(setup(1, 64));
	wr(&vgic_dist_ops, GICD_ISENABLER(1), 4, 0x21);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISENABLER(1), 4), 0x21);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ICENABLER(1), 4), 0x21);
	wr(&vgic_dist_ops, GICD_ISENABLER(1), 4, 0); /* zeros have no effect */
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISENABLER(1), 4), 0x21);
	wr(&vgic_dist_ops, GICD_ICENABLER(1), 4, 0x1);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISENABLER(1), 4), 0x20);
	/* INTIDs beyond nr_spis are RAZ/WI */
	wr(&vgic_dist_ops, GICD_ISENABLER(3), 4, ~0U);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISENABLER(3), 4), 0);
}

TEST(vgic3, gicd_private_rows_are_raz_wi_with_affinity_routing)
{
	ASSERT_TRUE(setup(1, 32));
	wr(&vgic_dist_ops, GICD_ISENABLER(0), 4, ~0U);
	wr(&vgic_dist_ops, GICD_IPRIORITYR(0), 4, 0xFFFFFFFF);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISENABLER(0), 4), 0);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_IPRIORITYR(0), 4), 0);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISENABLER0), 4), 0);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_IROUTER(5), 8), 0);
}

TEST(vgic3, ipriorityr_byte_and_word_access)
{
	ASSERT_TRUE(setup(1, 32));
	wr(&vgic_dist_ops, GICD_IPRIORITYR(32), 4, 0x40302010);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_IPRIORITYR(33), 1), 0x20);
	wr(&vgic_dist_ops, GICD_IPRIORITYR(34), 1, 0xA0);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_IPRIORITYR(32), 4), 0x40A02010);
	wr(&vgic_redist_ops, GICR(0, GICR_IPRIORITYR(27)), 1, 0x80);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_IPRIORITYR(24)), 4), 0x80000000);
}

TEST(vgic3, irouter_routes_spi_to_vcpu1_lrs_not_vcpu0)
{
	struct gic_lr_state s0, s1;

	ASSERT_TRUE(setup(2, 32));
	spi_setup(40, 0xA0, true);
	wr(&vgic_dist_ops, GICD_IROUTER(40), 8, 1);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_IROUTER(40), 8), 1);
	vgic_inject(&g, 0, 40);
	EXPECT_EQ(kicks[0], 0);
	EXPECT_EQ(kicks[1], 1);
	lr_state_init(&s0, 4);
	lr_state_init(&s1, 4);
	vgic_flush_lrs(&g, 0, &s0);
	vgic_flush_lrs(&g, 1, &s1);
	EXPECT_EQ(s0.used_lrs, 0);
	ASSERT_EQ(s1.used_lrs, 1);
	EXPECT_EQ(LR_INTID(s1.lr[0]), 40);
	EXPECT_EQ(s1.lr[0] & ICH_LR_STATE_MASK, ICH_LR_STATE_PENDING);
	EXPECT_TRUE(s1.lr[0] & ICH_LR_GROUP);
	EXPECT_EQ(LR_PRIO(s1.lr[0]), 0xA0);
}

TEST(vgic3, irouter_irm_and_absent_affinity_fall_back_to_vcpu0)
{
	ASSERT_TRUE(setup(2, 32));
	wr(&vgic_dist_ops, GICD_IROUTER(33) + 4, 4, 0x1); /* Aff3 = 1: nobody there */
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_IROUTER(33), 8), 0x100000000ULL);
	EXPECT_EQ(g.spi[1].target, 0);
	wr(&vgic_dist_ops, GICD_IROUTER(33), 8, 1);
	EXPECT_EQ(g.spi[1].target, 1);
	wr(&vgic_dist_ops, GICD_IROUTER(33), 8, BIT(31) | 1); /* IRM: 1 of N */
	EXPECT_EQ(g.spi[1].target, 0);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_IROUTER(33), 4), BIT(31) | 1);
	wr(&vgic_dist_ops, GICD_IROUTER(33), 8, 7); /* Aff0 beyond nr_vcpus */
	EXPECT_EQ(g.spi[1].target, 0);
}

TEST(vgic3, gicr_typer_reports_affinity_and_last_per_vcpu)
{
	ASSERT_TRUE(setup(4, 32));
	for (unsigned v = 0; v < 4; v++) {
		uint64_t typer = rd(&vgic_redist_ops, GICR(v, GICR_TYPER), 8);

		EXPECT_EQ(typer >> 32, v);	     /* Affinity_Value: Aff0 = index */
		EXPECT_EQ((typer >> 8) & 0xFFFF, v); /* Processor_Number */
		EXPECT_EQ((typer >> 4) & 1, v == 3); /* Last */
		EXPECT_EQ(typer & 0xF, 0);	     /* no PLPIS, VLPIS, DirectLPI */
		EXPECT_EQ(rd(&vgic_redist_ops, GICR(v, GICR_TYPER + 4), 4), v);
	}
	/* Past the last frame: RAZ */
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(4, GICR_TYPER), 8), 0);
}

TEST(vgic3, gicr_waker_wakes_and_children_asleep_follows)
{
	ASSERT_TRUE(setup(2, 32));
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_WAKER), 4), 0x6);
	wr(&vgic_redist_ops, GICR(1, GICR_WAKER), 4, 0); /* Linux: clear ProcessorSleep */
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_WAKER), 4), 0);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_WAKER), 4), 0x6); /* banked */
	wr(&vgic_redist_ops, GICR(1, GICR_WAKER), 4, 0x2);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_WAKER), 4), 0x6);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, 0x0000), 4), 0); /* GICR_CTLR.RWP */
}

TEST(vgic3, gicr_sgi_frame_is_banked_and_sgis_are_edge_only)
{
	ASSERT_TRUE(setup(2, 32));
	wr(&vgic_redist_ops, GICR(1, GICR_ISENABLER0), 4, 0x8);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISENABLER0), 4), 0x8);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISENABLER0), 4), 0);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ICFGR0), 4), 0xAAAAAAAA);
	wr(&vgic_redist_ops, GICR(0, GICR_ICFGR0), 4, 0);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ICFGR0), 4), 0xAAAAAAAA);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ICFGR1), 4), 0); /* PPIs reset level */
	wr(&vgic_redist_ops, GICR(0, GICR_ICFGR1), 4, 0x2);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ICFGR1), 4), 0x2);
}

/* Four vCPUs with every SGI enabled. */
static bool setup_four_with_sgis(void)
{
	if (!setup(4, 32)) {
		return false;
	}
	for (unsigned v = 0; v < 4; v++) {
		wr(&vgic_redist_ops, GICR(v, GICR_ISENABLER0), 4, 0xFFFF);
	}
	return true;
}

/* The kicks each of the four vCPUs got. */
static void expect_kicks(unsigned k0, unsigned k1, unsigned k2, unsigned k3)
{
	EXPECT_EQ(kicks[0], k0);
	EXPECT_EQ(kicks[1], k1);
	EXPECT_EQ(kicks[2], k2);
	EXPECT_EQ(kicks[3], k3);
}

TEST(vgic3, sgi1r_target_list_pends_and_kicks_named_vcpus)
{
	ASSERT_TRUE(setup_four_with_sgis());
	sgi1r(0, 3ULL << 24 | 0x6);
	expect_kicks(0, 1, 1, 0);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), 0x8);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISPENDR0), 4), 0);
}

TEST(vgic3, sgi1r_irm_targets_everyone_but_the_sender)
{
	ASSERT_TRUE(setup_four_with_sgis());
	sgi1r(2, BIT(40) | 5ULL << 24);
	expect_kicks(1, 1, 0, 1);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(3, GICR_ISPENDR0), 4), 0x20);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(2, GICR_ISPENDR0), 4), 0);
}

TEST(vgic3, sgi1r_ignores_absent_targets_and_other_clusters)
{
	ASSERT_TRUE(setup(2, 32));
	wr(&vgic_redist_ops, GICR(0, GICR_ISENABLER0), 4, 0xFFFF);
	wr(&vgic_redist_ops, GICR(1, GICR_ISENABLER0), 4, 0xFFFF);
	sgi1r(0, 0xFFFC);	    /* Aff0 2-15 do not exist */
	sgi1r(0, 1ULL << 16 | 0x3); /* Aff1 = 1 */
	sgi1r(0, 1ULL << 44 | 0x3); /* RS = 1: Aff0 16-31 */
	EXPECT_EQ(kicks[0] + kicks[1], 0);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISPENDR0), 4), 0);
	/* A disabled SGI becomes pending but kicks nobody */
	wr(&vgic_redist_ops, GICR(1, GICR_SGI + 0x0180), 4, 0xFFFF);
	sgi1r(0, 0x2);
	EXPECT_EQ(kicks[1], 0);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), 0x1);
}

TEST(vgic3, flush_orders_by_priority_and_sets_uie_on_overflow)
{
	static const uint8_t prio[5] = {0xA0, 0x20, 0x80, 0x40, 0x60};
	static const unsigned order[4] = {33, 35, 36, 34};
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	for (unsigned i = 0; i < 5; i++) {
		spi_setup(32 + i, prio[i], true);
		vgic_inject(&g, 0, 32 + i);
	}
	lr_state_init(&s, 4);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 4);
	for (unsigned i = 0; i < 4; i++) {
		EXPECT_EQ(LR_INTID(s.lr[i]), order[i]);
	}
	EXPECT_TRUE(s.hcr & ICH_HCR_UIE);
	EXPECT_TRUE(s.hcr & ICH_HCR_EN);
	/* The guest took and completed all four: the leftover goes in next, alone. */
	for (unsigned i = 0; i < 4; i++) {
		lr_set_state(&s, i, 0);
	}
	vgic_sync_lrs(&g, 0, &s);
	EXPECT_FALSE(s.hcr & ICH_HCR_UIE);
	EXPECT_EQ(s.used_lrs, 0);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 1);
	EXPECT_EQ(LR_INTID(s.lr[0]), 32);
	EXPECT_EQ(s.lr[1] | s.lr[2] | s.lr[3], 0);
	EXPECT_FALSE(s.hcr & ICH_HCR_UIE);
}

TEST(vgic3, flush_places_active_interrupts_before_pending_ones)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	spi_setup(32, 0x10, true);
	spi_setup(33, 0xF0, true);
	vgic_inject(&g, 0, 32);
	wr(&vgic_dist_ops, GICD_ISACTIVER(1), 4, 0x2); /* INTID 33 active */
	lr_state_init(&s, 4);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 2);
	EXPECT_EQ(LR_INTID(s.lr[0]), 33);
	EXPECT_EQ(s.lr[0] & ICH_LR_STATE_MASK, ICH_LR_STATE_ACTIVE);
	EXPECT_EQ(LR_INTID(s.lr[1]), 32);
}

TEST(vgic3, sync_of_invalid_lr_consumes_edge_interrupt)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	spi_setup(32, 0x80, true);
	vgic_inject(&g, 0, 32);
	lr_state_init(&s, 4);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 1);
	EXPECT_EQ(s.lr[0] & ICH_LR_EOI, 0);
	lr_set_state(&s, 0, 0);
	vgic_sync_lrs(&g, 0, &s);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISPENDR(1), 4), 0);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISACTIVER(1), 4), 0);
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_EQ(s.used_lrs, 0);
}

TEST(vgic3, sync_of_still_pending_lr_keeps_edge_interrupt)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	spi_setup(32, 0x80, true);
	vgic_inject(&g, 0, 32);
	lr_state_init(&s, 4);
	vgic_flush_lrs(&g, 0, &s);
	vgic_sync_lrs(&g, 0, &s); /* untouched: still pending */
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISPENDR(1), 4), 1);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 1);
	EXPECT_EQ(s.lr[0] & ICH_LR_STATE_MASK, ICH_LR_STATE_PENDING);
}

TEST(vgic3, sync_of_active_lr_keeps_interrupt_active_on_its_vcpu)
{
	struct gic_lr_state s0, s1;

	ASSERT_TRUE(setup(2, 32));
	spi_setup(32, 0x80, true);
	vgic_inject(&g, 0, 32);
	lr_state_init(&s0, 4);
	lr_state_init(&s1, 4);
	vgic_flush_lrs(&g, 0, &s0);
	lr_set_state(&s0, 0, ICH_LR_STATE_ACTIVE); /* acknowledged, not yet EOI'd */
	vgic_sync_lrs(&g, 0, &s0);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISACTIVER(1), 4), 1);
	wr(&vgic_dist_ops, GICD_IROUTER(32), 8, 1); /* rerouted while active */
	vgic_flush_lrs(&g, 1, &s1);
	EXPECT_EQ(s1.used_lrs, 0);
	vgic_flush_lrs(&g, 0, &s0);
	ASSERT_EQ(s0.used_lrs, 1);
	EXPECT_EQ(s0.lr[0] & ICH_LR_STATE_MASK, ICH_LR_STATE_ACTIVE);
}

TEST(vgic3, level_interrupt_stays_pending_after_eoi_while_line_high)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	spi_setup(40, 0x80, false);
	vgic_set_level(&g, 0, 40, true);
	EXPECT_EQ(kicks[0], 1);
	lr_state_init(&s, 4);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 1);
	EXPECT_TRUE(s.lr[0] & ICH_LR_EOI); /* maintenance on EOI so the line is resampled */
	lr_set_state(&s, 0, 0);		   /* acknowledged and EOI'd */
	vgic_sync_lrs(&g, 0, &s);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 1);
	EXPECT_EQ(LR_INTID(s.lr[0]), 40);
	EXPECT_EQ(s.lr[0] & ICH_LR_STATE_MASK, ICH_LR_STATE_PENDING);
}

TEST(vgic3, level_interrupt_disappears_when_line_drops_before_ack)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	spi_setup(40, 0x80, false);
	vgic_set_level(&g, 0, 40, true);
	lr_state_init(&s, 4);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 1);
	vgic_set_level(&g, 0, 40, false);
	vgic_sync_lrs(&g, 0, &s); /* LR still pending: the guest never took it */
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_EQ(s.used_lrs, 0);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISPENDR(1), 4), 0);
}

TEST(vgic3, inject_on_level_ppi_is_delivered_once)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	wr(&vgic_redist_ops, GICR(0, GICR_ISENABLER0), 4, BIT(23));
	vgic_inject(&g, 0, 23);
	lr_state_init(&s, 4);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 1);
	lr_set_state(&s, 0, 0);
	vgic_sync_lrs(&g, 0, &s);
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_EQ(s.used_lrs, 0);
}

TEST(vgic3, hw_mapping_sets_hw_bit_and_pintid_and_survives_reset)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(2, 32));
	vgic_map_hw(&g, 1, 27, 30);
	for (unsigned round = 0; round < 2; round++) {
		wr(&vgic_redist_ops, GICR(1, GICR_ISENABLER0), 4, BIT(27));
		vgic_inject(&g, 1, 27);
		lr_state_init(&s, 4);
		vgic_flush_lrs(&g, 1, &s);
		ASSERT_EQ(s.used_lrs, 1);
		EXPECT_TRUE(s.lr[0] & ICH_LR_HW);
		EXPECT_EQ((s.lr[0] & ICH_LR_PINTID_MASK) >> ICH_LR_PINTID_SHIFT, 30);
		EXPECT_EQ(LR_INTID(s.lr[0]), 27);
		EXPECT_EQ(s.lr[0] & ICH_LR_STATE_MASK, ICH_LR_STATE_PENDING);
		/* The pending latch moved into the LR; the physical side tracks the rest. */
		EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), 0);
		vgic_reset(&g);
	}
}

TEST(vgic3, active_hw_interrupt_is_never_listed_pending_and_active)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	vgic_map_hw(&g, 0, 27, 27);
	wr(&vgic_redist_ops, GICR(0, GICR_ISENABLER0), 4, BIT(27));
	vgic_inject(&g, 0, 27);
	lr_state_init(&s, 4);
	vgic_flush_lrs(&g, 0, &s);
	lr_set_state(&s, 0, ICH_LR_STATE_ACTIVE);
	vgic_sync_lrs(&g, 0, &s);
	vgic_inject(&g, 0, 27);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 1);
	/* HW=1: the physical GIC holds the pending state until the guest deactivates it. */
	EXPECT_EQ(s.lr[0] & ICH_LR_STATE_MASK, ICH_LR_STATE_ACTIVE);
	lr_set_state(&s, 0, 0);
	vgic_sync_lrs(&g, 0, &s);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 1);
	EXPECT_EQ(s.lr[0] & ICH_LR_STATE_MASK, ICH_LR_STATE_PENDING);
}

TEST(vgic3, icpendr_clears_latch_but_not_a_high_level_line)
{
	ASSERT_TRUE(setup(1, 32));
	wr(&vgic_dist_ops, GICD_ISPENDR(1), 4, 0x3);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISPENDR(1), 4), 0x3);
	vgic_set_level(&g, 0, 33, true);
	wr(&vgic_dist_ops, GICD_ISPENDR(1) + 0x80, 4, 0x3); /* GICD_ICPENDR1 */
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISPENDR(1), 4), 0x2);
}

TEST(vgic3, has_pending_honours_vpmr_and_veng1)
{
	ASSERT_TRUE(setup(2, 32));
	spi_setup(32, 0x80, true);
	EXPECT_FALSE(vgic_vcpu_has_pending(&g, 0, VMCR(0xF0, true)));
	vgic_inject(&g, 0, 32);
	EXPECT_TRUE(vgic_vcpu_has_pending(&g, 0, VMCR(0xF0, true)));
	EXPECT_FALSE(vgic_vcpu_has_pending(&g, 0, VMCR(0x80, true))); /* masked: not < VPMR */
	EXPECT_FALSE(vgic_vcpu_has_pending(&g, 0, VMCR(0xF0, false)));
	EXPECT_FALSE(vgic_vcpu_has_pending(&g, 1, VMCR(0xF0, true))); /* routed to vCPU 0 */
	wr(&vgic_dist_ops, GICD_CTLR, 4, 0); /* group 1 disabled at the distributor */
	EXPECT_FALSE(vgic_vcpu_has_pending(&g, 0, VMCR(0xF0, true)));
}

TEST(vgic3, enabling_a_pending_interrupt_kicks_its_vcpu)
{
	ASSERT_TRUE(setup(2, 32));
	wr(&vgic_dist_ops, GICD_IROUTER(32), 8, 1);
	vgic_inject(&g, 0, 32);
	EXPECT_EQ(kicks[1], 0); /* disabled, group off */
	wr(&vgic_dist_ops, GICD_IGROUPR(1), 4, 1);
	wr(&vgic_dist_ops, GICD_ISENABLER(1), 4, 1);
	EXPECT_EQ(kicks[1], 0); /* group 1 still off in GICD_CTLR */
	wr(&vgic_dist_ops, GICD_CTLR, 4, 0x2);
	EXPECT_EQ(kicks[1], 1);
	EXPECT_EQ(kicks[0], 0);
}

TEST(vgic3, width_a_register_lacks_returns_einval)
{
	ASSERT_TRUE(setup(1, 32));
	EXPECT_EQ(vgic_dist_ops.read(&g, GICD_CTLR, 1).err, -EINVAL);
	EXPECT_EQ(vgic_dist_ops.read(&g, GICD_TYPER + 2, 2).err, -EINVAL);
	EXPECT_EQ(vgic_dist_ops.write(&g, GICD_ISENABLER(1), 8, 1), -EINVAL);
	EXPECT_EQ(vgic_redist_ops.read(&g, GICR(0, GICR_WAKER), 8).err, -EINVAL);
	EXPECT_EQ(vgic_redist_ops.read(&g, GICR(0, GICR_ISENABLER0), 2).err, -EINVAL);
	EXPECT_EQ(vgic_dist_ops.read(&g, GICD_IPRIORITYR(33) + 1, 1).err, 0); /* byte access */
}

/* A guest reaches the vGIC through the bus: odd widths and unaligned accesses stop there. */
TEST(vgic3, bus_refuses_bad_widths_and_unaligned_accesses)
{
	struct mmio_bus bus = {0};
	struct mmio_region d = {.base = 0x8000000, .size = VGIC_DIST_SIZE, .ops = &vgic_dist_ops};
	struct mmio_region r = {
	    .base = 0x80a0000, .size = 2 * VGIC_REDIST_STRIDE, .ops = &vgic_redist_ops};

	ASSERT_TRUE(setup(1, 32));
	d.dev = r.dev = &g;
	ASSERT_EQ(mmio_bus_add(&bus, &d), 0);
	ASSERT_EQ(mmio_bus_add(&bus, &r), 0);
	EXPECT_EQ(mmio_bus_read(&bus, 0x8000000 + GICD_CTLR, 3).err, -EINVAL);
	EXPECT_EQ(mmio_bus_write(&bus, 0x8000000 + GICD_ISENABLER(1) + 1, 4, 1), -EINVAL);
	EXPECT_EQ(mmio_bus_read(&bus, 0x8000000 + GICD_IROUTER(40) + 4, 8).err, -EINVAL);
	EXPECT_EQ(mmio_bus_read(&bus, 0x80a0000 + GICR(1, 0x40), 5).err, -EINVAL);
	EXPECT_EQ(mmio_bus_read(&bus, 0x80a0000 + GICR(1, 0x40), 4).err, 0); /* absent: RAZ */
	EXPECT_EQ(mmio_bus_read(&bus, 0x8000000 + GICD_TYPER, 4).err, 0);
}

TEST(vgic3, unknown_offsets_read_zero_and_ignore_writes)
{
	static const uint64_t dist[] = {0x0010, 0x0040, 0x0E00, 0x0F00, 0x8000, 0xFFD0};
	static const uint64_t redist[] = {
	    0x0010, 0x0040, 0x0100, 0xFFD0, GICR_SGI + 0x0000, GICR_SGI + 0x0F00, GICR(2, 0)};

	ASSERT_TRUE(setup(2, 32));
	for (size_t i = 0; i < ARRAY_SIZE(dist); i++) {
		wr(&vgic_dist_ops, dist[i], 4, ~0U);
		EXPECT_EQ(rd(&vgic_dist_ops, dist[i], 4), 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(redist); i++) {
		wr(&vgic_redist_ops, redist[i], 4, ~0U);
		EXPECT_EQ(rd(&vgic_redist_ops, redist[i], 4), 0);
	}
}

TEST(vgic3, reset_clears_guest_state_and_puts_redistributors_to_sleep)
{
	ASSERT_TRUE(setup(2, 32));
	spi_setup(32, 0x80, true);
	vgic_inject(&g, 0, 32);
	wr(&vgic_redist_ops, GICR(1, GICR_WAKER), 4, 0);
	vgic_reset(&g);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_CTLR, 4), 0x50);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISENABLER(1), 4), 0);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_ISPENDR(1), 4), 0);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_IPRIORITYR(32), 1), 0);
	EXPECT_EQ(rd(&vgic_dist_ops, GICD_IGROUPR(1), 4), 0);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_WAKER), 4), 0x6);
}

/* The flush hint may skip the scan only while nothing changed since a flush found nothing. */
TEST(vgic3, flush_after_idle_flush_sees_new_injection)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(2, 32));
	spi_setup(40, 0x80, true);
	wr(&vgic_dist_ops, GICD_IROUTER(40), 8, 1); /* to vCPU 1 */
	lr_state_init(&s, 4);
	vgic_flush_lrs(&g, 1, &s); /* nothing pending: clears vCPU 1's hint */
	EXPECT_EQ(s.used_lrs, 0);
	vgic_flush_lrs(&g, 1, &s); /* still nothing: the scan is skipped */
	EXPECT_EQ(s.used_lrs, 0);
	vgic_set_level(&g, 0, 40, true);
	vgic_flush_lrs(&g, 1, &s);
	ASSERT_EQ(s.used_lrs, 1);
	EXPECT_EQ(s.lr[0] & ICH_LR_VINTID_MASK, 40);
	vgic_sync_lrs(&g, 1, &s);
	vgic_inject(&g, 1, 3); /* an SGI that is not enabled: not eligible, but looked at */
	vgic_flush_lrs(&g, 1, &s);
	EXPECT_EQ(s.used_lrs, 1); /* the SPI is still pending */
}

/* An SPI rerouted while it sits in one vCPU's LR reaches the new target once that LR syncs. */
TEST(vgic3, reroute_while_in_lr_kicks_new_target_on_sync)
{
	struct gic_lr_state s0, s1;

	ASSERT_TRUE(setup(2, 32));
	spi_setup(40, 0x80, true);
	wr(&vgic_dist_ops, GICD_IROUTER(40), 8, 0);
	lr_state_init(&s0, 4);
	lr_state_init(&s1, 4);
	vgic_inject(&g, 0, 40);
	vgic_flush_lrs(&g, 0, &s0);
	ASSERT_EQ(s0.used_lrs, 1);
	wr(&vgic_dist_ops, GICD_IROUTER(40), 8, 1); /* the guest moves it to vCPU 1 */
	memset(kicks, 0, sizeof(kicks));
	vgic_sync_lrs(&g, 0, &s0); /* vCPU 0 never took it: still pending */
	EXPECT_TRUE(kicks[1] > 0);
	vgic_flush_lrs(&g, 1, &s1);
	ASSERT_EQ(s1.used_lrs, 1);
	EXPECT_EQ(s1.lr[0] & ICH_LR_VINTID_MASK, 40);
	vgic_flush_lrs(&g, 0, &s0);
	EXPECT_EQ(s0.used_lrs, 0);
}

/* A direct injection lands in a free LR and survives a later full flush and a sync. */
TEST(vgic3, direct_injection_survives_flush_and_sync)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	wr(&vgic_redist_ops, 0x10000 + 0x80, 4, ~0U);		    /* GICR_IGROUPR0: group 1 */
	wr(&vgic_redist_ops, 0x10000 + 0x100, 4, BIT(27) | BIT(5)); /* ISENABLER0 */
	vgic_map_hw(&g, 0, 27, 27);
	lr_state_init(&s, 4);
	vgic_flush_lrs(&g, 0, &s); /* nothing: clears the hint */
	vgic_inject_direct(&g, 0, 27, &s);
	ASSERT_EQ(s.used_lrs, 1);
	EXPECT_EQ(s.lr[0] & ICH_LR_VINTID_MASK, 27);
	EXPECT_TRUE(s.lr[0] & ICH_LR_HW);
	EXPECT_EQ(s.lr[0] & ICH_LR_STATE_MASK, ICH_LR_STATE_PENDING);
	vgic_flush_lrs(&g, 0, &s); /* hint clear: the LR stays as placed */
	EXPECT_EQ(s.used_lrs, 1);
	vgic_inject(&g, 0, 5); /* another interrupt: the next flush rescans */
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 2); /* both listed, neither lost */
	vgic_sync_lrs(&g, 0, &s); /* the guest took neither */
	EXPECT_EQ(s.used_lrs, 0);
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_EQ(s.used_lrs, 2);
}

/*
 * The direct slot and the mailbox. The arch says it runs the fast paths and delivers posts with
 * direct_ok; the posts an SGI write returns are counted in posts[].
 */
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180)
#define GICR_ISACTIVER0 (GICR_SGI + 0x0300)
#define SGI1R(intid, targets) ((uint64_t)(intid) << 24 | (uint64_t)(targets))
#define TIMER_PPI 27U
/* SGI 3 at priority 0x40, group 1, pending: what a post of it puts in the mailbox. */
#define SGI3_LR (3 | 0x40ULL << ICH_LR_PRIORITY_SHIFT | ICH_LR_GROUP | ICH_LR_STATE_PENDING)
/* What the flush encodes for the forwarded timer set up by direct_timer_setup(). */
#define TIMER_LR                                                                                   \
	(TIMER_PPI | (uint64_t)TIMER_PPI << ICH_LR_PINTID_SHIFT | ICH_LR_HW | ICH_LR_GROUP |       \
	 0xA0ULL << ICH_LR_PRIORITY_SHIFT | ICH_LR_STATE_PENDING)

static uint64_t mbox(unsigned v)
{
	return __atomic_load_n(&g.cpu[v].mbox.word, __ATOMIC_ACQUIRE);
}

/* The open and busy words of vCPU v's current (or last) entry. */
static uint64_t mbox_open(unsigned v)
{
	return g.cpu[v].mbox.open;
}

static uint64_t mbox_busy(unsigned v)
{
	return g.cpu[v].mbox.open | VGIC_MBOX_BUSY;
}

/* Private interrupt intid of vCPU v: group 1, priority prio, enabled. */
static void ppi_setup(unsigned v, unsigned intid, uint8_t prio)
{
	wr(&vgic_redist_ops, GICR(v, GICR_IGROUPR0), 4,
	   rd(&vgic_redist_ops, GICR(v, GICR_IGROUPR0), 4) | BIT(intid));
	wr(&vgic_redist_ops, GICR(v, GICR_IPRIORITYR(intid)), 1, prio);
	wr(&vgic_redist_ops, GICR(v, GICR_ISENABLER0), 4, BIT(intid));
}

/* vCPU v's timer PPI forwarded from the physical PPI 27, as the arch layer maps it. */
static void direct_timer_setup(unsigned v)
{
	vgic_map_hw(&g, v, TIMER_PPI, TIMER_PPI);
	ppi_setup(v, TIMER_PPI, 0xA0);
}

/* LR state of a vCPU whose CPU runs the direct-slot fast paths (the arch's direct_ok). */
static void lr_state_direct(struct gic_lr_state *s, unsigned nr_lrs)
{
	lr_state_init(s, nr_lrs);
	s->direct_ok = true;
}

/* Enter vCPU v with its slot open, as the arch layer does: flush, then open the mailbox. */
static void enter_with_slot(unsigned v, struct gic_lr_state *s)
{
	lr_state_direct(s, 4);
	vgic_flush_lrs(&g, v, s);
	EXPECT_TRUE(s->direct);
	vgic_direct_open(s);
	EXPECT_EQ(mbox(v), mbox_open(v));
	EXPECT_FALSE(vgic_needs_flush(&g, v)); /* nothing pending: posts are allowed */
}

/* A CPU the vCPU shares never opens a mailbox: without direct_ok, no slot either. */
TEST(vgic3, flush_without_direct_ok_never_reserves_the_direct_slot)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	direct_timer_setup(0);
	lr_state_init(&s, 4);
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_FALSE(s.direct);
	EXPECT_EQ(s.used_lrs, 0);
	EXPECT_EQ(s.direct_hw_lr, 0);
	ppi_setup(0, 5, 0x80);
	vgic_inject(&g, 0, 5);
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_FALSE(s.direct);
	ASSERT_EQ(s.used_lrs, 1);
	EXPECT_EQ(LR_INTID(s.lr[0]), 5);
	vgic_direct_open(&s);
	EXPECT_EQ(mbox(0), VGIC_MBOX_CLOSED);
}

TEST(vgic3, flush_with_direct_ok_reserves_lr0_and_places_after_it)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	lr_state_direct(&s, 4);
	vgic_flush_lrs(&g, 0, &s); /* reserves the slot (and sets its mailbox) */
	s.lr[0] = 0x1234;	   /* garbage from before: the slot must start empty */
	vgic_inject(&g, 0, 40);	   /* anything, so that the next flush rescans */
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_TRUE(s.direct);
	EXPECT_EQ(s.used_lrs, 1);
	EXPECT_EQ(s.lr[0], 0);
	EXPECT_EQ(s.direct_hw_lr, 0); /* no hardware-backed PPI mapped */
	EXPECT_TRUE(s.mailbox == &g.cpu[0].mbox);
	EXPECT_EQ(mbox(0), VGIC_MBOX_CLOSED); /* flush reserves; only open lets fast paths in */
	EXPECT_FALSE(s.hcr & ICH_HCR_UIE);
	vgic_sync_lrs(&g, 0, &s); /* the slot stays reserved, still empty */
	EXPECT_EQ(s.used_lrs, 1);
	EXPECT_EQ(s.lr[0], 0);
	ppi_setup(0, 3, 0x40);
	vgic_inject(&g, 0, 3);
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_TRUE(s.direct);
	ASSERT_EQ(s.used_lrs, 2);
	EXPECT_EQ(s.lr[0], 0);
	EXPECT_EQ(s.lr[1], SGI3_LR);
	EXPECT_EQ(s.lr[2] | s.lr[3], 0);
}

/* The slot is taken only from a spare LR: the model's interrupts come first. */
TEST(vgic3, flush_reserves_no_slot_without_a_spare_lr)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	for (unsigned i = 1; i <= 5; i++) {
		ppi_setup(0, i, (uint8_t)(0x10 * i));
	}
	for (unsigned i = 1; i <= 3; i++) {
		vgic_inject(&g, 0, i);
	}
	lr_state_direct(&s, 4);
	vgic_flush_lrs(&g, 0, &s); /* three of four: one to spare */
	EXPECT_TRUE(s.direct);
	ASSERT_EQ(s.used_lrs, 4);
	EXPECT_EQ(s.lr[0], 0);
	for (unsigned i = 1; i <= 3; i++) {
		EXPECT_EQ(LR_INTID(s.lr[i]), i);
	}
	vgic_sync_lrs(&g, 0, &s); /* none taken */
	vgic_inject(&g, 0, 4);
	vgic_flush_lrs(&g, 0, &s); /* four of four: no slot */
	EXPECT_FALSE(s.direct);
	ASSERT_EQ(s.used_lrs, 4);
	for (unsigned i = 0; i < 4; i++) {
		EXPECT_EQ(LR_INTID(s.lr[i]), i + 1);
		EXPECT_EQ(s.lr[i] & ICH_LR_STATE_MASK, ICH_LR_STATE_PENDING);
	}
	EXPECT_FALSE(s.hcr & ICH_HCR_UIE);
	vgic_sync_lrs(&g, 0, &s);
	EXPECT_EQ(s.used_lrs, 0);
	vgic_inject(&g, 0, 5);
	vgic_flush_lrs(&g, 0, &s); /* five of four: no slot, and UIE to refill */
	EXPECT_FALSE(s.direct);
	EXPECT_EQ(s.used_lrs, 4);
	EXPECT_TRUE(s.hcr & ICH_HCR_UIE);

	/* A single LR is never given up, even with nothing pending. */
	ASSERT_TRUE(setup(1, 32));
	lr_state_direct(&s, 1);
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_FALSE(s.direct);
	EXPECT_EQ(s.used_lrs, 0);
}

TEST(vgic3, flush_encodes_direct_hw_lr_only_for_an_enabled_stateless_timer)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(2, 32));
	direct_timer_setup(0);
	lr_state_direct(&s, 4);
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_TRUE(s.direct);
	EXPECT_EQ(s.used_lrs, 1);
	EXPECT_EQ(s.lr[0], 0); /* encoded for the fast path, not listed */
	EXPECT_EQ(s.direct_hw_lr, TIMER_LR);
	/* The mapping is vCPU 0's: vCPU 1 has a slot but no timer for it. */
	{
		struct gic_lr_state s1;

		lr_state_direct(&s1, 4);
		vgic_flush_lrs(&g, 1, &s1);
		EXPECT_TRUE(s1.direct);
		EXPECT_EQ(s1.direct_hw_lr, 0);
	}
	vgic_sync_lrs(&g, 0, &s);
	wr(&vgic_redist_ops, GICR(0, GICR_ICENABLER0), 4, BIT(TIMER_PPI));
	vgic_flush_lrs(&g, 0, &s); /* disabled */
	EXPECT_TRUE(s.direct);
	EXPECT_EQ(s.direct_hw_lr, 0);
	vgic_sync_lrs(&g, 0, &s);
	wr(&vgic_redist_ops, GICR(0, GICR_ISENABLER0), 4, BIT(TIMER_PPI));
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_EQ(s.direct_hw_lr, TIMER_LR);
	vgic_sync_lrs(&g, 0, &s);
	vgic_inject(&g, 0, TIMER_PPI); /* pending in the model: it goes through an LR */
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_TRUE(s.direct);
	ASSERT_EQ(s.used_lrs, 2);
	EXPECT_EQ(s.lr[1], TIMER_LR);
	EXPECT_EQ(s.direct_hw_lr, 0);
}

TEST(vgic3, sgi_to_an_open_mailbox_is_posted_and_folded_on_sync)
{
	struct gic_lr_state s1;

	ASSERT_TRUE(setup(2, 32));
	ppi_setup(1, 3, 0x40);
	enter_with_slot(1, &s1);
	EXPECT_TRUE(vgic_lrs_quiet(&s1));
	sgi1r(0, SGI1R(3, 0x2));
	EXPECT_EQ(posts[1], 1);
	EXPECT_EQ(posts[0], 0);
	EXPECT_EQ(kicks[0] + kicks[1], 0);
	EXPECT_EQ(mbox(1), SGI3_LR);
	/* The model is left alone: the receiver folds the post at its next full exit. */
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), 0);
	EXPECT_FALSE(vgic_needs_flush(&g, 1));
	/* A post on its way leaves the LRs quiet: the post SGI or the next full exit lists it. */
	EXPECT_TRUE(vgic_lrs_quiet(&s1));
	vgic_sync_lrs(&g, 1, &s1);
	EXPECT_EQ(mbox(1), VGIC_MBOX_CLOSED);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), BIT(3));
	EXPECT_TRUE(vgic_needs_flush(&g, 1));
	EXPECT_EQ(s1.used_lrs, 1);
	EXPECT_EQ(s1.lr[0], 0);
	vgic_flush_lrs(&g, 1, &s1);
	EXPECT_TRUE(s1.direct);
	ASSERT_EQ(s1.used_lrs, 2);
	EXPECT_EQ(s1.lr[0], 0);
	EXPECT_EQ(s1.lr[1], SGI3_LR);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), 0); /* the LR holds it */
}

/* The arch's first try, without the lock: one SGI to one other vCPU whose slot is open. */
TEST(vgic3, sgi1r_post_posts_one_sgi_to_one_other_open_vcpu)
{
	struct gic_lr_state s0, s1;

	ASSERT_TRUE(setup(2, 32));
	ppi_setup(0, 5, 0x40);
	ppi_setup(1, 3, 0x40);
	enter_with_slot(0, &s0);
	enter_with_slot(1, &s1);
	EXPECT_EQ(vgic_sgi1r_post(&g, 0, SGI1R(3, 0x2)), 1);
	EXPECT_EQ(mbox(1), SGI3_LR);
	EXPECT_EQ(vgic_sgi1r_post(&g, 1, SGI1R(5, 0x1)), 0);
	EXPECT_EQ(LR_INTID(mbox(0)), 5);
	EXPECT_EQ(kicks[0] + kicks[1], 0);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), 0); /* the model is untouched */
	/* The mailbox is full: no second post, and nothing done for the model to see. */
	EXPECT_EQ(vgic_sgi1r_post(&g, 0, SGI1R(3, 0x2)), VGIC_NO_POST);
	EXPECT_EQ(mbox(1), SGI3_LR);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), 0);
	EXPECT_EQ(kicks[1], 0);
}

/* Every other write is left whole to vgic_sgi1r_write_from(), GICv3 IHI0069 H §12.2.22. */
TEST(vgic3, sgi1r_post_leaves_every_other_write_untouched)
{
	static const uint64_t values[] = {
	    SGI1R(3, 0x1),		/* to itself */
	    SGI1R(3, 0x3),		/* two targets */
	    SGI1R(3, 0),		/* nobody */
	    SGI1R(3, 0x4),		/* Aff0 2: no such vCPU */
	    SGI1R(3, 0x8000),		/* Aff0 15 */
	    BIT(40) | SGI1R(3, 0),	/* IRM: everyone but the sender */
	    1ULL << 16 | SGI1R(3, 0),	/* Aff1 = 1, no TargetList: one bit, in the wrong place */
	    1ULL << 16 | SGI1R(3, 0x2), /* Aff1 = 1 */
	    1ULL << 32 | SGI1R(3, 0x2), /* Aff2 = 1 */
	    1ULL << 44 | SGI1R(3, 0x2), /* RS = 1: Aff0 16-31 */
	    1ULL << 48 | SGI1R(3, 0x2), /* Aff3 = 1 */
	    BIT(63) | SGI1R(3, 0x2),	/* a RES0 bit: the model decodes it */
	    SGI1R(4, 0x2),		/* SGI 4 is disabled */
	};
	struct gic_lr_state s0, s1;

	ASSERT_TRUE(setup(2, 32));
	ppi_setup(0, 3, 0x40);
	ppi_setup(1, 3, 0x40);
	enter_with_slot(0, &s0);
	enter_with_slot(1, &s1);
	for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
		EXPECT_EQ(vgic_sgi1r_post(&g, 0, values[i]), VGIC_NO_POST);
	}
	EXPECT_EQ(mbox(0), mbox_open(0));
	EXPECT_EQ(mbox(1), mbox_open(1));
	EXPECT_EQ(kicks[0] + kicks[1], 0);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISPENDR0), 4), 0);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), 0);
	EXPECT_FALSE(vgic_needs_flush(&g, 0));
	EXPECT_FALSE(vgic_needs_flush(&g, 1));
	/* The model's way: a RES0 bit is ignored, and the post made under the lock is returned. */
	EXPECT_EQ(vgic_sgi1r_write(&g, 0, BIT(63) | SGI1R(3, 0x2)), BIT(1));
	EXPECT_EQ(LR_INTID(mbox(1)), 3);
	/* A closed mailbox takes no post. */
	vgic_sync_lrs(&g, 0, &s0);
	EXPECT_EQ(vgic_sgi1r_post(&g, 1, SGI1R(3, 0x1)), VGIC_NO_POST);
	EXPECT_EQ(mbox(0), VGIC_MBOX_CLOSED);
}

/* vCPU 1 entered with its slot open and SGI 3 enabled; the first half of a post of SGI 3 to it. */
static bool check_sgi3_post(struct gic_lr_state *s1, uint64_t *m, uint64_t *lr)
{
	if (!setup(2, 32)) {
		return false;
	}
	ppi_setup(1, 3, 0x40);
	enter_with_slot(1, s1);
	*lr = vgic_sgi_post_check(&g, 1, 3, m);
	return *lr == SGI3_LR;
}

/*
 * The lockless post, check then commit, with the receiver exiting and entering again in
 * between: SGI 3 became pending in the model meanwhile and the new entry lists it. The word the
 * check read belongs to the old entry, so the commit fails and SGI 3 is never listed twice.
 */
TEST(vgic3, sgi_post_checked_in_one_entry_cannot_land_in_the_next)
{
	struct gic_lr_state s1;
	uint64_t m, lr;

	ASSERT_TRUE(check_sgi3_post(&s1, &m, &lr));
	EXPECT_EQ(m, mbox_open(1));
	vgic_sync_lrs(&g, 1, &s1); /* the receiver exits */
	vgic_inject(&g, 1, 3);
	vgic_flush_lrs(&g, 1, &s1);
	vgic_direct_open(&s1); /* and enters again, SGI 3 in LR1 */
	ASSERT_EQ(s1.used_lrs, 2);
	EXPECT_EQ(LR_INTID(s1.lr[1]), 3);
	EXPECT_NE(mbox(1), m);
	EXPECT_TRUE(vgic_mbox_is_open(mbox(1)));
	EXPECT_FALSE(vgic_sgi_post_commit(&g, 1, m, lr));
	EXPECT_EQ(mbox(1), mbox_open(1));
}

/* A change made under the lock between check and commit: the post is folded into it. */
TEST(vgic3, sgi_post_racing_a_disable_is_folded_as_pending_not_listed)
{
	struct gic_lr_state s1;
	uint64_t m, lr;

	ASSERT_TRUE(check_sgi3_post(&s1, &m, &lr));
	wr(&vgic_redist_ops, GICR(1, GICR_ICENABLER0), 4, BIT(3)); /* another vCPU disables it */
	EXPECT_TRUE(vgic_sgi_post_commit(&g, 1, m, lr));
	EXPECT_EQ(mbox(1), lr);
	vgic_sync_lrs(&g, 1, &s1); /* the receiver's next full exit folds the post */
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), BIT(3));
	vgic_flush_lrs(&g, 1, &s1);
	EXPECT_EQ(s1.used_lrs, 1); /* the slot only: disabled, SGI 3 waits in the model */
}

/* Every entry opens with a word of its own, which never reads as closed, busy or a post. */
TEST(vgic3, each_entry_opens_the_mailbox_with_a_new_word)
{
	struct gic_lr_state s0;
	uint64_t first;

	ASSERT_TRUE(setup(1, 32));
	enter_with_slot(0, &s0);
	first = mbox(0);
	EXPECT_TRUE(vgic_mbox_is_open(first));
	EXPECT_EQ(first & VGIC_MBOX_BUSY, 0);
	vgic_direct_open(&s0); /* still open (a light exit): the same entry, the same word */
	EXPECT_EQ(mbox(0), first);
	vgic_sync_lrs(&g, 0, &s0);
	vgic_flush_lrs(&g, 0, &s0);
	vgic_direct_open(&s0);
	EXPECT_EQ(mbox(0), first + VGIC_MBOX_EPOCH);
	/* The last word below the LR State field wraps to the first, never to 0. */
	vgic_sync_lrs(&g, 0, &s0);
	g.cpu[0].mbox.open = GENMASK(61, 1);
	vgic_flush_lrs(&g, 0, &s0);
	vgic_direct_open(&s0);
	EXPECT_EQ(mbox(0), VGIC_MBOX_EPOCH);
	/* A reset closes the mailbox but keeps counting: no word of an old entry comes back. */
	vgic_reset(&g);
	EXPECT_EQ(mbox(0), VGIC_MBOX_CLOSED);
	EXPECT_EQ(mbox_open(0), VGIC_MBOX_EPOCH);
}

TEST(vgic3, sgi_post_is_refused_to_a_closed_mailbox_or_a_disabled_sgi)
{
	struct gic_lr_state s1;

	/* Flushed but not opened: the receiver is not (yet) in the guest with a slot. */
	ASSERT_TRUE(setup(2, 32));
	ppi_setup(1, 3, 0x40);
	lr_state_direct(&s1, 4);
	vgic_flush_lrs(&g, 1, &s1);
	EXPECT_TRUE(s1.direct);
	sgi1r(0, SGI1R(3, 0x2));
	EXPECT_EQ(posts[1], 0);
	EXPECT_EQ(kicks[1], 1);
	EXPECT_EQ(mbox(1), VGIC_MBOX_CLOSED);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), BIT(3));
	EXPECT_TRUE(vgic_needs_flush(&g, 1));

	/* Open, but the SGI is disabled: pending in the model, nobody kicked or posted. */
	ASSERT_TRUE(setup(2, 32));
	enter_with_slot(1, &s1);
	sgi1r(0, SGI1R(4, 0x2));
	EXPECT_EQ(posts[1], 0);
	EXPECT_EQ(kicks[1], 0);
	EXPECT_EQ(mbox(1), mbox_open(1));
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), BIT(4));
}

TEST(vgic3, sgi_post_is_refused_while_the_receiver_has_other_state)
{
	struct gic_lr_state s1;

	/* Already pending (ISPENDR0): the model holds it, so the SGI stays there. */
	ASSERT_TRUE(setup(2, 32));
	ppi_setup(1, 3, 0x40);
	enter_with_slot(1, &s1);
	wr(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4, BIT(3));
	memset(kicks, 0, sizeof(kicks));
	sgi1r(0, SGI1R(3, 0x2));
	EXPECT_EQ(posts[1], 0);
	EXPECT_EQ(kicks[1], 1);
	EXPECT_EQ(mbox(1), mbox_open(1));
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), BIT(3));
	/* The hint alone refuses that; with it cleared, the SGI's own pending state must too. */
	__atomic_and_fetch(&g.flush_hint, ~(uint32_t)BIT(1), __ATOMIC_RELEASE);
	sgi1r(0, SGI1R(3, 0x2));
	EXPECT_EQ(posts[1], 0);
	EXPECT_EQ(mbox(1), mbox_open(1));

	/* Something else pending for the receiver (its hint set): no post jumps ahead of it. */
	ASSERT_TRUE(setup(2, 32));
	ppi_setup(1, 3, 0x40);
	enter_with_slot(1, &s1);
	vgic_inject(&g, 1, 9); /* disabled, but the hint is set all the same */
	sgi1r(0, SGI1R(3, 0x2));
	EXPECT_EQ(posts[1], 0);
	EXPECT_EQ(kicks[1], 1);
	EXPECT_EQ(mbox(1), mbox_open(1));
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), BIT(3) | BIT(9));

	/* An SGI to itself goes through the model: the sender is not in the guest. */
	ASSERT_TRUE(setup(2, 32));
	ppi_setup(1, 3, 0x40);
	enter_with_slot(1, &s1);
	sgi1r(1, SGI1R(3, 0x2));
	EXPECT_EQ(posts[1], 0);
	EXPECT_EQ(kicks[1], 1);
	EXPECT_EQ(mbox(1), mbox_open(1));
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), BIT(3));

	/* One post at a time: a second SGI finds the mailbox full and goes to the model. */
	ASSERT_TRUE(setup(2, 32));
	ppi_setup(1, 3, 0x40);
	ppi_setup(1, 4, 0x40);
	enter_with_slot(1, &s1);
	sgi1r(0, SGI1R(3, 0x2));
	sgi1r(0, SGI1R(4, 0x2));
	EXPECT_EQ(posts[1], 1);
	EXPECT_EQ(kicks[1], 1);
	EXPECT_EQ(LR_INTID(mbox(1)), 3);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), BIT(4));
	vgic_sync_lrs(&g, 1, &s1); /* both end up pending in the model */
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(1, GICR_ISPENDR0), 4), BIT(3) | BIT(4));
}

TEST(vgic3, direct_claim_needs_an_open_or_busy_mailbox_and_a_free_slot)
{
	struct gic_lr_state s, nohw;

	ASSERT_TRUE(setup(2, 32));
	direct_timer_setup(0);
	ppi_setup(0, 3, 0x40);
	lr_state_direct(&s, 4);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.direct_hw_lr, TIMER_LR);
	EXPECT_FALSE(vgic_direct_claim(&s, 0)); /* closed */
	EXPECT_EQ(mbox(0), VGIC_MBOX_CLOSED);
	vgic_direct_open(&s);
	/* The slot still holds an interrupt the guest has not finished with. */
	EXPECT_FALSE(vgic_direct_claim(&s, TIMER_LR));
	EXPECT_FALSE(vgic_direct_claim(&s, (TIMER_LR & ~ICH_LR_STATE_MASK) | ICH_LR_STATE_ACTIVE));
	EXPECT_EQ(mbox(0), mbox_open(0));
	nohw = s;
	nohw.direct_hw_lr = 0; /* the flush found the timer may not go there */
	EXPECT_FALSE(vgic_direct_claim(&nohw, 0));
	EXPECT_EQ(mbox(0), mbox_open(0));
	EXPECT_TRUE(vgic_direct_claim(&s, 0));
	EXPECT_EQ(mbox(0), mbox_busy(0));
	/* Busy with an interrupt the guest has completed (state invalid): it may fire again. */
	EXPECT_TRUE(vgic_direct_claim(&s, TIMER_LR & ~ICH_LR_STATE_MASK));
	EXPECT_EQ(mbox(0), mbox_busy(0));
	EXPECT_EQ(vgic_direct_take(&s), 0); /* busy, but nothing posted */
	EXPECT_EQ(mbox(0), mbox_busy(0));
	/* A busy slot still takes a post; the timer may then not claim it over the post. */
	sgi1r(1, SGI1R(3, 0x1));
	EXPECT_EQ(posts[0], 1);
	ASSERT_TRUE(vgic_mbox_is_post(mbox(0)));
	EXPECT_FALSE(vgic_direct_claim(&s, 0));
	EXPECT_EQ(LR_INTID(mbox(0)), 3);
}

/*
 * The LRs are quiet (a light exit may leave them in hardware) from an entry with nothing listed
 * beside the empty slot until something writes an LR: the timer's claim, a post taken, a direct
 * injection. Every entry decides again.
 */
TEST(vgic3, lrs_are_quiet_from_entry_until_an_lr_is_written)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(2, 32));
	direct_timer_setup(0);
	ppi_setup(0, 3, 0x40);
	enter_with_slot(0, &s);
	EXPECT_TRUE(vgic_lrs_quiet(&s));
	EXPECT_TRUE(vgic_direct_claim(&s, 0));
	EXPECT_FALSE(vgic_lrs_quiet(&s)); /* the timer is in the slot */

	vgic_sync_lrs(&g, 0, &s); /* a full exit: the guest left the slot empty */
	vgic_flush_lrs(&g, 0, &s);
	vgic_direct_open(&s);
	EXPECT_TRUE(vgic_lrs_quiet(&s));
	sgi1r(1, SGI1R(3, 0x1));
	ASSERT_TRUE(vgic_mbox_is_post(mbox(0)));
	EXPECT_TRUE(vgic_lrs_quiet(&s)); /* on its way: not in an LR yet */
	s.lr[0] = vgic_direct_take(&s);	 /* the post SGI writes it into the slot */
	EXPECT_NE(s.lr[0], 0);
	EXPECT_FALSE(vgic_lrs_quiet(&s));

	vgic_sync_lrs(&g, 0, &s); /* SGI 3 still pending: the model lists it beside the slot */
	vgic_flush_lrs(&g, 0, &s);
	vgic_direct_open(&s);
	EXPECT_EQ(s.used_lrs, 2);
	EXPECT_FALSE(vgic_lrs_quiet(&s));

	ppi_setup(1, 3, 0x40);
	lr_state_init(&s, 4); /* no slot: an injection straight into an LR */
	vgic_flush_lrs(&g, 1, &s);
	vgic_direct_open(&s);
	EXPECT_TRUE(vgic_lrs_quiet(&s));
	vgic_inject_direct(&g, 1, 3, &s);
	EXPECT_EQ(s.used_lrs, 1);
	EXPECT_FALSE(vgic_lrs_quiet(&s));
}

TEST(vgic3, direct_take_returns_a_post_once_and_leaves_the_slot_busy)
{
	struct gic_lr_state s, noslot;

	ASSERT_TRUE(setup(2, 32));
	ppi_setup(0, 3, 0x40);
	ppi_setup(0, 4, 0x50);
	enter_with_slot(0, &s);
	EXPECT_EQ(vgic_direct_take(&s), 0); /* open, empty */
	EXPECT_EQ(mbox(0), mbox_open(0));
	sgi1r(1, SGI1R(3, 0x1));
	ASSERT_EQ(mbox(0), SGI3_LR);
	noslot = s;
	noslot.direct = false;
	EXPECT_EQ(vgic_direct_take(&noslot), 0);
	EXPECT_EQ(mbox(0), SGI3_LR);
	EXPECT_EQ(vgic_direct_take(&s), SGI3_LR);
	EXPECT_EQ(mbox(0), mbox_busy(0));
	EXPECT_EQ(vgic_direct_take(&s), 0);
	EXPECT_EQ(mbox(0), mbox_busy(0));
	/* Busy: the next post is accepted and waits to be taken in turn. */
	sgi1r(1, SGI1R(4, 0x1));
	EXPECT_EQ(posts[0], 2);
	EXPECT_EQ(kicks[0], 0);
	EXPECT_EQ(vgic_direct_take(&s),
		  4 | 0x50ULL << ICH_LR_PRIORITY_SHIFT | ICH_LR_GROUP | ICH_LR_STATE_PENDING);
	EXPECT_EQ(mbox(0), mbox_busy(0));
}

TEST(vgic3, sync_folds_the_timer_a_fast_path_put_in_the_slot)
{
	struct gic_lr_state s;

	/* Still pending in LR0 at exit: the model has it pending and lists it next. */
	ASSERT_TRUE(setup(1, 32));
	direct_timer_setup(0);
	enter_with_slot(0, &s);
	ASSERT_TRUE(vgic_direct_claim(&s, 0));
	s.lr[0] = s.direct_hw_lr; /* written by the vector, saved by the exit */
	EXPECT_FALSE(vgic_lrs_quiet(&s));
	vgic_sync_lrs(&g, 0, &s);
	EXPECT_EQ(mbox(0), VGIC_MBOX_CLOSED);
	EXPECT_EQ(s.lr[0], 0);
	EXPECT_EQ(s.used_lrs, 1);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISPENDR0), 4), BIT(TIMER_PPI));
	EXPECT_TRUE(vgic_hw_irq_is_live(&g, 0, TIMER_PPI));
	EXPECT_TRUE(vgic_needs_flush(&g, 0));
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_TRUE(s.direct);
	ASSERT_EQ(s.used_lrs, 2);
	EXPECT_EQ(s.lr[0], 0);
	EXPECT_EQ(s.lr[1], TIMER_LR);
	EXPECT_EQ(s.direct_hw_lr, 0); /* it is listed: the fast path may not add it again */

	/* Active in LR0: the model has it active on this vCPU. */
	ASSERT_TRUE(setup(1, 32));
	direct_timer_setup(0);
	enter_with_slot(0, &s);
	ASSERT_TRUE(vgic_direct_claim(&s, 0));
	s.lr[0] = (s.direct_hw_lr & ~ICH_LR_STATE_MASK) | ICH_LR_STATE_ACTIVE;
	vgic_sync_lrs(&g, 0, &s);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISACTIVER0), 4), BIT(TIMER_PPI));
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISPENDR0), 4), 0);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 2);
	EXPECT_EQ(s.lr[1], (TIMER_LR & ~ICH_LR_STATE_MASK) | ICH_LR_STATE_ACTIVE);

	/* Taken and completed (state invalid): nothing to fold, the slot stays empty. */
	ASSERT_TRUE(setup(1, 32));
	direct_timer_setup(0);
	enter_with_slot(0, &s);
	ASSERT_TRUE(vgic_direct_claim(&s, 0));
	s.lr[0] = s.direct_hw_lr & ~ICH_LR_STATE_MASK;
	vgic_sync_lrs(&g, 0, &s);
	EXPECT_EQ(mbox(0), VGIC_MBOX_CLOSED);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISPENDR0), 4), 0);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISACTIVER0), 4), 0);
	EXPECT_FALSE(vgic_hw_irq_is_live(&g, 0, TIMER_PPI));
	EXPECT_FALSE(vgic_needs_flush(&g, 0));
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_EQ(s.used_lrs, 1);
	EXPECT_EQ(s.lr[0] | s.lr[1], 0);
}

TEST(vgic3, sync_folds_a_post_taken_but_not_yet_written)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(2, 32));
	ppi_setup(0, 3, 0x40);
	enter_with_slot(0, &s);
	sgi1r(1, SGI1R(3, 0x1));
	s.posted = vgic_direct_take(&s); /* the slot was busy: the vector kept it aside */
	ASSERT_EQ(LR_INTID(s.posted), 3);
	vgic_sync_lrs(&g, 0, &s);
	EXPECT_EQ(s.posted, 0);
	EXPECT_EQ(mbox(0), VGIC_MBOX_CLOSED);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISPENDR0), 4), BIT(3));
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 2);
	EXPECT_EQ(LR_INTID(s.lr[1]), 3);
}

/* A light exit that turns out to need the full path closes the mailbox and folds the post. */
TEST(vgic3, direct_close_folds_a_waiting_post_and_sets_the_hint)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(2, 32));
	ppi_setup(0, 3, 0x40);
	enter_with_slot(0, &s);
	vgic_direct_close(&g, 0, &s); /* nothing there: nothing to look at */
	EXPECT_EQ(mbox(0), VGIC_MBOX_CLOSED);
	EXPECT_FALSE(vgic_needs_flush(&g, 0));
	vgic_direct_open(&s);
	EXPECT_EQ(mbox(0), mbox_open(0));
	sgi1r(1, SGI1R(3, 0x1));
	ASSERT_EQ(posts[0], 1);
	vgic_direct_close(&g, 0, &s);
	EXPECT_EQ(mbox(0), VGIC_MBOX_CLOSED);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISPENDR0), 4), BIT(3));
	EXPECT_TRUE(vgic_needs_flush(&g, 0));
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 2);
	EXPECT_EQ(LR_INTID(s.lr[1]), 3);
	EXPECT_EQ(s.lr[0], 0);
}

/* A post made during a light exit is folded by the next full flush, before it rescans. */
TEST(vgic3, flush_after_a_light_exit_folds_a_waiting_post)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(2, 32));
	ppi_setup(0, 3, 0x40);
	ppi_setup(0, 4, 0x80);
	enter_with_slot(0, &s);
	sgi1r(1, SGI1R(3, 0x1));
	ASSERT_EQ(posts[0], 1);
	vgic_inject(&g, 0, 4); /* something for the model too: the flush must rescan */
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_EQ(mbox(0), VGIC_MBOX_CLOSED);
	EXPECT_TRUE(s.direct);
	ASSERT_EQ(s.used_lrs, 3);
	EXPECT_EQ(s.lr[0], 0);
	EXPECT_EQ(LR_INTID(s.lr[1]), 3);
	EXPECT_EQ(LR_INTID(s.lr[2]), 4);
}

/*
 * SGI 0 is INTID 0, the INTID of an empty LR. Linux uses it for IPI_RESCHEDULE; with a
 * direct slot it sits in LR1 or later and must survive a sync that the guest did not take it in.
 */
/* SGI 0 pending at priority 0x40, group 1: its LR (INTID 0). */
#define SGI0_LR (0x40ULL << ICH_LR_PRIORITY_SHIFT | ICH_LR_GROUP | ICH_LR_STATE_PENDING)

/* SGI 0 pending and listed in LR1, beside the reserved slot; false (the test stops) if not. */
static bool list_sgi0_beside_the_slot(struct gic_lr_state *s)
{
	if (!setup(1, 32)) {
		return false;
	}
	ppi_setup(0, 0, 0x40);
	vgic_inject(&g, 0, 0);
	lr_state_direct(s, 4);
	vgic_flush_lrs(&g, 0, s);
	EXPECT_TRUE(s->direct);
	EXPECT_EQ(s->used_lrs, 2);
	EXPECT_EQ(s->lr[1], SGI0_LR);
	return s->used_lrs == 2 && s->lr[1] == SGI0_LR;
}

TEST(vgic3, sgi0_listed_beside_the_direct_slot_survives_sync)
{
	struct gic_lr_state s;

	ASSERT_TRUE(list_sgi0_beside_the_slot(&s));
	vgic_sync_lrs(&g, 0, &s); /* the guest never took it: LR1 still pending */
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISPENDR0), 4), BIT(0));
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 2);
	EXPECT_EQ(s.lr[1], SGI0_LR);
}

TEST(vgic3, sgi0_active_beside_the_direct_slot_stays_active_after_sync)
{
	struct gic_lr_state s;

	ASSERT_TRUE(list_sgi0_beside_the_slot(&s));
	lr_set_state(&s, 1, ICH_LR_STATE_ACTIVE); /* acknowledged, not yet deactivated */
	vgic_sync_lrs(&g, 0, &s);
	EXPECT_EQ(rd(&vgic_redist_ops, GICR(0, GICR_ISACTIVER0), 4), BIT(0));
}

/*
 * vgic_inject_direct() after a sync fills the LR after the slot; a rescan (caused by another
 * injection) folds it back and lists it again, after the slot and before the newcomer.
 */
static void check_direct_injection_survives_a_rescan(unsigned intid)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	ppi_setup(0, intid, 0x40);
	ppi_setup(0, 5, 0x80);
	lr_state_direct(&s, 4);
	vgic_flush_lrs(&g, 0, &s); /* nothing: clears the hint */
	vgic_sync_lrs(&g, 0, &s);
	vgic_inject_direct(&g, 0, intid, &s);
	ASSERT_EQ(s.used_lrs, 2);
	EXPECT_EQ(s.lr[0], 0);
	EXPECT_EQ(s.lr[1],
		  intid | 0x40ULL << ICH_LR_PRIORITY_SHIFT | ICH_LR_GROUP | ICH_LR_STATE_PENDING);
	vgic_inject(&g, 0, 5); /* the next flush rescans */
	vgic_flush_lrs(&g, 0, &s);
	EXPECT_TRUE(s.direct);
	ASSERT_EQ(s.used_lrs, 3);
	EXPECT_EQ(s.lr[0], 0);
	EXPECT_EQ(LR_INTID(s.lr[1]), intid);
	EXPECT_EQ(LR_INTID(s.lr[2]), 5);
}

TEST(vgic3, direct_injection_beside_the_slot_survives_a_rescan)
{
	check_direct_injection_survives_a_rescan(1);
}

/* The same with SGI 0, whose LR looks like the empty slot's INTID. */
TEST(vgic3, sgi0_injected_directly_beside_the_slot_survives_a_rescan)
{
	check_direct_injection_survives_a_rescan(0);
}

/*
 * An SPI placed directly in vCPU 0's LRs, then routed to vCPU 1: vCPU 1's flush finds it still
 * in vCPU 0's LRs, so lists nothing; vCPU 0's next flush folds it back, which must leave vCPU 1
 * a hint as well as a kick, or vCPU 1's flush skips it.
 */
TEST(vgic3, spi_rerouted_from_a_direct_lr_reaches_its_new_owner)
{
	struct gic_lr_state s0, s1;

	ASSERT_TRUE(setup(2, 32));
	spi_setup(40, 0x40, true);
	lr_state_init(&s0, 4);
	lr_state_init(&s1, 4);
	vgic_flush_lrs(&g, 0, &s0);
	vgic_flush_lrs(&g, 1, &s1);
	vgic_sync_lrs(&g, 0, &s0);
	vgic_inject_direct(&g, 0, 40, &s0);
	ASSERT_EQ(s0.used_lrs, 1);
	EXPECT_EQ(LR_INTID(s0.lr[0]), 40);
	wr(&vgic_dist_ops, GICD_IROUTER(40), 8, 1);
	vgic_flush_lrs(&g, 1, &s1);
	EXPECT_EQ(s1.used_lrs, 0); /* still in vCPU 0's LR */
	vgic_flush_lrs(&g, 0, &s0);
	EXPECT_EQ(s0.used_lrs, 0);
	EXPECT_EQ(kicks[1], 1);
	vgic_flush_lrs(&g, 1, &s1);
	ASSERT_EQ(s1.used_lrs, 1);
	EXPECT_EQ(LR_INTID(s1.lr[0]), 40);
}

/*
 * A device line held high across a reset: the interrupt is pending again as soon as the guest
 * enables it, and its next flush lists it (the reset must keep it a candidate).
 */
TEST(vgic3, line_held_high_across_a_reset_is_listed_once_enabled)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 64));
	lr_state_init(&s, 4);
	vgic_set_level(&g, 0, 20, true);
	vgic_set_level(&g, 0, 40, true);
	vgic_reset(&g);
	ppi_setup(0, 20, 0x40);
	spi_setup(40, 0x50, false);
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_EQ(s.used_lrs, 2);
	EXPECT_EQ(LR_INTID(s.lr[0]), 20);
	EXPECT_EQ(LR_INTID(s.lr[1]), 40);
}

/*
 * LR0 becomes the direct slot at a flush after an entry without one (the vCPU now has its CPU
 * to itself): what LR0 held is folded back and listed after the slot, and the slot is empty.
 */
TEST(vgic3, lr0_turned_direct_slot_starts_empty)
{
	struct gic_lr_state s;

	ASSERT_TRUE(setup(1, 32));
	ppi_setup(0, 3, 0x40);
	lr_state_init(&s, 4);
	vgic_flush_lrs(&g, 0, &s);
	vgic_sync_lrs(&g, 0, &s);
	vgic_inject_direct(&g, 0, 3, &s);
	ASSERT_EQ(s.used_lrs, 1);
	EXPECT_EQ(LR_INTID(s.lr[0]), 3);
	s.direct_ok = true;
	vgic_inject(&g, 0, 5); /* anything, so that the flush rescans */
	vgic_flush_lrs(&g, 0, &s);
	ASSERT_TRUE(s.direct);
	ASSERT_EQ(s.used_lrs, 2);
	EXPECT_EQ(s.lr[0], 0);
	EXPECT_EQ(LR_INTID(s.lr[1]), 3);
}
