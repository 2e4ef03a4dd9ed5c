// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for core/mm/stage2.c on the host fake MMU: table pages are real heap memory, the
 * mapped physical addresses are only numbers, and the fake counts TLB maintenance calls.
 */
#include "hyp/arch/fake.h"
#include "hyp/arch/pgtable.h"
#include "hyp/errno.h"
#include "hyp/stage2.h"

#include "test.h"

#define POOL_PAGES 64
#define VMID 7

struct fixture {
	struct page_pool pool;
	struct stage2 s2;
	uint64_t free_after_init;
};

static bool setup(struct fixture *f, size_t pages)
{
	if (fake_pool_create(&f->pool, pages) != 0) {
		return false;
	}
	if (stage2_init(&f->s2, &f->pool, VMID) != 0) {
		fake_pool_destroy(&f->pool);
		return false;
	}
	f->free_after_init = f->pool.free_pages;
	fake_mmu_reset();
	return true;
}

static void teardown(struct fixture *f)
{
	stage2_destroy(&f->s2);
	EXPECT_EQ(f->pool.free_pages, f->pool.npages);
	fake_pool_destroy(&f->pool);
}

/* The raw leaf descriptor for ipa, found with the descriptor helpers; 0 when unmapped. */
static uint64_t raw_leaf(const struct stage2 *s2, uint64_t ipa)
{
	uint64_t table = s2->root.v;

	for (unsigned l = ARCH_S2_START_LEVEL; l <= ARCH_S2_LAST_LEVEL; l++) {
		uint64_t pte = ((const uint64_t *)(uintptr_t)table)[arch_s2_index(ipa, l)];

		if (arch_s2pte_is_leaf(pte, l)) {
			return pte;
		}
		if (!arch_s2pte_is_table(pte, l)) {
			return 0;
		}
		table = arch_s2pte_addr(pte);
	}
	return 0;
}

/* Expect ipa to translate to pa through a leaf at level. */
static void expect_map(struct stage2 *s2, uint64_t ipa, uint64_t pa, unsigned level, int line)
{
	hpa_t out = hpa(0);
	unsigned lvl = 0, attr = 0;

	if (!stage2_translate(s2, gpa(ipa), &out, &attr, &lvl)) {
		test_fail(__FILE__, line, "ipa 0x%" PRIx64 " is not mapped", ipa);
		return;
	}
	if (out.v != pa || lvl != level) {
		test_fail(__FILE__, line,
			  "ipa 0x%" PRIx64 ": pa 0x%" PRIx64 " level %u, want 0x%" PRIx64
			  " level %u",
			  ipa, out.v, lvl, pa, level);
	}
}

#define EXPECT_MAP(s2, ipa, pa, level) expect_map(s2, ipa, pa, level, __LINE__)
#define EXPECT_UNMAPPED(s2, ipa) EXPECT_FALSE(stage2_translate(s2, gpa(ipa), NULL, NULL, NULL))

TEST(stage2, init_and_vttbr)
{
	struct fixture f;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	EXPECT_EQ(f.pool.free_pages, POOL_PAGES - 1);
	EXPECT_EQ(f.s2.table_pages, 0);
	EXPECT_TRUE(IS_ALIGNED(f.s2.root.v, PAGE_SIZE));
	EXPECT_EQ(stage2_vttbr(&f.s2), f.s2.root.v | ((uint64_t)VMID << 48));
	EXPECT_UNMAPPED(&f.s2, 0);
	EXPECT_UNMAPPED(&f.s2, 1ULL << 40);
	teardown(&f);
}

TEST(stage2, rejects_bad_ranges)
{
	struct fixture f;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	EXPECT_EQ(stage2_map(&f.s2, gpa(0x1000), hpa(0x1001), SZ_4K, S2_RWX), -EINVAL);
	EXPECT_EQ(stage2_map(&f.s2, gpa(0x1800), hpa(0x1000), SZ_4K, S2_RWX), -EINVAL);
	EXPECT_EQ(stage2_map(&f.s2, gpa(0x1000), hpa(0x1000), 0x800, S2_RWX), -EINVAL);
	EXPECT_EQ(stage2_map(&f.s2, gpa(0x1000), hpa(0x1000), 0, S2_RWX), -EINVAL);
	EXPECT_EQ(stage2_map(&f.s2, gpa((1ULL << 39) - SZ_4K), hpa(0), 2 * SZ_4K, S2_RWX), -EINVAL);
	EXPECT_EQ(stage2_map(&f.s2, gpa(0), hpa((1ULL << 48) - SZ_4K), 2 * SZ_4K, S2_RWX), -EINVAL);
	EXPECT_EQ(stage2_unmap(&f.s2, gpa(1ULL << 39), SZ_4K), -EINVAL);
	EXPECT_EQ(stage2_protect(&f.s2, gpa(0), UINT64_MAX & ~0xFFFULL, S2_READ), -EINVAL);
	EXPECT_EQ(f.s2.table_pages, 0);
	teardown(&f);
}

