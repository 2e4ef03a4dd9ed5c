// SPDX-License-Identifier: Apache-2.0
/* SMCCC conduit (HVC #0) and PSCI wrappers for test guests. */
#include "guest/smccc.h"

#include "guest/sysreg.h"

struct smccc_res smccc_hvc(uint32_t fid, uint64_t x1, uint64_t x2, uint64_t x3)
{
	/* SMCCC DEN0028 E, AArch64 register use: 1.0 callees may clobber x4..x17. */
	register uint64_t r0 __asm__("x0") = fid;
	register uint64_t r1 __asm__("x1") = x1;
	register uint64_t r2 __asm__("x2") = x2;
	register uint64_t r3 __asm__("x3") = x3;
	struct smccc_res res;

	__asm__ volatile("hvc #0"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	res.a0 = (int64_t)r0;
	res.a1 = r1;
	res.a2 = r2;
	res.a3 = r3;
	return res;
}

int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context_id)
{
	/* The target reads its boot data with the MMU off: make our stores visible first. */
	dsb(sy);
	return smccc_hvc(PSCI_CPU_ON, mpidr, entry, context_id).a0;
}

int64_t psci_affinity_info(uint64_t mpidr, uint64_t lowest_level)
{
	return smccc_hvc(PSCI_AFFINITY_INFO, mpidr, lowest_level, 0).a0;
}

int64_t psci_cpu_off(void)
{
	return smccc_hvc(PSCI_CPU_OFF, 0, 0, 0).a0;
}

void psci_system_off(void)
{
	smccc_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	/* PSCI DEN0022 E §5, SYSTEM_OFF does not return; park if the VM is still running. */
	for (;;) {
		wfi();
	}
}

int64_t psci_system_reset(void)
{
	return smccc_hvc(PSCI_SYSTEM_RESET, 0, 0, 0).a0;
}
