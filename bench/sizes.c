// SPDX-License-Identifier: Apache-2.0
/*
 * Sizes of Tessera's per-VM structures, for tools/bench.py: built with the hypervisor's own flags
 * and headers, never linked; each array's symbol size (nm -S) is the number it is named after.
 */
#include "hyp/vm.h"

char bench_sizeof_vm[sizeof(struct vm)];
char bench_sizeof_vcpu[sizeof(struct vcpu)];
char bench_vm_max_vcpus[VM_MAX_VCPUS];
