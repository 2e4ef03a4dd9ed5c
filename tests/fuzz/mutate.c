// SPDX-License-Identifier: Apache-2.0
/*
 * The fallback driver's input source: splitmix64, the seed corpus loaded in name order (readdir
 * order is not stable), and stacked byte-level mutations like libFuzzer's default set.
 */
#include "mutate.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANDOM_SIZE_LOG2 12 /* random inputs are up to 4 KiB, most of them much shorter */
#define MAX_STACKED 6

typedef size_t mutator(struct rng *r, const struct corpus *c, uint8_t *b, size_t n, size_t cap);

uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	return rng_next(r) % n;
}

/* Room for one more seed. */
static int corpus_grow(struct corpus *c)
{
	unsigned cap = c->cap ? 2U * c->cap : 8U;
	uint8_t **data;
	size_t *size;

	if (c->count < c->cap) {
		return 0;
	}
	data = realloc(c->data, cap * sizeof(*data));
	if (!data) {
		return -1;
	}
	c->data = data;
	size = realloc(c->size, cap * sizeof(*size));
	if (!size) {
		return -1;
	}
	c->size = size;
	c->cap = cap;
	return 0;
}

int corpus_add_file(struct corpus *c, const char *path, size_t max_size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = f ? malloc(max_size) : NULL;
	uint8_t *seed = NULL;
	size_t n = 0;

	if (buf && corpus_grow(c) == 0) {
		n = fread(buf, 1, max_size, f);
		seed = malloc(n ? n : 1U); /* exact size, so ASan sees reads past the end */
	}
	if (seed) {
		memcpy(seed, buf, n);
		c->data[c->count] = seed;
		c->size[c->count++] = n;
	}
	free(buf);
	if (f) {
		fclose(f);
	}
	return seed ? 0 : -1;
}

