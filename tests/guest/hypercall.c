// SPDX-License-Identifier: Apache-2.0
/*
 * Tessera hypercalls (include/uapi/hyp/hypercall.h, docs/hypercall-abi.md): HVC #0 fast calls in
 * the vendor-specific hypervisor range (SMCCC DEN0028 E, owner 6).
 *
 * expect: version nop unknown_fid vm_info_vcpu_index vm_info_vcpu_count vm_info_reset_count
 * expect: vm_info_secondary_index exit_count_hvc exit_count_bad_class console_putc exit_dump
 * console: hypercall: putc-ok
 * bare: skip (QEMU without Tessera makes these HVCs UNDEF)
 */
#include <stdint.h>

#include "guest/smccc.h"
#include "guest/smp.h"
#include "guest/test.h"

const char guest_name[] = "hypercall";

#define VCPU_COUNT 2U
#define NOP_COUNT 10U
#define WAIT_US 5000000U
#define UNKNOWN_HC TESSERA_HC(0xffU)

/* Written by vCPU 1: the vCPU index VM_INFO reported to it, plus one (0 = not yet). */
static volatile uint32_t secondary_index;

static void secondary_main(uint64_t arg)
{
	(void)arg;
	smp_publish(&secondary_index, (uint32_t)smccc_hvc(TESSERA_HC_VM_INFO, 0, 0, 0).a1 + 1);
}

static void test_vm_info(void)
{
	struct smccc_res r = smccc_hvc(TESSERA_HC_VM_INFO, 0, 0, 0);

	check_eq(r.a1, cpu_id(), "vm_info_vcpu_index");
	check_eq(r.a2, VCPU_COUNT, "vm_info_vcpu_count");
	check_eq(r.a3, 0, "vm_info_reset_count");
	if (smp_cpu_on(1, secondary_main, 0) != PSCI_RET_SUCCESS ||
	    !smp_wait_ge(&secondary_index, 1, WAIT_US)) {
		test_check(false, "vm_info_secondary_index", "vCPU 1 did not report");
		return;
	}
	check_eq(secondary_index - 1, 1, "vm_info_secondary_index");
}

static int64_t exit_count(uint64_t class)
{
	return smccc_hvc(TESSERA_HC_EXIT_COUNT, class, 0, 0).a0;
}

/*
 * Every HVC is an exit of class HVC on this vCPU. The two counting calls may or may not count
 * themselves, depending on whether the counter moves before or after it is read: allow +0..+2.
 */
static void test_exit_count(void)
{
	int64_t before = exit_count(TESSERA_EXIT_HVC);
	int64_t after;

	for (unsigned i = 0; i < NOP_COUNT; i++) {
		(void)smccc_hvc(TESSERA_HC_NOP, 0, 0, 0);
	}
	after = exit_count(TESSERA_EXIT_HVC);
	test_checkf(before >= 0 && after - before >= (int64_t)NOP_COUNT &&
			after - before <= (int64_t)NOP_COUNT + 2,
		    "exit_count_hvc", "HVC exits %ld -> %ld across %u NOPs", before, after,
		    NOP_COUNT);
	test_checkf(exit_count(TESSERA_EXIT_CLASS_COUNT) < 0, "exit_count_bad_class",
		    "EXIT_COUNT of class %u did not fail", TESSERA_EXIT_CLASS_COUNT);
}

static void test_putc(void)
{
	static const char msg[] = "hypercall: putc-ok\n";
	int64_t worst = 0;

	for (const char *p = msg; *p != '\0'; p++) {
		int64_t r = smccc_hvc(TESSERA_HC_CONSOLE_PUTC, (uint8_t)*p, 0, 0).a0;

		worst = r != 0 ? r : worst;
	}
	check_eq(worst, TESSERA_OK, "console_putc");
}

void guest_main(void)
{
	check_eq(smccc_hvc(TESSERA_HC_VERSION, 0, 0, 0).a0, TESSERA_ABI_VERSION, "version");
	check_eq(smccc_hvc(TESSERA_HC_NOP, 0, 0, 0).a0, TESSERA_OK, "nop");
	check_eq(smccc_hvc(UNKNOWN_HC, 0, 0, 0).a0, TESSERA_E_NOT_SUPPORTED, "unknown_fid");
	test_vm_info();
	test_exit_count();
	test_putc();
	check_eq(smccc_hvc(TESSERA_HC_EXIT_DUMP, 0, 0, 0).a0, TESSERA_OK, "exit_dump");
}
