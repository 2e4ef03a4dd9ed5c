// SPDX-License-Identifier: Apache-2.0
/* panic(): a broken hypervisor invariant. Report it and stop this CPU; guests never get here. */
#include "hyp/arch_api.h"
#include "hyp/check.h"
#include "hyp/console.h"
#include "hyp/log.h"

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf("tessera: PANIC: ", fmt, ap);
	va_end(ap);
	console_write("\n", 1);
	for (;;) {
		arch_wait_event();
	}
}
