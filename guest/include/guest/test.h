/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test API. Each check prints one line the harness (tests/guest/run.py) parses:
 *   ok <guest>.<name>            or    not ok <guest>.<name>: <detail>
 * and guest_done() ends the run with "done <guest> <npass> <nfail>" and PSCI SYSTEM_OFF.
 * The counters are not locked: call these from one vCPU (the boot vCPU) at a time.
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include "guest/console.h"

/** Defined by each test guest: its name, the prefix of every check. */
extern const char guest_name[];
/** Defined by each test guest: runs on the boot vCPU after the runtime is set up. */
void guest_main(void);

#define check(cond, name) test_check((cond), (name), #cond)
#define check_eq(got, want, name) test_check_eq((uint64_t)(got), (uint64_t)(want), (name), #got)

bool test_check(bool ok, const char *name, const char *detail);
/** Like check(), with a printf-formatted detail for the failure line. */
bool test_checkf(bool ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool test_check_eq(uint64_t got, uint64_t want, const char *name, const char *expr);
/** Report a failure and end the run at once (unexpected exception, lost vCPU). */
void test_fatal(const char *name, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
/** Print the summary line and power the VM off. */
void guest_done(void) __attribute__((noreturn));

#endif
