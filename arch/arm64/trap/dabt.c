// SPDX-License-Identifier: Apache-2.0
/*
 * Stage-2 aborts: a data abort with a valid instruction syndrome becomes a struct mmio_access
 * for the VM's device models (ARM DDI0487 K.a D19.2.40, ISS for Data Abort). Anything else —
 * no syndrome, a page-table walk into device space, an address nobody claims — is reflected
 * to the guest as a synchronous external abort.
 */
#include "hyp/arch/sysreg.h"
#include "hyp/arch/trap.h"
#include "hyp/vm.h"
#include "hyp/vm_mmio.h"

/* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4], ARM DDI0487 K.a D19.2.52 */
static uint64_t fault_ipa(const struct vcpu_fault *f)
{
	return ((f->hpfar_el2 & GENMASK(43, 4)) << 8) | (f->far_el2 & 0xfff);
}

static uint64_t extend_read(uint64_t esr, uint64_t val, unsigned width)
{
	unsigned bits = width * 8;

	if ((esr & DABT_SSE) && bits < 64 && (val & BIT(bits - 1))) {
		val |= ~0ULL << bits;
	}
	return (esr & DABT_SF) ? val : (val & 0xffffffffULL);
}

static bool decode(const struct vcpu *v, struct mmio_access *acc, unsigned *rt)
{
	uint64_t esr = v->arch.fault.esr_el2;

	if (!(esr & DABT_ISV) || (esr & DABT_S1PTW)) {
		return false;
	}
	acc->addr = fault_ipa(&v->arch.fault);
	acc->width = (uint8_t)(1U << ((esr >> DABT_SAS_SHIFT) & 3));
	acc->write = (esr & DABT_WNR) != 0;
	*rt = (unsigned)((esr >> DABT_SRT_SHIFT) & 0x1f);
	acc->value = acc->write ? vcpu_reg_get(v, *rt) : 0;
	if (acc->width < 8) {
		acc->value &= (1ULL << (acc->width * 8)) - 1;
	}
	return true;
}

void arm64_trap_dabt(struct vcpu *v)
{
	struct mmio_access acc;
	unsigned rt;

	if (!decode(v, &acc, &rt) || vm_mmio(v->vm, &acc) != 0) {
		vcpu_count_exit(v, TESSERA_EXIT_ABORT);
		arm64_inject_dabt(v, v->arch.fault.far_el2,
				  (v->arch.fault.esr_el2 & DABT_WNR) != 0);
		return;
	}
	vcpu_count_exit(v, TESSERA_EXIT_MMIO);
	if (!acc.write) {
		vcpu_reg_set(v, rt, extend_read(v->arch.fault.esr_el2, acc.value, acc.width));
	}
	vcpu_pc_advance(v);
}

/* Instruction fetch from an IPA without RAM: the guest jumped somewhere it has nothing. */
void arm64_trap_iabt(struct vcpu *v)
{
	vcpu_count_exit(v, TESSERA_EXIT_ABORT);
	arm64_inject_iabt(v, v->arch.fault.far_el2);
}
