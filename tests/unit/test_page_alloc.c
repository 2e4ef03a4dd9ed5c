// SPDX-License-Identifier: Apache-2.0
/* Unit tests for core/mm/page_alloc.c. The pool never touches its memory, so addresses are fake. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hyp/arch/fake.h"
#include "hyp/errno.h"
#include "hyp/page_alloc.h"

#include "test.h"

#define POOL_BASE 0x40000000ULL /* 1 GiB: aligned for every run size used below */
#define POOL_PAGES 2048ULL

static uint64_t bitmap[POOL_PAGES / 64];

static int pool_setup(struct page_pool *p)
{
	return page_pool_init(p, hpa(POOL_BASE), POOL_PAGES * PAGE_SIZE, bitmap,
			      ARRAY_SIZE(bitmap));
}

TEST(page_alloc, init)
{
	struct page_pool p;

	ASSERT_EQ(pool_setup(&p), 0);
	EXPECT_EQ(p.npages, POOL_PAGES);
	EXPECT_EQ(p.free_pages, POOL_PAGES);
	EXPECT_EQ(p.base, POOL_BASE);
	/* Unaligned base or size, or a bitmap that is too small, are refused. */
	EXPECT_EQ(page_pool_init(&p, hpa(POOL_BASE + 1), PAGE_SIZE, bitmap, 1), -EINVAL);
	EXPECT_EQ(page_pool_init(&p, hpa(POOL_BASE), PAGE_SIZE + 1, bitmap, 1), -EINVAL);
	EXPECT_EQ(page_pool_init(&p, hpa(POOL_BASE), 65 * PAGE_SIZE, bitmap, 1), -EINVAL);
	EXPECT_EQ(page_pool_init(&p, hpa(POOL_BASE), 0, bitmap, 1), -EINVAL);
}

TEST(page_alloc, alloc_free)
{
	struct page_pool p;
	hpa_t a, b, c;

	ASSERT_EQ(pool_setup(&p), 0);
	ASSERT_EQ(page_alloc(&p, 1, 1, &a), 0);
	ASSERT_EQ(page_alloc(&p, 1, 1, &b), 0);
	EXPECT_EQ(a.v, POOL_BASE);
	EXPECT_EQ(b.v, POOL_BASE + PAGE_SIZE);
	EXPECT_EQ(p.free_pages, POOL_PAGES - 2);
	page_free(&p, a, 1);
	EXPECT_EQ(p.free_pages, POOL_PAGES - 1);
	/* The hint moves back to the freed page, so it is reused first. */
	ASSERT_EQ(page_alloc(&p, 1, 1, &c), 0);
	EXPECT_EQ(c.v, a.v);
	page_free(&p, b, 1);
	page_free(&p, c, 1);
	EXPECT_EQ(p.free_pages, POOL_PAGES);
}

TEST(page_alloc, single_pages_start_at_hint)
{
	struct page_pool p;
	hpa_t a;

	ASSERT_EQ(pool_setup(&p), 0);
	p.hint = 100;
	ASSERT_EQ(page_alloc(&p, 1, 1, &a), 0);
	EXPECT_EQ(a.v, POOL_BASE + 100 * PAGE_SIZE);
	EXPECT_EQ(p.hint, 101);
	/* The search wraps around to the start of the pool. */
	p.hint = POOL_PAGES - 1;
	page_pool_reserve(&p, hpa(POOL_BASE + (POOL_PAGES - 1) * PAGE_SIZE), PAGE_SIZE);
	ASSERT_EQ(page_alloc(&p, 1, 1, &a), 0);
	EXPECT_EQ(a.v, POOL_BASE);
}

