// SPDX-License-Identifier: Apache-2.0
/*
 * Stage-2 aborts: a data abort with a valid instruction syndrome becomes a read or a write
 * for the VM's device models (ARM DDI0487 K.a D19.2.40, ISS for Data Abort), on the light path
 * or the full one. Anything else — no syndrome, a page-table walk into device space, an address
 * nobody claims — is reflected to the guest as a synchronous external abort by the full path.
 */
#include "hyp/arch/sysreg.h"
#include "hyp/arch/trap.h"
#include "hyp/vm.h"
#include "hyp/vm_mmio.h"

#include "light.h"

/*
 * HPFAR_EL2.FIPA holds IPA[51:12] in bits [47:4] (IPA[47:12] in [43:4] without FEAT_LPA), ARM
 * DDI0487 K.a D19.2.52. Shifted left by 8, NS (bit 63) leaves the register and the RES0 bits
 * [62:48] land above bit 55, so only the low 12 bits need replacing: from FAR_EL2, one BFXIL.
 */
static uint64_t fault_ipa(uint64_t hpfar, uint64_t far)
{
	return ((hpfar << 8) & ~0xfffULL) | (far & 0xfff);
}

/* ISS.SSE: the load sign-extends its width bytes (LDRSB, LDRSH, LDRSW), D19.2.40. */
static uint64_t sign_extend(uint64_t val, unsigned width)
{
	unsigned bits = width * 8;

	return bits < 64 && (val & BIT(bits - 1)) ? val | ~0ULL << bits : val;
}

/*
 * What a load puts in Xt: the bus already truncated val to the access width. ISS.SF = 0 means
 * the destination is Wt, whose bits [63:32] read zero; as Wt takes at most 32 bits, the access
 * was 4 bytes or less, so only a sign extension can set those bits.
 */
static uint64_t load_result(uint64_t esr, uint64_t val, unsigned width)
{
	if (!(esr & DABT_SSE)) {
		return val;
	}
	val = sign_extend(val, width);
	return (esr & DABT_SF) ? val : (uint32_t)val;
}

/* ISS.SRT: the register the access reads or writes; 31 is XZR (vcpu_reg_get/set), D19.2.40. */
static uint64_t dabt_rt(uint64_t esr)
{
	return (esr >> DABT_SRT_SHIFT) & 0x1f;
}

/* ISS.SAS: the access size, 1 << SAS bytes, D19.2.40. */
static unsigned dabt_width(uint64_t esr)
{
	return 1U << ((esr >> DABT_SAS_SHIFT) & 3);
}

/*
 * ISV says SAS/SRT/WnR describe the access; S1PTW means the fault came from the guest's own table
 * walk, not from its load or store (ARM DDI0487 K.a D19.2.40). Two tests, not one of two bits:
 * each is then a single test-and-branch.
 */
static bool dabt_has_access(uint64_t esr)
{
	if (!(esr & DABT_ISV)) {
		return false;
	}
	return !(esr & DABT_S1PTW);
}

/* Complete a load: Xt takes the value read (the bus truncated it); inlined, as dabt_emulate(). */
static inline __attribute__((always_inline)) void dabt_load(struct vcpu *v, uint64_t esr,
							    uint64_t val)
{
	vcpu_reg_set(v, dabt_rt(esr), load_result(esr, val, dabt_width(esr)));
}

/*
 * Perform the access a Data Abort ISS describes, with the fault registers read live: both paths
 * call it before anything else is taken to EL2 (IRQs are masked there), so ESR_EL2, FAR_EL2 and
 * HPFAR_EL2 still hold this exit's values. What follows the device's call reads ESR_EL2 again
 * (one MRS) but keeps v in a callee-saved register, whose save shares the light path's one STP
 * with the link register: cheaper than the two reads of TPIDR_EL2 the vCPU would otherwise
 * take, one for Xt and one for the exit count. False, with nothing changed, when there is no
 * access to perform: no syndrome, a table walk, an address nobody claims, or an access the
 * device refuses (which changes nothing, hyp/vdev.h). Always inlined: both paths call it, and
 * as a call it would cost the light path a frame.
 */
static inline __attribute__((always_inline)) bool dabt_emulate(struct vcpu *v, uint64_t esr)
{
	uint64_t ipa = fault_ipa(read_sysreg(hpfar_el2), read_sysreg(far_el2));
	struct mmio_read rd;

	if (!dabt_has_access(esr)) {
		return false;
	}
	if (esr & DABT_WNR) {
		/* The bus truncates the value to the width. */
		return vm_mmio_write(v->vm, ipa, dabt_width(esr), vcpu_reg_get(v, dabt_rt(esr))) ==
		       0;
	}
	rd = vm_mmio_read(v->vm, ipa, dabt_width(esr));
	if (rd.err != 0) {
		return false;
	}
	dabt_load(v, read_sysreg(esr_el2), rd.value);
	return true;
}

/* The full path: anything not emulated is a synchronous external abort for the guest. */
void arm64_trap_dabt(struct vcpu *v)
{
	const struct vcpu_fault *f = &v->arch.fault;

	if (!dabt_emulate(v, f->esr_el2)) {
		vcpu_count_exit(v, TESSERA_EXIT_ABORT);
		arm64_inject_dabt(v, f->far_el2, (f->esr_el2 & DABT_WNR) != 0);
		return;
	}
	vcpu_count_exit(v, TESSERA_EXIT_MMIO);
	vcpu_pc_advance(v);
}

/* The light path (light.h): an abort not emulated here goes to the full path untouched. */
unsigned arm64_dabt_light(struct vcpu *v, uint64_t esr)
{
	if (!light_may_begin(v) || !dabt_emulate(v, esr)) {
		return LIGHT_FULL;
	}
	vcpu_count_exit(v, TESSERA_EXIT_MMIO);
	return light_end_mmio(v);
}

/* Instruction fetch from an IPA without RAM: the guest jumped somewhere it has nothing. */
void arm64_trap_iabt(struct vcpu *v)
{
	vcpu_count_exit(v, TESSERA_EXIT_ABORT);
	arm64_inject_iabt(v, v->arch.fault.far_el2);
}
