/* SPDX-License-Identifier: Apache-2.0 */
/* Guest MMIO as the core sees it: routed to the VM's bus of device models. */
#ifndef HYP_VM_MMIO_H
#define HYP_VM_MMIO_H

#include "hyp/vdev.h"
#include "hyp/vm.h"

/*
 * A guest access to vm's devices: a negative errno means it must become an abort. C11 inline
 * definitions, like the bus routing they call, so that an MMIO exit reaches the model from the
 * trap handler's own frame; vm_mmio.c holds the external definitions.
 */
inline struct mmio_read __must_check vm_mmio_read(struct vm *vm, uint64_t addr, unsigned width)
{
	return mmio_bus_read(&vm->bus, addr, width);
}

inline int __must_check vm_mmio_write(struct vm *vm, uint64_t addr, unsigned width, uint64_t value)
{
	return mmio_bus_write(&vm->bus, addr, width, value);
}

#endif
