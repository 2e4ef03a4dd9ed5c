// SPDX-License-Identifier: Apache-2.0
/* Tessera's log: each message is formatted first and written whole under the console lock. */
#include "hyp/log.h"

#include "hyp/console.h"
#include "hyp/string.h"

void log_vprintf(const char *prefix, const char *fmt, va_list ap)
{
	char buf[256];
	size_t plen = strlen(prefix);
	int len;

	memcpy(buf, prefix, MIN(plen, sizeof(buf) - 1));
	plen = MIN(plen, sizeof(buf) - 1);
	len = fmt_vsnprintf(buf + plen, sizeof(buf) - plen, fmt, ap);
	console_write(buf, plen + (size_t)MIN(len, (int)(sizeof(buf) - plen) - 1));
}

void log_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf("", fmt, ap);
	va_end(ap);
}
