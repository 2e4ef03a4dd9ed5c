/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Flattened device tree (Devicetree Specification v0.4 §5): a bounds-checked reader for the
 * host's DTB and a sequential writer for the device trees Tessera generates for its guests.
 */
#ifndef HYP_FDT_H
#define HYP_FDT_H

#include "hyp/types.h"

#define FDT_MAGIC 0xd00dfeedU

/* Header and structure-block tokens, Devicetree v0.4 §5.2 and §5.4.1 (reader and writer). */
#define FDT_HEADER_SIZE 40U
#define FDT_VERSION 17U
#define FDT_LAST_COMP_VERSION 16U
#define FDT_BEGIN_NODE 0x1U
#define FDT_END_NODE 0x2U
#define FDT_PROP 0x3U
#define FDT_NOP 0x4U
#define FDT_END 0x9U

/* Nesting limit: QEMU's deepest node (/cpus/cpu-map/socket0/cluster0/core0) is at depth 5. */
#define FDT_MAX_DEPTH 32

/** A property fdt_walk() looks up in every node: name in; val (NULL when absent) and len out. */
struct fdt_prop_query {
	const char *name;
	const void *val;
	int len;
};

/** A node as fdt_walk() visits it. */
struct fdt_walk_node {
	int node;   /**< offset, as the other accessors take it */
	int parent; /**< the parent's offset, -ENOENT for the root */
	int depth;  /**< 0 for the root */
	const char *name;
};

/** Called once per node with its answered queries; a nonzero return stops the walk. */
typedef int (*fdt_visit_fn)(void *ctx, const struct fdt_walk_node *n,
			    const struct fdt_prop_query *q);

/** Validate the header and structure of a blob of at most max_size bytes: 0 or -EINVAL. */
int __must_check fdt_check(const void *fdt, size_t max_size);
/**
 * fdt_check() and, in the same single pass over the structure block, a visit of every node in
 * document order with the properties q[0..nq) looked up (the first of each name); fn may be
 * NULL. Returns -EINVAL for a blob fdt_check() rejects (nodes before the defect may have been
 * visited), else the first nonzero return of fn, which ends the walk early, else 0.
 */
int __must_check fdt_walk(const void *fdt, size_t max_size, struct fdt_prop_query *q, unsigned nq,
			  fdt_visit_fn fn, void *ctx);
/** Total size from the header. */
uint32_t fdt_totalsize(const void *fdt);
/** Node offset for an absolute path ("/", "/cpus", "/chosen"), or -ENOENT. */
int fdt_path_offset(const void *fdt, const char *path);
/** The node a path relative to node names ("cpu@0", "cpu-map/socket0"; "": node), or -ENOENT. */
int fdt_subpath_offset(const void *fdt, int node, const char *path);
/** Does path component comp[0..len) name this node? "cpus" matches "cpus" and "cpus@0". */
bool fdt_name_matches(const char *name, const char *comp, size_t len);
/** First direct child of node, or -ENOENT. */
int fdt_first_child(const void *fdt, int node);
/** Next sibling after node, or -ENOENT. */
int fdt_next_sibling(const void *fdt, int node);
/** Parent of node, or -ENOENT for the root. */
int fdt_parent(const void *fdt, int node);
/** Node name including the unit address ("cpu@1"). */
const char *fdt_node_name(const void *fdt, int node);
/** Property value and its length, or NULL when absent. */
const void *fdt_prop(const void *fdt, int node, const char *name, int *len);
/** Does a stringlist property (e.g. compatible) contain str? */
bool fdt_prop_has_string(const void *fdt, int node, const char *name, const char *str);
/** Does a stringlist value of len bytes contain str? An unterminated last string is ignored. */
bool fdt_stringlist_contains(const char *list, int len, const char *str);
/** Which of strs[0..n) (n <= 32) a stringlist value of len bytes contains: bit i is strs[i]. */
uint32_t fdt_stringlist_match(const char *list, int len, const char *const *strs, unsigned n);
/** The idx-th (address, size) pair of "reg", decoded with the parent's #address/#size-cells. */
int __must_check fdt_reg(const void *fdt, int node, unsigned idx, uint64_t *addr, uint64_t *size);
/** fdt_reg() for a node whose parent the caller knows (-ENOENT, the root's: -EINVAL). */
int __must_check fdt_reg_parent(const void *fdt, int node, int parent, unsigned idx, uint64_t *addr,
				uint64_t *size);
/** fdt_reg() with explicit cell counts (address 1-2, size 0-2): -ENOENT past the end, -EINVAL. */
int __must_check fdt_reg_cells(const void *fdt, int node, unsigned idx, uint32_t addr_cells,
			       uint32_t size_cells, uint64_t *addr, uint64_t *size);
/** A one-cell property (e.g. "#address-cells"), or dflt when absent or not 4 bytes long. */
uint32_t fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t dflt);
/** Big-endian cell read helpers. */
uint32_t fdt32_ld(const void *p);
uint64_t fdt64_ld(const void *p);

/** Sequential writer: nodes and properties in order; errors are sticky, checked at finish. */
struct fdt_writer {
	uint8_t *buf;
	size_t size;
	size_t struct_len; /**< bytes of the structure block written so far */
	size_t strings_len;
	char *strings; /**< strings block, built at the top of buf and moved at finish */
	int depth;
	int err;
};

void fdt_writer_init(struct fdt_writer *w, void *buf, size_t size);
void fdt_begin_node(struct fdt_writer *w, const char *name);
void fdt_end_node(struct fdt_writer *w);
void fdt_property(struct fdt_writer *w, const char *name, const void *data, size_t len);
void fdt_property_u32(struct fdt_writer *w, const char *name, uint32_t v);
void fdt_property_u64(struct fdt_writer *w, const char *name, uint64_t v);
void fdt_property_string(struct fdt_writer *w, const char *name, const char *s);
/** A property made of n 32-bit cells. */
void fdt_property_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, unsigned n);
/** Close the tree: returns its total size, or a negative errno (-ENOSPC, -EINVAL unbalanced). */
int __must_check fdt_finish(struct fdt_writer *w);

#endif