TEST(stage2, block_1g)
{
	struct fixture f;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	ASSERT_EQ(stage2_map(&f.s2, gpa(SZ_1G), hpa(2 * SZ_1G), SZ_1G, S2_RWX), 0);
	EXPECT_EQ(f.s2.table_pages, 0);
	EXPECT_MAP(&f.s2, SZ_1G, 2 * SZ_1G, 1);
	EXPECT_MAP(&f.s2, SZ_1G + 0x123456, 2 * SZ_1G + 0x123456, 1);
	EXPECT_MAP(&f.s2, 2 * SZ_1G - 1, 3 * SZ_1G - 1, 1);
	EXPECT_UNMAPPED(&f.s2, SZ_1G - 1);
	EXPECT_UNMAPPED(&f.s2, 2 * SZ_1G);
	teardown(&f);
}

TEST(stage2, block_2m)
{
	struct fixture f;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	EXPECT_EQ(stage2_table_bytes(&f.s2), PAGE_SIZE); /* the root alone */
	ASSERT_EQ(stage2_map(&f.s2, gpa(SZ_2M), hpa(0x40200000), SZ_2M, S2_RWX), 0);
	EXPECT_EQ(f.s2.table_pages, 1);
	EXPECT_EQ(stage2_table_bytes(&f.s2), 2 * PAGE_SIZE);
	EXPECT_MAP(&f.s2, SZ_2M + 0x1234, 0x40201234, 2);
	EXPECT_UNMAPPED(&f.s2, 2 * SZ_2M);
	teardown(&f);
}

TEST(stage2, pages_when_pa_unaligned)
{
	struct fixture f;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	/* The IPA is 2 MiB aligned but the PA is not: only 4 KiB pages can express it. */
	ASSERT_EQ(stage2_map(&f.s2, gpa(SZ_2M), hpa(0x40001000), SZ_2M, S2_RWX), 0);
	EXPECT_EQ(f.s2.table_pages, 2);
	EXPECT_MAP(&f.s2, SZ_2M, 0x40001000, 3);
	EXPECT_MAP(&f.s2, 2 * SZ_2M - 1, 0x40001000 + SZ_2M - 1, 3);
	teardown(&f);
}

TEST(stage2, mixed_range)
{
	struct fixture f;
	uint64_t ipa = SZ_1G - 2 * SZ_4K, pa = 5 * SZ_1G - 2 * SZ_4K;
	uint64_t size = 2 * SZ_4K + SZ_1G + SZ_2M + SZ_4K;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	ASSERT_EQ(stage2_map(&f.s2, gpa(ipa), hpa(pa), size, S2_READ | S2_WRITE), 0);
	/* Head: two pages below 1 GiB; body: one 1 GiB block; then a 2 MiB block and one page. */
	EXPECT_MAP(&f.s2, ipa, pa, 3);
	EXPECT_MAP(&f.s2, ipa + SZ_4K, pa + SZ_4K, 3);
	EXPECT_MAP(&f.s2, SZ_1G, 5 * SZ_1G, 1);
	EXPECT_MAP(&f.s2, 2 * SZ_1G - 1, 6 * SZ_1G - 1, 1);
	EXPECT_MAP(&f.s2, 2 * SZ_1G, 6 * SZ_1G, 2);
	EXPECT_MAP(&f.s2, 2 * SZ_1G + SZ_2M, 6 * SZ_1G + SZ_2M, 3);
	EXPECT_UNMAPPED(&f.s2, ipa - 1);
	EXPECT_UNMAPPED(&f.s2, ipa + size);
	/* Head: L2 + L3 under the first GiB; tail: L2 + L3 under the third. */
	EXPECT_EQ(f.s2.table_pages, 4);
	teardown(&f);
}

