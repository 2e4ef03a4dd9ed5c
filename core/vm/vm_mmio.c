// SPDX-License-Identifier: Apache-2.0
/* Guest MMIO after decode: the VM's bus, then console input that was waiting for FIFO room. */
#include "hyp/vm_mmio.h"

#include "hyp/console.h"
#include "hyp/vm.h"

int vm_mmio(struct vm *vm, struct mmio_access *acc)
{
	int ret = mmio_bus_access(&vm->bus, acc);

	if (ret == 0 && !acc->write && console_rx_held() && acc->addr >= GUEST_UART_BASE &&
	    acc->addr < GUEST_UART_BASE + PL011_MMIO_SIZE) {
		vm_console_input(vm);
	}
	return ret;
}