static int only_files(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

int corpus_load_dir(struct corpus *c, const char *dir, unsigned max_files, size_t max_size)
{
	struct dirent **names;
	int n = scandir(dir, &names, only_files, alphasort), rc = 0;
	char path[1024];

	if (n < 0) {
		return 0; /* no corpus: random inputs only */
	}
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (rc == 0 && c->count < max_files) {
			rc = corpus_add_file(c, path, max_size);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

void corpus_free(struct corpus *c)
{
	for (unsigned i = 0; i < c->count; i++) {
		free(c->data[i]);
	}
	free(c->data);
	free(c->size);
	memset(c, 0, sizeof(*c));
}

static size_t mut_flip_bit(struct rng *r, const struct corpus *c, uint8_t *b, size_t n, size_t cap)
{
	(void)c, (void)cap;
	if (n) {
		b[rng_below(r, n)] ^= (uint8_t)(1U << rng_below(r, 8));
	}
	return n;
}

static size_t mut_set_byte(struct rng *r, const struct corpus *c, uint8_t *b, size_t n, size_t cap)
{
	static const uint8_t interesting[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x07, 0x08, 0x09,
					      0x10, 0x1F, 0x20, 0x3D, 0x7F, 0x80, 0xFE, 0xFF};

	(void)c, (void)cap;
	if (n) {
		uint64_t v = rng_next(r);

		b[rng_below(r, n)] = (v & 1) ? (uint8_t)(v >> 8) : interesting[(v >> 8) % 16U];
	}
	return n;
}

/* A 32-bit boundary value at a 4-aligned offset, big-endian half the time (DTB fields). */
static size_t mut_set_word(struct rng *r, const struct corpus *c, uint8_t *b, size_t n, size_t cap)
{
	static const uint32_t interesting[] = {
	    0,	  1,	  2,	   3,	       4,	   9,	       0x20,	   0x7F,
	    0x80, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0xD00DFEED};
	uint64_t v = rng_next(r);
	uint32_t w = interesting[v % 16U];
	size_t pos;

	(void)c, (void)cap;
	if (n < 4) {
		return n;
	}
	pos = (size_t)rng_below(r, n / 4U) * 4U;
	for (unsigned i = 0; i < 4; i++) {
		unsigned shift = (v & 16U) ? 24U - 8U * i : 8U * i;

		b[pos + i] = (uint8_t)(w >> shift);
	}
	return n;
}

static size_t mut_erase(struct rng *r, const struct corpus *c, uint8_t *b, size_t n, size_t cap)
{
	size_t pos, len;

	(void)c, (void)cap;
	if (n < 2) {
		return n;
	}
	pos = (size_t)rng_below(r, n);
	len = 1U + (size_t)rng_below(r, (n - pos < 64U ? n - pos : 64U));
	memmove(b + pos, b + pos + len, n - pos - len);
	return n - len;
}

static size_t mut_insert(struct rng *r, const struct corpus *c, uint8_t *b, size_t n, size_t cap)
{
	size_t pos = (size_t)rng_below(r, n + 1U), len = 1U + (size_t)rng_below(r, 16);

	(void)c;
	if (n + len > cap) {
		return n;
	}
	memmove(b + pos + len, b + pos, n - pos);
	for (size_t i = 0; i < len; i++) {
		b[pos + i] = (uint8_t)rng_next(r);
	}
	return n + len;
}

/* Overwrite a chunk with another chunk of the same input. */
static size_t mut_copy(struct rng *r, const struct corpus *c, uint8_t *b, size_t n, size_t cap)
{
	size_t from, to, len;

	(void)c, (void)cap;
	if (n < 2) {
		return n;
	}
	from = (size_t)rng_below(r, n);
	to = (size_t)rng_below(r, n);
	len = 1U + (size_t)rng_below(r, 32);
	len = len < n - from ? len : n - from;
	len = len < n - to ? len : n - to;
	memmove(b + to, b + from, len);
	return n;
}

/* This input's prefix, then another seed's suffix. */
static size_t mut_splice(struct rng *r, const struct corpus *c, uint8_t *b, size_t n, size_t cap)
{
	unsigned other = (unsigned)rng_below(r, c->count);
	size_t keep = (size_t)rng_below(r, n + 1U), from, len;

	if (c->size[other] == 0) {
		return n;
	}
	from = (size_t)rng_below(r, c->size[other]);
	len = c->size[other] - from;
	len = len < cap - keep ? len : cap - keep;
	memcpy(b + keep, c->data[other] + from, len);
	return keep + len;
}

static size_t mut_truncate(struct rng *r, const struct corpus *c, uint8_t *b, size_t n, size_t cap)
{
	(void)c, (void)b, (void)cap;
	return n ? (size_t)rng_below(r, n) : 0;
}

static size_t mutate_seed(struct rng *r, const struct corpus *c, uint8_t *buf, size_t cap)
{
	static mutator *const ops[] = {mut_flip_bit, mut_set_byte, mut_set_word, mut_set_word,
				       mut_erase,    mut_insert,   mut_copy,	 mut_splice,
				       mut_truncate, mut_set_byte};
	unsigned seed = (unsigned)rng_below(r, c->count);
	size_t n = c->size[seed] < cap ? c->size[seed] : cap;
	unsigned stacked = 1U + (unsigned)rng_below(r, MAX_STACKED);

	memcpy(buf, c->data[seed], n);
	for (unsigned i = 0; i < stacked; i++) {
		/* Truncation is rare: most bugs hide behind a complete header. */
		unsigned op = (unsigned)rng_below(r, sizeof(ops) / sizeof(ops[0]));

		if (ops[op] == mut_truncate && rng_below(r, 4) != 0) {
			continue;
		}
		n = ops[op](r, c, buf, n, cap);
	}
	return n;
}

size_t mutate_next(struct rng *r, const struct corpus *c, uint8_t *buf, size_t cap)
{
	size_t n;

	if (c->count > 0 && rng_below(r, 4) != 0) {
		return mutate_seed(r, c, buf, cap);
	}
	n = (size_t)rng_below(r, 1ULL << rng_below(r, RANDOM_SIZE_LOG2 + 1U));
	n = n < cap ? n : cap;
	for (size_t i = 0; i < n; i++) {
		buf[i] = (uint8_t)rng_next(r);
	}
	return n;
}