TEST(stage2, descriptor_bits)
{
	struct fixture f;
	uint64_t dev, mem;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	ASSERT_EQ(stage2_map(&f.s2, gpa(0x08000000), hpa(0x08000000), SZ_64K,
			     S2_READ | S2_WRITE | S2_DEVICE),
		  0);
	ASSERT_EQ(stage2_map(&f.s2, gpa(SZ_1G), hpa(SZ_1G), SZ_2M, S2_RWX), 0);
	dev = raw_leaf(&f.s2, 0x08000000);
	mem = raw_leaf(&f.s2, SZ_1G);

	EXPECT_EQ(dev & 3, 3);		  /* valid page at level 3 */
	EXPECT_EQ((dev >> 2) & 0xF, 0x1); /* MemAttr Device-nGnRE */
	EXPECT_EQ((dev >> 6) & 3, 3);	  /* S2AP read + write */
	EXPECT_EQ((dev >> 8) & 3, 3);	  /* Inner Shareable */
	EXPECT_TRUE(dev & BIT(10));	  /* AF */
	EXPECT_EQ((dev >> 53) & 3, 2);	  /* XN for EL1 and EL0 */
	EXPECT_EQ(dev & GENMASK(47, 12), 0x08000000);

	EXPECT_EQ(mem & 3, 1);		  /* valid block at level 2 */
	EXPECT_EQ((mem >> 2) & 0xF, 0xF); /* MemAttr Normal write-back */
	EXPECT_EQ((mem >> 53) & 3, 0);	  /* executable */
	EXPECT_TRUE(mem & BIT(10));
	EXPECT_EQ(mem & GENMASK(47, 12), SZ_1G);

	unsigned attr = 0;

	EXPECT_TRUE(stage2_translate(&f.s2, gpa(0x08001000), NULL, &attr, NULL));
	EXPECT_EQ(attr, S2_READ | S2_WRITE | S2_DEVICE);
	EXPECT_TRUE(stage2_translate(&f.s2, gpa(SZ_1G), NULL, &attr, NULL));
	EXPECT_EQ(attr, S2_RWX);
	teardown(&f);
}

TEST(stage2, unmap_middle_of_2m_block_splits_it)
{
	struct fixture f;
	uint64_t ipa = SZ_1G, pa = 3 * SZ_1G;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	ASSERT_EQ(stage2_map(&f.s2, gpa(ipa), hpa(pa), SZ_2M, S2_RWX), 0);
	EXPECT_EQ(f.s2.table_pages, 1);
	fake_mmu_reset();
	ASSERT_EQ(stage2_unmap(&f.s2, gpa(ipa + SZ_1G / 1024), SZ_4K), 0);
	/* The block was broken (TLBI by VMID) and the freed page invalidated by IPA. */
	EXPECT_EQ(fake_tlbi_vmid_count, 1);
	EXPECT_EQ(fake_tlbi_ipa_count, 1);
	EXPECT_EQ(fake_tlbi_last_ipa, ipa + SZ_1G / 1024);
	EXPECT_EQ(fake_tlbi_last_vmid, VMID);
	EXPECT_EQ(f.s2.table_pages, 2);
	EXPECT_UNMAPPED(&f.s2, ipa + SZ_1G / 1024);
	EXPECT_MAP(&f.s2, ipa, pa, 3);
	EXPECT_MAP(&f.s2, ipa + SZ_1G / 1024 - 1, pa + SZ_1G / 1024 - 1, 3);
	EXPECT_MAP(&f.s2, ipa + SZ_1G / 1024 + SZ_4K, pa + SZ_1G / 1024 + SZ_4K, 3);
	EXPECT_MAP(&f.s2, ipa + SZ_2M - 1, pa + SZ_2M - 1, 3);
	teardown(&f);
}

