// SPDX-License-Identifier: Apache-2.0
/* Guest MMIO after decode: the VM's bus and the device models on it. */
#include "hyp/vm_mmio.h"

#include "hyp/vm.h"

int vm_mmio(struct vm *vm, struct mmio_access *acc)
{
	return mmio_bus_access(&vm->bus, acc);
}
