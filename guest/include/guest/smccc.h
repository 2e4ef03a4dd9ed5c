/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMC Calling Convention over HVC #0 (ARM DEN0028 E) and the PSCI 1.1 calls the tests use
 * (ARM DEN0022 E). Tessera hypercall ids come from the ABI header.
 */
#ifndef GUEST_SMCCC_H
#define GUEST_SMCCC_H

#include <stdint.h>

#include "uapi/hyp/hypercall.h"

/** x0..x3 after the call (SMCCC DEN0028 E, AArch64 register use: results in x0..x3). */
struct smccc_res {
	int64_t a0;
	uint64_t a1, a2, a3;
};

/** HVC #0 with function id fid and arguments x1..x3. */
struct smccc_res smccc_hvc(uint32_t fid, uint64_t x1, uint64_t x2, uint64_t x3);

/* Function ids, PSCI DEN0022 E §5 and SMCCC DEN0028 E, Arm Architecture Calls. */
#define PSCI_VERSION 0x84000000U
#define PSCI_CPU_SUSPEND 0xC4000001U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON 0xC4000003U
#define PSCI_AFFINITY_INFO 0xC4000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_SYSTEM_RESET 0x84000009U
#define PSCI_FEATURES 0x8400000AU
#define SMCCC_VERSION 0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U

/* Return codes, PSCI DEN0022 E §5.2.2. */
#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMETERS (-2)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_ON_PENDING (-5)
#define PSCI_RET_INVALID_ADDRESS (-9)

/* AFFINITY_INFO results, PSCI DEN0022 E §5.7. */
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2

int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context_id);
int64_t psci_affinity_info(uint64_t mpidr, uint64_t lowest_level);
/** Only returns on failure (PSCI DEN0022 E §5, CPU_OFF). */
int64_t psci_cpu_off(void);
void psci_system_off(void) __attribute__((noreturn));
/** Returns only if the call failed (PSCI DEN0022 E §5, SYSTEM_RESET). */
int64_t psci_system_reset(void);

#endif
