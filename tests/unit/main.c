// SPDX-License-Identifier: Apache-2.0
/* Runs every registered unit test; prints one "ok"/"not ok" line per case and a summary. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

static struct test_case *head, **tail = &head;
static bool current_failed;

void test_register(struct test_case *tc)
{
	*tail = tc;
	tail = &tc->next;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	current_failed = true;
	fprintf(stderr, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool test_failed(void)
{
	return current_failed;
}

int main(int argc, char **argv)
{
	unsigned passed = 0, failed = 0;

	for (struct test_case *tc = head; tc; tc = tc->next) {
		if (argc > 1 && !strstr(tc->name, argv[1])) {
			continue;
		}
		current_failed = false;
		tc->fn();
		printf("%s unit.%s\n", current_failed ? "not ok" : "ok", tc->name);
		if (current_failed) {
			failed++;
		} else {
			passed++;
		}
	}
	printf("unit: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
