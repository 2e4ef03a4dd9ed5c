// SPDX-License-Identifier: Apache-2.0
/*
 * Bounds-checked reader for flattened device trees (Devicetree Specification v0.4 §5). The
 * host DTB comes from outside the hypervisor: discovery's fdt_walk() validates all of it once,
 * as fdt_check() does, and every accessor still checks each token against the structure block,
 * so no read leaves totalsize.
 * Node offsets are byte offsets into the structure block, as in libfdt.
 */
#include "hyp/fdt.h"

#include "hyp/errno.h"
#include "hyp/string.h"

/* Header field offsets, Devicetree v0.4 §5.2. */
#define HDR_MAGIC 0
#define HDR_TOTALSIZE 4
#define HDR_OFF_STRUCT 8
#define HDR_OFF_STRINGS 12
#define HDR_OFF_RSVMAP 16
#define HDR_VERSION 20
#define HDR_LAST_COMP 24
#define HDR_SIZE_STRINGS 32
#define HDR_SIZE_STRUCT 36

/* Every offset plus its 4-byte alignment padding must still fit in an int. */
#define FDT_MAX_TOTALSIZE (0x7fffffffU - 8U)

static inline uint32_t be32_bytes(const uint8_t *b)
{
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

/*
 * Big-endian 32-bit load. The blob may be unaligned (Devicetree v0.4 §5.1), so an unaligned
 * cell is read byte by byte; an aligned one, the usual case, the compiler reads in one load.
 * Inline: the token walks load a cell or two per token.
 */
static inline uint32_t be32(const void *p)
{
	if (((uintptr_t)p & 3U) == 0) {
		return be32_bytes(__builtin_assume_aligned(p, 4));
	}
	return be32_bytes(p);
}

/** Big-endian 32-bit load. */
uint32_t fdt32_ld(const void *p)
{
	return be32(p);
}

/** Big-endian 64-bit load. */
uint64_t fdt64_ld(const void *p)
{
	const uint8_t *b = p;

	return ((uint64_t)be32(b) << 32) | be32(b + 4);
}

static uint32_t hdr(const void *fdt, unsigned field)
{
	return be32((const uint8_t *)fdt + field);
}

/** Total size from the header. */
uint32_t fdt_totalsize(const void *fdt)
{
	return hdr(fdt, HDR_TOTALSIZE);
}

/*
 * The structure and strings blocks of a blob. Every public function reads them from the header
 * once and hands them down, so walking a token costs no header decoding.
 */
struct blocks {
	const uint8_t *st;
	uint32_t st_size;
	const char *strs;
	uint32_t strs_size;
};

static struct blocks blocks_of(const void *fdt)
{
	return (struct blocks){
	    .st = (const uint8_t *)fdt + hdr(fdt, HDR_OFF_STRUCT),
	    .st_size = hdr(fdt, HDR_SIZE_STRUCT),
	    .strs = (const char *)fdt + hdr(fdt, HDR_OFF_STRINGS),
	    .strs_size = hdr(fdt, HDR_SIZE_STRINGS),
	};
}

static uint32_t align4(uint32_t v)
{
	return (v + 3U) & ~3U;
}

/* A 32-bit word that may alias the blob's bytes. */
typedef uint32_t __attribute__((may_alias)) fdt_word_t;

/*
 * Length of the node name at pos (just past its FDT_BEGIN_NODE), or the room left in the
 * structure block when it has no terminator there. Names start 4-byte aligned, so in an aligned
 * blob whole words are tested for a zero byte (Hacker's Delight §6-1): names such as
 * "virtio_mmio@a000000" make this a large part of every walk.
 */
static inline uint32_t name_len(const struct blocks *b, uint32_t pos)
{
	const uint8_t *s = b->st + pos;
	uint32_t room = b->st_size - pos, n = 0;

	if (((uintptr_t)s & 3U) == 0) {
		for (; room - n >= 4U; n += 4U) {
			uint32_t w = *(const fdt_word_t *)(const void *)(s + n);

			if (((w - 0x01010101U) & ~w & 0x80808080U) != 0) {
				break;
			}
		}
	}
	return n + (uint32_t)strnlen((const char *)s + n, room - n);
}

/*
 * Decode the token at off: its tag, and the offset of the token after it, or -EINVAL when the
 * token or its payload does not fit in the structure block (Devicetree v0.4 §5.4.1).
 */
static inline __attribute__((always_inline)) int next_token(const struct blocks *b, int off,
							    uint32_t *tag)
{
	uint32_t size = b->st_size;
	uint32_t pos = (uint32_t)off;
	uint32_t len;

	if (off < 0 || (pos & 3U) != 0 || size < 4U || pos > size - 4U) {
		return -EINVAL;
	}
	*tag = be32(b->st + pos);
	pos += 4U;
	switch (*tag) {
	case FDT_BEGIN_NODE:
		len = name_len(b, pos);
		if (len == size - pos) {
			return -EINVAL; /* unterminated node name */
		}
		return (int)align4(pos + len + 1U);
	case FDT_PROP:
		if (size - pos < 8U || be32(b->st + pos) > size - pos - 8U) {
			return -EINVAL;
		}
		return (int)align4(pos + 8U + be32(b->st + pos));
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		return (int)pos;
	default:
		return -EINVAL;
	}
}

/*
 * A property's name from the strings block, or NULL if nameoff or its terminator is outside.
 * When the block ends in a NUL, as every block dtc, QEMU and fdt_finish() write does, any
 * nameoff inside it has a terminator and no scan is needed.
 */
static inline const char *string_at(const struct blocks *b, uint32_t nameoff)
{
	uint32_t size = b->strs_size;

	if (nameoff >= size) {
		return NULL;
	}
	if (b->strs[size - 1] != '\0' &&
	    strnlen(b->strs + nameoff, size - nameoff) == size - nameoff) {
		return NULL;
	}
	return b->strs + nameoff;
}

/* The name of the property whose FDT_PROP token is at off (already decoded by next_token). */
static inline const char *prop_name(const struct blocks *b, int off)
{
	return string_at(b, be32(b->st + off + 8));
}

/* The first token at or after off that is not FDT_NOP (Devicetree v0.4 §5.4.1). */
static int skip_nops(const struct blocks *b, int off, uint32_t *tag)
{
	int next;

	for (;;) {
		next = next_token(b, off, tag);
		if (next < 0 || *tag != FDT_NOP) {
			return next < 0 ? next : off;
		}
		off = next;
	}
}

/* Offset of node's first property or child, or -EINVAL if node is not an FDT_BEGIN_NODE. */
static int node_body(const struct blocks *b, int node)
{
	uint32_t tag;
	int next = next_token(b, node, &tag);

	if (next < 0 || tag != FDT_BEGIN_NODE) {
		return -EINVAL;
	}
	return next;
}

/* The first token of node that is neither a property nor a NOP (Devicetree v0.4 §5.4.2). */
static int skip_props(const struct blocks *b, int node, uint32_t *tag)
{
	int off = node_body(b, node);

	while (off >= 0) {
		int next = next_token(b, off, tag);

		if (next < 0 || (*tag != FDT_PROP && *tag != FDT_NOP)) {
			return next < 0 ? next : off;
		}
		off = next;
	}
	return off;
}

/* Offset just past node's FDT_END_NODE. */
static int subtree_end(const struct blocks *b, int node)
{
	int depth = 0, off = node;
	uint32_t tag;

	for (;;) {
		int next = next_token(b, off, &tag);

		if (next < 0 || tag == FDT_END) {
			return -EINVAL;
		}
		if (tag == FDT_BEGIN_NODE) {
			depth++;
		} else if (tag == FDT_END_NODE && --depth == 0) {
			return next;
		}
		off = next;
	}
}

static bool block_fits(uint32_t off, uint32_t len, uint32_t total)
{
	return off >= FDT_HEADER_SIZE && off <= total && len <= total - off;
}

/* The memory reservation block ends with a zero entry inside the blob (Devicetree v0.4 §5.3). */
static bool rsvmap_ok(const void *fdt, uint32_t total)
{
	uint32_t off = hdr(fdt, HDR_OFF_RSVMAP);

	if ((off & 7U) != 0 || !block_fits(off, 0, total)) {
		return false;
	}
	for (; total - off >= 16U; off += 16U) {
		const uint8_t *e = (const uint8_t *)fdt + off;

		if (fdt64_ld(e) == 0 && fdt64_ld(e + 8) == 0) {
			return true;
		}
	}
	return false;
}

/* Header checks, Devicetree v0.4 §5.2: magic, version 17 layout, every block inside totalsize. */
static bool header_ok(const void *fdt, size_t max_size)
{
	uint32_t total = hdr(fdt, HDR_TOTALSIZE);

	if (hdr(fdt, HDR_MAGIC) != FDT_MAGIC || hdr(fdt, HDR_VERSION) < FDT_VERSION ||
	    hdr(fdt, HDR_LAST_COMP) > FDT_VERSION) {
		return false;
	}
	if (total < FDT_HEADER_SIZE || total > max_size || total > FDT_MAX_TOTALSIZE) {
		return false;
	}
	if ((hdr(fdt, HDR_OFF_STRUCT) & 3U) != 0 ||
	    !block_fits(hdr(fdt, HDR_OFF_STRUCT), hdr(fdt, HDR_SIZE_STRUCT), total) ||
	    !block_fits(hdr(fdt, HDR_OFF_STRINGS), hdr(fdt, HDR_SIZE_STRINGS), total)) {
		return false;
	}
	return rsvmap_ok(fdt, total);
}

/* Clear the answers of q[0..n) before a lookup. */
static void queries_reset(struct fdt_prop_query *q, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		q[i].val = NULL;
		q[i].len = 0;
	}
}

