// SPDX-License-Identifier: Apache-2.0
/*
 * Bounds-checked reader for flattened device trees (Devicetree Specification v0.4 §5). The
 * host DTB comes from outside the hypervisor: fdt_check() validates all of it once, and every
 * accessor still checks each token against the structure block, so no read leaves totalsize.
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
/* Nesting limit: QEMU's deepest node (/cpus/cpu-map/socket0/cluster0/core0) is at depth 5. */
#define FDT_MAX_DEPTH 32

/** Big-endian 32-bit load; byte-wise because the blob may be unaligned (Devicetree v0.4 §5.1). */
uint32_t fdt32_ld(const void *p)
{
	const uint8_t *b = p;

	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

/** Big-endian 64-bit load. */
uint64_t fdt64_ld(const void *p)
{
	const uint8_t *b = p;

	return ((uint64_t)fdt32_ld(b) << 32) | fdt32_ld(b + 4);
}

static uint32_t hdr(const void *fdt, unsigned field)
{
	return fdt32_ld((const uint8_t *)fdt + field);
}

/** Total size from the header. */
uint32_t fdt_totalsize(const void *fdt)
{
	return hdr(fdt, HDR_TOTALSIZE);
}

static const uint8_t *struct_base(const void *fdt)
{
	return (const uint8_t *)fdt + hdr(fdt, HDR_OFF_STRUCT);
}

static uint32_t align4(uint32_t v)
{
	return (v + 3U) & ~3U;
}

/*
 * Decode the token at off: its tag, and the offset of the token after it, or -EINVAL when the
 * token or its payload does not fit in the structure block (Devicetree v0.4 §5.4.1).
 */
static int next_token(const void *fdt, int off, uint32_t *tag)
{
	const uint8_t *st = struct_base(fdt);
	uint32_t size = hdr(fdt, HDR_SIZE_STRUCT);
	uint32_t pos = (uint32_t)off;
	uint32_t len;

	if (off < 0 || (pos & 3U) != 0 || size < 4U || pos > size - 4U) {
		return -EINVAL;
	}
	*tag = fdt32_ld(st + pos);
	pos += 4U;
	switch (*tag) {
	case FDT_BEGIN_NODE:
		len = (uint32_t)strnlen((const char *)st + pos, size - pos);
		if (len == size - pos) {
			return -EINVAL; /* unterminated node name */
		}
		return (int)align4(pos + len + 1U);
	case FDT_PROP:
		if (size - pos < 8U || fdt32_ld(st + pos) > size - pos - 8U) {
			return -EINVAL;
		}
		return (int)align4(pos + 8U + fdt32_ld(st + pos));
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		return (int)pos;
	default:
		return -EINVAL;
	}
}

/* A property's name from the strings block, or NULL if nameoff or its terminator is outside. */
static const char *string_at(const void *fdt, uint32_t nameoff)
{
	const char *strs = (const char *)fdt + hdr(fdt, HDR_OFF_STRINGS);
	uint32_t size = hdr(fdt, HDR_SIZE_STRINGS);

	if (nameoff >= size || strnlen(strs + nameoff, size - nameoff) == size - nameoff) {
		return NULL;
	}
	return strs + nameoff;
}

/* The first token at or after off that is not FDT_NOP (Devicetree v0.4 §5.4.1). */
static int skip_nops(const void *fdt, int off, uint32_t *tag)
{
	int next;

	for (;;) {
		next = next_token(fdt, off, tag);
		if (next < 0 || *tag != FDT_NOP) {
			return next < 0 ? next : off;
		}
		off = next;
	}
}

/* Offset of node's first property or child, or -EINVAL if node is not an FDT_BEGIN_NODE. */
static int node_body(const void *fdt, int node)
{
	uint32_t tag;
	int next = next_token(fdt, node, &tag);

	if (next < 0 || tag != FDT_BEGIN_NODE) {
		return -EINVAL;
	}
	return next;
}

/* The first token of node that is neither a property nor a NOP (Devicetree v0.4 §5.4.2). */
static int skip_props(const void *fdt, int node, uint32_t *tag)
{
	int off = node_body(fdt, node);

	while (off >= 0) {
		int next = next_token(fdt, off, tag);

		if (next < 0 || (*tag != FDT_PROP && *tag != FDT_NOP)) {
			return next < 0 ? next : off;
		}
		off = next;
	}
	return off;
}

/* Offset just past node's FDT_END_NODE. */
static int subtree_end(const void *fdt, int node)
{
	int depth = 0, off = node;
	uint32_t tag;

	for (;;) {
		int next = next_token(fdt, off, &tag);

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

/*
 * Walk the whole structure block (Devicetree v0.4 §5.4.2): one root node, balanced nesting,
 * properties only inside a node and before its children, property names in the strings block,
 * and FDT_END at the end.
 */
static int structure_check(const void *fdt)
{
	int off = 0, depth = 0;
	bool root_seen = false, child_seen = false;
	uint32_t tag;

	for (;;) {
		int next = next_token(fdt, off, &tag);

		if (next < 0) {
			return -EINVAL;
		}
		if (tag == FDT_BEGIN_NODE) {
			if ((depth == 0 && root_seen) || depth == FDT_MAX_DEPTH) {
				return -EINVAL;
			}
			root_seen = true;
			child_seen = false;
			depth++;
		} else if (tag == FDT_END_NODE) {
			if (depth-- == 0) {
				return -EINVAL;
			}
			child_seen = true;
		} else if (tag == FDT_PROP) {
			if (depth == 0 || child_seen ||
			    !string_at(fdt, fdt32_ld(struct_base(fdt) + off + 8))) {
				return -EINVAL;
			}
		} else if (tag == FDT_END) {
			return root_seen && depth == 0 ? 0 : -EINVAL;
		}
		off = next;
	}
}

/** Validate the header and structure of a blob of at most max_size bytes: 0 or -EINVAL. */
int fdt_check(const void *fdt, size_t max_size)
{
	if (!fdt || max_size < FDT_HEADER_SIZE || !header_ok(fdt, max_size)) {
		return -EINVAL;
	}
	return structure_check(fdt);
}

static int root_node(const void *fdt)
{
	uint32_t tag;
	int off = skip_nops(fdt, 0, &tag);

	return off >= 0 && tag == FDT_BEGIN_NODE ? off : -EINVAL;
}

/** First direct child of node, or -ENOENT. */
int fdt_first_child(const void *fdt, int node)
{
	uint32_t tag;
	int off = skip_props(fdt, node, &tag);

	if (off < 0) {
		return off;
	}
	return tag == FDT_BEGIN_NODE ? off : -ENOENT;
}

/** Next sibling after node, or -ENOENT. */
int fdt_next_sibling(const void *fdt, int node)
{
	uint32_t tag;
	int off = subtree_end(fdt, node);

	if (off >= 0) {
		off = skip_nops(fdt, off, &tag);
	}
	if (off < 0) {
		return off;
	}
	return tag == FDT_BEGIN_NODE ? off : -ENOENT;
}

/** Parent of node, or -ENOENT for the root (and for an offset that is not a node). */
int fdt_parent(const void *fdt, int node)
{
	int stack[FDT_MAX_DEPTH];
	int depth = 0, off = 0;
	uint32_t tag;

	for (;;) {
		int next = next_token(fdt, off, &tag);

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
	if (node_body(fdt, node) < 0) {
		return NULL;
	}
	return (const char *)struct_base(fdt) + node + 4;
}

/* Does a path component match a node name? "cpus" also matches "cpus@0" (libfdt rule). */
static bool name_matches(const char *name, const char *comp, size_t len)
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

static int child_by_name(const void *fdt, int node, const char *comp, size_t len)
{
	int child;

	for (child = fdt_first_child(fdt, node); child >= 0; child = fdt_next_sibling(fdt, child)) {
		if (name_matches(fdt_node_name(fdt, child), comp, len)) {
			return child;
		}
	}
	return child;
}

/** Node offset for an absolute path ("/", "/cpus", "/chosen"), or -ENOENT. */
int fdt_path_offset(const void *fdt, const char *path)
{
	int node = root_node(fdt);

	if (path[0] != '/') {
		return -ENOENT; /* aliases are resolved by the caller */
	}
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

/** Property value and its length, or NULL when absent. */
const void *fdt_prop(const void *fdt, int node, const char *name, int *len)
{
	const uint8_t *st = struct_base(fdt);
	int off = node_body(fdt, node);
	uint32_t tag;

	while (off >= 0) {
		int next = next_token(fdt, off, &tag);
		const char *pname;

		if (next < 0 || (tag != FDT_PROP && tag != FDT_NOP)) {
			break;
		}
		pname = tag == FDT_PROP ? string_at(fdt, fdt32_ld(st + off + 8)) : NULL;
		if (pname && strcmp(pname, name) == 0) {
			if (len) {
				*len = (int)fdt32_ld(st + off + 4);
			}
			return st + off + 12;
		}
		off = next;
	}
	return NULL;
}

/** A one-cell property (e.g. "#address-cells"), or dflt when absent or not 4 bytes long. */
uint32_t fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t dflt)
{
	int len;
	const void *v = fdt_prop(fdt, node, name, &len);

	return v && len == 4 ? fdt32_ld(v) : dflt;
}

/** Does a stringlist property (e.g. compatible) contain str? (Devicetree v0.4 §2.2.4.1) */
bool fdt_prop_has_string(const void *fdt, int node, const char *name, const char *str)
{
	int len;
	const char *v = fdt_prop(fdt, node, name, &len);
	size_t pos = 0;

	while (v && pos < (size_t)len) {
		size_t n = strnlen(v + pos, (size_t)len - pos);

		if (n == (size_t)len - pos) {
			break; /* last string unterminated: ignore it */
		}
		if (strcmp(v + pos, str) == 0) {
			return true;
		}
		pos += n + 1;
	}
	return false;
}

/** First node after `start` (-1: from the root) whose "compatible" lists compat, or -ENOENT. */
int fdt_node_by_compatible(const void *fdt, int start, const char *compat)
{
	int off = start < 0 ? 0 : start;
	uint32_t tag;

	for (;;) {
		int next = next_token(fdt, off, &tag);

		if (next < 0) {
			return next;
		}
		if (tag == FDT_END) {
			return -ENOENT;
		}
		if (tag == FDT_BEGIN_NODE && (start < 0 || off != start) &&
		    fdt_prop_has_string(fdt, off, "compatible", compat)) {
			return off;
		}
		off = next;
	}
}

static uint64_t cells_ld(const uint8_t *p, uint32_t cells)
{
	return cells == 2 ? fdt64_ld(p) : (cells == 1 ? fdt32_ld(p) : 0);
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
 * The idx-th (address, size) pair of "reg", decoded with the parent's #address-cells and
 * #size-cells, whose defaults are 2 and 1 (Devicetree v0.4 §2.3.5).
 */
int fdt_reg(const void *fdt, int node, unsigned idx, uint64_t *addr, uint64_t *size)
{
	int parent = fdt_parent(fdt, node);

	if (parent < 0) {
		return -EINVAL; /* the root has no reg */
	}
	return fdt_reg_cells(fdt, node, idx, fdt_prop_u32(fdt, parent, "#address-cells", 2),
			     fdt_prop_u32(fdt, parent, "#size-cells", 1), addr, size);
}
