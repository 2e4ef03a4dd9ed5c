// SPDX-License-Identifier: Apache-2.0
/* Tessera's log: each message is formatted first and written whole under the console lock. */
#include "hyp/console.h"
#include "hyp/log.h"

void log_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, (size_t)MIN(len, (int)sizeof(buf) - 1));
}
