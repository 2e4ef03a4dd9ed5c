// SPDX-License-Identifier: Apache-2.0
/*
 * PSCI SYSTEM_RESET (PSCI DEN0022 E §5, SYSTEM_RESET) restarts the VM from its original image:
 * the first boot changes an initialised .data word and resets; the second boot must see
 * VM_INFO x3 (reset count) = 1 and the word back at its initial value, i.e. RAM reloaded.
 *
 * expect: first_boot_marker reset_count ram_reloaded
 * bare: skip (VM_INFO is a Tessera hypercall; QEMU -no-reboot exits on reset)
 */
#include <stdint.h>

#include "guest/smccc.h"
#include "guest/sysreg.h"
#include "guest/test.h"

const char guest_name[] = "reset";

#define MARKER_INITIAL 0x1badcafeU
#define MARKER_WRITTEN 0x600dd00dU

/* volatile: every access must go to RAM, this word is the evidence of the reload. */
static volatile uint32_t reset_marker = MARKER_INITIAL;

static void first_boot(void)
{
	check_eq(reset_marker, MARKER_INITIAL, "first_boot_marker");
	reset_marker = MARKER_WRITTEN;
	/* The marker must be in RAM before the VM stops (nothing else orders it). */
	dsb(sy);
	guest_printf("# reset: marker written, calling SYSTEM_RESET\n");
	test_fatal("system_reset", "SYSTEM_RESET returned %ld", psci_system_reset());
}

void guest_main(void)
{
	uint64_t resets = smccc_hvc(TESSERA_HC_VM_INFO, 0, 0, 0).a3;

	/*
	 * A reset that neither reloads RAM nor counts would bring us back here with resets == 0
	 * and the marker written: report that instead of resetting forever.
	 */
	if (resets == 0 && reset_marker == MARKER_WRITTEN) {
		test_fatal("reset_count", "rebooted with reset count 0 and RAM not reloaded");
	}
	if (resets == 0) {
		first_boot();
	}
	check_eq(resets, 1, "reset_count");
	check_eq(reset_marker, MARKER_INITIAL, "ram_reloaded");
}