/* Answer the query of q[0..n) that the property at off names, unless an earlier one did. */
static void query_match(const struct blocks *b, int off, const char *pname,
			struct fdt_prop_query *q, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (pname[0] == q[i].name[0] && strcmp(pname, q[i].name) == 0) {
			if (!q[i].val) {
				q[i].val = b->st + off + 12;
				q[i].len = (int)be32(b->st + off + 4);
			}
			return;
		}
	}
}

/**
 * Check the blob as fdt_check() does and, in the same single pass over the structure block,
 * visit every node in document order with the properties q[0..nq) looked up (the first of each
 * name). fn may be NULL. Returns -EINVAL for a blob fdt_check() rejects (nodes before the defect
 * may have been visited), else the first nonzero return of fn, which ends the walk early, else 0.
 *
 * The structure (Devicetree v0.4 §5.4.2): one root node, balanced nesting, properties only
 * inside a node and before its children, property names in the strings block, FDT_END last.
 */
int fdt_walk(const void *fdt, size_t max_size, struct fdt_prop_query *q, unsigned nq,
	     fdt_visit_fn fn, void *ctx)
{
	int parents[FDT_MAX_DEPTH];
	/* The node whose properties are being read (node -1: none); visited at its next child,
	 * at its end, or at the end of the tree, once all of them are known. */
	struct fdt_walk_node n = {.node = -1};
	bool root_seen = false, child_seen = false; /* child_seen: no more properties here */
	int depth = 0, off, next, rc;
	struct blocks b;
	uint32_t tag;

	if (!fdt || max_size < FDT_HEADER_SIZE || !header_ok(fdt, max_size)) {
		return -EINVAL;
	}
	b = blocks_of(fdt);
	for (off = 0;; off = next) {
		next = next_token(&b, off, &tag);
		if (next < 0) {
			return -EINVAL;
		}
		if (tag == FDT_PROP) {
			const char *pname = prop_name(&b, off);

			if (depth == 0 || child_seen || !pname) {
				return -EINVAL;
			}
			if (n.node >= 0 && nq > 0) {
				query_match(&b, off, pname, q, nq);
			}
			continue;
		}
		if (tag == FDT_NOP) {
			continue;
		}
		rc = n.node >= 0 && fn ? fn(ctx, &n, q) : 0;
		if (rc != 0) {
			return rc;
		}
		n.node = -1;
		if (tag == FDT_BEGIN_NODE) {
			if ((depth == 0 && root_seen) || depth == FDT_MAX_DEPTH) {
				return -EINVAL;
			}
			n = (struct fdt_walk_node){
			    .node = off,
			    .parent = depth > 0 ? parents[depth - 1] : -ENOENT,
			    .depth = depth,
			    .name = (const char *)b.st + off + 4,
			};
			parents[depth++] = off;
			root_seen = true;
			child_seen = false;
			queries_reset(q, nq);
		} else if (tag == FDT_END_NODE) {
			if (depth-- == 0) {
				return -EINVAL;
			}
			child_seen = true;
		} else {
			return root_seen && depth == 0 ? 0 : -EINVAL; /* FDT_END */
		}
	}
}

