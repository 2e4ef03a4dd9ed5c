/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Physical page allocator: a bitmap over one contiguous range of 4 KiB pages. It serves page
 * tables (single pages) and guest RAM (large, aligned, contiguous runs). PA = VA in Tessera's
 * identity-mapped EL2 address space, so callers may dereference what it returns.
 */
#ifndef HYP_PAGE_ALLOC_H
#define HYP_PAGE_ALLOC_H

#include "hyp/spinlock.h"
#include "hyp/types.h"

#define PAGE_SIZE 4096ULL
#define PAGE_SHIFT 12

struct page_pool {
	struct spinlock lock;
	uint64_t base; /**< physical address of page 0 */
	uint64_t npages;
	uint64_t *bitmap; /**< bit set = page in use */
	uint64_t free_pages;
	uint64_t hint; /**< where the next single-page search starts */
};

/** Manage [base, base + size); bitmap must hold size / 4 KiB bits. All pages start free. */
int __must_check page_pool_init(struct page_pool *p, hpa_t base, uint64_t size, uint64_t *bitmap,
				size_t bitmap_words);
/** Mark a range in use (the image, boot modules, the DTB); ranges outside the pool are clipped. */
void page_pool_reserve(struct page_pool *p, hpa_t base, uint64_t size);
/**
 * count contiguous pages aligned to align_pages (a power of two): 0 or -ENOMEM. The pages are not
 * zeroed: page tables clear what they take, guest RAM is cleared once per VM build.
 */
int __must_check page_alloc(struct page_pool *p, size_t count, size_t align_pages, hpa_t *out);
/** Largest run of free pages starting on an align_pages boundary (what page_alloc can give). */
uint64_t page_pool_largest_run(struct page_pool *p, size_t align_pages);
/** Return pages to the pool. Freeing pages that are not allocated is an invariant failure. */
void page_free(struct page_pool *p, hpa_t pa, size_t count);

#endif
