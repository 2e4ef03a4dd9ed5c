/* SPDX-License-Identifier: Apache-2.0 */
/* The device tree Tessera generates for a guest: exactly the virtual machine it emulates. */
#ifndef HYP_GUEST_FDT_H
#define HYP_GUEST_FDT_H

#include "hyp/types.h"

struct guest_fdt_params {
	uint64_t ram_base, ram_size;
	unsigned nr_vcpus; /**< cpu@i has reg = i (MPIDR Aff0) */
	const char *bootargs;
	uint64_t initrd_start, initrd_size; /**< size 0: no initrd properties */
	uint64_t gicd_base, gicr_base;	    /**< GICv3: 64 KiB distributor, 128 KiB per vCPU */
	uint64_t uart_base;		    /**< PL011, 4 KiB */
	unsigned uart_spi;		    /**< SPI number (INTID - 32) */
};

/**
 * Write the guest DTB into buf: /cpus with PSCI enable-method, /memory, /psci (HVC conduit,
 * "arm,psci-1.0"), the GICv3, the arch timer (PPIs 13, 14, 11, 10), the PL011 with its clock,
 * and /chosen (bootargs, stdout-path, linux,initrd-start/end). Returns the size or -errno.
 */
int __must_check guest_fdt_build(void *buf, size_t size, const struct guest_fdt_params *p);

#endif
