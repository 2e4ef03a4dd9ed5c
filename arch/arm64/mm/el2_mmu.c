// SPDX-License-Identifier: Apache-2.0
/*
 * Tessera's own EL2 stage-1 translation: an identity map built from 1 GiB blocks, Device for the
 * first GiB (GIC, UART) and Normal write-back for RAM. Exclusives and unaligned-safe accesses
 * need Normal memory, so the MMU is on before any lock is taken.
 */
#include "hyp/arch/mmu.h"
#include "hyp/arch/sysreg.h"
#include "hyp/platform.h"

/* Stage-1 block descriptor bits, ARM DDI0487 K.a D8.3.1 */
#define S1_VALID BIT(0)
#define S1_ATTRIDX(n) ((uint64_t)(n) << 2)
#define S1_AP_RW_EL2 BIT(6) /* AP[1] is RES1 in the EL2 regime; AP[2] = 0: writable */
#define S1_SH_INNER (3ULL << 8)
#define S1_AF BIT(10)
#define S1_XN BIT(54)

/* MAIR_EL2: attr0 Device-nGnRnE, attr1 Normal inner/outer write-back RW-allocate. */
#define MAIR_VALUE 0xff00ULL
/* TCR_EL2: T0SZ = 25 (39-bit VA, start at level 1), WBWA inner shareable walks, 4 KiB granule. */
#define TCR_RES1 (BIT(31) | BIT(23))
#define TCR_VALUE(ps)                                                                              \
	(TCR_RES1 | ((uint64_t)(ps) << 16) | (3ULL << 12) | (1ULL << 10) | (1ULL << 8) | 25ULL)

static uint64_t el2_l1[512] __aligned(4096);

static uint64_t block_for(uint64_t gib, const struct platform_info *info)
{
	uint64_t base = gib << 30;

	for (unsigned i = 0; i < info->mem_count; i++) {
		const struct mem_range *m = &info->mem[i];

		if (base + SZ_1G > m->base && base < m->base + m->size) {
			return base | S1_VALID | S1_ATTRIDX(1) | S1_AP_RW_EL2 | S1_SH_INNER | S1_AF;
		}
	}
	return gib == 0 ? (base | S1_VALID | S1_ATTRIDX(0) | S1_AP_RW_EL2 | S1_AF | S1_XN) : 0;
}

void arm64_mmu_build(const struct platform_info *info)
{
	for (uint64_t i = 0; i < ARRAY_SIZE(el2_l1); i++) {
		el2_l1[i] = block_for(i, info);
	}
}

void arm64_mmu_enable(void)
{
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;

	write_sysreg(mair_el2, MAIR_VALUE);
	write_sysreg(tcr_el2, TCR_VALUE(MIN(parange, 5ULL)));
	write_sysreg(ttbr0_el2, (uint64_t)(uintptr_t)el2_l1);
	/* Tables written with the MMU off: make them visible to the walker, drop stale TLBs. */
	dsb(ish);
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(ish);
	isb();
	write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA);
	isb();
}
