// SPDX-License-Identifier: Apache-2.0
/*
 * Save and restore of a vCPU's EL1 context: system registers, FP/SIMD, pointer-authentication
 * keys and the virtual timer. Runs only when a physical CPU changes which vCPU it holds.
 */
#include "hyp/arch/el1_switch.h"

#include "hyp/arch/sysreg.h"

#define SAVE(s, r) ((s)->r = read_sysreg(r))
#define LOAD(s, r) write_sysreg(r, (s)->r)

void arm64_el1_save(struct vcpu_el1 *s)
{
	SAVE(s, sctlr_el1);
	SAVE(s, cpacr_el1);
	SAVE(s, ttbr0_el1);
	SAVE(s, ttbr1_el1);
	SAVE(s, tcr_el1);
	SAVE(s, mair_el1);
	SAVE(s, amair_el1);
	SAVE(s, esr_el1);
	SAVE(s, far_el1);
	SAVE(s, afsr0_el1);
	SAVE(s, afsr1_el1);
	SAVE(s, par_el1);
	SAVE(s, vbar_el1);
	SAVE(s, contextidr_el1);
	SAVE(s, tpidr_el0);
	SAVE(s, tpidrro_el0);
	SAVE(s, tpidr_el1);
	SAVE(s, cntkctl_el1);
	SAVE(s, csselr_el1);
	SAVE(s, mdscr_el1);
	SAVE(s, sp_el0);
	SAVE(s, sp_el1);
	SAVE(s, elr_el1);
	SAVE(s, spsr_el1);
	SAVE(s, vmpidr_el2);
}

void arm64_el1_restore(const struct vcpu_el1 *s)
{
	LOAD(s, sctlr_el1);
	LOAD(s, cpacr_el1);
	LOAD(s, ttbr0_el1);
	LOAD(s, ttbr1_el1);
	LOAD(s, tcr_el1);
	LOAD(s, mair_el1);
	LOAD(s, amair_el1);
	LOAD(s, esr_el1);
	LOAD(s, far_el1);
	LOAD(s, afsr0_el1);
	LOAD(s, afsr1_el1);
	LOAD(s, par_el1);
	LOAD(s, vbar_el1);
	LOAD(s, contextidr_el1);
	LOAD(s, tpidr_el0);
	LOAD(s, tpidrro_el0);
	LOAD(s, tpidr_el1);
	LOAD(s, cntkctl_el1);
	LOAD(s, csselr_el1);
	LOAD(s, mdscr_el1);
	LOAD(s, sp_el0);
	LOAD(s, sp_el1);
	LOAD(s, elr_el1);
	LOAD(s, spsr_el1);
	LOAD(s, vmpidr_el2);
}

/* APIA/APIB/APDA/APDB/APGA key registers (FEAT_PAuth), ARM DDI0487 K.a APIAKeyLo_EL1 etc. */
void arm64_pac_save(struct vcpu_pac *k)
{
	k->apia[0] = read_sysreg(S3_0_C2_C1_0);
	k->apia[1] = read_sysreg(S3_0_C2_C1_1);
	k->apib[0] = read_sysreg(S3_0_C2_C1_2);
	k->apib[1] = read_sysreg(S3_0_C2_C1_3);
	k->apda[0] = read_sysreg(S3_0_C2_C2_0);
	k->apda[1] = read_sysreg(S3_0_C2_C2_1);
	k->apdb[0] = read_sysreg(S3_0_C2_C2_2);
	k->apdb[1] = read_sysreg(S3_0_C2_C2_3);
	k->apga[0] = read_sysreg(S3_0_C2_C3_0);
	k->apga[1] = read_sysreg(S3_0_C2_C3_1);
}

void arm64_pac_restore(const struct vcpu_pac *k)
{
	write_sysreg(S3_0_C2_C1_0, k->apia[0]);
	write_sysreg(S3_0_C2_C1_1, k->apia[1]);
	write_sysreg(S3_0_C2_C1_2, k->apib[0]);
	write_sysreg(S3_0_C2_C1_3, k->apib[1]);
	write_sysreg(S3_0_C2_C2_0, k->apda[0]);
	write_sysreg(S3_0_C2_C2_1, k->apda[1]);
	write_sysreg(S3_0_C2_C2_2, k->apdb[0]);
	write_sysreg(S3_0_C2_C2_3, k->apdb[1]);
	write_sysreg(S3_0_C2_C3_0, k->apga[0]);
	write_sysreg(S3_0_C2_C3_1, k->apga[1]);
}

/* A timer left running for a vCPU that is not loaded would fire on someone else's behalf. */
void arm64_vtimer_save(struct vtimer_state *t)
{
	t->cntv_ctl_el0 = read_sysreg(cntv_ctl_el0) & 3; /* ENABLE, IMASK; ISTATUS is derived */
	t->cntv_cval_el0 = read_sysreg(cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

void arm64_vtimer_restore(const struct vtimer_state *t)
{
	write_sysreg(cntv_cval_el0, t->cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, t->cntv_ctl_el0);
}
