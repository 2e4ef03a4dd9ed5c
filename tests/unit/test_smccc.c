// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests for vdev/psci/smccc.c against a fake core that records each psci_ops call:
 * SMCCC DEN0028 E architecture calls, PSCI DEN0022 E functions and their error codes.
 */
#include "test.h"
#include "vdev/psci/smccc.h"

#define NOT_SUPPORTED ((uint64_t)(int64_t)PSCI_NOT_SUPPORTED)
#define INVALID_PARAMS ((uint64_t)(int64_t)PSCI_INVALID_PARAMETERS)

/* What the fake core saw, and what it answers. */
struct fake_core {
	unsigned cpu_on, cpu_off, cpu_suspend, affinity_info, system_off, system_reset, hypercall;
	uint64_t mpidr, entry, context_id;
	uint32_t power_state, lowest_level;
	int32_t ret;
};

static struct fake_core core;

static int32_t fake_cpu_on(void *ctx, uint64_t mpidr, uint64_t entry, uint64_t context_id)
{
	(void)ctx;
	core.cpu_on++;
	core.mpidr = mpidr;
	core.entry = entry;
	core.context_id = context_id;
	return core.ret;
}

static int32_t fake_cpu_off(void *ctx)
{
	(void)ctx;
	core.cpu_off++;
	return core.ret;
}

static int32_t fake_cpu_suspend(void *ctx, uint32_t power_state, uint64_t entry,
				uint64_t context_id)
{
	(void)ctx;
	core.cpu_suspend++;
	core.power_state = power_state;
	core.entry = entry;
	core.context_id = context_id;
	return core.ret;
}

static int32_t fake_affinity_info(void *ctx, uint64_t mpidr, uint32_t lowest_level)
{
	(void)ctx;
	core.affinity_info++;
	core.mpidr = mpidr;
	core.lowest_level = lowest_level;
	return core.ret;
}

static void fake_system_off(void *ctx)
{
	(void)ctx;
	core.system_off++;
}

static void fake_system_reset(void *ctx)
{
	(void)ctx;
	core.system_reset++;
}

static void fake_hypercall(void *ctx, struct smccc_regs *r)
{
	(void)ctx;
	core.hypercall++;
	core.entry = r->x[1];
	r->x[0] = 0;
	r->x[1] = 0x1111;
	r->x[2] = 0x2222;
	r->x[3] = 0x3333;
}

static const struct psci_ops ops = {
    .cpu_on = fake_cpu_on,
    .cpu_off = fake_cpu_off,
    .cpu_suspend = fake_cpu_suspend,
    .affinity_info = fake_affinity_info,
    .system_off = fake_system_off,
    .system_reset = fake_system_reset,
    .hypercall = fake_hypercall,
};

/* Make one call with up to three arguments; returns x0. x1..x3 start as garbage. */
static uint64_t call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, struct smccc_regs *out)
{
	struct smccc_regs r = {{fid, a1, a2, a3, 0x44, 0x55, 0x66, 0x77}};

	smccc_dispatch(&ops, NULL, &r);
	if (out != NULL) {
		*out = r;
	}
	return r.x[0];
}

static void reset(int32_t ret)
{
	core = (struct fake_core){.ret = ret};
}

TEST(smccc, table_is_sorted)
{
	EXPECT_EQ(smccc_table_check(), 0);
}

TEST(smccc, versions)
{
	struct smccc_regs r;

	EXPECT_EQ(call(PSCI_0_2_FN_VERSION, 0, 0, 0, &r), 0x00010001);
	EXPECT_EQ(r.x[1], 0);
	EXPECT_EQ(r.x[2], 0);
	EXPECT_EQ(r.x[3], 0);
	EXPECT_EQ(r.x[4], 0x44); /* SMCCC 1.1: x4..x17 are preserved */
	EXPECT_EQ(r.x[7], 0x77);
	EXPECT_EQ(call(SMCCC_VERSION, 0, 0, 0, NULL), 0x10001);
}

