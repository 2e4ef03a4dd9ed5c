/* SPDX-License-Identifier: Apache-2.0 */
/* Hypervisor log: printf-style output to the physical console, one lock for whole lines. */
#ifndef HYP_LOG_H
#define HYP_LOG_H

#include <stdarg.h>

#include "hyp/types.h"

/** Format into buf (always NUL-terminated); returns the length that a large buffer would hold. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/** Format into buf; %d %i %u %x %lx %llx %zu %s %c %p and widths/zero-padding are supported. */
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Print prefix and one formatted message to the hypervisor console, as one write. */
void log_vprintf(const char *prefix, const char *fmt, va_list ap);
/** Print one formatted message to the hypervisor console. */
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define log_info(...) log_printf("tessera: " __VA_ARGS__)
#define log_notice(...) log_printf("tessera: " __VA_ARGS__)
#define log_error(...) log_printf("tessera: error: " __VA_ARGS__)
#ifdef HYP_DEBUG
#define log_debug(...) log_printf("tessera: debug: " __VA_ARGS__)
#else
#define log_debug(...)                                                                             \
	do {                                                                                       \
	} while (0)
#endif

#endif