TEST(page_alloc, alignment)
{
	struct page_pool p;
	hpa_t one, run;

	ASSERT_EQ(pool_setup(&p), 0);
	ASSERT_EQ(page_alloc(&p, 1, 1, &one), 0);
	ASSERT_EQ(page_alloc(&p, 4, 16, &run), 0);
	EXPECT_EQ(run.v, POOL_BASE + 16 * PAGE_SIZE);
	EXPECT_TRUE(IS_ALIGNED(run.v, 16 * PAGE_SIZE));
	/* First fit: the gap after the single page still serves an unaligned run. */
	ASSERT_EQ(page_alloc(&p, 3, 1, &run), 0);
	EXPECT_EQ(run.v, POOL_BASE + PAGE_SIZE);
	EXPECT_EQ(page_alloc(&p, 1, 3, &run), -EINVAL);
	EXPECT_EQ(page_alloc(&p, 0, 1, &run), -EINVAL);
}

TEST(page_alloc, alignment_is_physical)
{
	static uint64_t bm[1];
	struct page_pool p;
	hpa_t run;

	/* A pool starting one page past a 16-page boundary: the first aligned run is at page 15. */
	ASSERT_EQ(page_pool_init(&p, hpa(POOL_BASE + PAGE_SIZE), 64 * PAGE_SIZE, bm, 1), 0);
	ASSERT_EQ(page_alloc(&p, 2, 16, &run), 0);
	EXPECT_EQ(run.v, POOL_BASE + 16 * PAGE_SIZE);
}

TEST(page_alloc, exhaustion)
{
	struct page_pool p;
	hpa_t a;

	ASSERT_EQ(pool_setup(&p), 0);
	ASSERT_EQ(page_alloc(&p, POOL_PAGES, 1, &a), 0);
	EXPECT_EQ(p.free_pages, 0);
	EXPECT_EQ(page_alloc(&p, 1, 1, &a), -ENOMEM);
	page_free(&p, hpa(POOL_BASE + 7 * PAGE_SIZE), 1);
	EXPECT_EQ(page_alloc(&p, 2, 1, &a), -ENOMEM);
	ASSERT_EQ(page_alloc(&p, 1, 1, &a), 0);
	EXPECT_EQ(a.v, POOL_BASE + 7 * PAGE_SIZE);
	EXPECT_EQ(page_alloc(&p, POOL_PAGES + 1, 1, &a), -ENOMEM);
}

TEST(page_alloc, fragmentation_defeats_runs)
{
	struct page_pool p;
	hpa_t a;

	ASSERT_EQ(pool_setup(&p), 0);
	/* Every 8th page in use: plenty of free pages, no run of 8. */
	for (uint64_t i = 0; i < POOL_PAGES; i += 8) {
		page_pool_reserve(&p, hpa(POOL_BASE + i * PAGE_SIZE), PAGE_SIZE);
	}
	EXPECT_EQ(p.free_pages, POOL_PAGES - POOL_PAGES / 8);
	EXPECT_EQ(page_alloc(&p, 8, 1, &a), -ENOMEM);
	ASSERT_EQ(page_alloc(&p, 7, 1, &a), 0);
	EXPECT_EQ(a.v, POOL_BASE + PAGE_SIZE);
}

TEST(page_alloc, reserve_clips_to_pool)
{
	struct page_pool p;
	hpa_t a;

	ASSERT_EQ(pool_setup(&p), 0);
	/* Starts below the pool, ends one byte into page 2: pages 0-2 become used. */
	page_pool_reserve(&p, hpa(POOL_BASE - 16 * PAGE_SIZE), 18 * PAGE_SIZE + 1);
	EXPECT_EQ(p.free_pages, POOL_PAGES - 3);
	/* Overlapping reservations are counted once. */
	page_pool_reserve(&p, hpa(POOL_BASE), 2 * PAGE_SIZE);
	EXPECT_EQ(p.free_pages, POOL_PAGES - 3);
	/* Past the end, entirely outside, and a size that would wrap around. */
	page_pool_reserve(&p, hpa(POOL_BASE + (POOL_PAGES - 1) * PAGE_SIZE), 1ULL << 40);
	EXPECT_EQ(p.free_pages, POOL_PAGES - 4);
	page_pool_reserve(&p, hpa(0), PAGE_SIZE);
	page_pool_reserve(&p, hpa(POOL_BASE + POOL_PAGES * PAGE_SIZE), PAGE_SIZE);
	page_pool_reserve(&p, hpa(UINT64_MAX - PAGE_SIZE), 2 * PAGE_SIZE);
	EXPECT_EQ(p.free_pages, POOL_PAGES - 4);
	ASSERT_EQ(page_alloc(&p, 1, 1, &a), 0);
	EXPECT_EQ(a.v, POOL_BASE + 3 * PAGE_SIZE);
}

