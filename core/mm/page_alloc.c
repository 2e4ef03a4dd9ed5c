// SPDX-License-Identifier: Apache-2.0
/*
 * Bitmap page allocator over one physical range. Owns the pool's bitmap and counters; every
 * public function takes p->lock (innermost in the lock order of hyp/spinlock.h).
 */
#include "hyp/page_alloc.h"

#include "hyp/check.h"
#include "hyp/errno.h"
#include "hyp/string.h"

#define WORD_BITS 64ULL

static uint64_t word_mask(uint64_t first, uint64_t last)
{
	/* Bits [first % 64, last % 64] of one word; first and last lie in the same word. */
	return GENMASK(last % WORD_BITS, first % WORD_BITS);
}

/* Index of the first bit in [from, to) equal to want (true = in use), or to when there is none. */
static uint64_t bitmap_find(const uint64_t *bm, uint64_t from, uint64_t to, bool want)
{
	while (from < to) {
		uint64_t w = bm[from / WORD_BITS];
		uint64_t hits = (want ? w : ~w) & GENMASK(63, from % WORD_BITS);

		if (hits != 0) {
			uint64_t i = ALIGN_DOWN(from, WORD_BITS) + (uint64_t)__builtin_ctzll(hits);

			return MIN(i, to);
		}
		from = ALIGN_DOWN(from, WORD_BITS) + WORD_BITS;
	}
	return to;
}

/*
 * Set bits in w, summed in parallel: pairs, nibbles, then bytes by one multiply. Not
 * __builtin_popcountll: without SIMD registers (-mgeneral-regs-only) GCC calls libgcc for it,
 * and EL2 code links no libgcc (its calling convention differs, Makefile).
 */
static uint64_t bits_set(uint64_t w)
{
	w -= (w >> 1) & 0x5555555555555555ULL;
	w = (w & 0x3333333333333333ULL) + ((w >> 2) & 0x3333333333333333ULL);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (w * 0x0101010101010101ULL) >> 56;
}

/* Set or clear bits [start, start + count); returns how many bits changed value. */
static uint64_t bitmap_assign(uint64_t *bm, uint64_t start, uint64_t count, bool set)
{
	uint64_t end = start + count, changed = 0;

	while (start < end) {
		uint64_t last = MIN(end, ALIGN_DOWN(start, WORD_BITS) + WORD_BITS) - 1;
		uint64_t mask = word_mask(start, last);
		uint64_t *w = &bm[start / WORD_BITS];

		changed += (uint64_t)bits_set((set ? ~*w : *w) & mask);
		*w = set ? (*w | mask) : (*w & ~mask);
		start = last + 1;
	}
	return changed;
}

/**
 * Manage [base, base + size) with all pages free; the bitmap must cover every page. Only its
 * first ceil(pages / 64) words are initialised and ever read, so the rest need not be cleared.
 */
int page_pool_init(struct page_pool *p, hpa_t base, uint64_t size, uint64_t *bitmap,
		   size_t bitmap_words)
{
	uint64_t npages = size >> PAGE_SHIFT;

	if (!IS_ALIGNED(base.v, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE) || npages == 0 ||
	    base.v + size < base.v || bitmap_words < ALIGN_UP(npages, WORD_BITS) / WORD_BITS) {
		return -EINVAL;
	}
	p->lock = (struct spinlock)SPINLOCK_INIT;
	p->base = base.v;
	p->npages = npages;
	p->bitmap = bitmap;
	p->free_pages = npages;
	p->hint = 0;
	/* Only the words that cover the pool: nothing reads past bit npages - 1. */
	memset(bitmap, 0, ALIGN_UP(npages, WORD_BITS) / WORD_BITS * sizeof(*bitmap));
	return 0;
}

/** Mark [base, base + size) in use, clipped to the pool and widened to whole pages. */
void page_pool_reserve(struct page_pool *p, hpa_t base, uint64_t size)
{
	uint64_t pool_end = p->base + p->npages * PAGE_SIZE;
	uint64_t end = (size > UINT64_MAX - base.v) ? UINT64_MAX : base.v + size;
	uint64_t first, last;

	if (size == 0 || end <= p->base || base.v >= pool_end) {
		return;
	}
	first = (MAX(base.v, p->base) - p->base) >> PAGE_SHIFT;
	last = (MIN(end, pool_end) - 1 - p->base) >> PAGE_SHIFT;

	spin_lock(&p->lock);
	p->free_pages -= bitmap_assign(p->bitmap, first, last - first + 1, true);
	spin_unlock(&p->lock);
}

