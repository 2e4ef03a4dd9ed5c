/* SPDX-License-Identifier: Apache-2.0 */
/* The physical console: the board's UART as Tessera drives it. */
#ifndef HYP_PLAT_CONSOLE_H
#define HYP_PLAT_CONSOLE_H

#include "hyp/types.h"

/** Use the UART at base (identity-mapped); before this, output is dropped. */
void plat_console_init(uint64_t base);
/** Write one byte, waiting while the transmit FIFO is full: console output is never dropped. */
void plat_console_putc(uint8_t c);
/** Read one received byte: true and *c, or false when nothing is waiting. */
bool plat_console_getc(uint8_t *c);
/** Ask for (or stop) the receive interrupt. */
void plat_console_rx_irq(bool enable);
/** Wait until every byte written has left the transmitter (before powering off). */
void plat_console_flush(void);

#endif