/** Validate the header and structure of a blob of at most max_size bytes: 0 or -EINVAL. */
int fdt_check(const void *fdt, size_t max_size)
{
	return fdt_walk(fdt, max_size, NULL, 0, NULL, NULL);
}

static int root_node(const struct blocks *b)
{
	uint32_t tag;
	int off = skip_nops(b, 0, &tag);

	return off >= 0 && tag == FDT_BEGIN_NODE ? off : -EINVAL;
}

/** First direct child of node, or -ENOENT. */
int fdt_first_child(const void *fdt, int node)
{
	struct blocks b = blocks_of(fdt);
	uint32_t tag;
	int off = skip_props(&b, node, &tag);

	if (off < 0) {
		return off;
	}
	return tag == FDT_BEGIN_NODE ? off : -ENOENT;
}

/** Next sibling after node, or -ENOENT. */
int fdt_next_sibling(const void *fdt, int node)
{
	struct blocks b = blocks_of(fdt);
	uint32_t tag;
	int off = subtree_end(&b, node);

	if (off >= 0) {
		off = skip_nops(&b, off, &tag);
	}
	if (off < 0) {
		return off;
	}
	return tag == FDT_BEGIN_NODE ? off : -ENOENT;
}

/** Parent of node, or -ENOENT for the root (and for an offset that is not a node). */
int fdt_parent(const void *fdt, int node)
{
	struct blocks b = blocks_of(fdt);
	int stack[FDT_MAX_DEPTH];
	int depth = 0, off = 0;
	uint32_t tag;

	for (;;) {
		int next = next_token(&b, off, &tag);

		if (next < 0) {
			return next;
		}
		if (tag == FDT_BEGIN_NODE) {
			if (off == node) {
				return depth > 0 ? stack[depth - 1] : -ENOENT;
			}
			if (depth == FDT_MAX_DEPTH) {
				return -EINVAL;
			}
			stack[depth++] = off;
		} else if (tag == FDT_END_NODE && depth > 0) {
			depth--;
		} else if (tag == FDT_END) {
			return -ENOENT;
		}
		off = next;
	}
}