/* First free page at or after from, wrapping once; npages when the pool is full. */
static uint64_t find_single(const struct page_pool *p, uint64_t from)
{
	uint64_t i = bitmap_find(p->bitmap, from, p->npages, false);

	if (i == p->npages) {
		i = bitmap_find(p->bitmap, 0, from, false);
		i = (i == from) ? p->npages : i;
	}
	return i;
}

/* First fit: lowest run of count free pages whose physical address is align-aligned. */
static uint64_t find_run(const struct page_pool *p, uint64_t count, uint64_t align)
{
	uint64_t pfn0 = p->base >> PAGE_SHIFT;
	uint64_t i = ALIGN_UP(pfn0, align) - pfn0;

	while (i < p->npages && count <= p->npages - i) {
		uint64_t used = bitmap_find(p->bitmap, i, i + count, true);

		if (used == i + count) {
			return i;
		}
		/* Skip every candidate that would still contain the used page. */
		i = ALIGN_UP(pfn0 + used + 1, align) - pfn0;
	}
	return p->npages;
}

/** Allocate count contiguous pages aligned to align_pages; 0, -EINVAL or -ENOMEM. */
int page_alloc(struct page_pool *p, size_t count, size_t align_pages, hpa_t *out)
{
	uint64_t i;
	int ret = 0;

	if (count == 0 || align_pages == 0 || (align_pages & (align_pages - 1)) != 0) {
		return -EINVAL;
	}
	spin_lock(&p->lock);
	if (count > p->free_pages) {
		ret = -ENOMEM;
		goto out;
	}
	i = (count == 1 && align_pages == 1) ? find_single(p, p->hint)
					     : find_run(p, count, align_pages);
	if (i == p->npages) {
		ret = -ENOMEM;
		goto out;
	}
	bitmap_assign(p->bitmap, i, count, true);
	p->free_pages -= count;
	if (count == 1) {
		p->hint = (i + 1 == p->npages) ? 0 : i + 1;
	}
	*out = hpa(p->base + (i << PAGE_SHIFT));
out:
	spin_unlock(&p->lock);
	return ret;
}

/** Return count pages at pa; they must all be allocated (a double free is a hypervisor bug). */
void page_free(struct page_pool *p, hpa_t pa, size_t count)
{
	uint64_t i = (pa.v - p->base) >> PAGE_SHIFT;

	CHECK(IS_ALIGNED(pa.v, PAGE_SIZE) && pa.v >= p->base);
	CHECK(i < p->npages && count <= p->npages - i && count > 0);

	spin_lock(&p->lock);
	CHECK(bitmap_find(p->bitmap, i, i + count, false) == i + count);
	bitmap_assign(p->bitmap, i, count, false);
	p->free_pages += count;
	/* Prefer low pages again so tables and small allocations stay packed. */
	p->hint = MIN(p->hint, i);
	spin_unlock(&p->lock);
}

/** Largest run of free pages starting on an align_pages boundary, in pages. */
uint64_t page_pool_largest_run(struct page_pool *p, size_t align_pages)
{
	uint64_t pfn0 = p->base >> PAGE_SHIFT, best = 0;
	uint64_t i;

	if (align_pages == 0 || (align_pages & (align_pages - 1)) != 0) {
		return 0;
	}
	spin_lock(&p->lock);
	i = ALIGN_UP(pfn0, align_pages) - pfn0;
	while (i < p->npages) {
		uint64_t end = bitmap_find(p->bitmap, i, p->npages, true);

		best = MAX(best, end - i);
		/* The next candidate starts at the first aligned free page after this used one. */
		i = bitmap_find(p->bitmap, end, p->npages, false);
		i = ALIGN_UP(pfn0 + i, align_pages) - pfn0;
	}
	spin_unlock(&p->lock);
	return best;
}
