// SPDX-License-Identifier: Apache-2.0
/*
 * The physical console, shared by Tessera's log and the VMs' UARTs. Output is written through
 * at once under one lock, so nothing is buffered that a power-off could lose. Input goes to
 * the VM that has the console; when its UART FIFO is full the receive interrupt is held off
 * until the guest has read, so typed bytes wait in the physical UART instead of being dropped.
 */
#include "hyp/console.h"

#include "hyp/plat_console.h"
#include "hyp/spinlock.h"
#include "hyp/vm.h"

static struct spinlock console_lock = SPINLOCK_INIT;
/* Input moves from the RX interrupt (CPU 0) and from guest UART reads (any CPU): one at a time. */
static struct spinlock input_lock = SPINLOCK_INIT;
static struct vm *input_vm;
static bool rx_held;

void console_write(const char *s, size_t len)
{
	spin_lock(&console_lock);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			plat_console_putc('\r');
		}
		plat_console_putc((uint8_t)s[i]);
	}
	spin_unlock(&console_lock);
}

void vm_console_output(struct vm *vm, uint8_t byte)
{
	(void)vm; /* one VM owns the console today; several will be multiplexed by tag */
	spin_lock(&console_lock);
	plat_console_putc(byte);
	spin_unlock(&console_lock);
}

void console_set_input(struct vm *vm)
{
	input_vm = vm;
}

/* Move bytes while the guest's FIFO has room; hold the receive interrupt while it is full. */
void vm_console_input(struct vm *vm)
{
	uint8_t c;

	if (vm != input_vm) {
		return;
	}
	spin_lock(&input_lock);
	while (pl011_rx_space(&vm->uart) > 0 && plat_console_getc(&c)) {
		(void)pl011_rx_push(&vm->uart, c);
	}
	rx_held = pl011_rx_space(&vm->uart) == 0;
	plat_console_rx_irq(!rx_held);
	spin_unlock(&input_lock);
}

bool console_rx_irq(unsigned intid)
{
	(void)intid;
	if (input_vm) {
		vm_console_input(input_vm);
	} else {
		uint8_t c;

		while (plat_console_getc(&c)) {
		}
	}
	return true;
}

bool console_rx_held(void)
{
	return rx_held;
}
