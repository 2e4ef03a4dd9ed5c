// SPDX-License-Identifier: Apache-2.0
/* Check reporting and the end-of-run summary. */
#include "guest/test.h"

#include <stdarg.h>

#include "guest/smccc.h"
#include "guest/sysreg.h"

static unsigned test_pass_count;
static unsigned test_fail_count;

bool test_check(bool ok, const char *name, const char *detail)
{
	if (ok) {
		test_pass_count++;
		guest_printf("ok %s.%s\n", guest_name, name);
	} else {
		test_fail_count++;
		guest_printf("not ok %s.%s: %s\n", guest_name, name, detail);
	}
	return ok;
}

/* Count a failure and print its line: "not ok <guest>.<name>: " and the formatted detail. */
static void report_fail(const char *name, const char *fmt, va_list ap)
{
	test_fail_count++;
	guest_printf("not ok %s.%s: ", guest_name, name);
	guest_vprintf(fmt, ap);
	console_putc('\n');
}

bool test_checkf(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		return test_check(true, name, "");
	}
	va_start(ap, fmt);
	report_fail(name, fmt, ap);
	va_end(ap);
	return false;
}

bool test_check_eq(uint64_t got, uint64_t want, const char *name, const char *expr)
{
	if (got == want) {
		return test_check(true, name, expr);
	}
	test_fail_count++;
	guest_printf("not ok %s.%s: %s = %#lx (%ld), want %#lx (%ld)\n", guest_name, name, expr,
		     got, (int64_t)got, want, (int64_t)want);
	return false;
}

void test_fatal(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_fail(name, fmt, ap);
	va_end(ap);
	guest_done();
}

void guest_done(void)
{
	irq_disable();
	guest_printf("done %s %u %u\n", guest_name, test_pass_count, test_fail_count);
	psci_system_off();
}
