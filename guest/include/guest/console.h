/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Polled PL011 console (ARM DDI0183G) and a small printf. Output is not locked: only one vCPU
 * should print at a time.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>
#include <stdint.h>

/* QEMU virt's address; a build for another machine layout may define its own. */
#ifndef PL011_BASE
#define PL011_BASE 0x09000000UL
#endif

/* Register offsets, ARM DDI0183G §3.2 table 3-1. */
#define PL011_DR 0x000
#define PL011_FR 0x018
#define PL011_IBRD 0x024
#define PL011_FBRD 0x028
#define PL011_LCR_H 0x02c
#define PL011_CR 0x030
#define PL011_IMSC 0x038
#define PL011_RIS 0x03c
#define PL011_MIS 0x040
#define PL011_ICR 0x044
#define PL011_PERIPHID0 0xfe0
#define PL011_CELLID0 0xff0

/* UARTFR bits, ARM DDI0183G §3.3.3. */
#define PL011_FR_BUSY (1U << 3)
#define PL011_FR_RXFE (1U << 4)
#define PL011_FR_TXFF (1U << 5)
#define PL011_FR_TXFE (1U << 7)

/* UARTCR bits, ARM DDI0183G §3.3.8. */
#define PL011_CR_UARTEN (1U << 0)
#define PL011_CR_TXE (1U << 8)
#define PL011_CR_RXE (1U << 9)

/** Enable the UART transmitter (idempotent). */
void console_init(void);
/** Write one byte through UARTDR once the TX FIFO has room; '\n' becomes "\r\n". */
void console_putc(char c);
void console_puts(const char *s);
/** printf subset: %% %c %s %d %i %u %x %p, flags '0' '#', width, length l/ll/z. */
void guest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void guest_vprintf(const char *fmt, va_list ap);

#endif
