// SPDX-License-Identifier: Apache-2.0
/* Driver for the physical PL011 that carries Tessera's and its guests' consoles (DDI0183G). */
#include "hyp/plat_console.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIMSC 0x038
#define UARTICR 0x044
#define FR_TXFF BIT(5)		 /* transmit FIFO full, DDI0183G §3.3.3 */
#define FR_RXFE BIT(4)		 /* receive FIFO empty */
#define FR_BUSY BIT(3)		 /* still transmitting */
#define INT_RX (BIT(4) | BIT(6)) /* RXIM and RTIM, DDI0183G §3.3.10 */

static volatile uint32_t *uart;

static inline uint32_t reg_read(unsigned off)
{
	return uart[off / 4];
}

static inline void reg_write(unsigned off, uint32_t v)
{
	uart[off / 4] = v;
}

void plat_console_init(uint64_t base)
{
	uart = (volatile uint32_t *)(uintptr_t)base;
}

void plat_console_putc(uint8_t c)
{
	if (!uart) {
		return;
	}
	while (reg_read(UARTFR) & FR_TXFF) {
	}
	reg_write(UARTDR, c);
}

bool plat_console_getc(uint8_t *c)
{
	if (!uart || (reg_read(UARTFR) & FR_RXFE)) {
		return false;
	}
	*c = (uint8_t)reg_read(UARTDR);
	return true;
}

void plat_console_rx_irq(bool enable)
{
	uint32_t imsc = reg_read(UARTIMSC);

	reg_write(UARTIMSC, enable ? (imsc | INT_RX) : (imsc & ~(uint32_t)INT_RX));
}

void plat_console_flush(void)
{
	while (uart && (reg_read(UARTFR) & FR_BUSY)) {
	}
}