TEST(stage2, unmap_part_of_1g_block)
{
	struct fixture f;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	ASSERT_EQ(stage2_map(&f.s2, gpa(SZ_1G), hpa(SZ_1G), SZ_1G, S2_RWX), 0);
	/* Remove 2 MiB + 4 KiB: the 1 GiB block splits to 2 MiB blocks, one of which splits again.
	 */
	ASSERT_EQ(stage2_unmap(&f.s2, gpa(SZ_1G + SZ_2M), SZ_2M + SZ_4K), 0);
	EXPECT_EQ(f.s2.table_pages, 2);
	EXPECT_MAP(&f.s2, SZ_1G, SZ_1G, 2);
	EXPECT_UNMAPPED(&f.s2, SZ_1G + SZ_2M);
	EXPECT_UNMAPPED(&f.s2, SZ_1G + 2 * SZ_2M);
	EXPECT_MAP(&f.s2, SZ_1G + 2 * SZ_2M + SZ_4K, SZ_1G + 2 * SZ_2M + SZ_4K, 3);
	EXPECT_MAP(&f.s2, SZ_1G + 3 * SZ_2M, SZ_1G + 3 * SZ_2M, 2);
	EXPECT_MAP(&f.s2, 2 * SZ_1G - 1, 2 * SZ_1G - 1, 2);
	teardown(&f);
}

TEST(stage2, protect_to_read_only)
{
	struct fixture f;
	unsigned attr = 0, level = 0;
	hpa_t pa;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	ASSERT_EQ(stage2_map(&f.s2, gpa(SZ_2M), hpa(SZ_1G), SZ_2M, S2_READ | S2_WRITE), 0);
	ASSERT_EQ(stage2_map(&f.s2, gpa(0x09000000), hpa(0x09000000), SZ_4K,
			     S2_READ | S2_WRITE | S2_DEVICE),
		  0);
	fake_mmu_reset();
	ASSERT_EQ(stage2_protect(&f.s2, gpa(SZ_2M + SZ_4K), SZ_4K, S2_READ), 0);
	EXPECT_TRUE(fake_tlbi_vmid_count >= 1);
	ASSERT_TRUE(stage2_translate(&f.s2, gpa(SZ_2M + SZ_4K), &pa, &attr, &level));
	EXPECT_EQ(attr, S2_READ);
	EXPECT_EQ(level, 3);
	EXPECT_EQ(pa.v, SZ_1G + SZ_4K);
	ASSERT_TRUE(stage2_translate(&f.s2, gpa(SZ_2M), &pa, &attr, &level));
	EXPECT_EQ(attr, S2_READ | S2_WRITE);
	ASSERT_TRUE(stage2_translate(&f.s2, gpa(SZ_2M + 2 * SZ_4K), &pa, &attr, &level));
	EXPECT_EQ(attr, S2_READ | S2_WRITE);
	/* Protecting an unmapped range maps nothing; the device keeps its memory type. */
	ASSERT_EQ(stage2_protect(&f.s2, gpa(0), SZ_1G, S2_READ), 0);
	EXPECT_UNMAPPED(&f.s2, 0);
	ASSERT_TRUE(stage2_translate(&f.s2, gpa(SZ_2M + 2 * SZ_4K), &pa, &attr, &level));
	EXPECT_EQ(attr, S2_READ);
	ASSERT_TRUE(stage2_translate(&f.s2, gpa(0x09000000), &pa, &attr, &level));
	EXPECT_EQ(attr, S2_READ | S2_DEVICE);
	EXPECT_EQ(raw_leaf(&f.s2, 0x09000000) & S2PTE_S2AP_W, 0);
	teardown(&f);
}

TEST(stage2, protect_whole_block_keeps_block)
{
	struct fixture f;
	unsigned attr = 0, level = 0;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	ASSERT_EQ(stage2_map(&f.s2, gpa(SZ_1G), hpa(SZ_1G), SZ_1G, S2_RWX), 0);
	ASSERT_EQ(stage2_protect(&f.s2, gpa(SZ_1G), SZ_1G, S2_READ | S2_EXEC), 0);
	ASSERT_TRUE(stage2_translate(&f.s2, gpa(SZ_1G + 5), NULL, &attr, &level));
	EXPECT_EQ(attr, S2_READ | S2_EXEC);
	EXPECT_EQ(level, 1);
	EXPECT_EQ(f.s2.table_pages, 0);
	teardown(&f);
}

