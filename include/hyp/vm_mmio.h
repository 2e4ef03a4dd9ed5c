/* SPDX-License-Identifier: Apache-2.0 */
/* Guest MMIO as the core sees it: routed to the VM's bus of device models. */
#ifndef HYP_VM_MMIO_H
#define HYP_VM_MMIO_H

#include "hyp/vdev.h"
#include "hyp/vm.h"

/**
 * Perform acc on vm's devices: 0, or a negative errno when it must become an abort. A C11
 * inline definition, like the bus routing it calls, so that an MMIO exit reaches the model
 * from the trap handler's own frame; vm_mmio.c holds the external definition.
 */
inline int __must_check vm_mmio(struct vm *vm, struct mmio_access *acc)
{
	return mmio_bus_access(&vm->bus, acc);
}

#endif