/** Node name including the unit address ("cpu@1"); NULL when node is not a node offset. */
const char *fdt_node_name(const void *fdt, int node)
{
	struct blocks b = blocks_of(fdt);

	if (node_body(&b, node) < 0) {
		return NULL;
	}
	return (const char *)b.st + node + 4;
}

/** Does a path component match a node name? "cpus" also matches "cpus@0" (libfdt rule). */
bool fdt_name_matches(const char *name, const char *comp, size_t len)
{
	bool has_unit = false;

	for (size_t i = 0; i < len; i++) {
		has_unit = has_unit || comp[i] == '@';
	}
	if (strncmp(name, comp, len) != 0) {
		return false;
	}
	return name[len] == '\0' || (name[len] == '@' && !has_unit);
}

/* The first direct child of node that a path component names. */
static int child_by_name(const void *fdt, int node, const char *comp, size_t len)
{
	int child = fdt_first_child(fdt, node);

	while (child >= 0 && !fdt_name_matches(fdt_node_name(fdt, child), comp, len)) {
		child = fdt_next_sibling(fdt, child);
	}
	return child;
}

/* Follow path from node, one component at a time; empty components ("//") are skipped. */
static int path_from(const void *fdt, int node, const char *path)
{
	while (node >= 0) {
		const char *end;

		while (*path == '/') {
			path++;
		}
		if (*path == '\0') {
			break;
		}
		end = strchr(path, '/');
		if (!end) {
			end = path + strlen(path);
		}
		node = child_by_name(fdt, node, path, (size_t)(end - path));
		path = end;
	}
	return node;
}

/** Node offset for an absolute path ("/", "/cpus", "/chosen"), or -ENOENT. */
int fdt_path_offset(const void *fdt, const char *path)
{
	struct blocks b = blocks_of(fdt);

	if (path[0] != '/') {
		return -ENOENT; /* aliases are resolved by the caller */
	}
	return path_from(fdt, root_node(&b), path);
}

/** The node a path relative to node names ("cpu@0", "cpu-map/socket0"; "": node itself). */
int fdt_subpath_offset(const void *fdt, int node, const char *path)
{
	return path_from(fdt, node, path);
}

/* Look up one property of node: q->val and q->len, NULL and 0 when absent. */
static void prop_find(const struct blocks *b, int node, struct fdt_prop_query *q)
{
	int off = node_body(b, node);
	uint32_t tag;

	queries_reset(q, 1);
	while (off >= 0 && !q->val) {
		int next = next_token(b, off, &tag);
		const char *pname;

		if (next < 0 || (tag != FDT_PROP && tag != FDT_NOP)) {
			break;
		}
		pname = tag == FDT_PROP ? prop_name(b, off) : NULL;
		if (pname) {
			query_match(b, off, pname, q, 1);
		}
		off = next;
	}
}

