// SPDX-License-Identifier: Apache-2.0
/* Guest MMIO after decode: the VM's bus and the device models on it. */
#include "hyp/vm_mmio.h"

/* The external definitions of the inline functions in hyp/vm_mmio.h (C11 6.7.4). */
extern inline struct mmio_read vm_mmio_read(struct vm *vm, uint64_t addr, unsigned width);
extern inline int vm_mmio_write(struct vm *vm, uint64_t addr, unsigned width, uint64_t value);
