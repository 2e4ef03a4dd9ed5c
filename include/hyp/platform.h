/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What Tessera learns about the machine from the DTB it was booted with: memory, CPUs, the GIC,
 * the console UART, the timer, the PSCI conduit, and the guest modules that the boot loader
 * placed in RAM (the "multiboot,module" binding of QEMU's guest-loader and of Xen).
 */
#ifndef HYP_PLATFORM_H
#define HYP_PLATFORM_H

#include "hyp/types.h"

#define PLAT_MAX_CPUS 8
#define PLAT_MAX_MEM 4
#define PLAT_BOOTARGS_MAX 512

enum psci_conduit { PSCI_CONDUIT_NONE, PSCI_CONDUIT_SMC, PSCI_CONDUIT_HVC };

struct mem_range {
	uint64_t base;
	uint64_t size;
};

struct boot_module {
	uint64_t base; /**< 0 when absent */
	uint64_t size;
	char bootargs[PLAT_BOOTARGS_MAX]; /**< the module's "bootargs" (kernel modules only) */
};

struct platform_info {
	struct mem_range mem[PLAT_MAX_MEM];
	unsigned mem_count;
	uint64_t cpu_mpidr[PLAT_MAX_CPUS]; /**< "reg" of each /cpus/cpu@N, in DT order */
	unsigned cpu_count;
	uint64_t gicd_base, gicd_size;
	uint64_t gicr_base, gicr_size;
	uint64_t uart_base, uart_size;
	unsigned uart_intid; /**< GIC INTID of the UART (SPI n -> 32 + n) */
	unsigned
	    timer_intid[4]; /**< secure phys, non-secure phys, virtual, hyp phys (PPI -> 16+n) */
	enum psci_conduit psci;
	struct boot_module kernel;	  /**< compatible "multiboot,kernel" */
	struct boot_module initrd;	  /**< compatible "multiboot,ramdisk" */
	char bootargs[PLAT_BOOTARGS_MAX]; /**< /chosen/bootargs: Tessera's own command line */
};

/**
 * Fill info from the DTB. Returns 0, or -EINVAL / -ENOENT with a message naming the missing or
 * malformed node in err (at most err_size bytes) so the caller can report it before any VM runs.
 */
int __must_check platform_discover(const void *fdt, struct platform_info *info, char *err,
				   size_t err_size);

#endif
