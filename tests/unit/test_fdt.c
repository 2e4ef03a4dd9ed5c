// SPDX-License-Identifier: Apache-2.0
/* Flattened device tree reader and writer (core/lib/fdt.c, fdt_write.c): Devicetree v0.4 §5. */
#include <stdlib.h>
#include <string.h>

#include "hyp/errno.h"
#include "hyp/fdt.h"

#include "test.h"

static uint8_t blob[4096];

/* Header field offsets (Devicetree v0.4 §5.2), for corrupting blobs. */
enum {
	H_TOTAL = 4,
	H_OFF_STRUCT = 8,
	H_OFF_STRINGS = 12,
	H_OFF_RSV = 16,
	H_VERSION = 20,
	H_SIZE_STRINGS = 32,
	H_SIZE_STRUCT = 36
};

static void be32_st(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void hdr_set(uint8_t *b, unsigned field, uint32_t v)
{
	be32_st(b + field, v);
}

static uint32_t hdr_get(const uint8_t *b, unsigned field)
{
	return fdt32_ld(b + field);
}

/*
 * / { #address-cells=<1>; #size-cells=<1>; compatible="test,board";
 *     cpus { #address-cells=<2>; #size-cells=<0>; cpu@0 {reg=<0 0>;} cpu@100 {reg=<0 0x100>;} }
 *     memory@80000000 { device_type="memory"; reg=<0x80000000 0x1000 0x90000000 0x2000>; }
 *     uart@1000 { compatible="vendor,x\0arm,pl011"; reg=<0x1000 0x100>; }
 *     uart@2000 { compatible="arm,pl011"; reg=<0x2000 0x100 0x3000>; }
 *     deep { #address-cells=<2>; #size-cells=<2>; leaf@1 { reg=<0 1 0 2>; } } }
 */
static int build_sample(uint8_t *buf, size_t size)
{
	struct fdt_writer w;
	static const uint32_t mem[4] = {0x80000000, 0x1000, 0x90000000, 0x2000};
	static const uint32_t cpu1[2] = {0, 0x100}, cpu0[2] = {0, 0};
	static const uint32_t uart2[3] = {0x2000, 0x100, 0x3000};
	static const uint32_t leaf[4] = {0, 1, 0, 2};
	static const char compat[] = "vendor,x\0arm,pl011";

	fdt_writer_init(&w, buf, size);
	fdt_begin_node(&w, "");
	fdt_property_u32(&w, "#address-cells", 1);
	fdt_property_u32(&w, "#size-cells", 1);
	fdt_property_string(&w, "compatible", "test,board");
	fdt_begin_node(&w, "cpus");
	fdt_property_u32(&w, "#address-cells", 2);
	fdt_property_u32(&w, "#size-cells", 0);
	fdt_begin_node(&w, "cpu@0");
	fdt_property_cells(&w, "reg", cpu0, 2);
	fdt_end_node(&w);
	fdt_begin_node(&w, "cpu@100");
	fdt_property_cells(&w, "reg", cpu1, 2);
	fdt_end_node(&w);
	fdt_end_node(&w);
	fdt_begin_node(&w, "memory@80000000");
	fdt_property_string(&w, "device_type", "memory");
	fdt_property_cells(&w, "reg", mem, 4);
	fdt_end_node(&w);
	fdt_begin_node(&w, "uart@1000");
	fdt_property(&w, "compatible", compat, sizeof(compat));
	fdt_property_u32(&w, "reg", 0x1000);
	fdt_end_node(&w);
	fdt_begin_node(&w, "uart@2000");
	fdt_property_string(&w, "compatible", "arm,pl011");
	fdt_property_cells(&w, "reg", uart2, 3);
	fdt_end_node(&w);
	fdt_begin_node(&w, "deep");
	fdt_property_u32(&w, "#address-cells", 2);
	fdt_property_u32(&w, "#size-cells", 2);
	fdt_begin_node(&w, "leaf@1");
	fdt_property_cells(&w, "reg", leaf, 4);
	fdt_end_node(&w);
	fdt_end_node(&w);
	fdt_end_node(&w);
	return fdt_finish(&w);
}

/* A copy of the sample in a heap buffer of exactly its size, so ASan sees any overread. */
static uint8_t *sample_copy(size_t *size)
{
	int n = build_sample(blob, sizeof(blob));
	uint8_t *b;

	if (n <= 0) {
		return NULL;
	}
	b = malloc((size_t)n);
	memcpy(b, blob, (size_t)n);
	*size = (size_t)n;
	return b;
}

TEST(fdt, writer_output_passes_check)
{
	int n = build_sample(blob, sizeof(blob));

	ASSERT_TRUE(n > 0);
	EXPECT_EQ(fdt32_ld(blob), FDT_MAGIC);
	EXPECT_EQ(fdt_totalsize(blob), n);
	EXPECT_EQ(hdr_get(blob, H_VERSION), 17);
	EXPECT_EQ(fdt_check(blob, (size_t)n), 0);
}

TEST(fdt, writer_deduplicates_strings)
{
	int n = build_sample(blob, sizeof(blob));
	/* Unique names: #address-cells #size-cells compatible reg device_type */
	size_t want = sizeof("#address-cells") + sizeof("#size-cells") + sizeof("compatible") +
		      sizeof("reg") + sizeof("device_type");

	ASSERT_TRUE(n > 0);
	EXPECT_EQ(hdr_get(blob, H_SIZE_STRINGS), want);
}

TEST(fdt, writer_fits_exact_buffer)
{
	int n = build_sample(blob, sizeof(blob));
	uint8_t *exact;

	ASSERT_TRUE(n > 0);
	exact = malloc((size_t)n);
	EXPECT_EQ(build_sample(exact, (size_t)n), n);
	EXPECT_EQ(memcmp(exact, blob, (size_t)n), 0);
	EXPECT_EQ(build_sample(exact, (size_t)n - 1), -ENOSPC);
	free(exact);
}

TEST(fdt, writer_rejects_misuse)
{
	struct fdt_writer w;
	uint8_t small[64];

	fdt_writer_init(&w, blob, sizeof(blob));
	fdt_begin_node(&w, "");
	EXPECT_EQ(fdt_finish(&w), -EINVAL); /* root left open */

	fdt_writer_init(&w, blob, sizeof(blob));
	fdt_property_u32(&w, "x", 1); /* outside any node */
	EXPECT_EQ(fdt_finish(&w), -EINVAL);

	fdt_writer_init(&w, blob, sizeof(blob));
	fdt_begin_node(&w, "");
	fdt_end_node(&w);
	fdt_begin_node(&w, "second-root");
	EXPECT_EQ(fdt_finish(&w), -EINVAL);

	fdt_writer_init(&w, blob, sizeof(blob));
	fdt_end_node(&w);
	EXPECT_EQ(fdt_finish(&w), -EINVAL);

	fdt_writer_init(&w, blob, sizeof(blob));
	EXPECT_EQ(fdt_finish(&w), -EINVAL); /* no root */

	fdt_writer_init(&w, small, sizeof(small));
	fdt_begin_node(&w, "");
	fdt_property_string(&w, "a-rather-long-property-name", "and a long value too");
	fdt_end_node(&w);
	EXPECT_EQ(fdt_finish(&w), -ENOSPC);

	fdt_writer_init(&w, small, 10);
	EXPECT_EQ(fdt_finish(&w), -ENOSPC);
}

TEST(fdt, writer_minimal_tree)
{
	struct fdt_writer w;
	int n;

	fdt_writer_init(&w, blob, sizeof(blob));
	fdt_begin_node(&w, "");
	fdt_property(&w, "empty", NULL, 0);
	fdt_end_node(&w);
	n = fdt_finish(&w);
	ASSERT_TRUE(n > 0);
	EXPECT_EQ(fdt_check(blob, (size_t)n), 0);
	EXPECT_EQ(fdt_finish(&w), -EALREADY);
}

TEST(fdt, path_offset)
{
	ASSERT_TRUE(build_sample(blob, sizeof(blob)) > 0);
	int root = fdt_path_offset(blob, "/");

	EXPECT_TRUE(root >= 0);
	EXPECT_EQ(strcmp(fdt_node_name(blob, root), ""), 0);
	EXPECT_EQ(strcmp(fdt_node_name(blob, fdt_path_offset(blob, "/cpus/cpu@100")), "cpu@100"),
		  0);
	/* A component without a unit address matches one with it (libfdt rule). */
	EXPECT_EQ(fdt_path_offset(blob, "/memory"), fdt_path_offset(blob, "/memory@80000000"));
	EXPECT_EQ(fdt_path_offset(blob, "//cpus/"), fdt_path_offset(blob, "/cpus"));
	EXPECT_EQ(fdt_path_offset(blob, "/cpus/cpu@1"), -ENOENT);
	EXPECT_EQ(fdt_path_offset(blob, "/nothing"), -ENOENT);
	EXPECT_EQ(fdt_path_offset(blob, "/cpu"), -ENOENT);
	EXPECT_EQ(fdt_path_offset(blob, "cpus"), -ENOENT);
}

TEST(fdt, children_siblings_parent)
{
	ASSERT_TRUE(build_sample(blob, sizeof(blob)) > 0);
	int root = fdt_path_offset(blob, "/");
	int cpus = fdt_first_child(blob, root);
	int cpu0 = fdt_first_child(blob, cpus);
	int cpu1 = fdt_next_sibling(blob, cpu0);

	EXPECT_EQ(cpus, fdt_path_offset(blob, "/cpus"));
	EXPECT_EQ(strcmp(fdt_node_name(blob, cpu0), "cpu@0"), 0);
	EXPECT_EQ(strcmp(fdt_node_name(blob, cpu1), "cpu@100"), 0);
	EXPECT_EQ(fdt_next_sibling(blob, cpu1), -ENOENT);
	EXPECT_EQ(fdt_first_child(blob, cpu1), -ENOENT);
	EXPECT_EQ(fdt_parent(blob, cpu1), cpus);
	EXPECT_EQ(fdt_parent(blob, cpus), root);
	EXPECT_EQ(fdt_parent(blob, root), -ENOENT);
	EXPECT_EQ(fdt_next_sibling(blob, root), -ENOENT);
	EXPECT_EQ(fdt_next_sibling(blob, cpus), fdt_path_offset(blob, "/memory"));
}

TEST(fdt, bad_node_offsets)
{
	ASSERT_TRUE(build_sample(blob, sizeof(blob)) > 0);
	int len;

	EXPECT_TRUE(fdt_first_child(blob, 2) < 0);
	EXPECT_TRUE(fdt_first_child(blob, -1) < 0);
	EXPECT_TRUE(fdt_next_sibling(blob, 1 << 20) < 0);
	EXPECT_TRUE(fdt_node_name(blob, 1 << 20) == NULL);
	EXPECT_TRUE(fdt_node_name(blob, 12) == NULL); /* a property token, not a node */
	EXPECT_TRUE(fdt_prop(blob, -4, "reg", &len) == NULL);
	EXPECT_TRUE(fdt_parent(blob, 3) < 0);
}

TEST(fdt, properties)
{
	ASSERT_TRUE(build_sample(blob, sizeof(blob)) > 0);
	int uart = fdt_path_offset(blob, "/uart@1000");
	const char *s;
	int len = 0;

	s = fdt_prop(blob, fdt_path_offset(blob, "/memory"), "device_type", &len);
	ASSERT_TRUE(s != NULL);
	EXPECT_EQ(len, 7);
	EXPECT_EQ(strcmp(s, "memory"), 0);
	EXPECT_TRUE(fdt_prop(blob, uart, "status", &len) == NULL);
	EXPECT_TRUE(fdt_prop_has_string(blob, uart, "compatible", "arm,pl011"));
	EXPECT_TRUE(fdt_prop_has_string(blob, uart, "compatible", "vendor,x"));
	EXPECT_FALSE(fdt_prop_has_string(blob, uart, "compatible", "arm"));
	EXPECT_FALSE(fdt_prop_has_string(blob, uart, "nothing", "arm,pl011"));
	EXPECT_EQ(fdt_prop_u32(blob, fdt_path_offset(blob, "/cpus"), "#address-cells", 7), 2);
	EXPECT_EQ(fdt_prop_u32(blob, uart, "#address-cells", 7), 7);
	EXPECT_EQ(fdt_prop_u32(blob, uart, "compatible", 7), 7); /* not 4 bytes long */
}

TEST(fdt, reg_uses_parent_cells)
{
	ASSERT_TRUE(build_sample(blob, sizeof(blob)) > 0);
	uint64_t a = 0, s = 0;
	int mem = fdt_path_offset(blob, "/memory");

	EXPECT_EQ(fdt_reg(blob, mem, 0, &a, &s), 0);
	EXPECT_EQ(a, 0x80000000);
	EXPECT_EQ(s, 0x1000);
	EXPECT_EQ(fdt_reg(blob, mem, 1, &a, &s), 0);
	EXPECT_EQ(a, 0x90000000);
	EXPECT_EQ(s, 0x2000);
	EXPECT_EQ(fdt_reg(blob, mem, 2, &a, &s), -ENOENT);
	EXPECT_EQ(fdt_reg(blob, fdt_path_offset(blob, "/cpus/cpu@100"), 0, &a, &s), 0);
	EXPECT_EQ(a, 0x100);
	EXPECT_EQ(s, 0);
	EXPECT_EQ(fdt_reg(blob, fdt_path_offset(blob, "/deep/leaf"), 0, &a, &s), 0);
	EXPECT_EQ(a, 1);
	EXPECT_EQ(s, 2);
	/* 3 cells with (1, 1) cells: not a whole number of entries. */
	EXPECT_EQ(fdt_reg(blob, fdt_path_offset(blob, "/uart@2000"), 0, &a, &s), -EINVAL);
	/* "reg" is 1 cell: with (2, 1) explicit cells it is malformed; absent reg: -ENOENT. */
	EXPECT_EQ(fdt_reg_cells(blob, fdt_path_offset(blob, "/uart@1000"), 0, 2, 1, &a, &s),
		  -EINVAL);
	EXPECT_EQ(fdt_reg(blob, fdt_path_offset(blob, "/cpus"), 0, &a, &s), -ENOENT);
	EXPECT_EQ(fdt_reg(blob, fdt_path_offset(blob, "/"), 0, &a, &s), -EINVAL);
	EXPECT_EQ(fdt_reg_cells(blob, mem, 0, 3, 1, &a, &s), -EINVAL);
	EXPECT_EQ(fdt_reg_cells(blob, mem, 0, 0, 1, &a, &s), -EINVAL);
}

TEST(fdt, reg_parent_uses_the_given_parent)
{
	ASSERT_TRUE(build_sample(blob, sizeof(blob)) > 0);
	uint64_t a = 0, s = 0;
	int root = fdt_path_offset(blob, "/");
	int leaf = fdt_path_offset(blob, "/deep/leaf");

	EXPECT_EQ(fdt_reg_parent(blob, leaf, fdt_parent(blob, leaf), 0, &a, &s), 0);
	EXPECT_EQ(a, 1);
	EXPECT_EQ(s, 2);
	/* The root's (1, 1) cells, not /deep's (2, 2): <0 1 0 2> reads as two pairs. */
	EXPECT_EQ(fdt_reg_parent(blob, leaf, root, 1, &a, &s), 0);
	EXPECT_EQ(a, 0);
	EXPECT_EQ(s, 2);
	EXPECT_EQ(fdt_reg_parent(blob, root, -ENOENT, 0, &a, &s), -EINVAL); /* the root's parent */
}

/* What one visit saw: the node, and the answers to the "compatible" and "reg" queries. */
struct visit {
	struct fdt_walk_node n;
	const char *compat;
	int reg_len;
};

struct visits {
	struct visit v[16];
	unsigned count;
	unsigned stop_at; /* nonzero: return 7 at this visit */
};

static int record(void *ctx, const struct fdt_walk_node *n, const struct fdt_prop_query *q)
{
	struct visits *vs = ctx;

	if (vs->count < 16) {
		vs->v[vs->count] = (struct visit){*n, NULL, -1};
	}
	if (vs->count < 16 && q) {
		vs->v[vs->count].compat = q[0].val;
		vs->v[vs->count].reg_len = q[1].val ? q[1].len : -1;
	}
	return ++vs->count == vs->stop_at ? 7 : 0;
}

TEST(fdt, walk_visits_every_node_in_order)
{
	static const char *const names[] = {
	    "",		 "cpus",      "cpu@0", "cpu@100", "memory@80000000",
	    "uart@1000", "uart@2000", "deep",  "leaf@1"};
	static const int depths[] = {0, 1, 2, 2, 1, 1, 1, 1, 2};
	struct fdt_prop_query q[2] = {{.name = "compatible"}, {.name = "reg"}};
	struct visits vs = {0};
	int n = build_sample(blob, sizeof(blob));

	ASSERT_TRUE(n > 0);
	ASSERT_EQ(fdt_walk(blob, (size_t)n, q, 2, record, &vs), 0);
	ASSERT_EQ(vs.count, 9);
	for (unsigned i = 0; i < 9; i++) {
		EXPECT_EQ(strcmp(vs.v[i].n.name, names[i]), 0);
		EXPECT_EQ(vs.v[i].n.depth, depths[i]);
		EXPECT_EQ(vs.v[i].n.parent, fdt_parent(blob, vs.v[i].n.node));
		EXPECT_EQ(strcmp(fdt_node_name(blob, vs.v[i].n.node), names[i]), 0);
	}
	EXPECT_EQ(strcmp(vs.v[0].compat, "test,board"), 0);
	EXPECT_EQ(vs.v[0].reg_len, -1);
	EXPECT_TRUE(vs.v[1].compat == NULL);
	EXPECT_EQ(vs.v[4].reg_len, 16);
	EXPECT_EQ(strcmp(vs.v[5].compat, "vendor,x"),
		  0); /* the whole list: "vendor,x\0arm,pl011" */
	EXPECT_EQ(vs.v[6].reg_len, 12);
	EXPECT_EQ(vs.v[8].reg_len, 16);
}

TEST(fdt, walk_stops_where_the_visitor_says)
{
	struct visits vs = {.stop_at = 3};
	int n = build_sample(blob, sizeof(blob));

	ASSERT_TRUE(n > 0);
	EXPECT_EQ(fdt_walk(blob, (size_t)n, NULL, 0, record, &vs), 7);
	EXPECT_EQ(vs.count, 3);
}

TEST(fdt, walk_rejects_what_check_rejects)
{
	struct visits vs = {0};
	int n = build_sample(blob, sizeof(blob));

	ASSERT_TRUE(n > 0);
	EXPECT_EQ(fdt_walk(blob, (size_t)n - 1, NULL, 0, record, &vs), -EINVAL); /* too small */
	EXPECT_EQ(vs.count, 0);
	/* The last FDT_END_NODE becomes FDT_END: every node visited, then the defect found. */
	be32_st(blob + hdr_get(blob, H_OFF_STRUCT) + hdr_get(blob, H_SIZE_STRUCT) - 8, FDT_END);
	EXPECT_EQ(fdt_check(blob, (size_t)n), -EINVAL);
	EXPECT_EQ(fdt_walk(blob, (size_t)n, NULL, 0, record, &vs), -EINVAL);
	EXPECT_EQ(vs.count, 9);
}

TEST(fdt, subpath_and_name_matching)
{
	ASSERT_TRUE(build_sample(blob, sizeof(blob)) > 0);
	int root = fdt_path_offset(blob, "/");
	int cpus = fdt_path_offset(blob, "/cpus");

	EXPECT_EQ(fdt_subpath_offset(blob, cpus, "cpu@100"),
		  fdt_path_offset(blob, "/cpus/cpu@100"));
	EXPECT_EQ(fdt_subpath_offset(blob, root, "deep/leaf"),
		  fdt_path_offset(blob, "/deep/leaf@1"));
	EXPECT_EQ(fdt_subpath_offset(blob, cpus, ""), cpus);
	EXPECT_EQ(fdt_subpath_offset(blob, cpus, "/"), cpus);
	EXPECT_EQ(fdt_subpath_offset(blob, cpus, "memory"), -ENOENT); /* not a child of /cpus */
	EXPECT_TRUE(fdt_subpath_offset(blob, -1, "cpus") < 0);
	EXPECT_TRUE(fdt_name_matches("cpus", "cpus", 4));
	EXPECT_TRUE(fdt_name_matches("cpu@0", "cpu", 3));
	EXPECT_TRUE(fdt_name_matches("cpu@0", "cpu@0/x", 5)); /* only len bytes of comp count */
	EXPECT_FALSE(fdt_name_matches("cpu@0", "cpu@1", 5));
	EXPECT_FALSE(fdt_name_matches("cpus", "cpu", 3));
	EXPECT_FALSE(fdt_name_matches("cpu", "cpu@0", 5));
}

TEST(fdt, stringlist_contains)
{
	static const char list[] = "vendor,x\0arm,pl011";
	static const char unterminated[] = {'a', 'r', 'm', 0, 'x', 'y'};

	EXPECT_TRUE(fdt_stringlist_contains(list, sizeof(list), "vendor,x"));
	EXPECT_TRUE(fdt_stringlist_contains(list, sizeof(list), "arm,pl011"));
	EXPECT_FALSE(fdt_stringlist_contains(list, sizeof(list), "arm"));
	EXPECT_FALSE(fdt_stringlist_contains(list, sizeof(list) - 1, "arm,pl011"));
	EXPECT_TRUE(fdt_stringlist_contains(unterminated, sizeof(unterminated), "arm"));
	EXPECT_FALSE(fdt_stringlist_contains(unterminated, sizeof(unterminated), "xy"));
	EXPECT_FALSE(fdt_stringlist_contains(NULL, 0, "arm"));
}

TEST(fdt, stringlist_match_reports_each_string)
{
	static const char list[] = "vendor,x\0arm,pl011";
	static const char *const strs[] = {"arm,pl011", "arm", "vendor,x", "", "vendor,y"};

	EXPECT_EQ(fdt_stringlist_match(list, sizeof(list), strs, 5), (1U << 0) | (1U << 2));
	EXPECT_EQ(fdt_stringlist_match(list, sizeof(list), strs + 1, 4), 1U << 1);
	EXPECT_EQ(fdt_stringlist_match(list, sizeof(list) - 1, strs, 5), 1U << 2); /* cut */
	EXPECT_EQ(fdt_stringlist_match(list, sizeof(list), strs, 0), 0);
	EXPECT_EQ(fdt_stringlist_match(NULL, 0, strs, 5), 0);
	EXPECT_EQ(fdt_stringlist_match("\0", 1, strs, 5), 1U << 3); /* one empty string */
}

/* A blob at an odd address: every cell is read byte by byte, and it reads the same. */
TEST(fdt, unaligned_blob_reads_the_same)
{
	static _Alignas(4) uint8_t odd[4096 + 1]; /* so that odd + 1 is surely unaligned */
	int n = build_sample(blob, sizeof(blob));
	uint8_t *b = odd + 1;
	uint64_t a = 0, s = 0;

	ASSERT_TRUE(n > 0);
	memcpy(b, blob, (size_t)n);
	ASSERT_EQ(fdt_check(b, (size_t)n), 0);
	EXPECT_EQ(fdt_path_offset(b, "/deep/leaf"), fdt_path_offset(blob, "/deep/leaf"));
	EXPECT_EQ(fdt_reg(b, fdt_path_offset(b, "/memory"), 1, &a, &s), 0);
	EXPECT_EQ(a, 0x90000000);
	EXPECT_EQ(s, 0x2000);
	EXPECT_TRUE(
	    fdt_prop_has_string(b, fdt_path_offset(b, "/uart@1000"), "compatible", "arm,pl011"));
	EXPECT_EQ(fdt_check(b, (size_t)n - 1), -EINVAL);
}

TEST(fdt, qemu_dump_passes_check)
{
	static uint8_t dtb[16384];
	FILE *f = fopen("tests/unit/data/qemu-virt-2cpu-modules.dtb", "rb");
	size_t n;

	ASSERT_TRUE(f != NULL);
	n = fread(dtb, 1, sizeof(dtb), f);
	fclose(f);
	ASSERT_EQ(fdt_check(dtb, n), 0);
	EXPECT_TRUE(fdt_path_offset(dtb, "/cpus/cpu-map/socket0/cluster0/core1") >= 0);
	EXPECT_TRUE(
	    fdt_prop_has_string(dtb, fdt_path_offset(dtb, "/intc"), "compatible", "arm,gic-v3"));
	EXPECT_EQ(fdt_check(dtb, n - 1), -EINVAL);
}

/* ---- malformed blobs: every one is rejected by fdt_check ---- */

TEST(fdt, check_rejects_bad_header)
{
	size_t n;
	uint8_t *b = sample_copy(&n);

	ASSERT_TRUE(b != NULL);
	EXPECT_EQ(fdt_check(NULL, n), -EINVAL);
	EXPECT_EQ(fdt_check(b, 39), -EINVAL);
	EXPECT_EQ(fdt_check(b, n - 1), -EINVAL); /* truncated: totalsize > what we have */
	b[0] ^= 1;
	EXPECT_EQ(fdt_check(b, n), -EINVAL); /* bad magic */
	b[0] ^= 1;
	hdr_set(b, H_VERSION, 16);
	EXPECT_EQ(fdt_check(b, n), -EINVAL);
	hdr_set(b, H_VERSION, 17);
	hdr_set(b, H_TOTAL, 20);
	EXPECT_EQ(fdt_check(b, n), -EINVAL);
	hdr_set(b, H_TOTAL, (uint32_t)n);
	EXPECT_EQ(fdt_check(b, n), 0);
	free(b);
}

/* Corrupt one header field, expect rejection, then restore it. */
static void expect_field_rejected(uint8_t *b, size_t n, unsigned field, uint32_t v)
{
	uint32_t old = hdr_get(b, field);

	hdr_set(b, field, v);
	if (fdt_check(b, n) != -EINVAL) {
		test_fail(__FILE__, __LINE__, "field %u = 0x%x accepted", field, v);
	}
	hdr_set(b, field, old);
}

TEST(fdt, check_rejects_blocks_past_end)
{
	size_t n;
	uint8_t *b = sample_copy(&n);
	uint32_t st = hdr_get(b, H_OFF_STRUCT), str = hdr_get(b, H_OFF_STRINGS);

	ASSERT_TRUE(b != NULL);
	expect_field_rejected(b, n, H_OFF_STRUCT, (uint32_t)n);
	expect_field_rejected(b, n, H_OFF_STRUCT, 0xfffffff0U);
	expect_field_rejected(b, n, H_OFF_STRUCT, st + 2); /* misaligned */
	expect_field_rejected(b, n, H_OFF_STRUCT, 0);	   /* overlaps the header */
	expect_field_rejected(b, n, H_SIZE_STRUCT, (uint32_t)n);
	expect_field_rejected(b, n, H_SIZE_STRUCT, 0xfffffffcU);
	expect_field_rejected(b, n, H_OFF_STRINGS, (uint32_t)n + 1);
	expect_field_rejected(b, n, H_SIZE_STRINGS, (uint32_t)n - str + 1);
	expect_field_rejected(b, n, H_OFF_RSV, (uint32_t)n);
	expect_field_rejected(b, n, H_OFF_RSV, 44);	/* not 8-aligned */
	expect_field_rejected(b, n, H_SIZE_STRUCT, 8);	/* structure block cut: no FDT_END */
	expect_field_rejected(b, n, H_SIZE_STRINGS, 3); /* names cut: unterminated / past end */
	EXPECT_EQ(fdt_check(b, n), 0);
	(void)st;
	free(b);
}

TEST(fdt, check_rejects_unterminated_rsvmap)
{
	size_t n;
	uint8_t *b = sample_copy(&n);

	ASSERT_TRUE(b != NULL);
	/* Point the map at non-zero data running to the end of the blob. */
	memset(b + n - 16, 0xAA, 16);
	hdr_set(b, H_SIZE_STRINGS, hdr_get(b, H_SIZE_STRINGS) - 16);
	hdr_set(b, H_OFF_RSV, (uint32_t)n - 16);
	EXPECT_EQ(fdt_check(b, n), -EINVAL);
	free(b);
}

/* Overwrite the structure block's 32-bit word at word index i. */
static void struct_word_set(uint8_t *b, unsigned i, uint32_t v)
{
	be32_st(b + hdr_get(b, H_OFF_STRUCT) + 4 * i, v);
}

TEST(fdt, check_rejects_bad_structure)
{
	size_t n;
	uint8_t *b = sample_copy(&n);
	uint8_t *st;
	uint32_t size;

	ASSERT_TRUE(b != NULL);
	st = b + hdr_get(b, H_OFF_STRUCT);
	size = hdr_get(b, H_SIZE_STRUCT);
	/* Word 0 is the root's FDT_BEGIN_NODE, word 1 its empty name, word 2 its first prop. */
	struct_word_set(b, 2, 0x7); /* unknown token */
	EXPECT_EQ(fdt_check(b, n), -EINVAL);
	struct_word_set(b, 2, FDT_END_NODE); /* root closed early: properties outside a node */
	EXPECT_EQ(fdt_check(b, n), -EINVAL);
	struct_word_set(b, 2, FDT_PROP);
	struct_word_set(b, 3, 0x10000); /* property length past the block */
	EXPECT_EQ(fdt_check(b, n), -EINVAL);
	struct_word_set(b, 3, 4);
	struct_word_set(b, 4, 0x1000); /* nameoff past the strings block */
	EXPECT_EQ(fdt_check(b, n), -EINVAL);
	struct_word_set(b, 4, 0);
	EXPECT_EQ(fdt_check(b, n), 0);
	be32_st(st + size - 4, FDT_NOP); /* no FDT_END */
	EXPECT_EQ(fdt_check(b, n), -EINVAL);
	be32_st(st + size - 4, FDT_END);
	be32_st(st + size - 8, FDT_NOP); /* root never closed */
	EXPECT_EQ(fdt_check(b, n), -EINVAL);
	free(b);
}

TEST(fdt, check_rejects_unterminated_name)
{
	struct fdt_writer w;
	uint8_t *b;
	int n;

	fdt_writer_init(&w, blob, sizeof(blob));
	fdt_begin_node(&w, "");
	fdt_begin_node(&w, "abc");
	fdt_end_node(&w);
	fdt_end_node(&w);
	n = fdt_finish(&w);
	ASSERT_TRUE(n > 0);
	/* Cut the structure block in the middle of "abc": its NUL is now outside. */
	hdr_set(blob, H_SIZE_STRUCT, 8 + 3);
	b = malloc((size_t)n);
	memcpy(b, blob, (size_t)n);
	EXPECT_EQ(fdt_check(b, (size_t)n), -EINVAL);
	free(b);
}

TEST(fdt, check_rejects_unterminated_prop_name)
{
	size_t n;
	uint8_t *b = sample_copy(&n);
	uint32_t str = hdr_get(b, H_OFF_STRINGS), ssize = hdr_get(b, H_SIZE_STRINGS);

	ASSERT_TRUE(b != NULL);
	ASSERT_EQ(str + ssize, n); /* the strings block ends the blob */
	b[n - 1] = 'x';		   /* the last name loses its NUL */
	EXPECT_EQ(fdt_check(b, n), -EINVAL);
	free(b);
}

TEST(fdt, check_rejects_prop_after_child)
{
	struct fdt_writer w;
	int n;

	fdt_writer_init(&w, blob, sizeof(blob));
	fdt_begin_node(&w, "");
	fdt_begin_node(&w, "a");
	fdt_end_node(&w);
	fdt_begin_node(&w, "b");
	fdt_property_u32(&w, "x", 1);
	fdt_end_node(&w);
	fdt_end_node(&w);
	n = fdt_finish(&w);
	ASSERT_TRUE(n > 0);
	ASSERT_EQ(fdt_check(blob, (size_t)n), 0);
	/* Words: 0 BEGIN 1 "" 2 BEGIN 3 "a" 4 END_NODE 5 BEGIN 6 "b" 7-10 x 11 END_NODE ...
	 * NOP out b's begin, name and end: x becomes a root property after child a. */
	struct_word_set(blob, 5, FDT_NOP);
	struct_word_set(blob, 6, FDT_NOP);
	struct_word_set(blob, 11, FDT_NOP);
	EXPECT_EQ(fdt_check(blob, (size_t)n), -EINVAL);
}

TEST(fdt, check_rejects_two_roots)
{
	struct fdt_writer w;
	int n;

	fdt_writer_init(&w, blob, sizeof(blob));
	fdt_begin_node(&w, "");
	fdt_begin_node(&w, "a");
	fdt_end_node(&w);
	fdt_end_node(&w);
	n = fdt_finish(&w);
	ASSERT_TRUE(n > 0);
	/* Words: 0 BEGIN 1 "" 2 BEGIN 3 "a" 4 END_NODE 5 END_NODE 6 END. Turn them into
	 * BEGIN "" END_NODE BEGIN "" END_NODE END: a second root node. */
	struct_word_set(blob, 2, FDT_END_NODE);
	struct_word_set(blob, 3, FDT_BEGIN_NODE);
	struct_word_set(blob, 4, 0);
	EXPECT_EQ(fdt_check(blob, (size_t)n), -EINVAL);
}

/* Visit every node through the public accessors (they must stay in bounds on any blob). */
static void walk(const uint8_t *b, int node, int depth)
{
	uint64_t a, s;
	int len;

	if (depth > 40) {
		return;
	}
	(void)fdt_node_name(b, node);
	(void)fdt_prop(b, node, "compatible", &len);
	(void)fdt_prop_has_string(b, node, "compatible", "arm,pl011");
	(void)fdt_parent(b, node);
	for (unsigned i = 0; i < 3; i++) {
		(void)!fdt_reg(b, node, i, &a, &s);
	}
	for (int c = fdt_first_child(b, node); c >= 0; c = fdt_next_sibling(b, c)) {
		walk(b, c, depth + 1);
	}
}

TEST(fdt, mutated_and_truncated_blobs_stay_in_bounds)
{
	size_t n;
	uint8_t *ref = sample_copy(&n);
	static const uint8_t vals[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x09, 0x7f, 0xff};
	unsigned accepted = 0;

	ASSERT_TRUE(ref != NULL);
	for (size_t i = 0; i < n; i++) {
		for (size_t v = 0; v < sizeof(vals); v++) {
			uint8_t *b = malloc(n);

			memcpy(b, ref, n);
			b[i] = vals[v];
			if (fdt_check(b, n) == 0) {
				accepted++;
				walk(b, fdt_path_offset(b, "/"), 0);
				(void)fdt_path_offset(b, "/cpus/cpu@0");
			}
			free(b);
		}
	}
	for (size_t len = 0; len < n; len++) {
		uint8_t *b = malloc(len + 1);

		memcpy(b, ref, len);
		EXPECT_EQ(fdt_check(b, len), -EINVAL);
		free(b);
	}
	EXPECT_TRUE(accepted > 0);
	free(ref);
}