TEST(stage2, remap_live_mapping_is_break_before_make)
{
	struct fixture f;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	ASSERT_EQ(stage2_map(&f.s2, gpa(0x5000), hpa(0x80005000), SZ_4K, S2_RWX), 0);
	/* Filling an invalid entry needs no TLB maintenance. */
	EXPECT_EQ(fake_tlbi_ipa_count + fake_tlbi_vmid_count, 0);
	ASSERT_EQ(stage2_map(&f.s2, gpa(0x5000), hpa(0x90005000), SZ_4K, S2_RWX), 0);
	EXPECT_EQ(fake_tlbi_ipa_count, 1);
	EXPECT_EQ(fake_tlbi_last_ipa, 0x5000);
	EXPECT_MAP(&f.s2, 0x5000, 0x90005000, 3);
	/* The same mapping again changes nothing and needs no TLBI. */
	ASSERT_EQ(stage2_map(&f.s2, gpa(0x5000), hpa(0x90005000), SZ_4K, S2_RWX), 0);
	EXPECT_EQ(fake_tlbi_ipa_count, 1);

	/* A 2 MiB block over the page table: table freed after a VMID-wide TLBI. */
	uint64_t tables = f.s2.table_pages, syncs = fake_pgtable_sync_count;

	ASSERT_EQ(stage2_map(&f.s2, gpa(0), hpa(SZ_1G), SZ_2M, S2_RWX), 0);
	EXPECT_EQ(fake_tlbi_vmid_count, 1);
	EXPECT_EQ(f.s2.table_pages, tables - 1);
	EXPECT_TRUE(fake_pgtable_sync_count >= syncs + 2);
	EXPECT_MAP(&f.s2, 0x5000, SZ_1G + 0x5000, 2);
	teardown(&f);
}

TEST(stage2, unmap_everything_frees_all_tables)
{
	struct fixture f;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	ASSERT_EQ(stage2_map(&f.s2, gpa(SZ_1G - SZ_4K), hpa(SZ_1G - SZ_4K),
			     SZ_1G + SZ_2M + 2 * SZ_4K, S2_RWX),
		  0);
	ASSERT_EQ(stage2_map(&f.s2, gpa(100 * SZ_1G + 7 * SZ_4K), hpa(0x1000), SZ_4K, S2_READ), 0);
	EXPECT_TRUE(f.s2.table_pages > 0);
	ASSERT_EQ(stage2_unmap(&f.s2, gpa(0), 1ULL << STAGE2_IPA_BITS), 0);
	EXPECT_EQ(f.s2.table_pages, 0);
	EXPECT_EQ(f.pool.free_pages, f.free_after_init);
	EXPECT_UNMAPPED(&f.s2, SZ_1G);
	teardown(&f);
}

TEST(stage2, unmap_piecewise_frees_tables)
{
	struct fixture f;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	ASSERT_EQ(stage2_map(&f.s2, gpa(0x10000), hpa(0x10000), 4 * SZ_4K, S2_RWX), 0);
	EXPECT_EQ(f.s2.table_pages, 2);
	ASSERT_EQ(stage2_unmap(&f.s2, gpa(0x10000), SZ_4K), 0);
	ASSERT_EQ(stage2_unmap(&f.s2, gpa(0x12000), 2 * SZ_4K), 0);
	EXPECT_EQ(f.s2.table_pages, 2);
	ASSERT_EQ(stage2_unmap(&f.s2, gpa(0x11000), SZ_4K), 0);
	EXPECT_EQ(f.s2.table_pages, 0);
	EXPECT_EQ(f.pool.free_pages, f.free_after_init);
	teardown(&f);
}

TEST(stage2, out_of_table_pages_leaves_range_unmapped)
{
	struct fixture f;

	/* Root plus two pages: the range below needs four tables (L2+L3 on each side of 1 GiB). */
	ASSERT_TRUE(setup(&f, 3));
	EXPECT_EQ(stage2_map(&f.s2, gpa(SZ_1G - SZ_4K), hpa(0), 2 * SZ_4K, S2_RWX), -ENOMEM);
	EXPECT_UNMAPPED(&f.s2, SZ_1G - SZ_4K);
	EXPECT_UNMAPPED(&f.s2, SZ_1G);
	EXPECT_EQ(f.s2.table_pages, 0);
	EXPECT_EQ(f.pool.free_pages, f.free_after_init);
	teardown(&f);
}

TEST(stage2, destroy_frees_every_table)
{
	struct fixture f;

	ASSERT_TRUE(setup(&f, POOL_PAGES));
	ASSERT_EQ(stage2_map(&f.s2, gpa(0x1000), hpa(0x1000), 3 * SZ_2M, S2_RWX), 0);
	ASSERT_EQ(stage2_map(&f.s2, gpa(300 * SZ_1G), hpa(0x1000), SZ_4K, S2_RWX), 0);
	teardown(&f); /* checks that the pool is full again */
}
