// SPDX-License-Identifier: Apache-2.0
/* guest_fdt_build() (core/vm/guest_fdt.c): read back with the reader, and with dtc if present. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hyp/errno.h"
#include "hyp/fdt.h"
#include "hyp/guest_fdt.h"
#include "hyp/platform.h"

#include "test.h"

static uint8_t buf[8192];

static const struct guest_fdt_params params = {
    .ram_base = 0x40000000,
    .ram_size = 0x10000000,
    .nr_vcpus = 2,
    .bootargs = "console=ttyAMA0 earlycon",
    .initrd_start = 0x48000000,
    .initrd_size = 0x1234,
    .gicd_base = 0x8000000,
    .gicr_base = 0x80a0000,
    .uart_base = 0x9000000,
    .uart_spi = 1,
};

static int build(const struct guest_fdt_params *p)
{
	int n = guest_fdt_build(buf, sizeof(buf), p);

	if (n > 0 && fdt_check(buf, (size_t)n) != 0) {
		return -1000;
	}
	return n;
}

/* fdt_walk() visitor: counts the nodes whose compatible lists ctx's string, records the last. */
struct compat_count {
	const char *want;
	unsigned count;
	int node;
};

static int count_compatible(void *ctx, const struct fdt_walk_node *n,
			    const struct fdt_prop_query *q)
{
	struct compat_count *c = ctx;

	if (q[0].val && fdt_stringlist_contains(q[0].val, q[0].len, c->want)) {
		c->count++;
		c->node = n->node;
	}
	return 0;
}

static bool str_prop_is(int node, const char *name, const char *want)
{
	int len;
	const char *v = fdt_prop(buf, node, name, &len);

	return v && len == (int)strlen(want) + 1 && memcmp(v, want, (size_t)len) == 0;
}

/* Does a property hold exactly these cells? */
static bool cells_are(int node, const char *name, const uint32_t *cells, unsigned n)
{
	int len;
	const uint8_t *v = fdt_prop(buf, node, name, &len);

	if (!v || len != (int)(4 * n)) {
		return false;
	}
	for (unsigned i = 0; i < n; i++) {
		if (fdt32_ld(v + 4 * i) != cells[i]) {
			return false;
		}
	}
	return true;
}

TEST(guest_fdt, root_and_cpus)
{
	ASSERT_TRUE(build(&params) > 0);
	int root = fdt_path_offset(buf, "/");
	int cpu1 = fdt_path_offset(buf, "/cpus/cpu@1");

	EXPECT_EQ(fdt_prop_u32(buf, root, "#address-cells", 0), 2);
	EXPECT_EQ(fdt_prop_u32(buf, root, "#size-cells", 0), 2);
	EXPECT_TRUE(str_prop_is(root, "compatible", "linux,dummy-virt"));
	EXPECT_TRUE(str_prop_is(root, "model", "Tessera VM"));
	EXPECT_EQ(fdt_prop_u32(buf, root, "interrupt-parent", 0), 1);
	EXPECT_EQ(fdt_prop_u32(buf, fdt_path_offset(buf, "/cpus"), "#address-cells", 9), 1);
	EXPECT_EQ(fdt_prop_u32(buf, fdt_path_offset(buf, "/cpus"), "#size-cells", 9), 0);
	ASSERT_TRUE(cpu1 >= 0);
	EXPECT_TRUE(str_prop_is(cpu1, "device_type", "cpu"));
	EXPECT_TRUE(str_prop_is(cpu1, "compatible", "arm,armv8"));
	EXPECT_TRUE(str_prop_is(cpu1, "enable-method", "psci"));
	EXPECT_EQ(fdt_prop_u32(buf, cpu1, "reg", 9), 1);
	EXPECT_EQ(fdt_path_offset(buf, "/cpus/cpu@2"), -ENOENT);
}

