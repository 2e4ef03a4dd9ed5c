/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the fuzz targets: the libFuzzer entry point, a reader that turns the input into
 * integers (zeros once it runs out), and FUZZ_CHECK() for invariants (a failure aborts).
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/** One input: each target defines it (libFuzzer's contract); returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/** The unread part of an input. */
struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline struct fuzz_in fuzz_in_make(const uint8_t *data, size_t size)
{
	return (struct fuzz_in){data, size};
}

static inline bool fuzz_in_is_empty(const struct fuzz_in *in)
{
	return in->left == 0;
}

/** The next n (1-8) bytes, little-endian; missing bytes read as zero. */
static inline uint64_t fuzz_take(struct fuzz_in *in, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n && in->left > 0; i++, in->p++, in->left--) {
		v |= (uint64_t)*in->p << (8U * i);
	}
	return v;
}

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	return (uint8_t)fuzz_take(in, 1);
}

static inline uint16_t fuzz_u16(struct fuzz_in *in)
{
	return (uint16_t)fuzz_take(in, 2);
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
	return (uint32_t)fuzz_take(in, 4);
}

static inline uint64_t fuzz_u64(struct fuzz_in *in)
{
	return fuzz_take(in, 8);
}

/** An access width: the four valid ones and 3, which every model must refuse. */
static inline unsigned fuzz_width(struct fuzz_in *in)
{
	static const unsigned widths[] = {1, 2, 4, 8, 3};

	return widths[fuzz_u8(in) % 5U];
}

/* A model's read answers the width's bytes only (hyp/vdev.h): value fits in width bytes. */
static inline bool fuzz_fits_width(uint64_t value, unsigned width)
{
	return width >= 8 || value >> (8U * width) == 0;
}

static inline __attribute__((noreturn)) void fuzz_fail(const char *file, int line, const char *what)
{
	fflush(stdout);
	fprintf(stderr, "fuzz invariant: %s:%d: %s\n", file, line, what);
	abort();
}

/** An invariant of the code under test: report and abort (a crash, for the fuzzer). */
#define FUZZ_CHECK(c)                                                                              \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fuzz_fail(__FILE__, __LINE__, #c);                                         \
		}                                                                                  \
	} while (0)

#endif
