// SPDX-License-Identifier: Apache-2.0
/* memset/memcpy: GCC may emit calls to them even with -ffreestanding (GCC manual, "Standards"). */
#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

void *memset(void *dst, int c, size_t n)
{
	volatile unsigned char *d = dst;

	/* volatile: stop GCC from turning this loop back into a call to memset. */
	while (n-- > 0) {
		*d++ = (unsigned char)c;
	}
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	while (n-- > 0) {
		*d++ = *s++;
	}
	return dst;
}