/** Property value and its length, or NULL when absent. */
const void *fdt_prop(const void *fdt, int node, const char *name, int *len)
{
	struct blocks b = blocks_of(fdt);
	struct fdt_prop_query q = {.name = name};

	prop_find(&b, node, &q);
	if (q.val && len) {
		*len = q.len;
	}
	return q.val;
}

/** A one-cell property (e.g. "#address-cells"), or dflt when absent or not 4 bytes long. */
uint32_t fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t dflt)
{
	int len;
	const void *v = fdt_prop(fdt, node, name, &len);

	return v && len == 4 ? be32(v) : dflt;
}

/**
 * Which of strs[0..n) (n at most 32) does a stringlist value of len bytes contain (Devicetree
 * v0.4 §2.2.4.1)? Bit i of the result is strs[i]. An unterminated last string is ignored. One
 * pass over the list for all of strs; a first letter that differs costs no strcmp().
 */
uint32_t fdt_stringlist_match(const char *list, int len, const char *const *strs, unsigned n)
{
	uint32_t found = 0;
	size_t pos = 0;

	while (list && pos < (size_t)len) {
		const char *s = list + pos;
		size_t slen = strnlen(s, (size_t)len - pos);

		if (slen == (size_t)len - pos) {
			break;
		}
		for (unsigned i = 0; i < n && i < 32U; i++) {
			if (s[0] == strs[i][0] && strcmp(s, strs[i]) == 0) {
				found |= 1U << i;
			}
		}
		pos += slen + 1;
	}
	return found;
}

/** Does a stringlist value of len bytes contain str? An unterminated last string is ignored. */
bool fdt_stringlist_contains(const char *list, int len, const char *str)
{
	return fdt_stringlist_match(list, len, &str, 1) != 0;
}

/** Does a stringlist property (e.g. compatible) contain str? */
bool fdt_prop_has_string(const void *fdt, int node, const char *name, const char *str)
{
	int len = 0;
	const char *v = fdt_prop(fdt, node, name, &len);

	return fdt_stringlist_contains(v, len, str);
}

static uint64_t cells_ld(const uint8_t *p, uint32_t cells)
{
	return cells == 2 ? fdt64_ld(p) : (cells == 1 ? be32(p) : 0);
}

/** fdt_reg() with explicit cell counts (address 1-2, size 0-2): -ENOENT past the end, -EINVAL. */
int fdt_reg_cells(const void *fdt, int node, unsigned idx, uint32_t addr_cells, uint32_t size_cells,
		  uint64_t *addr, uint64_t *size)
{
	uint32_t entry = (addr_cells + size_cells) * 4U;
	const uint8_t *reg;
	int len;

	if (addr_cells < 1 || addr_cells > 2 || size_cells > 2) {
		return -EINVAL; /* wider cells (PCI) are not needed by Tessera */
	}
	reg = fdt_prop(fdt, node, "reg", &len);
	if (!reg) {
		return -ENOENT;
	}
	if ((uint32_t)len % entry != 0) {
		return -EINVAL;
	}
	if (idx >= (uint32_t)len / entry) {
		return -ENOENT;
	}
	reg += (size_t)idx * entry;
	*addr = cells_ld(reg, addr_cells);
	*size = cells_ld(reg + (size_t)addr_cells * 4U, size_cells);
	return 0;
}

/**
 * The idx-th (address, size) pair of node's "reg", decoded with its parent's #address-cells and
 * #size-cells, whose defaults are 2 and 1 (Devicetree v0.4 §2.3.5), for a caller that already
 * knows the parent (a walk does): no search for it.
 */
int fdt_reg_parent(const void *fdt, int node, int parent, unsigned idx, uint64_t *addr,
		   uint64_t *size)
{
	if (parent < 0) {
		return -EINVAL; /* the root has no reg */
	}
	return fdt_reg_cells(fdt, node, idx, fdt_prop_u32(fdt, parent, "#address-cells", 2),
			     fdt_prop_u32(fdt, parent, "#size-cells", 1), addr, size);
}

/** fdt_reg_parent() with the parent looked up. */
int fdt_reg(const void *fdt, int node, unsigned idx, uint64_t *addr, uint64_t *size)
{
	return fdt_reg_parent(fdt, node, fdt_parent(fdt, node), idx, addr, size);
}
