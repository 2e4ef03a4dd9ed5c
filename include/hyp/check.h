/* SPDX-License-Identifier: Apache-2.0 */
/*
 * panic() and CHECK() are for broken hypervisor invariants only. Anything a guest can cause is
 * answered with an injected exception, an ABI error code or a VM stop (docs/architecture.md).
 */
#ifndef HYP_CHECK_H
#define HYP_CHECK_H

#include "hyp/types.h"

/** Print the message and stop this physical CPU for good. */
__noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			panic("CHECK failed: %s at %s:%d", #cond, __FILE__, __LINE__);             \
		}                                                                                  \
	} while (0)

#endif
