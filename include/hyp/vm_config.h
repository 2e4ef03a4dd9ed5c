/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The declarative description of a VM and its parser/validator. Kept apart from struct vm so
 * that it builds and is unit-tested on the host.
 */
#ifndef HYP_VM_CONFIG_H
#define HYP_VM_CONFIG_H

#include "hyp/types.h"

#define VM_BOOTARGS_MAX 512
#define VM_CONFIG_MAX_VCPUS 8

/** A boot image held in host memory, copied into the guest at every (re)boot. */
struct vm_image {
	uint64_t hpa;
	uint64_t size;
};

/** Declarative description of a VM, validated completely before it is built. */
struct vm_config {
	unsigned nr_vcpus;
	uint64_t mem_size;
	struct vm_image kernel;
	struct vm_image initrd;
	char bootargs[VM_BOOTARGS_MAX];
};

/**
 * Parse Tessera's command line keys for the VM ("vm.vcpus=N vm.mem=SIZE[K|M|G]") into cfg.
 * Unknown vm.* keys and bad values are errors naming the key; other words are ignored.
 */
int __must_check vm_config_parse(const char *cmdline, struct vm_config *cfg, char *err,
				 size_t err_size);
/**
 * Check cfg against the machine: free_bytes is the largest 2 MiB-aligned free block (guest RAM
 * is one contiguous block), and there must be a kernel to boot. 0 or -EINVAL with err.
 */
int __must_check vm_config_check(const struct vm_config *cfg, uint64_t free_bytes, char *err,
				 size_t err_size);

#endif
