// SPDX-License-Identifier: Apache-2.0
/*
 * Sequential flattened-device-tree writer (Devicetree Specification v0.4 §5). The structure
 * block grows up from just after the header and an empty reservation map; the strings block
 * grows down from the end of the buffer, so neither needs a size guess. Until fdt_finish() a
 * property's nameoff holds the distance of its name from the end of the buffer; fdt_finish()
 * moves the strings behind the structure block and rewrites every nameoff.
 */
#include "hyp/errno.h"
#include "hyp/fdt.h"
#include "hyp/string.h"

/* Header, then one all-zero reservation entry that ends the map (Devicetree v0.4 §5.3). */
#define RSVMAP_OFF FDT_HEADER_SIZE
#define STRUCT_OFF (FDT_HEADER_SIZE + 16U)
#define INT_MAX_SIZE 0x7fffffffU

static void st32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void fail(struct fdt_writer *w, int err)
{
	if (w->err == 0) {
		w->err = err;
	}
}

/* Bytes left between the structure block (keeping 4 for FDT_END) and the strings block. */
static size_t room(const struct fdt_writer *w)
{
	size_t used = STRUCT_OFF + w->struct_len + 4U + w->strings_len;

	return used <= w->size ? w->size - used : 0;
}

/* Append len bytes, zero-padded to 4 (Devicetree v0.4 §5.4.1), to the structure block. */
static uint8_t *struct_grow(struct fdt_writer *w, size_t len)
{
	size_t padded = (len + 3U) & ~(size_t)3U;
	uint8_t *p;

	if (w->err != 0 || padded < len || padded > room(w)) {
		fail(w, -ENOSPC);
		return NULL;
	}
	p = w->buf + STRUCT_OFF + w->struct_len;
	memset(p, 0, padded);
	w->struct_len += padded;
	return p;
}

/* The name's distance from the buffer end, adding it unless an equal string is present. */
static uint32_t string_ref(struct fdt_writer *w, const char *name)
{
	const char *end = (const char *)w->buf + w->size;
	size_t len = strlen(name) + 1U;

	for (const char *s = w->strings; s < end; s += strlen(s) + 1U) {
		if (strcmp(s, name) == 0) {
			return (uint32_t)(end - s);
		}
	}
	if (w->err != 0 || len > room(w)) {
		fail(w, -ENOSPC);
		return 0;
	}
	w->strings -= len;
	w->strings_len += len;
	memcpy(w->strings, name, len);
	return (uint32_t)w->strings_len;
}

/** Start writing into buf; a buffer too small for an empty tree makes fdt_finish fail. */
void fdt_writer_init(struct fdt_writer *w, void *buf, size_t size)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->size = buf ? MIN(size, (size_t)INT_MAX_SIZE) : 0;
	w->strings = (char *)w->buf + w->size;
	if (w->size < STRUCT_OFF + 4U) {
		fail(w, -ENOSPC);
	}
}

/** Open a node; the first one is the root and must be named "" (Devicetree v0.4 §5.4.2). */
void fdt_begin_node(struct fdt_writer *w, const char *name)
{
	size_t len = strlen(name) + 1U;
	uint8_t *p;

	if (w->depth == 0 && w->struct_len != 0) {
		fail(w, -EINVAL); /* a second root */
		return;
	}
	p = struct_grow(w, 4U + len);
	if (p) {
		st32(p, FDT_BEGIN_NODE);
		memcpy(p + 4, name, len);
		w->depth++;
	}
}

/** Close the innermost open node. */
void fdt_end_node(struct fdt_writer *w)
{
	uint8_t *p;

	if (w->depth == 0) {
		fail(w, -EINVAL);
		return;
	}
	p = struct_grow(w, 4U);
	if (p) {
		st32(p, FDT_END_NODE);
		w->depth--;
	}
}

/* Write a property header and return where its len value bytes go. Properties must precede
 * the node's children (Devicetree v0.4 §5.4.2); callers write them in that order. */