TEST(smccc, unknown_function_is_not_supported)
{
	struct smccc_regs r;

	reset(0);
	EXPECT_EQ(call(0x84000005, 0, 0, 0, NULL), NOT_SUPPORTED); /* MIGRATE */
	EXPECT_EQ(call(0x8400001F, 0, 0, 0, NULL), NOT_SUPPORTED);
	EXPECT_EQ(call(0xC4000002, 0, 0, 0, NULL), NOT_SUPPORTED); /* no 64-bit CPU_OFF */
	EXPECT_EQ(call(0x80008000, 0, 0, 0, NULL), NOT_SUPPORTED); /* ARCH_WORKAROUND_1 */
	EXPECT_EQ(call(0x82000000, 0, 0, 0, NULL), NOT_SUPPORTED); /* SiP service */
	EXPECT_EQ(call(0x04000000, 0, 0, 0, NULL), NOT_SUPPORTED); /* yielding call */
	EXPECT_EQ(call(0x06000000, 0, 0, 0, NULL), NOT_SUPPORTED); /* yielding, owner 6 */
	EXPECT_EQ(call(0xFFFFFFFF, 0, 0, 0, &r), NOT_SUPPORTED);
	EXPECT_EQ(r.x[1], 0);
	/* The function id is W0: upper bits of X0 are ignored (SMCCC §2.5). */
	EXPECT_EQ(call(0xFFFFFFFF00000000ULL | PSCI_0_2_FN_VERSION, 0, 0, 0, NULL), 0x10001);
	EXPECT_EQ(core.cpu_on + core.cpu_off + core.hypercall, 0);
}

TEST(smccc, cpu_on)
{
	reset(PSCI_SUCCESS);
	EXPECT_EQ(call(PSCI_0_2_FN64_CPU_ON, 0xFF00FFFFFFULL, 0x40080000, 0xabcdef12345, NULL), 0);
	EXPECT_EQ(core.cpu_on, 1);
	EXPECT_EQ(core.mpidr, 0xFF00FFFFFFULL);
	EXPECT_EQ(core.entry, 0x40080000);
	EXPECT_EQ(core.context_id, 0xabcdef12345);
}

TEST(smccc, cpu_on_bad_mpidr)
{
	reset(PSCI_SUCCESS);
	EXPECT_EQ(call(PSCI_0_2_FN64_CPU_ON, BIT(24), 0x40080000, 0, NULL), INVALID_PARAMS);
	EXPECT_EQ(call(PSCI_0_2_FN64_CPU_ON, BIT(31), 0x40080000, 0, NULL), INVALID_PARAMS);
	EXPECT_EQ(call(PSCI_0_2_FN64_CPU_ON, BIT(40), 0x40080000, 0, NULL), INVALID_PARAMS);
	EXPECT_EQ(core.cpu_on, 0);
}

TEST(smccc, cpu_on_passes_core_errors_through)
{
	reset(PSCI_ALREADY_ON);
	EXPECT_EQ(call(PSCI_0_2_FN64_CPU_ON, 1, 0x40080000, 0, NULL),
		  (uint64_t)(int64_t)PSCI_ALREADY_ON);
	reset(PSCI_ON_PENDING);
	EXPECT_EQ(call(PSCI_0_2_FN_CPU_ON, 1, 0x40080000, 0, NULL),
		  (uint64_t)(int64_t)PSCI_ON_PENDING);
	reset(PSCI_INVALID_ADDRESS);
	EXPECT_EQ(call(PSCI_0_2_FN_CPU_ON, 1, 0x3, 0, NULL),
		  (uint64_t)(int64_t)PSCI_INVALID_ADDRESS);
	EXPECT_EQ(core.cpu_on, 1);
}

