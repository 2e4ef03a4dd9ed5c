/* SPDX-License-Identifier: Apache-2.0 */
/* The shared physical console (core/console.c). */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H

#include "hyp/types.h"

struct vm;

/** Write Tessera's own text ("\n" becomes "\r\n"). */
void console_write(const char *s, size_t len);
/** Received bytes go to vm from now on. */
void console_set_input(struct vm *vm);
/** Handler of the physical UART's receive interrupt. */
bool console_rx_irq(unsigned intid);
/** Is input held back because the guest's FIFO is full? */
bool console_rx_held(void);

#endif
