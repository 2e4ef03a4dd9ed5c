// SPDX-License-Identifier: Apache-2.0
/*
 * Host fake of the stage-2 MMU hooks: no TLB to maintain, so each hook only counts its calls,
 * and a heap-backed page pool whose physical addresses are the buffer's real pointers.
 */
#include <stdlib.h>

#include "hyp/arch/fake.h"
#include "hyp/errno.h"
#include "hyp/stage2.h"

uint64_t fake_tlbi_ipa_count;
uint64_t fake_tlbi_vmid_count;
uint64_t fake_pgtable_sync_count;
uint16_t fake_tlbi_last_vmid;
uint64_t fake_tlbi_last_ipa;

void fake_mmu_reset(void)
{
	fake_tlbi_ipa_count = 0;
	fake_tlbi_vmid_count = 0;
	fake_pgtable_sync_count = 0;
	fake_tlbi_last_vmid = 0;
	fake_tlbi_last_ipa = 0;
}

void arch_stage2_tlbi_ipa(uint16_t vmid, gpa_t ipa)
{
	fake_tlbi_ipa_count++;
	fake_tlbi_last_vmid = vmid;
	fake_tlbi_last_ipa = ipa.v;
}

void arch_stage2_tlbi_vmid(uint16_t vmid)
{
	fake_tlbi_vmid_count++;
	fake_tlbi_last_vmid = vmid;
}

void arch_pgtable_sync(void)
{
	fake_pgtable_sync_count++;
}

int fake_pool_create(struct page_pool *p, size_t npages)
{
	size_t words = (npages + 63) / 64;
	void *mem = aligned_alloc(PAGE_SIZE, npages * PAGE_SIZE);
	uint64_t *bitmap = calloc(words, sizeof(*bitmap));

	if (mem == NULL || bitmap == NULL ||
	    page_pool_init(p, hpa((uintptr_t)mem), npages * PAGE_SIZE, bitmap, words) != 0) {
		free(mem);
		free(bitmap);
		return -ENOMEM;
	}
	return 0;
}

void fake_pool_destroy(struct page_pool *p)
{
	free((void *)(uintptr_t)p->base);
	free(p->bitmap);
	p->base = 0;
	p->bitmap = NULL;
}
