// SPDX-License-Identifier: Apache-2.0
/*
 * printf-style formatting for the hypervisor log: the C conversions d i u x X c s p %, flags
 * '-' '0' '+' ' ' '#', width and precision (both may be '*'), and the hh h l ll z j t lengths.
 */
#include <stdarg.h>

#include "hyp/log.h"

#define F_LEFT BIT(0)
#define F_ZERO BIT(1)
#define F_PLUS BIT(2)
#define F_SPACE BIT(3)
#define F_ALT BIT(4)

enum fmt_len { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_MAX, LEN_PTRDIFF };

/* Output cursor: len counts every character, stored or not, for the would-be length. */
struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

/* One parsed conversion specification; precision < 0 means none was given. */
struct fmt_spec {
	unsigned flags;
	int width;
	int precision;
	enum fmt_len len;
	char conv;
};

static void out_char(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void out_repeat(struct fmt_out *o, char c, int count)
{
	for (int i = 0; i < count; i++) {
		out_char(o, c);
	}
}

static void out_str(struct fmt_out *o, const char *s, int count)
{
	for (int i = 0; i < count; i++) {
		out_char(o, s[i]);
	}
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A decimal field or '*' (taken from the arguments). */
static int parse_number(const char **p, va_list *ap)
{
	int n = 0;

	if (**p == '*') {
		(*p)++;
		return va_arg(*ap, int);
	}
	while (is_digit(**p)) {
		n = n * 10 + (**p - '0');
		(*p)++;
	}
	return n;
}

static unsigned parse_flags(const char **p)
{
	unsigned flags = 0;

	for (;; (*p)++) {
		switch (**p) {
		case '-':
			flags |= F_LEFT;
			break;
		case '0':
			flags |= F_ZERO;
			break;
		case '+':
			flags |= F_PLUS;
			break;
		case ' ':
			flags |= F_SPACE;
			break;
		case '#':
			flags |= F_ALT;
			break;
		default:
			return flags;
		}
	}
}

static enum fmt_len parse_length(const char **p)
{
	char c = **p;

	if (c != 'h' && c != 'l' && c != 'z' && c != 'j' && c != 't') {
		return LEN_INT;
	}
	(*p)++;
	if ((c == 'h' || c == 'l') && **p == c) {
		(*p)++;
		return c == 'h' ? LEN_CHAR : LEN_LLONG;
	}
	switch (c) {
	case 'h':
		return LEN_SHORT;
	case 'l':
		return LEN_LONG;
	case 'z':
		return LEN_SIZE;
	case 'j':
		return LEN_MAX;
	default:
		return LEN_PTRDIFF;
	}
}

/* Parse the specification after '%'; *p ends on the conversion character. */
static void parse_spec(const char **p, va_list *ap, struct fmt_spec *s)
{
	s->flags = parse_flags(p);
	s->width = parse_number(p, ap);
	if (s->width < 0) {
		/* C: a negative '*' width is the '-' flag with a positive width. */
		s->flags |= F_LEFT;
		s->width = -s->width;
	}
	s->precision = -1;
	if (**p == '.') {
		(*p)++;
		s->precision = parse_number(p, ap);
	}
	s->len = parse_length(p);
	s->conv = **p;
}

static uint64_t arg_unsigned(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	case LEN_MAX:
		return va_arg(*ap, uintmax_t);
	case LEN_PTRDIFF:
		return (uint64_t)va_arg(*ap, ptrdiff_t);
	case LEN_INT:
	default:
		return va_arg(*ap, unsigned);
	}
}

static int64_t arg_signed(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return (int64_t)va_arg(*ap, size_t);
	case LEN_MAX:
		return va_arg(*ap, intmax_t);
	case LEN_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	case LEN_INT:
	default:
		return va_arg(*ap, int);
	}
}

/*
 * Emit prefix + digits inside the field: precision adds leading zeros, the '0' flag pads with
 * zeros after the prefix (ignored with a precision or '-', as in C), otherwise spaces pad.
 */
static void out_number(struct fmt_out *o, const struct fmt_spec *s, const char *prefix,
		       const char *digits, int ndigits)
{
	int plen = 0, zeros, pad;

	while (prefix[plen] != '\0') {
		plen++;
	}
	zeros = s->precision > ndigits ? s->precision - ndigits : 0;
	pad = s->width - plen - zeros - ndigits;
	pad = pad > 0 ? pad : 0;
	if ((s->flags & F_ZERO) && !(s->flags & F_LEFT) && s->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(s->flags & F_LEFT)) {
		out_repeat(o, ' ', pad);
	}
	out_str(o, prefix, plen);
	out_repeat(o, '0', zeros);
	out_str(o, digits, ndigits);
	if (s->flags & F_LEFT) {
		out_repeat(o, ' ', pad);
	}
}