TEST(guest_fdt, memory_psci_timer)
{
	static const uint32_t timer[12] = {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4};
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	uint64_t a, s;
	int len;

	ASSERT_TRUE(build(&params) > 0);
	int mem = fdt_path_offset(buf, "/memory@40000000");
	int psci = fdt_path_offset(buf, "/psci");
	int tmr = fdt_path_offset(buf, "/timer");

	EXPECT_TRUE(str_prop_is(mem, "device_type", "memory"));
	EXPECT_EQ(fdt_reg(buf, mem, 0, &a, &s), 0);
	EXPECT_EQ(a, 0x40000000);
	EXPECT_EQ(s, 0x10000000);
	EXPECT_EQ(fdt_reg(buf, mem, 1, &a, &s), -ENOENT);
	EXPECT_TRUE(
	    memcmp(fdt_prop(buf, psci, "compatible", &len), psci_compat, sizeof(psci_compat)) == 0);
	EXPECT_EQ(len, sizeof(psci_compat));
	EXPECT_TRUE(str_prop_is(psci, "method", "hvc"));
	EXPECT_EQ(strcmp(fdt_node_name(buf, tmr), "timer"), 0);
	EXPECT_TRUE(fdt_prop_has_string(buf, tmr, "compatible", "arm,armv8-timer"));
	EXPECT_TRUE(cells_are(tmr, "interrupts", timer, 12));
	EXPECT_TRUE(fdt_prop(buf, tmr, "always-on", &len) != NULL);
	EXPECT_EQ(len, 0);
}

TEST(guest_fdt, gic)
{
	static const uint32_t reg[8] = {0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0x40000};
	int len;

	ASSERT_TRUE(build(&params) > 0);
	int gic = fdt_path_offset(buf, "/intc@8000000");

	ASSERT_TRUE(gic >= 0);
	EXPECT_TRUE(fdt_prop_has_string(buf, gic, "compatible", "arm,gic-v3"));
	{ /* and it is the only one */
		struct fdt_prop_query q = {.name = "compatible"};
		struct compat_count c = {.want = "arm,gic-v3", .count = 0, .node = -1};

		EXPECT_EQ(fdt_walk(buf, sizeof(buf), &q, 1, count_compatible, &c), 0);
		EXPECT_EQ(c.count, 1);
		EXPECT_EQ(c.node, gic);
	}
	EXPECT_EQ(fdt_prop_u32(buf, gic, "#interrupt-cells", 0), 3);
	EXPECT_TRUE(fdt_prop(buf, gic, "interrupt-controller", &len) != NULL);
	EXPECT_EQ(fdt_prop_u32(buf, gic, "#redistributor-regions", 0), 1);
	EXPECT_TRUE(cells_are(gic, "reg", reg, 8));
	EXPECT_EQ(fdt_prop_u32(buf, gic, "phandle", 0), 1);
}

TEST(guest_fdt, uart_clock_chosen_aliases)
{
	static const uint32_t irq[3] = {0, 1, 4}, clocks[2] = {2, 2};
	static const char names[] = "uartclk\0apb_pclk";
	int len;

	ASSERT_TRUE(build(&params) > 0);
	int uart = fdt_path_offset(buf, "/pl011@9000000");
	int clk = fdt_path_offset(buf, "/apb-pclk");
	int chosen = fdt_path_offset(buf, "/chosen");
	const uint8_t *v;

	EXPECT_TRUE(fdt_prop_has_string(buf, uart, "compatible", "arm,pl011"));
	EXPECT_TRUE(fdt_prop_has_string(buf, uart, "compatible", "arm,primecell"));
	EXPECT_TRUE(cells_are(uart, "interrupts", irq, 3));
	EXPECT_TRUE(cells_are(uart, "clocks", clocks, 2));
	v = fdt_prop(buf, uart, "clock-names", &len);
	EXPECT_TRUE(v && len == sizeof(names) && memcmp(v, names, sizeof(names)) == 0);
	EXPECT_TRUE(str_prop_is(clk, "compatible", "fixed-clock"));
	EXPECT_EQ(fdt_prop_u32(buf, clk, "#clock-cells", 9), 0);
	EXPECT_EQ(fdt_prop_u32(buf, clk, "clock-frequency", 0), 24000000);
	EXPECT_TRUE(str_prop_is(clk, "clock-output-names", "clk24mhz"));
	EXPECT_EQ(fdt_prop_u32(buf, clk, "phandle", 0), 2);
	EXPECT_TRUE(str_prop_is(chosen, "bootargs", "console=ttyAMA0 earlycon"));
	EXPECT_TRUE(str_prop_is(chosen, "stdout-path", "/pl011@9000000"));
	v = fdt_prop(buf, chosen, "linux,initrd-start", &len);
	ASSERT_TRUE(v != NULL && len == 8);
	EXPECT_EQ(fdt64_ld(v), 0x48000000);
	v = fdt_prop(buf, chosen, "linux,initrd-end", &len);
	ASSERT_TRUE(v != NULL && len == 8);
	EXPECT_EQ(fdt64_ld(v), 0x48001234);
	EXPECT_TRUE(str_prop_is(fdt_path_offset(buf, "/aliases"), "serial0", "/pl011@9000000"));
}

