// SPDX-License-Identifier: Apache-2.0
/*
 * Exception injection: make the guest take a synchronous exception at EL1 exactly as if the
 * hardware had raised it there (ARM DDI0487 K.a D1.10 "Exception entry"). The vCPU is loaded,
 * so its EL1 registers are live in hardware and are written directly.
 */
#include "hyp/arch/sysreg.h"
#include "hyp/arch/trap.h"

#define EC_TO_ESR(ec) ((uint64_t)(ec) << ESR_EC_SHIFT)
/* Vector offsets from VBAR_EL1, ARM DDI0487 K.a D1.10.2 Table D1-7 */
#define VEC_CUR_SP0 0x000
#define VEC_CUR_SPX 0x200
#define VEC_LOWER_A64 0x400
#define VEC_LOWER_A32 0x600
#define PSR_A32 BIT(4)

static uint64_t vector_offset(uint64_t pstate)
{
	if (pstate & PSR_A32) {
		return VEC_LOWER_A32;
	}
	switch (pstate & PSR_MODE_MASK) {
	case PSR_MODE_EL1T:
		return VEC_CUR_SP0;
	case PSR_MODE_EL1H:
		return VEC_CUR_SPX;
	default:
		return VEC_LOWER_A64;
	}
}

static bool from_el1(uint64_t pstate)
{
	return !(pstate & PSR_A32) && ((pstate & PSR_MODE_MASK) >> 2) == 1;
}

static void inject_sync(struct vcpu *v, uint64_t esr, uint64_t far)
{
	struct vcpu_regs *r = &v->arch.regs;

	write_sysreg(elr_el1, r->pc);
	write_sysreg(spsr_el1, r->pstate);
	write_sysreg(esr_el1, esr);
	write_sysreg(far_el1, far);
	r->pc = read_sysreg(vbar_el1) + vector_offset(r->pstate);
	r->pstate = PSR_MODE_EL1H | PSR_DAIF;
}

void arm64_inject_undef(struct vcpu *v)
{
	inject_sync(v, EC_TO_ESR(EC_UNKNOWN) | ESR_IL, 0);
}

void arm64_inject_dabt(struct vcpu *v, uint64_t far, bool write)
{
	uint64_t ec = from_el1(v->arch.regs.pstate) ? EC_DABT_CUR : EC_DABT_LOW;

	inject_sync(v, EC_TO_ESR(ec) | ESR_IL | (write ? DABT_WNR : 0) | FSC_SEA, far);
}

void arm64_inject_iabt(struct vcpu *v, uint64_t far)
{
	uint64_t ec = from_el1(v->arch.regs.pstate) ? EC_IABT_CUR : EC_IABT_LOW;

	inject_sync(v, EC_TO_ESR(ec) | ESR_IL | FSC_SEA, far);
}