/* Digits of v in base 10 or 16, most significant first; returns how many. */
static int to_digits(uint64_t v, unsigned base, bool upper, char *buf, int precision)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[20];
	int n = 0;

	if (v == 0 && precision == 0) {
		return 0; /* C: precision 0 prints no digits for a zero value */
	}
	do {
		rev[n++] = set[v % base];
		v /= base;
	} while (v != 0);
	for (int i = 0; i < n; i++) {
		buf[i] = rev[n - 1 - i];
	}
	return n;
}

static void conv_int(struct fmt_out *o, const struct fmt_spec *s, va_list *ap)
{
	const char *prefix = "";
	char digits[20];
	uint64_t mag;

	if (s->conv == 'd' || s->conv == 'i') {
		int64_t v = arg_signed(ap, s->len);

		mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
		if (v < 0) {
			prefix = "-";
		} else if (s->flags & (F_PLUS | F_SPACE)) {
			prefix = (s->flags & F_PLUS) ? "+" : " ";
		}
		out_number(o, s, prefix, digits, to_digits(mag, 10, false, digits, s->precision));
		return;
	}
	mag = arg_unsigned(ap, s->len);
	if (s->conv == 'u') {
		out_number(o, s, prefix, digits, to_digits(mag, 10, false, digits, s->precision));
		return;
	}
	if ((s->flags & F_ALT) && mag != 0) {
		prefix = s->conv == 'X' ? "0X" : "0x";
	}
	out_number(o, s, prefix, digits, to_digits(mag, 16, s->conv == 'X', digits, s->precision));
}

/* %s, %c and %p: text padded with spaces only. */
static void out_text(struct fmt_out *o, const struct fmt_spec *s, const char *text, int n)
{
	int pad = s->width > n ? s->width - n : 0;

	if (!(s->flags & F_LEFT)) {
		out_repeat(o, ' ', pad);
	}
	out_str(o, text, n);
	if (s->flags & F_LEFT) {
		out_repeat(o, ' ', pad);
	}
}

static void conv_str(struct fmt_out *o, const struct fmt_spec *s, va_list *ap)
{
	const char *str = va_arg(*ap, const char *);
	int n = 0;

	if (str == NULL) {
		str = "(null)";
	}
	while (str[n] != '\0' && (s->precision < 0 || n < s->precision)) {
		n++;
	}
	out_text(o, s, str, n);
}

static void conv_ptr(struct fmt_out *o, const struct fmt_spec *s, va_list *ap)
{
	struct fmt_spec hex = *s;
	char digits[20];
	uint64_t v = (uintptr_t)va_arg(*ap, void *);

	hex.flags &= ~(unsigned)F_ZERO;
	hex.precision = -1;
	out_number(o, &hex, "0x", digits, to_digits(v, 16, false, digits, -1));
}

/* Handle one conversion; an unknown one is copied out as written. */
static void convert(struct fmt_out *o, const struct fmt_spec *s, va_list *ap)
{
	char c;

	switch (s->conv) {
	case 'd':
	case 'i':
	case 'u':
	case 'x':
	case 'X':
		conv_int(o, s, ap);
		break;
	case 's':
		conv_str(o, s, ap);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		out_text(o, s, &c, 1);
		break;
	case 'p':
		conv_ptr(o, s, ap);
		break;
	case '%':
		out_char(o, '%');
		break;
	default:
		out_char(o, '%');
		out_char(o, s->conv);
		break;
	}
}

/** Format into buf (NUL-terminated when size > 0); returns the untruncated length. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = {.buf = buf, .size = size, .len = 0};
	struct fmt_spec s;
	va_list args;

	va_copy(args, ap);
	while (*fmt != '\0') {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt++;
		parse_spec(&fmt, &args, &s);
		if (s.conv == '\0') {
			break; /* a lone '%' at the end: nothing to convert */
		}
		convert(&o, &s, &args);
		fmt++;
	}
	va_end(args);
	if (size > 0) {
		buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return (int)o.len;
}

/** Format into buf; see fmt_vsnprintf. */
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