/* The guest's tree describes a machine platform_discover() understands too. */
TEST(guest_fdt, platform_discover_reads_it_back)
{
	static struct platform_info info;
	char err[96];

	ASSERT_TRUE(build(&params) > 0);
	ASSERT_EQ(platform_discover(buf, &info, err, sizeof(err)), 0);
	EXPECT_EQ(info.mem_count, 1);
	EXPECT_EQ(info.cpu_count, 2);
	EXPECT_EQ(info.gicr_size, 0x40000);
	EXPECT_EQ(info.uart_intid, 33);
	EXPECT_EQ(info.timer_intid[2], 27);
	EXPECT_EQ(info.psci, PSCI_CONDUIT_HVC);
}

TEST(guest_fdt, no_initrd_and_high_addresses)
{
	struct guest_fdt_params p = params;
	uint64_t a, s;
	int len;

	p.initrd_size = 0;
	p.bootargs = NULL;
	p.ram_base = 0x880000000ULL;
	p.ram_size = 0x100000000ULL;
	ASSERT_TRUE(build(&p) > 0);
	int chosen = fdt_path_offset(buf, "/chosen");

	EXPECT_TRUE(fdt_prop(buf, chosen, "linux,initrd-start", &len) == NULL);
	EXPECT_TRUE(fdt_prop(buf, chosen, "linux,initrd-end", &len) == NULL);
	EXPECT_TRUE(str_prop_is(chosen, "bootargs", ""));
	EXPECT_EQ(fdt_reg(buf, fdt_path_offset(buf, "/memory@880000000"), 0, &a, &s), 0);
	EXPECT_EQ(a, 0x880000000ULL);
	EXPECT_EQ(s, 0x100000000ULL);
}

TEST(guest_fdt, rejects_bad_params_and_small_buffers)
{
	struct guest_fdt_params p = params;

	EXPECT_EQ(guest_fdt_build(buf, 100, &params), -ENOSPC);
	EXPECT_EQ(guest_fdt_build(buf, 0, &params), -ENOSPC);
	p.nr_vcpus = 0;
	EXPECT_EQ(guest_fdt_build(buf, sizeof(buf), &p), -EINVAL);
	p = params;
	p.ram_size = 0;
	EXPECT_EQ(guest_fdt_build(buf, sizeof(buf), &p), -EINVAL);
	p = params;
	p.uart_spi = 988;
	EXPECT_EQ(guest_fdt_build(buf, sizeof(buf), &p), -EINVAL);
	p = params;
	p.initrd_start = ~0ULL;
	EXPECT_EQ(guest_fdt_build(buf, sizeof(buf), &p), -EINVAL);
}

/* dtc is the reference parser: it must accept the blob without a single warning. */
TEST(guest_fdt, dtc_accepts_it)
{
	char path[] = "/tmp/tessera-guest-fdt-XXXXXX";
	char cmd[256];
	int n = build(&params), fd;
	FILE *out;
	char line[256];
	bool warned = false;

	ASSERT_TRUE(n > 0);
	if (system("command -v dtc >/dev/null 2>&1") != 0) {
		return; /* no dtc on this host: the reader checks above stand alone */
	}
	fd = mkstemp(path);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, buf, (size_t)n), n);
	close(fd);
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts -o /dev/null %s 2>&1; echo rc=$?", path);
	out = popen(cmd, "r");
	ASSERT_TRUE(out != NULL);
	while (fgets(line, sizeof(line), out)) {
		if (strncmp(line, "rc=", 3) == 0) {
			EXPECT_EQ(strcmp(line, "rc=0\n"), 0);
		} else {
			fprintf(stderr, "  dtc: %s", line);
			warned = true;
		}
	}
	pclose(out);
	unlink(path);
	EXPECT_FALSE(warned);
}
