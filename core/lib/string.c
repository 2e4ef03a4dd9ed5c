// SPDX-License-Identifier: Apache-2.0
/*
 * Freestanding memory and string functions for the EL2 image (the host build uses libc's).
 * memcpy/memmove/memset move 8-byte words when the pointers allow it: loading a 30+ MiB guest
 * kernel byte by byte is slow under an emulator. Accesses stay aligned (-mstrict-align).
 */
#include "hyp/string.h"

/*
 * GCC may turn the byte loops below back into calls to memcpy/memset, which here would
 * recurse forever; this keeps the loops as written (GCC's -ftree-loop-distribute-patterns).
 */
#if defined(__GNUC__) && !defined(__clang__)
#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define NO_LIBCALL
#endif

/* Word access that may alias any object type. */
typedef uint64_t __attribute__((may_alias)) word_t;

#define WORD_SIZE sizeof(word_t)

static bool same_alignment(const void *a, const void *b)
{
	return (((uintptr_t)a ^ (uintptr_t)b) & (WORD_SIZE - 1)) == 0;
}

/* Forward copy; safe for overlap when dst is below src. */
NO_LIBCALL static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	if (same_alignment(d, s)) {
		while (n > 0 && ((uintptr_t)d & (WORD_SIZE - 1)) != 0) {
			*d++ = *s++;
			n--;
		}
		/* 64 bytes a round: four load pairs, four store pairs, little loop overhead. */
		for (; n >= 8 * WORD_SIZE;
		     n -= 8 * WORD_SIZE, d += 8 * WORD_SIZE, s += 8 * WORD_SIZE) {
			const word_t *ws = (const word_t *)(const void *)s;
			word_t *wd = (word_t *)(void *)d;
			word_t a = ws[0], b = ws[1], c = ws[2], e = ws[3];
			word_t f = ws[4], g = ws[5], h = ws[6], k = ws[7];

			wd[0] = a;
			wd[1] = b;
			wd[2] = c;
			wd[3] = e;
			wd[4] = f;
			wd[5] = g;
			wd[6] = h;
			wd[7] = k;
		}
		for (; n >= WORD_SIZE; n -= WORD_SIZE, d += WORD_SIZE, s += WORD_SIZE) {
			*(word_t *)(void *)d = *(const word_t *)(const void *)s;
		}
	}
	while (n-- > 0) {
		*d++ = *s++;
	}
}

/* Backward copy for an overlap with dst above src. */
NO_LIBCALL static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n;
	s += n;
	if (same_alignment(d, s)) {
		while (n > 0 && ((uintptr_t)d & (WORD_SIZE - 1)) != 0) {
			*--d = *--s;
			n--;
		}
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			*(word_t *)(void *)d = *(const word_t *)(const void *)s;
		}
	}
	while (n-- > 0) {
		*--d = *--s;
	}
}

NO_LIBCALL void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
	if ((uintptr_t)dst - (uintptr_t)src >= n) {
		/* dst is below src, or the ranges do not overlap. */
		copy_forward(dst, src, n);
	} else {
		copy_backward(dst, src, n);
	}
	return dst;
}

NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t pattern = 0x0101010101010101ULL * (unsigned char)c;

	while (n > 0 && ((uintptr_t)d & (WORD_SIZE - 1)) != 0) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= 4 * WORD_SIZE; n -= 4 * WORD_SIZE, d += 4 * WORD_SIZE) {
		word_t *w = (word_t *)(void *)d;

		w[0] = pattern;
		w[1] = pattern;
		w[2] = pattern;
		w[3] = pattern;
	}
	for (; n >= WORD_SIZE; n -= WORD_SIZE, d += WORD_SIZE) {
		*(word_t *)(void *)d = pattern;
	}
	while (n-- > 0) {
		*d++ = (unsigned char)c;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i]) {
			return x[i] - y[i];
		}
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == (unsigned char)c) {
			return (void *)(uintptr_t)(p + i);
		}
	}
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0') {
		n++;
	}
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0') {
		n++;
	}
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b || *a == '\0') {
			return (unsigned char)*a - (unsigned char)*b;
		}
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c) {
			return (char *)(uintptr_t)s;
		}
		if (*s == '\0') {
			return NULL;
		}
	}
}
