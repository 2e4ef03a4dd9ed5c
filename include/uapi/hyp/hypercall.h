/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tessera hypercall ABI (docs/hypercall-abi.md). Calls follow the SMC Calling Convention
 * (ARM DEN0028 E) with HVC #0: fast calls in the vendor-specific hypervisor service range
 * (owner 6), SMC64. x0 = function id, x1..x6 = arguments; results in x0..x3, x0 < 0 is an error.
 * Only <stdint.h> may be included here: guests and tools build against this header.
 */
#ifndef UAPI_HYP_HYPERCALL_H
#define UAPI_HYP_HYPERCALL_H

#define TESSERA_HC_BASE 0xC6000000U /* fast call, SMC64, owner 6 */
#define TESSERA_HC(n) (TESSERA_HC_BASE | (n))

/** x0 = ABI version (major << 16 | minor). */
#define TESSERA_HC_VERSION TESSERA_HC(0)
/** Does nothing; x0 = 0. The cheapest round trip, for measuring exit cost. */
#define TESSERA_HC_NOP TESSERA_HC(1)
/** x0 = VM id, x1 = calling vCPU index, x2 = vCPU count, x3 = times this VM has been reset. */
#define TESSERA_HC_VM_INFO TESSERA_HC(2)
/** Write the byte in x1 to the VM's console; x0 = 0. */
#define TESSERA_HC_CONSOLE_PUTC TESSERA_HC(3)
/** x1 = exit class (enum tessera_exit_class): x0 = exits of that class on the calling vCPU. */
#define TESSERA_HC_EXIT_COUNT TESSERA_HC(4)
/** Print every vCPU's exit counters on the hypervisor console; x0 = 0. */
#define TESSERA_HC_EXIT_DUMP TESSERA_HC(5)

#define TESSERA_ABI_VERSION 0x00010000

/* Error codes in x0 (ABI, never renumbered). */
#define TESSERA_OK 0
#define TESSERA_E_NOT_SUPPORTED (-1) /* same value as SMCCC NOT_SUPPORTED */
#define TESSERA_E_INVALID (-2)

/** Exit classes counted per vCPU. */
enum tessera_exit_class {
	TESSERA_EXIT_HVC = 0,
	TESSERA_EXIT_SMC = 1,
	TESSERA_EXIT_MMIO = 2,
	TESSERA_EXIT_SYSREG = 3,
	TESSERA_EXIT_WFX = 4,
	TESSERA_EXIT_IRQ = 5,
	TESSERA_EXIT_ABORT = 6, /* aborts reflected into the guest */
	TESSERA_EXIT_UNDEF = 7, /* traps answered with UNDEF */
	TESSERA_EXIT_OTHER = 8,
	TESSERA_EXIT_CLASS_COUNT
};

#endif
