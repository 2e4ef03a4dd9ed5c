// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target: the DTB reader (core/lib/fdt.c) and platform_discover() (core/boot/platform_dt.c)
 * on any blob. Discovery runs on every blob that holds its header and its totalsize, and must
 * reject, with a DTB error and a zeroed info, every one fdt_check() rejects. Once fdt_check()
 * accepts a blob, every node is walked and every property name of the strings block is looked up
 * through the public accessors; nothing may read outside the blob.
 */
#include <string.h>

#include "hyp/errno.h"
#include "hyp/fdt.h"
#include "hyp/platform.h"

#include "fuzz.h"

/* Header fields the walk needs to list property names, Devicetree v0.4 §5.2. */
#define HDR_OFF_STRINGS 12
#define HDR_SIZE_STRINGS 32
#define MAX_NAMES 64
#define NODE_BYTES 8U /* FDT_BEGIN_NODE + the shortest padded name */

struct blob {
	const uint8_t *base;
	size_t size;
	const char *names[MAX_NAMES]; /* property names from the strings block */
	unsigned name_count;
	unsigned node_count;
};

static bool in_blob(const struct blob *b, const void *p, size_t len)
{
	const uint8_t *q = p;

	return q >= b->base && q <= b->base + b->size && len <= (size_t)(b->base + b->size - q);
}

/* The NUL-terminated strings of the strings block, each one a property name to look up. */
static void names_collect(struct blob *b)
{
	uint32_t off = fdt32_ld(b->base + HDR_OFF_STRINGS);
	uint32_t size = fdt32_ld(b->base + HDR_SIZE_STRINGS);
	const char *s = (const char *)b->base + off;

	FUZZ_CHECK(in_blob(b, s, size)); /* fdt_check() proved it */
	for (uint32_t pos = 0; pos < size && b->name_count < MAX_NAMES;) {
		size_t len = strnlen(s + pos, size - pos);

		if (len == size - pos) {
			break;
		}
		b->names[b->name_count++] = s + pos;
		pos += (uint32_t)len + 1U;
	}
}

static void prop_visit(const struct blob *b, int node, const char *name)
{
	int len = -1;
	const void *v = fdt_prop(b->base, node, name, &len);

	if (v) {
		FUZZ_CHECK(len >= 0 && in_blob(b, v, (size_t)len));
		(void)fdt_prop_has_string(b->base, node, name, "okay");
	}
}

static bool is_reg_result(int rc)
{
	return rc == 0 || rc == -ENOENT || rc == -EINVAL;
}

/* The reg decoders with every cell count; only address 1-2 and size 0-2 cells are accepted. */
static void reg_visit(const struct blob *b, int node)
{
	uint64_t addr, size;
	int rc;

	(void)fdt_prop_u32(b->base, node, "#address-cells", 0);
	for (unsigned idx = 0; idx < 3; idx++) {
		rc = fdt_reg(b->base, node, idx, &addr, &size);
		FUZZ_CHECK(is_reg_result(rc));
	}
	for (uint32_t ac = 0; ac <= 3; ac++) {
		rc = fdt_reg_cells(b->base, node, 1, ac, 3 - ac, &addr, &size);
		FUZZ_CHECK(ac == 1 || ac == 2 ? is_reg_result(rc) : rc == -EINVAL);
	}
}

static void node_check(const struct blob *b, int node, int parent)
{
	const char *name = fdt_node_name(b->base, node);

	FUZZ_CHECK(name != NULL && in_blob(b, name, 1));
	FUZZ_CHECK(memchr(name, '\0', (size_t)(b->base + b->size - (const uint8_t *)name)) != NULL);
	FUZZ_CHECK(fdt_parent(b->base, node) == (parent < 0 ? -ENOENT : parent));
	for (unsigned i = 0; i < b->name_count; i++) {
		prop_visit(b, node, b->names[i]);
	}
	reg_visit(b, node);
}

/* Depth-first over every node; the walk must end within what the blob can hold. */
static void node_walk(struct blob *b, int node, int parent, unsigned depth)
{
	FUZZ_CHECK(depth < FDT_MAX_DEPTH);
	FUZZ_CHECK(++b->node_count <= b->size / NODE_BYTES);
	node_check(b, node, parent);
	for (int c = fdt_first_child(b->base, node); c >= 0; c = fdt_next_sibling(b->base, c)) {
		node_walk(b, c, node, depth + 1);
	}
}

static void paths_walk(const struct blob *b)
{
	static const char *const paths[] = {"/",	"/cpus",       "/chosen",
					    "/memory",	"/psci",       "/aliases",
					    "//cpus//", "/cpus/cpu@0", "/a/b/c/d"};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int n = fdt_path_offset(b->base, paths[i]);

		FUZZ_CHECK(n < 0 || fdt_node_name(b->base, n) != NULL);
	}
	for (unsigned i = 0; i < b->name_count; i++) {
		(void)fdt_path_offset(b->base, b->names[i]);
	}
}

/* Discovery on any blob: a valid one fills info, else it fails with err saying why. */
static void discover(const uint8_t *data, bool valid)
{
	static const struct platform_info zero;
	static struct platform_info info;
	char err[128];
	int rc;

	memset(err, 0x5A, sizeof(err));
	memset(&info, 0x5A, sizeof(info));
	rc = platform_discover(data, &info, err, sizeof(err));
	if (rc != 0) {
		FUZZ_CHECK(rc == -EINVAL || rc == -ENOENT);
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL && err[0] != '\0');
	}
	if (!valid) {
		/* Its walk is the hypervisor's only check of the DTB: it must catch all of it. */
		FUZZ_CHECK(rc == -EINVAL && strstr(err, "DTB") != NULL);
		FUZZ_CHECK(memcmp(&info, &zero, sizeof(info)) == 0);
	}
	if (rc != 0) {
		return;
	}
	FUZZ_CHECK(info.mem_count >= 1 && info.mem_count <= PLAT_MAX_MEM);
	FUZZ_CHECK(info.cpu_count >= 1 && info.cpu_count <= PLAT_MAX_CPUS);
	FUZZ_CHECK(memchr(info.bootargs, '\0', sizeof(info.bootargs)) != NULL);
	FUZZ_CHECK(memchr(info.kernel.bootargs, '\0', sizeof(info.kernel.bootargs)) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct blob b;
	bool valid;
	int root;

	/*
	 * platform_discover() takes no size: it trusts the header's totalsize up to 2 MiB, as
	 * the boot loader's DTB is. So the input must hold the header (whose last field ends at
	 * byte 40) and the totalsize it declares; anything else is in the blob's bounds.
	 */
	if (size < FDT_HEADER_SIZE || fdt_totalsize(data) > size) {
		return 0;
	}
	valid = fdt_check(data, size) == 0;
	discover(data, valid);
	if (!valid) {
		return 0;
	}
	memset(&b, 0, sizeof(b));
	b.base = data;
	b.size = fdt_totalsize(data);
	names_collect(&b);
	root = fdt_path_offset(data, "/");
	FUZZ_CHECK(root >= 0);
	node_walk(&b, root, -1, 0);
	paths_walk(&b);
	return 0;
}
