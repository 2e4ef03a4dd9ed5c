/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Input generation for the fallback fuzz driver: a seeded PRNG, the seed corpus read in name
 * order, and a mutator in the spirit of libFuzzer's, so every run sees the same inputs.
 */
#ifndef TESTS_FUZZ_MUTATE_H
#define TESTS_FUZZ_MUTATE_H

#include <stddef.h>
#include <stdint.h>

/** splitmix64 state. */
struct rng {
	uint64_t state;
};

/** Seed inputs, each in a heap buffer of exactly its size. */
struct corpus {
	uint8_t **data;
	size_t *size;
	unsigned count;
	unsigned cap;
};

uint64_t rng_next(struct rng *r);
/** A value in [0, n); n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);

/** Read every regular file of dir, sorted by name, at most max_files of at most max_size. */
int corpus_load_dir(struct corpus *c, const char *dir, unsigned max_files, size_t max_size);
/** Append one file (at most max_size bytes of it): 0 or -1. */
int corpus_add_file(struct corpus *c, const char *path, size_t max_size);
void corpus_free(struct corpus *c);

/** The next generated input in buf (cap bytes): a mutated seed or random bytes; its size. */
size_t mutate_next(struct rng *r, const struct corpus *c, uint8_t *buf, size_t cap);

#endif
