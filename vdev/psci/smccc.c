// SPDX-License-Identifier: Apache-2.0
/*
 * SMCCC front end: a sorted table of the calls Tessera implements (SMCCC DEN0028 E architecture
 * calls and PSCI DEN0022 E), plus the vendor-specific hypervisor range handed to the core. Every
 * guest input ends as a result in x0..x3; nothing here fails or stops the hypervisor.
 */
#include "smccc.h"

#include "hyp/errno.h"

/* Function identifier fields, SMCCC DEN0028 E §2.5. */
#define SMCCC_FAST_CALL BIT(31)
#define SMCCC_CONV_64 BIT(30)
#define SMCCC_OWNER_SHIFT 24
#define SMCCC_OWNER_MASK 0x3FU
#define SMCCC_OWNER_ARCH 0U
#define SMCCC_OWNER_STANDARD 4U
#define SMCCC_OWNER_VENDOR_HYP 6U
#define SMCCC_FUNC_MASK 0xFFFFU

/* PSCI owns function numbers 0x00-0x1F of the standard service, PSCI DEN0022 E §5.1. */
#define PSCI_FUNC_LAST 0x1FU

#define SMCCC_VERSION_1_1 0x10001
#define PSCI_VERSION_1_1 0x10001
/* MIGRATE_INFO_TYPE 2: no Trusted OS that needs migration, PSCI DEN0022 E §5 MIGRATE_INFO_TYPE. */
#define PSCI_MIGRATE_TYPE_NONE 2
/* MPIDR affinity fields Aff0-Aff2 [23:0] and Aff3 [39:32] (PSCI DEN0022 E §5 CPU_ON). */
#define MPIDR_AFF_MASK (GENMASK(23, 0) | GENMASK(39, 32))

struct smccc_call {
	uint32_t fid;
	/* Returns the value for x0; x1..x3 are cleared. Arguments are already narrowed. */
	int32_t (*fn)(const struct psci_ops *ops, void *ctx, const struct smccc_regs *a);
};

static const struct smccc_call *call_find(uint32_t fid);

