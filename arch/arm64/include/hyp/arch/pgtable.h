/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VMSAv8-64 stage-2 translation table format for a 4 KiB granule (ARM DDI0487 K.a D8.3): the
 * geometry of the walk and pure functions that build and decode descriptors. No side effects,
 * so core/mm/stage2.c and the host fake share it.
 */
#ifndef HYP_ARCH_PGTABLE_H
#define HYP_ARCH_PGTABLE_H

#include "hyp/stage2.h"
#include "hyp/types.h"

/* Walk geometry: a 39-bit IPA space starts at level 1 (VTCR_EL2.T0SZ = 25, SL0 = 1). */
#define ARCH_S2_START_LEVEL 1U
#define ARCH_S2_LAST_LEVEL 3U
#define ARCH_PT_ENTRIES 512U
#define ARCH_PT_BITS 9U

/* Descriptor fields, ARM DDI0487 K.a D8.3 (stage-2 table, block and page descriptors). */
#define S2PTE_VALID BIT(0)
#define S2PTE_TABLE BIT(1) /* table at levels 0-2, page at level 3 */
#define S2PTE_MEMATTR_SHIFT 2
#define S2PTE_MEMATTR_MASK GENMASK(5, 2)
#define S2PTE_MEMATTR_NORMAL_WB 0xFULL /* Outer and Inner Write-Back Cacheable */
#define S2PTE_MEMATTR_DEVICE_nGnRE 0x1ULL
#define S2PTE_S2AP_R BIT(6)
#define S2PTE_S2AP_W BIT(7)
#define S2PTE_SH_INNER (3ULL << 8)
#define S2PTE_AF BIT(10) /* always set: Tessera does not manage the Access flag */
#define S2PTE_XN_SHIFT 53
#define S2PTE_XN_MASK GENMASK(54, 53)
#define S2PTE_XN_EL1_EL0 (2ULL << S2PTE_XN_SHIFT) /* XN[1:0] = 0b10: no execution at EL1 or EL0 */
#define S2PTE_OA_MASK GENMASK(47, 12)

/*
 * VTCR_EL2 for this format (ARM DDI0487 K.a, VTCR_EL2): T0SZ = 25, SL0 = 1 (start at level 1),
 * IRGN0/ORGN0 = WBWA, SH0 = Inner Shareable, TG0 = 4 KiB, bit 31 RES1. PS is left 0: the arch code
 * ORs in the physical address size read from ID_AA64MMFR0_EL1.PARange.
 */
#define ARCH_VTCR_EL2_S2_39BIT                                                                     \
	(BIT(31) | (3ULL << 12) | (1ULL << 10) | (1ULL << 8) | (1ULL << 6) | 25ULL)

/** Bytes mapped by one entry at level (1 GiB at level 1, 2 MiB at level 2, 4 KiB at level 3). */
static inline uint64_t arch_s2_level_size(unsigned level)
{
	return 1ULL << (12U + ARCH_PT_BITS * (ARCH_S2_LAST_LEVEL - level));
}

/** Index of ipa in a table at level. */
static inline unsigned arch_s2_index(uint64_t ipa, unsigned level)
{
	return (unsigned)((ipa / arch_s2_level_size(level)) % ARCH_PT_ENTRIES);
}

/** Whether level may hold a block descriptor: 1 GiB at level 1 and 2 MiB at level 2. */
static inline bool arch_s2_level_has_block(unsigned level)
{
	return level == 1U || level == 2U;
}

static inline bool arch_s2pte_is_valid(uint64_t pte)
{
	return (pte & S2PTE_VALID) != 0;
}

/** A valid descriptor pointing to a next-level table (never true at level 3). */
static inline bool arch_s2pte_is_table(uint64_t pte, unsigned level)
{
	return level < ARCH_S2_LAST_LEVEL &&
	       (pte & (S2PTE_VALID | S2PTE_TABLE)) == (S2PTE_VALID | S2PTE_TABLE);
}

/** A valid block (levels 1-2) or page (level 3) descriptor; bit 1 clear at level 3 is invalid. */
static inline bool arch_s2pte_is_leaf(uint64_t pte, unsigned level)
{
	if (!arch_s2pte_is_valid(pte)) {
		return false;
	}
	return level == ARCH_S2_LAST_LEVEL ? (pte & S2PTE_TABLE) != 0 : (pte & S2PTE_TABLE) == 0;
}

/** Output address (next table or mapped memory), bits [47:12]. */
static inline uint64_t arch_s2pte_addr(uint64_t pte)
{
	return pte & S2PTE_OA_MASK;
}

/** Table descriptor; stage 2 has no hierarchical NSTable/APTable/XNTable bits. */
static inline uint64_t arch_s2pte_table(uint64_t table_pa)
{
	return (table_pa & S2PTE_OA_MASK) | S2PTE_TABLE | S2PTE_VALID;
}

/** Block (level 1-2) or page (level 3) descriptor mapping pa with S2_* attributes. */
static inline uint64_t arch_s2pte_leaf(uint64_t pa, unsigned attr, unsigned level)
{
	uint64_t memattr =
	    (attr & S2_DEVICE) ? S2PTE_MEMATTR_DEVICE_nGnRE : S2PTE_MEMATTR_NORMAL_WB;
	uint64_t pte = (pa & S2PTE_OA_MASK) | S2PTE_VALID | S2PTE_AF | S2PTE_SH_INNER |
		       (memattr << S2PTE_MEMATTR_SHIFT);

	pte |= (attr & S2_READ) ? S2PTE_S2AP_R : 0;
	pte |= (attr & S2_WRITE) ? S2PTE_S2AP_W : 0;
	pte |= (attr & S2_EXEC) ? 0 : S2PTE_XN_EL1_EL0;
	pte |= (level == ARCH_S2_LAST_LEVEL) ? S2PTE_TABLE : 0;
	return pte;
}

/** S2_* attributes of a leaf descriptor (the inverse of arch_s2pte_leaf). */
static inline unsigned arch_s2pte_attr(uint64_t pte)
{
	unsigned attr = 0;

	attr |= (pte & S2PTE_S2AP_R) ? S2_READ : 0;
	attr |= (pte & S2PTE_S2AP_W) ? S2_WRITE : 0;
	attr |= (pte & S2PTE_XN_MASK) ? 0 : S2_EXEC;
	if (((pte & S2PTE_MEMATTR_MASK) >> S2PTE_MEMATTR_SHIFT) != S2PTE_MEMATTR_NORMAL_WB) {
		attr |= S2_DEVICE;
	}
	return attr;
}

#endif
