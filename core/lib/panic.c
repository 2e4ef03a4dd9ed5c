// SPDX-License-Identifier: Apache-2.0
/* panic(): a broken hypervisor invariant. Report it and stop this CPU; guests never get here. */
#include "hyp/arch_api.h"
#include "hyp/check.h"
#include "hyp/console.h"
#include "hyp/log.h"

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write("tessera: PANIC: ", 16);
	console_write(buf, (size_t)MIN(len, (int)sizeof(buf) - 1));
	console_write("\n", 1);
	for (;;) {
		arch_wait_event();
	}
}
