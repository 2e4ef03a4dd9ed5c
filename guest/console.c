// SPDX-License-Identifier: Apache-2.0
/* Polled PL011 transmit and the printf the test API prints through. */
#include "guest/console.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest/sysreg.h"

/* Bound on the TXFF wait so a broken FR model shows up as lost output, not a hang. */
#define CONSOLE_TX_SPINS 1000000U

void console_init(void)
{
#ifdef GUEST_UART_SBSA
	/* The SBSA generic UART (ARM DEN0094, a PL011 subset, Xen's vpl011) has no UARTCR. */
	return;
#endif
	uint32_t cr = mmio_read32(PL011_BASE + PL011_CR);

	/* UARTCR.UARTEN and TXE must be set before transmitting (ARM DDI0183G §3.3.8). */
	cr |= PL011_CR_UARTEN | PL011_CR_TXE;
	mmio_write32(PL011_BASE + PL011_CR, cr);
}

static void console_tx(char c)
{
	/* UARTFR.TXFF set: the transmit FIFO is full (ARM DDI0183G §3.3.3). */
	for (unsigned i = 0; i < CONSOLE_TX_SPINS; i++) {
		if (!(mmio_read32(PL011_BASE + PL011_FR) & PL011_FR_TXFF)) {
			break;
		}
	}
	mmio_write32(PL011_BASE + PL011_DR, (uint8_t)c);
}

void console_putc(char c)
{
	if (c == '\n') {
		console_tx('\r');
	}
	console_tx(c);
}

void console_puts(const char *s)
{
	while (*s != '\0') {
		console_putc(*s++);
	}
}

/** One conversion's flags, width and operand size. */
struct fmt_spec {
	bool zero_pad;
	bool alt;
	unsigned width;
	unsigned long_count;
};

static void fmt_pad(unsigned len, const struct fmt_spec *sp, char pad)
{
	for (unsigned i = len; i < sp->width; i++) {
		console_putc(pad);
	}
}

static void fmt_unsigned(uint64_t v, unsigned base, const struct fmt_spec *sp)
{
	char buf[24];
	unsigned n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	if (sp->alt && base == 16) {
		console_puts("0x");
	}
	fmt_pad(n, sp, sp->zero_pad ? '0' : ' ');
	while (n > 0) {
		console_putc(buf[--n]);
	}
}

static void fmt_signed(int64_t v, const struct fmt_spec *sp)
{
	struct fmt_spec mag = *sp;

	if (v < 0) {
		console_putc('-');
		if (mag.width > 0) {
			mag.width--;
		}
		/* Negate in unsigned arithmetic so INT64_MIN does not overflow. */
		fmt_unsigned(0 - (uint64_t)v, 10, &mag);
		return;
	}
	fmt_unsigned((uint64_t)v, 10, &mag);
}

static const char *fmt_parse(const char *f, struct fmt_spec *sp)
{
	*sp = (struct fmt_spec){0};
	for (;; f++) {
		if (*f == '0') {
			sp->zero_pad = true;
		} else if (*f == '#') {
			sp->alt = true;
		} else {
			break;
		}
	}
	while (*f >= '0' && *f <= '9') {
		sp->width = sp->width * 10 + (unsigned)(*f++ - '0');
	}
	while (*f == 'l' || *f == 'z') {
		sp->long_count++;
		f++;
	}
	return f;
}

static uint64_t fmt_arg_unsigned(va_list *ap, const struct fmt_spec *sp)
{
	return sp->long_count > 0 ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned int);
}

static int64_t fmt_arg_signed(va_list *ap, const struct fmt_spec *sp)
{
	return sp->long_count > 0 ? va_arg(*ap, int64_t) : va_arg(*ap, int);
}

static void fmt_one(char conv, va_list *ap, struct fmt_spec *sp)
{
	const char *s;

	switch (conv) {
	case 'c':
		console_putc((char)va_arg(*ap, int));
		break;
	case 's':
		s = va_arg(*ap, const char *);
		console_puts(s != NULL ? s : "(null)");
		break;
	case 'd':
	case 'i':
		fmt_signed(fmt_arg_signed(ap, sp), sp);
		break;
	case 'u':
		fmt_unsigned(fmt_arg_unsigned(ap, sp), 10, sp);
		break;
	case 'x':
		fmt_unsigned(fmt_arg_unsigned(ap, sp), 16, sp);
		break;
	case 'p':
		sp->alt = true;
		fmt_unsigned((uint64_t)(uintptr_t)va_arg(*ap, void *), 16, sp);
		break;
	default:
		console_putc('%');
		console_putc(conv);
		break;
	}
}

void guest_vprintf(const char *fmt, va_list ap)
{
	struct fmt_spec sp;
	va_list args;

	va_copy(args, ap);
	while (*fmt != '\0') {
		if (*fmt != '%') {
			console_putc(*fmt++);
			continue;
		}
		fmt = fmt_parse(fmt + 1, &sp);
		if (*fmt == '\0') {
			break;
		}
		if (*fmt == '%') {
			console_putc('%');
		} else {
			fmt_one(*fmt, &args, &sp);
		}
		fmt++;
	}
	va_end(args);
}

void guest_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	guest_vprintf(fmt, ap);
	va_end(ap);
}
