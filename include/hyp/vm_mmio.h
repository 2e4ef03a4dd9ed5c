/* SPDX-License-Identifier: Apache-2.0 */
/* Guest MMIO as the core sees it: routed to the VM's bus of device models. */
#ifndef HYP_VM_MMIO_H
#define HYP_VM_MMIO_H

#include "hyp/vdev.h"

struct vm;

/** Perform acc on vm's devices: 0, or a negative errno when it must become an abort. */
int __must_check vm_mmio(struct vm *vm, struct mmio_access *acc);

#endif
