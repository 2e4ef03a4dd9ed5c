// SPDX-License-Identifier: Apache-2.0
/*
 * PSCI 1.1 over HVC (PSCI DEN0022 E) and the SMCCC architecture calls (SMCCC DEN0028 E): ids,
 * discovery, every error code the contract lists, and a CPU_ON / AFFINITY_INFO / CPU_OFF cycle
 * of vCPU 1 that reports through shared memory.
 *
 * expect: version smccc_version smccc_arch_features_unknown features_cpu_on features_smccc_version
 * expect: features_unknown migrate_info_type unknown_fid cpu_on_bad_mpidr cpu_on_bad_entry
 * expect: cpu_on_self affinity_info_bad_level affinity_off_before cpu_on affinity_after_on
 * expect: cpu_on_ran cpu_on_context_id cpu_on_el1 cpu_on_mmu_off cpu_on_daif_masked
 * expect: cpu_on_mpidr affinity_on cpu_on_already_on cpu_off
 * expect: cpu_on_pending cpu_on_pending_or_on
 * bare-xfail: smccc_version features_smccc_version affinity_info_bad_level cpu_on_bad_entry
 * bare-xfail: affinity_after_on cpu_on_pending cpu_on_pending_or_on
 *   (QEMU 7.2 PSCI: no SMCCC_VERSION, no argument checks, never reports ON_PENDING)
 */
#include <stdint.h>

#include "guest/smccc.h"
#include "guest/smp.h"
#include "guest/sysreg.h"
#include "guest/test.h"
#include "guest/timer.h"

const char guest_name[] = "psci";

#define TARGET 1U
#define NO_SUCH_MPIDR 0xffU
#define OUTSIDE_RAM 0x1000U /* below the RAM at IPA 0x40000000 */
#define UNKNOWN_PSCI_FID 0x840000ffU
#define UNKNOWN_ARCH_FID 0x8000ff00U
#define CONTEXT_MAGIC 0x5e1f0000c0ffee00ULL
#define WAIT_US 5000000U
/*
 * CPU_ON twice in a row races the target's start; retry until one try sees ON_PENDING. With a
 * 1:1 vCPU:pCPU scheduler under MTTCG this took up to ~250 tries (~3 s), so bound it by time.
 */
#define PENDING_BUDGET_US 20000000U
#define SCTLR_M (1ULL << 0)
#define DAIF_ALL (0xfULL << 6)
#define CURRENT_EL1 (1ULL << 2)

/* Written by vCPU 1, read by vCPU 0. */
static volatile uint32_t target_runs;
static volatile uint64_t target_mpidr;
/* Written by vCPU 0: vCPU 1 may power off once release reaches its run number. */
static volatile uint32_t release;

static void target_main(uint64_t arg)
{
	(void)arg;
	target_mpidr = read_sysreg(mpidr_el1);
	smp_publish(&target_runs, target_runs + 1);
	(void)smp_wait_ge(&release, target_runs, WAIT_US);
}

static void test_discovery(void)
{
	check_eq(smccc_hvc(PSCI_VERSION, 0, 0, 0).a0, 0x10001, "version");
	check_eq(smccc_hvc(SMCCC_VERSION, 0, 0, 0).a0, 0x10001, "smccc_version");
	check_eq(smccc_hvc(SMCCC_ARCH_FEATURES, UNKNOWN_ARCH_FID, 0, 0).a0, PSCI_RET_NOT_SUPPORTED,
		 "smccc_arch_features_unknown");
	check_eq(smccc_hvc(PSCI_FEATURES, PSCI_CPU_ON, 0, 0).a0, 0, "features_cpu_on");
	/* SMCCC DEN0028 E: SMCCC_VERSION is discovered through PSCI_FEATURES. */
	check_eq(smccc_hvc(PSCI_FEATURES, SMCCC_VERSION, 0, 0).a0, 0, "features_smccc_version");
	check_eq(smccc_hvc(PSCI_FEATURES, UNKNOWN_PSCI_FID, 0, 0).a0, PSCI_RET_NOT_SUPPORTED,
		 "features_unknown");
	/* 2: no Trusted OS that needs migration (PSCI DEN0022 E §5, MIGRATE_INFO_TYPE). */
	check_eq(smccc_hvc(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0).a0, 2, "migrate_info_type");
	check_eq(smccc_hvc(UNKNOWN_PSCI_FID, 0, 0, 0).a0, PSCI_RET_NOT_SUPPORTED, "unknown_fid");
}

static void test_errors(void)
{
	uint64_t entry = (uint64_t)(uintptr_t)guest_secondary_entry;

	check_eq(psci_cpu_on(NO_SUCH_MPIDR, entry, 0), PSCI_RET_INVALID_PARAMETERS,
		 "cpu_on_bad_mpidr");
	check_eq(psci_cpu_on(cpu_id(), entry, 0), PSCI_RET_ALREADY_ON, "cpu_on_self");
	check_eq(psci_affinity_info(TARGET, 1), PSCI_RET_INVALID_PARAMETERS,
		 "affinity_info_bad_level");
	check_eq(psci_affinity_info(TARGET, 0), PSCI_AFF_OFF, "affinity_off_before");
}

