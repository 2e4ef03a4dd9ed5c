/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMC Calling Convention (ARM DEN0028 E) front end: decodes a guest HVC/SMC into PSCI 1.1
 * (ARM DEN0022 E), SMCCC architecture calls or a Tessera hypercall, validates arguments, and
 * leaves vCPU lifecycle decisions to the core through struct psci_ops.
 */
#ifndef VDEV_SMCCC_H
#define VDEV_SMCCC_H

#include "hyp/types.h"

/** x0..x7 of the call; x0..x3 hold the results afterwards. */
struct smccc_regs {
	uint64_t x[8];
};

/* PSCI return codes, PSCI DEN0022 E §5.2.2 */
#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INTERNAL_FAILURE (-6)
#define PSCI_NOT_PRESENT (-7)
#define PSCI_DISABLED (-8)
#define PSCI_INVALID_ADDRESS (-9)

/* AFFINITY_INFO results, PSCI DEN0022 E §5.7 */
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2

/* Function ids, PSCI DEN0022 E §5.1 and SMCCC DEN0028 E §7 */
#define PSCI_0_2_FN_VERSION 0x84000000U
#define PSCI_0_2_FN_CPU_SUSPEND 0x84000001U
#define PSCI_0_2_FN_CPU_OFF 0x84000002U
#define PSCI_0_2_FN_CPU_ON 0x84000003U
#define PSCI_0_2_FN_AFFINITY_INFO 0x84000004U
#define PSCI_0_2_FN_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008U
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009U
#define PSCI_1_0_FN_PSCI_FEATURES 0x8400000AU
#define PSCI_0_2_FN64_CPU_SUSPEND 0xC4000001U
#define PSCI_0_2_FN64_CPU_ON 0xC4000003U
#define PSCI_0_2_FN64_AFFINITY_INFO 0xC4000004U
#define SMCCC_VERSION 0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U
#define SMCCC_RET_NOT_SUPPORTED (-1)

/** What the core decides; each returns a PSCI code. ctx is the calling vCPU's context. */
struct psci_ops {
	int32_t (*cpu_on)(void *ctx, uint64_t target_mpidr, uint64_t entry, uint64_t context_id);
	/** Power the caller off; does not fail for a vCPU that is on. */
	int32_t (*cpu_off)(void *ctx);
	/** Standby or power-down; a power-down wakes at entry with x0 = context_id. */
	int32_t (*cpu_suspend)(void *ctx, uint32_t power_state, uint64_t entry,
			       uint64_t context_id);
	int32_t (*affinity_info)(void *ctx, uint64_t target_mpidr, uint32_t lowest_level);
	void (*system_off)(void *ctx);
	void (*system_reset)(void *ctx);
	/** A call in the vendor-specific hypervisor range (owner 6): fill r->x[0..3]. */
	void (*hypercall)(void *ctx, struct smccc_regs *r);
};

/** Decode the call in r->x[0] and write its results to r->x[0..3]. */
void smccc_dispatch(const struct psci_ops *ops, void *ctx, struct smccc_regs *r);
/** 0 when the table of implemented calls is sorted by function id (boot and unit test). */
int smccc_table_check(void);

#endif
