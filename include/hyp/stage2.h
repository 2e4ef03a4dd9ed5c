/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage-2 translation (guest IPA -> host PA) for one VM: 4 KiB granule, 39-bit IPA starting at
 * level 1, 1 GiB and 2 MiB block mappings where size and alignment allow. Changes to a live
 * entry follow break-before-make (ARM DDI0487 K.a D8.14.1): invalidate, TLBI, then write.
 */
#ifndef HYP_STAGE2_H
#define HYP_STAGE2_H

#include "hyp/page_alloc.h"
#include "hyp/spinlock.h"
#include "hyp/types.h"

#define STAGE2_IPA_BITS 39

/* Permissions and memory type of a mapping. */
#define S2_READ BIT(0)
#define S2_WRITE BIT(1)
#define S2_EXEC BIT(2)
#define S2_DEVICE BIT(3) /**< Device-nGnRE instead of Normal write-back */
#define S2_RWX (S2_READ | S2_WRITE | S2_EXEC)

struct stage2 {
	struct spinlock lock;
	struct page_pool *pool;
	hpa_t root; /**< level-1 table */
	uint16_t vmid;
	uint64_t table_pages; /**< tables below the root currently allocated, for leak checks */
};

int __must_check stage2_init(struct stage2 *s2, struct page_pool *pool, uint16_t vmid);
/** Map [ipa, ipa + size) to [pa, pa + size); all three 4 KiB aligned. Replaces existing entries. */
int __must_check stage2_map(struct stage2 *s2, gpa_t ipa, hpa_t pa, uint64_t size, unsigned attr);
/** Remove mappings in the range, splitting blocks that straddle its ends. */
int __must_check stage2_unmap(struct stage2 *s2, gpa_t ipa, uint64_t size);
/** Change the permissions of mapped pages in the range, splitting blocks as needed. */
int __must_check stage2_protect(struct stage2 *s2, gpa_t ipa, uint64_t size, unsigned attr);
/** Walk the tables: true with pa, attr and the leaf's level when ipa is mapped. */
bool stage2_translate(struct stage2 *s2, gpa_t ipa, hpa_t *pa, unsigned *attr, unsigned *level);
/** Memory the VM's tables take now, root included: its share of the per-VM overhead. */
static inline uint64_t stage2_table_bytes(const struct stage2 *s2)
{
	return (s2->table_pages + (s2->root.v != 0)) * PAGE_SIZE;
}
/** Free every table page (the VM is gone and its VMID's TLB entries have been invalidated). */
void stage2_destroy(struct stage2 *s2);
/** VTTBR_EL2 value: VMID and root table. */
uint64_t stage2_vttbr(const struct stage2 *s2);

/* Hooks the arch layer implements: TLB maintenance for one VMID (TLBI IPAS2E1IS/VMALLS12E1IS). */
void arch_stage2_tlbi_ipa(uint16_t vmid, gpa_t ipa);
void arch_stage2_tlbi_vmid(uint16_t vmid);
/** Make a table write visible to the page-table walker (DSB ISHST on arm64). */
void arch_pgtable_sync(void);

#endif
