// SPDX-License-Identifier: Apache-2.0
/* Guest MMIO after decode: the VM's bus and the device models on it. */
#include "hyp/vm_mmio.h"

/* The external definition of the inline vm_mmio() in hyp/vm_mmio.h (C11 6.7.4). */
extern inline int vm_mmio(struct vm *vm, struct mmio_access *acc);