static uint8_t *prop_grow(struct fdt_writer *w, const char *name, size_t len)
{
	uint32_t ref;
	uint8_t *p;

	if (w->depth == 0 || len > INT_MAX_SIZE) {
		fail(w, -EINVAL);
		return NULL;
	}
	ref = string_ref(w, name);
	p = struct_grow(w, 12U + len);
	if (!p) {
		return NULL;
	}
	st32(p, FDT_PROP);
	st32(p + 4, (uint32_t)len);
	st32(p + 8, ref);
	return p + 12;
}

/** A property with raw bytes as its value. */
void fdt_property(struct fdt_writer *w, const char *name, const void *data, size_t len)
{
	uint8_t *p = prop_grow(w, name, len);

	if (p && len != 0) {
		memcpy(p, data, len);
	}
}

/** A property made of n 32-bit cells, stored big-endian (Devicetree v0.4 §2.2.4.1). */
void fdt_property_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, unsigned n)
{
	uint8_t *p = prop_grow(w, name, (size_t)n * 4U);

	for (unsigned i = 0; p && i < n; i++) {
		st32(p + (size_t)i * 4U, cells[i]);
	}
}

/** A <u32> property. */
void fdt_property_u32(struct fdt_writer *w, const char *name, uint32_t v)
{
	fdt_property_cells(w, name, &v, 1);
}

/** A <u64> property: two cells, most significant first. */
void fdt_property_u64(struct fdt_writer *w, const char *name, uint64_t v)
{
	uint32_t cells[2] = {(uint32_t)(v >> 32), (uint32_t)v};

	fdt_property_cells(w, name, cells, 2);
}

/** A <string> property, NUL included. */
void fdt_property_string(struct fdt_writer *w, const char *name, const char *s)
{
	fdt_property(w, name, s, strlen(s) + 1U);
}

/* Turn every nameoff from "distance from the buffer end" into an offset in the final strings
 * block. The structure block is our own output, so its tokens need no bounds checks. */
static void nameoffs_fix(struct fdt_writer *w)
{
	uint8_t *st = w->buf + STRUCT_OFF;
	size_t off = 0;

	while (off < w->struct_len) {
		uint32_t tag = fdt32_ld(st + off);

		if (tag == FDT_BEGIN_NODE) {
			off += (4U + strlen((const char *)st + off + 4) + 1U + 3U) & ~(size_t)3U;
		} else if (tag == FDT_PROP) {
			st32(st + off + 8, (uint32_t)w->strings_len - fdt32_ld(st + off + 8));
			off += (12U + fdt32_ld(st + off + 4) + 3U) & ~(size_t)3U;
		} else {
			off += 4U;
		}
	}
}

static void header_write(struct fdt_writer *w, uint32_t total)
{
	uint8_t *h = w->buf;

	st32(h + 0, FDT_MAGIC);
	st32(h + 4, total);
	st32(h + 8, STRUCT_OFF);
	st32(h + 12, STRUCT_OFF + (uint32_t)w->struct_len);
	st32(h + 16, RSVMAP_OFF);
	st32(h + 20, FDT_VERSION);
	st32(h + 24, FDT_LAST_COMP_VERSION);
	st32(h + 28, 0); /* boot_cpuid_phys: the guest boots on vCPU 0 */
	st32(h + 32, (uint32_t)w->strings_len);
	st32(h + 36, (uint32_t)w->struct_len);
	memset(h + RSVMAP_OFF, 0, 16);
}

/** Close the tree: returns its total size, or a negative errno (-ENOSPC, -EINVAL unbalanced). */
int fdt_finish(struct fdt_writer *w)
{
	uint8_t *p;
	size_t total;

	if (w->err == 0 && (w->depth != 0 || w->struct_len == 0)) {
		fail(w, -EINVAL); /* an open node, or no root at all */
	}
	if (w->err != 0) {
		return w->err;
	}
	nameoffs_fix(w);
	w->struct_len += 4U; /* room() always kept these bytes free */
	p = w->buf + STRUCT_OFF + w->struct_len - 4U;
	st32(p, FDT_END);
	/* The blocks may overlap when the buffer is nearly full: memmove. */
	memmove(p + 4, w->strings, w->strings_len);
	w->strings = (char *)p + 4;
	total = STRUCT_OFF + w->struct_len + w->strings_len;
	header_write(w, (uint32_t)total);
	fail(w, -EALREADY); /* further writes would corrupt the finished blob */
	return (int)total;
}
