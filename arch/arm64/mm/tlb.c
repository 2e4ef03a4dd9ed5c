// SPDX-License-Identifier: Apache-2.0
/*
 * Stage-2 TLB maintenance for one VMID (ARM DDI0487 K.a D8.13). TLBI by IPA acts on the VMID in
 * VTTBR_EL2, so it is switched for the operation. A stage-2 change can leave combined
 * stage-1+2 entries keyed by VA, hence VMALLE1IS after IPAS2E1IS.
 */
#include "hyp/arch/sysreg.h"
#include "hyp/stage2.h"

static uint64_t switch_vmid(uint16_t vmid)
{
	uint64_t old = read_sysreg(vttbr_el2);

	write_sysreg(vttbr_el2, (uint64_t)vmid << 48);
	isb();
	return old;
}

static void restore_vmid(uint64_t old)
{
	write_sysreg(vttbr_el2, old);
	isb();
}

void arch_stage2_tlbi_ipa(uint16_t vmid, gpa_t ipa)
{
	uint64_t old = switch_vmid(vmid);

	dsb(ishst); /* the invalid descriptor must be visible before the invalidation */
	__asm__ volatile("tlbi ipas2e1is, %0" ::"r"(ipa.v >> 12) : "memory");
	dsb(ish);
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb(ish);
	isb();
	restore_vmid(old);
}

void arch_stage2_tlbi_vmid(uint16_t vmid)
{
	uint64_t old = switch_vmid(vmid);

	dsb(ishst);
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	isb();
	restore_vmid(old);
}

void arch_pgtable_sync(void)
{
	dsb(ishst); /* descriptor writes visible to the table walker before use */
}
