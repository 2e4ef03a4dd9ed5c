// SPDX-License-Identifier: Apache-2.0
/* Host fake console: log output goes to stdout; panic() reports on stderr and aborts the test. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "hyp/check.h"
#include "hyp/log.h"

void log_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("panic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