TEST(smccc, smc32_truncates_arguments)
{
	reset(PSCI_SUCCESS);
	/* Upper halves are ignored, so bit 32 of the MPIDR does not make it Aff3 = 1. */
	EXPECT_EQ(call(PSCI_0_2_FN_CPU_ON, 0xDEAD000100000102ULL, 0xFFFFFFFF40080000ULL,
		       0x1234567887654321ULL, NULL),
		  0);
	EXPECT_EQ(core.mpidr, 0x102);
	EXPECT_EQ(core.entry, 0x40080000);
	EXPECT_EQ(core.context_id, 0x87654321);

	EXPECT_EQ(
	    call(PSCI_0_2_FN_CPU_SUSPEND, 0xFFFFFFFF00010000ULL, 0x100000040000000ULL, 7, NULL), 0);
	EXPECT_EQ(core.power_state, 0x10000);
	EXPECT_EQ(core.entry, 0x40000000);
	EXPECT_EQ(call(PSCI_0_2_FN_AFFINITY_INFO, 0x100000003ULL, 0x100000000ULL, 0, NULL), 0);
	EXPECT_EQ(core.mpidr, 3);
	EXPECT_EQ(core.lowest_level, 0);
	/* SMC64 keeps all 64 bits. */
	EXPECT_EQ(
	    call(PSCI_0_2_FN64_CPU_SUSPEND, 1, 0x100000040000000ULL, 0xFFFFFFFF00000000ULL, NULL),
	    0);
	EXPECT_EQ(core.entry, 0x100000040000000ULL);
	EXPECT_EQ(core.context_id, 0xFFFFFFFF00000000ULL);
}

TEST(smccc, cpu_suspend_and_off)
{
	reset(PSCI_SUCCESS);
	EXPECT_EQ(call(PSCI_0_2_FN64_CPU_SUSPEND, 0x10000, 0x40001000, 9, NULL), 0);
	EXPECT_EQ(core.cpu_suspend, 1);
	EXPECT_EQ(core.power_state, 0x10000);
	EXPECT_EQ(core.context_id, 9);
	reset(PSCI_DENIED);
	EXPECT_EQ(call(PSCI_0_2_FN_CPU_OFF, 0, 0, 0, NULL), (uint64_t)(int64_t)PSCI_DENIED);
	EXPECT_EQ(core.cpu_off, 1);
	reset(PSCI_INVALID_PARAMETERS);
	EXPECT_EQ(call(PSCI_0_2_FN_CPU_SUSPEND, 0xFFFF, 0, 0, NULL), INVALID_PARAMS);
}

TEST(smccc, affinity_info)
{
	reset(PSCI_AFF_ON_PENDING);
	EXPECT_EQ(call(PSCI_0_2_FN64_AFFINITY_INFO, 0x100000001ULL, 0, 0, NULL),
		  PSCI_AFF_ON_PENDING);
	EXPECT_EQ(core.affinity_info, 1);
	EXPECT_EQ(core.mpidr, 0x100000001ULL);
	EXPECT_EQ(call(PSCI_0_2_FN64_AFFINITY_INFO, 1, 1, 0, NULL), INVALID_PARAMS);
	EXPECT_EQ(call(PSCI_0_2_FN64_AFFINITY_INFO, BIT(30), 0, 0, NULL), INVALID_PARAMS);
	EXPECT_EQ(core.affinity_info, 1);
	reset(PSCI_AFF_OFF);
	EXPECT_EQ(call(PSCI_0_2_FN_AFFINITY_INFO, 2, 0, 0, NULL), PSCI_AFF_OFF);
}

TEST(smccc, system_off_and_reset)
{
	struct smccc_regs r;

	reset(PSCI_INTERNAL_FAILURE);
	EXPECT_EQ(call(PSCI_0_2_FN_SYSTEM_OFF, 1, 2, 3, &r), 0);
	EXPECT_EQ(core.system_off, 1);
	EXPECT_EQ(r.x[1], 0);
	EXPECT_EQ(call(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0, NULL), 0);
	EXPECT_EQ(core.system_reset, 1);
	EXPECT_EQ(core.system_off, 1);
}

TEST(smccc, migrate_info_type)
{
	EXPECT_EQ(call(PSCI_0_2_FN_MIGRATE_INFO_TYPE, 0, 0, 0, NULL), 2);
}

