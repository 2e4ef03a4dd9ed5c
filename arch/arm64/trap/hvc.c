// SPDX-License-Identifier: Apache-2.0
/*
 * HVC and trapped SMC (HCR_EL2.TSC) both carry SMC Calling Convention calls (ARM DEN0028 E):
 * PSCI, SMCCC architecture calls and Tessera hypercalls, decoded by vdev/psci.
 */
#include "hyp/arch/trap.h"
#include "hyp/psci_glue.h"
#include "hyp/vm.h"

#include "vdev/psci/smccc.h"

static void smccc_call(struct vcpu *v)
{
	struct smccc_regs r;
	unsigned resets = v->resets;

	for (unsigned i = 0; i < 8; i++) {
		r.x[i] = v->arch.regs.x[i];
	}
	smccc_dispatch(&vcpu_psci_ops, v, &r);
	if (v->resets != resets) {
		return; /* SYSTEM_RESET restarted this vCPU: its new registers stand */
	}
	for (unsigned i = 0; i < 4; i++) {
		v->arch.regs.x[i] = r.x[i];
	}
}

/* ELR_EL2 already points after the HVC (ARM DDI0487 K.a, "Preferred exception return address"). */
void arm64_trap_hvc(struct vcpu *v)
{
	vcpu_count_exit(v, TESSERA_EXIT_HVC);
	smccc_call(v);
}

/* A trapped SMC returns to the SMC itself, so step over it. */
void arm64_trap_smc(struct vcpu *v)
{
	vcpu_count_exit(v, TESSERA_EXIT_SMC);
	vcpu_pc_advance(v);
	smccc_call(v);
}