TEST(page_alloc, run_of_512_aligned_512)
{
	struct page_pool p;
	hpa_t one, big, big2;

	ASSERT_EQ(pool_setup(&p), 0);
	ASSERT_EQ(page_alloc(&p, 1, 1, &one), 0);
	ASSERT_EQ(page_alloc(&p, 512, 512, &big), 0);
	EXPECT_EQ(big.v, POOL_BASE + 512 * PAGE_SIZE);
	EXPECT_TRUE(IS_ALIGNED(big.v, SZ_2M));
	EXPECT_EQ(p.free_pages, POOL_PAGES - 513);
	ASSERT_EQ(page_alloc(&p, 512, 512, &big2), 0);
	EXPECT_EQ(big2.v, POOL_BASE + 1024 * PAGE_SIZE);
	page_free(&p, big, 512);
	page_free(&p, big2, 512);
	page_free(&p, one, 1);
	EXPECT_EQ(p.free_pages, POOL_PAGES);
	ASSERT_EQ(page_alloc(&p, 2048, 512, &big), 0);
	EXPECT_EQ(big.v, POOL_BASE);
}

/* Run fn in a child process and report whether it died with SIGABRT (a CHECK failure). */
static bool dies(void (*fn)(void))
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(STDERR_FILENO); /* the expected panic message is noise here */
		fn();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		return false;
	}
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void free_unallocated(void)
{
	struct page_pool p;

	if (pool_setup(&p) == 0) {
		page_free(&p, hpa(POOL_BASE + PAGE_SIZE), 1);
	}
}

static void double_free(void)
{
	struct page_pool p;
	hpa_t a;

	if (pool_setup(&p) == 0 && page_alloc(&p, 2, 1, &a) == 0) {
		page_free(&p, a, 2);
		page_free(&p, hpa_add(a, PAGE_SIZE), 1);
	}
}

static void free_outside_pool(void)
{
	struct page_pool p;

	if (pool_setup(&p) == 0) {
		page_free(&p, hpa(POOL_BASE + POOL_PAGES * PAGE_SIZE), 1);
	}
}

TEST(page_alloc, free_of_unallocated_is_check_failure)
{
	EXPECT_TRUE(dies(free_unallocated));
	EXPECT_TRUE(dies(double_free));
	EXPECT_TRUE(dies(free_outside_pool));
}

TEST(page_alloc, largest_run_is_what_page_alloc_can_give)
{
	struct page_pool p;
	hpa_t a, b;

	ASSERT_EQ(fake_pool_create(&p, 64), 0);
	EXPECT_EQ(page_pool_largest_run(&p, 1), 64);
	ASSERT_EQ(page_alloc(&p, 1, 1, &a), 0); /* page 0 */
	ASSERT_EQ(page_alloc(&p, 1, 1, &b), 0); /* page 1 */
	page_free(&p, a, 1);
	EXPECT_EQ(page_pool_largest_run(&p, 1), 62); /* pages 2..63 */
	ASSERT_EQ(page_alloc(&p, 62, 1, &a), 0);     /* exactly that much fits */
	EXPECT_EQ(page_pool_largest_run(&p, 1), 1);  /* page 0 is left */
	EXPECT_EQ(page_pool_largest_run(&p, 3), 0);  /* not a power of two */
	fake_pool_destroy(&p);
}