TEST(smccc, psci_features)
{
	static const uint32_t known[] = {
	    PSCI_0_2_FN_VERSION,
	    PSCI_0_2_FN_CPU_SUSPEND,
	    PSCI_0_2_FN_CPU_OFF,
	    PSCI_0_2_FN_CPU_ON,
	    PSCI_0_2_FN_AFFINITY_INFO,
	    PSCI_0_2_FN_MIGRATE_INFO_TYPE,
	    PSCI_0_2_FN_SYSTEM_OFF,
	    PSCI_0_2_FN_SYSTEM_RESET,
	    PSCI_1_0_FN_PSCI_FEATURES,
	    PSCI_0_2_FN64_CPU_SUSPEND,
	    PSCI_0_2_FN64_CPU_ON,
	    PSCI_0_2_FN64_AFFINITY_INFO,
	    SMCCC_VERSION,
	};
	static const uint32_t unknown[] = {
	    0x84000005, 0x84000007, 0x8400000C, 0xC4000002, SMCCC_ARCH_FEATURES,
	    0x80008000, 0xC6000000, 0,		0xFFFFFFFF,
	};

	for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
		EXPECT_EQ(call(PSCI_1_0_FN_PSCI_FEATURES, known[i], 0, 0, NULL), 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(unknown); i++) {
		EXPECT_EQ(call(PSCI_1_0_FN_PSCI_FEATURES, unknown[i], 0, 0, NULL), NOT_SUPPORTED);
	}
	/* SMC32: the queried id is W1, whatever the upper half of X1 holds. */
	EXPECT_EQ(
	    call(PSCI_1_0_FN_PSCI_FEATURES, 0xFFFFFFFF00000000ULL | PSCI_0_2_FN_CPU_ON, 0, 0, NULL),
	    0);
}

TEST(smccc, arch_features)
{
	EXPECT_EQ(call(SMCCC_ARCH_FEATURES, SMCCC_VERSION, 0, 0, NULL), 0);
	EXPECT_EQ(call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES, 0, 0, NULL), 0);
	EXPECT_EQ(call(SMCCC_ARCH_FEATURES, 0x80008000, 0, 0, NULL), NOT_SUPPORTED);
	EXPECT_EQ(call(SMCCC_ARCH_FEATURES, 0x80007FFF, 0, 0, NULL), NOT_SUPPORTED);
	EXPECT_EQ(call(SMCCC_ARCH_FEATURES, 0x80003FFF, 0, 0, NULL), NOT_SUPPORTED);
	EXPECT_EQ(call(SMCCC_ARCH_FEATURES, PSCI_0_2_FN_CPU_ON, 0, 0, NULL), NOT_SUPPORTED);
	EXPECT_EQ(call(SMCCC_ARCH_FEATURES, 0x80000042, 0, 0, NULL), NOT_SUPPORTED);
}

TEST(smccc, vendor_hypervisor_range_reaches_hypercall)
{
	struct smccc_regs r;

	reset(0);
	EXPECT_EQ(call(0xC6000001, 0x123456789ULL, 0, 0, &r), 0);
	EXPECT_EQ(core.hypercall, 1);
	EXPECT_EQ(core.entry, 0x123456789ULL);
	EXPECT_EQ(r.x[1], 0x1111);
	EXPECT_EQ(r.x[2], 0x2222);
	EXPECT_EQ(r.x[3], 0x3333);
	EXPECT_EQ(r.x[4], 0x44);
	/* SMC32 vendor calls see narrowed arguments too. */
	EXPECT_EQ(call(0x86000001, 0x123456789ULL, 0, 0, NULL), 0);
	EXPECT_EQ(core.entry, 0x23456789);
	EXPECT_EQ(call(0xC600FFFF, 0, 0, 0, NULL), 0);
	EXPECT_EQ(core.hypercall, 3);
	/* Owner 5 (standard hypervisor service) is not the vendor range. */
	EXPECT_EQ(call(0xC5000001, 0, 0, 0, NULL), NOT_SUPPORTED);
	EXPECT_EQ(core.hypercall, 3);
}

TEST(smccc, no_hypercall_handler)
{
	struct psci_ops no_hc = ops;
	struct smccc_regs r = {{0xC6000001, 1, 2, 3}};

	no_hc.hypercall = NULL;
	smccc_dispatch(&no_hc, NULL, &r);
	EXPECT_EQ(r.x[0], NOT_SUPPORTED);
	EXPECT_EQ(r.x[1], 0);
}