static unsigned fid_owner(uint32_t fid)
{
	return (fid >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK;
}

static bool mpidr_is_valid(uint64_t mpidr)
{
	return (mpidr & ~MPIDR_AFF_MASK) == 0;
}

static int32_t smccc_version(const struct psci_ops *ops, void *ctx, const struct smccc_regs *a)
{
	(void)ops, (void)ctx, (void)a;
	return SMCCC_VERSION_1_1;
}

/*
 * SMCCC DEN0028 E §7 SMCCC_ARCH_FEATURES: only implemented Arm architecture calls answer 0; the
 * CPU errata workarounds are NOT_SUPPORTED (no mitigation is offered to guests).
 */
static int32_t smccc_arch_features(const struct psci_ops *ops, void *ctx,
				   const struct smccc_regs *a)
{
	uint32_t fid = (uint32_t)a->x[1];

	(void)ops, (void)ctx;
	if (fid_owner(fid) == SMCCC_OWNER_ARCH && call_find(fid) != NULL) {
		return PSCI_SUCCESS;
	}
	return SMCCC_RET_NOT_SUPPORTED;
}

static int32_t psci_version(const struct psci_ops *ops, void *ctx, const struct smccc_regs *a)
{
	(void)ops, (void)ctx, (void)a;
	return PSCI_VERSION_1_1;
}

/* PSCI DEN0022 E §5 CPU_SUSPEND: power_state is W1 in both conventions. */
static int32_t psci_cpu_suspend(const struct psci_ops *ops, void *ctx, const struct smccc_regs *a)
{
	return ops->cpu_suspend(ctx, (uint32_t)a->x[1], a->x[2], a->x[3]);
}

static int32_t psci_cpu_off(const struct psci_ops *ops, void *ctx, const struct smccc_regs *a)
{
	(void)a;
	return ops->cpu_off(ctx);
}

/* PSCI DEN0022 E §5 CPU_ON: target_cpu holds MPIDR affinity fields only. */
static int32_t psci_cpu_on(const struct psci_ops *ops, void *ctx, const struct smccc_regs *a)
{
	if (!mpidr_is_valid(a->x[1])) {
		return PSCI_INVALID_PARAMETERS;
	}
	return ops->cpu_on(ctx, a->x[1], a->x[2], a->x[3]);
}

/* PSCI DEN0022 E §5 AFFINITY_INFO: from PSCI 1.0 only lowest_affinity_level 0 is needed. */
static int32_t psci_affinity_info(const struct psci_ops *ops, void *ctx, const struct smccc_regs *a)
{
	uint32_t lowest_level = (uint32_t)a->x[2];

	if (!mpidr_is_valid(a->x[1]) || lowest_level != 0) {
		return PSCI_INVALID_PARAMETERS;
	}
	return ops->affinity_info(ctx, a->x[1], lowest_level);
}

static int32_t psci_migrate_info_type(const struct psci_ops *ops, void *ctx,
				      const struct smccc_regs *a)
{
	(void)ops, (void)ctx, (void)a;
	return PSCI_MIGRATE_TYPE_NONE;
}

/* PSCI DEN0022 E §5 SYSTEM_OFF/RESET never return to the caller; x0 = 0 if the core does. */
static int32_t psci_system_off(const struct psci_ops *ops, void *ctx, const struct smccc_regs *a)
{
	(void)a;
	ops->system_off(ctx);
	return PSCI_SUCCESS;
}

static int32_t psci_system_reset(const struct psci_ops *ops, void *ctx, const struct smccc_regs *a)
{
	(void)a;
	ops->system_reset(ctx);
	return PSCI_SUCCESS;
}

/*
 * PSCI DEN0022 E §5 PSCI_FEATURES: 0 for an implemented PSCI function or SMCCC_VERSION. For
 * CPU_SUSPEND the result
 * is its feature flags, also 0: original power_state format (bit 1), no OS-initiated mode.
 */
static int32_t psci_features(const struct psci_ops *ops, void *ctx, const struct smccc_regs *a)
{
	uint32_t fid = (uint32_t)a->x[1];
	bool is_psci =
	    fid_owner(fid) == SMCCC_OWNER_STANDARD && (fid & SMCCC_FUNC_MASK) <= PSCI_FUNC_LAST;

	(void)ops, (void)ctx;
	if (fid == SMCCC_VERSION || (is_psci && call_find(fid) != NULL)) {
		return PSCI_SUCCESS;
	}
	return PSCI_NOT_SUPPORTED;
}

/* Sorted by fid: call_find() searches it, smccc_table_check() proves the order. */
static const struct smccc_call smccc_calls[] = {
    {SMCCC_VERSION, smccc_version},
    {SMCCC_ARCH_FEATURES, smccc_arch_features},
    {PSCI_0_2_FN_VERSION, psci_version},
    {PSCI_0_2_FN_CPU_SUSPEND, psci_cpu_suspend},
    {PSCI_0_2_FN_CPU_OFF, psci_cpu_off},
    {PSCI_0_2_FN_CPU_ON, psci_cpu_on},
    {PSCI_0_2_FN_AFFINITY_INFO, psci_affinity_info},
    {PSCI_0_2_FN_MIGRATE_INFO_TYPE, psci_migrate_info_type},
    {PSCI_0_2_FN_SYSTEM_OFF, psci_system_off},
    {PSCI_0_2_FN_SYSTEM_RESET, psci_system_reset},
    {PSCI_1_0_FN_PSCI_FEATURES, psci_features},
    {PSCI_0_2_FN64_CPU_SUSPEND, psci_cpu_suspend},
    {PSCI_0_2_FN64_CPU_ON, psci_cpu_on},
    {PSCI_0_2_FN64_AFFINITY_INFO, psci_affinity_info},
};

static const struct smccc_call *call_find(uint32_t fid)
{
	size_t lo = 0, hi = ARRAY_SIZE(smccc_calls);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (smccc_calls[mid].fid == fid) {
			return &smccc_calls[mid];
		}
		if (smccc_calls[mid].fid < fid) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return NULL;
}

/** 0 when the call table is strictly ascending by function id (run at boot and in tests). */
int smccc_table_check(void)
{
	for (size_t i = 1; i < ARRAY_SIZE(smccc_calls); i++) {
		if (smccc_calls[i - 1].fid >= smccc_calls[i].fid || smccc_calls[i].fn == NULL) {
			return -EINVAL;
		}
	}
	return 0;
}

/* SMC32/HVC32 use only W0-W7 (SMCCC §2.6): the upper halves of X1-X7 are ignored. */
static void args_narrow(struct smccc_regs *a, uint32_t fid)
{
	if ((fid & SMCCC_CONV_64) == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(a->x); i++) {
			a->x[i] = (uint32_t)a->x[i];
		}
	}
}

static bool fid_is_vendor_hyp(uint32_t fid)
{
	return (fid & SMCCC_FAST_CALL) != 0 && fid_owner(fid) == SMCCC_OWNER_VENDOR_HYP;
}

/**
 * Decode the call in W0 (SMCCC §2.5: the function id is always 32 bits) and write its results.
 * x4..x7 are left untouched, as SMCCC 1.1 requires. Unknown ids answer NOT_SUPPORTED (-1).
 */
void smccc_dispatch(const struct psci_ops *ops, void *ctx, struct smccc_regs *r)
{
	struct smccc_regs a = *r;
	uint32_t fid = (uint32_t)r->x[0];
	const struct smccc_call *c;
	int64_t ret = SMCCC_RET_NOT_SUPPORTED;

	args_narrow(&a, fid);
	if (fid_is_vendor_hyp(fid) && ops->hypercall != NULL) {
		ops->hypercall(ctx, &a);
		for (size_t i = 0; i < 4; i++) {
			r->x[i] = a.x[i];
		}
		return;
	}
	c = call_find(fid);
	if (c != NULL) {
		ret = c->fn(ops, ctx, &a);
	}
	r->x[0] = (uint64_t)ret;
	r->x[1] = 0;
	r->x[2] = 0;
	r->x[3] = 0;
}