static bool wait_target_off(void)
{
	for (unsigned i = 0; i < WAIT_US / 1000U; i++) {
		if (psci_affinity_info(TARGET, 0) == PSCI_AFF_OFF) {
			return true;
		}
		timer_delay_us(1000);
	}
	return false;
}

/* First power-on of the target: its entry state (PSCI DEN0022 E §6.4, CPU_ON entry). */
static bool test_cpu_on_entry(void)
{
	uint32_t runs = target_runs;
	int64_t on = smp_cpu_on(TARGET, target_main, CONTEXT_MAGIC);
	int64_t aff = psci_affinity_info(TARGET, 0);
	struct cpu_entry_state st;

	check_eq(on, PSCI_RET_SUCCESS, "cpu_on");
	test_checkf(aff == PSCI_AFF_ON || aff == PSCI_AFF_ON_PENDING, "affinity_after_on",
		    "AFFINITY_INFO = %ld right after CPU_ON, want 0 or 2", aff);
	if (!check(smp_wait_ge(&target_runs, runs + 1, WAIT_US), "cpu_on_ran")) {
		return false;
	}
	st = cpu_entry_state_get(TARGET);
	check_eq(st.x0, CONTEXT_MAGIC, "cpu_on_context_id");
	check_eq(st.current_el, CURRENT_EL1, "cpu_on_el1");
	check_eq(st.sctlr & SCTLR_M, 0, "cpu_on_mmu_off");
	check_eq(st.daif & DAIF_ALL, DAIF_ALL, "cpu_on_daif_masked");
	check_eq(target_mpidr & MPIDR_AFF0_MASK, TARGET, "cpu_on_mpidr");
	return true;
}

/* While the target waits for release it is ON; then it calls CPU_OFF itself. */
static void test_cpu_on_off(void)
{
	uint64_t entry = (uint64_t)(uintptr_t)guest_secondary_entry;

	if (!test_cpu_on_entry()) {
		return;
	}
	check_eq(psci_affinity_info(TARGET, 0), PSCI_AFF_ON, "affinity_on");
	check_eq(psci_cpu_on(TARGET, entry, 0), PSCI_RET_ALREADY_ON, "cpu_on_already_on");
	smp_publish(&release, target_runs);
	check(wait_target_off(), "cpu_off");
}

/* One CPU_ON, an immediate second CPU_ON, then a full power-off; false if anything broke. */
static bool pending_try(uint64_t ctx, int64_t *again)
{
	uint32_t runs = target_runs;
	int64_t on = smp_cpu_on(TARGET, target_main, ctx);

	if (on != PSCI_RET_SUCCESS) {
		guest_printf("# try %lu: CPU_ON = %ld\n", ctx, on);
		return false;
	}
	*again = psci_cpu_on(TARGET, (uint64_t)(uintptr_t)guest_secondary_entry, ctx);
	if (!smp_wait_ge(&target_runs, runs + 1, WAIT_US)) {
		return false;
	}
	smp_publish(&release, target_runs);
	return wait_target_off();
}

/*
 * ON_PENDING is only visible between CPU_ON and the target's first instruction, a window the
 * guest cannot hold open; retry until one try lands in it. Every answer must be -5 or -4.
 */
static void test_on_pending(void)
{
	bool seen_pending = false;
	bool all_valid = true;
	int64_t last = 0;
	uint64_t end = timer_now() + timer_us_to_ticks(PENDING_BUDGET_US);
	unsigned i;

	for (i = 0; timer_now() < end && !seen_pending && all_valid; i++) {
		all_valid = pending_try(i, &last) &&
			    (last == PSCI_RET_ON_PENDING || last == PSCI_RET_ALREADY_ON);
		seen_pending = last == PSCI_RET_ON_PENDING;
	}
	guest_printf("# psci: %u CPU_ON pairs, last second answer %ld\n", i, last);
	test_checkf(seen_pending, "cpu_on_pending", "no try saw ON_PENDING (last: %ld)", last);
	test_checkf(all_valid, "cpu_on_pending_or_on", "second CPU_ON = %ld, want -5 or -4", last);
}

void guest_main(void)
{
	test_discovery();
	test_errors();
	test_cpu_on_off();
	test_on_pending();
	/* Last: an implementation that wrongly accepts the entry starts vCPU 1 in the void. */
	check_eq(psci_cpu_on(TARGET, OUTSIDE_RAM, 0), PSCI_RET_INVALID_ADDRESS, "cpu_on_bad_entry");
}
