/* SPDX-License-Identifier: Apache-2.0 */
/* Per-CPU arm64 state discovered at boot and the firmware (PSCI over SMC) calls Tessera makes. */
#ifndef HYP_ARCH_CPU_H
#define HYP_ARCH_CPU_H

#include "hyp/types.h"

struct cpu_features {
	bool pauth;	       /**< FEAT_PAuth: keys must be switched per vCPU */
	bool hcx;	       /**< FEAT_HCX: HCRX_EL2 exists and must be initialised */
	bool fgt;	       /**< FEAT_FGT: fine-grained trap registers exist */
	uint64_t parange;      /**< ID_AA64MMFR0_EL1.PARange, clamped to 48 bits */
	unsigned pmu_counters; /**< PMCR_EL0.N */
};

extern struct cpu_features cpu_features;

void arm64_cpu_features_probe(void);
/** Firmware SMC call (SMCCC): x0 result. */
int64_t arm64_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
/** Handle an acknowledged INTID (1020-1023: none), then every other pending one. */
void arm64_irq_handle(unsigned intid);

#endif
