/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host fake arch: counters that the MMU hooks bump so tests can check break-before-make, and a
 * page pool backed by malloc'ed memory so table addresses are real pointers (PA == VA).
 */
#ifndef HYP_ARCH_FAKE_H
#define HYP_ARCH_FAKE_H

#include "hyp/page_alloc.h"
#include "hyp/types.h"

/** Calls to arch_stage2_tlbi_ipa, arch_stage2_tlbi_vmid and arch_pgtable_sync so far. */
extern uint64_t fake_tlbi_ipa_count;
extern uint64_t fake_tlbi_vmid_count;
extern uint64_t fake_pgtable_sync_count;
/** Arguments of the last arch_stage2_tlbi_ipa call. */
extern uint16_t fake_tlbi_last_vmid;
extern uint64_t fake_tlbi_last_ipa;

/** Reset every counter above to 0. */
void fake_mmu_reset(void);

/** A pool of npages over a fresh 4 KiB-aligned heap buffer; 0 or -ENOMEM. */
int __must_check fake_pool_create(struct page_pool *p, size_t npages);
/** Release the buffer and bitmap of a pool made by fake_pool_create. */
void fake_pool_destroy(struct page_pool *p);

#endif
