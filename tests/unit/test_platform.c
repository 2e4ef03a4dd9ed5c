// SPDX-License-Identifier: Apache-2.0
/* platform_discover() (core/boot/platform_dt.c) on a real QEMU virt dump and on variants. */
#include <string.h>

#include "hyp/errno.h"
#include "hyp/fdt.h"
#include "hyp/platform.h"

#include "test.h"

static uint8_t dtb[16384];
static struct platform_info info;
static char err[128];

static size_t fixture_load(void)
{
	FILE *f = fopen("tests/unit/data/qemu-virt-2cpu-modules.dtb", "rb");
	size_t n;

	if (!f) {
		return 0;
	}
	n = fread(dtb, 1, sizeof(dtb), f);
	fclose(f);
	return n;
}

/*
 * The QEMU command line that produced the fixture:
 *   qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,dumpdtb=x.dtb
 *     -cpu max,pauth=off -smp 2 -m 1G
 *     -device guest-loader,addr=0x49000000,kernel=vmlinuz-6.1.0-56-arm64,
 *             bootargs="console=ttyAMA0 quiet"
 *     -device guest-loader,addr=0x4c000000,initrd=/etc/hostname
 * then `dtc -I dtb -O dtb` to drop QEMU's 1 MiB padding.
 */
TEST(platform, qemu_virt_dump)
{
	ASSERT_TRUE(fixture_load() > 0);
	ASSERT_EQ(platform_discover(dtb, &info, err, sizeof(err)), 0);
	EXPECT_EQ(err[0], '\0');
	EXPECT_EQ(info.mem_count, 1);
	EXPECT_EQ(info.mem[0].base, 0x40000000);
	EXPECT_EQ(info.mem[0].size, 0x40000000);
	EXPECT_EQ(info.cpu_count, 2);
	EXPECT_EQ(info.cpu_mpidr[0], 0);
	EXPECT_EQ(info.cpu_mpidr[1], 1);
	EXPECT_EQ(info.gicd_base, 0x8000000);
	EXPECT_EQ(info.gicd_size, 0x10000);
	EXPECT_EQ(info.gicr_base, 0x80a0000);
	EXPECT_EQ(info.gicr_size, 0xf60000);
	EXPECT_EQ(info.uart_base, 0x9000000);
	EXPECT_EQ(info.uart_size, 0x1000);
	EXPECT_EQ(info.uart_intid, 33);
	EXPECT_EQ(info.timer_intid[0], 29);
	EXPECT_EQ(info.timer_intid[1], 30);
	EXPECT_EQ(info.timer_intid[2], 27);
	EXPECT_EQ(info.timer_intid[3], 26);
	EXPECT_EQ(info.psci, PSCI_CONDUIT_SMC);
	EXPECT_EQ(info.kernel.base, 0x49000000);
	EXPECT_EQ(info.kernel.size, 0x1f6dfc0);
	EXPECT_EQ(strcmp(info.kernel.bootargs, "console=ttyAMA0 quiet"), 0);
	EXPECT_EQ(info.initrd.base, 0x4c000000);
	EXPECT_EQ(info.initrd.size, 3);
	EXPECT_EQ(info.initrd.bootargs[0], '\0');
	EXPECT_EQ(info.bootargs[0], '\0');
}

TEST(platform, rejects_bad_blob)
{
	ASSERT_TRUE(fixture_load() > 0);
	dtb[0] = 0;
	EXPECT_EQ(platform_discover(dtb, &info, err, sizeof(err)), -EINVAL);
	EXPECT_TRUE(strstr(err, "DTB") != NULL);
}

/* ---- synthetic machines: a base tree with one knob per test ---- */

struct machine {
	const char *stdout_path; /* NULL: none */
	bool no_memory, no_cpus, no_gic, no_uart, no_psci, psci_no_method, short_timer;
	bool cpus_64bit, chosen_cells, two_kernels, long_bootargs, uart0_disabled, bad_memory_reg;
	const char *psci_method;
	unsigned cpu_count;
	unsigned filler; /* virtio,mmio nodes under the root before the UARTs */
};

static const uint32_t irq_spi1[3] = {0, 1, 4}, irq_spi7[3] = {0, 7, 4};
static const uint32_t timer_irqs[12] = {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4};

static void reg2(struct fdt_writer *w, uint64_t a, uint64_t s)
{
	uint32_t c[4] = {(uint32_t)(a >> 32), (uint32_t)a, (uint32_t)(s >> 32), (uint32_t)s};

	fdt_property_cells(w, "reg", c, 4);
}

static void uart(struct fdt_writer *w, const char *name, uint64_t base, const uint32_t *irq,
		 bool disabled)
{
	fdt_begin_node(w, name);
	fdt_property_string(w, "compatible", "arm,pl011");
	if (disabled) {
		fdt_property_string(w, "status", "disabled");
	}
	reg2(w, base, 0x1000);
	fdt_property_cells(w, "interrupts", irq, 3);
	fdt_end_node(w);
}

static void memories(struct fdt_writer *w, const struct machine *m)
{
	static const uint32_t two[8] = {0, 0x40000000, 0, 0x10000000, 1, 0, 0, 0x20000000};

	fdt_begin_node(w, "memory@40000000");
	fdt_property_string(w, "device_type", "memory");
	fdt_property_cells(w, "reg", two, 8);
	fdt_end_node(w);
	fdt_begin_node(w, "memory@80000000");
	fdt_property_string(w, "device_type", "memory");
	reg2(w, 0x80000000, 0x1000);
	fdt_end_node(w);
	fdt_begin_node(w, "memory@90000000"); /* disabled: ignored */
	fdt_property_string(w, "device_type", "memory");
	fdt_property_string(w, "status", "disabled");
	reg2(w, 0x90000000, 0x1000);
	fdt_end_node(w);
	if (m->bad_memory_reg) {
		static const uint32_t three[3] = {0, 0xa0000000, 0};

		fdt_begin_node(w, "memory@a0000000"); /* not a whole (2 + 2)-cell entry */
		fdt_property_string(w, "device_type", "memory");
		fdt_property_cells(w, "reg", three, 3);
		fdt_end_node(w);
	}
}

static void cpus(struct fdt_writer *w, const struct machine *m)
{
	char name[16];

	fdt_begin_node(w, "cpus");
	fdt_property_u32(w, "#address-cells", m->cpus_64bit ? 2 : 1);
	fdt_property_u32(w, "#size-cells", 0);
	for (unsigned i = 0; i < (m->cpu_count ? m->cpu_count : 2); i++) {
		snprintf(name, sizeof(name), "cpu@%x", i);
		fdt_begin_node(w, name);
		fdt_property_string(w, "device_type", "cpu");
		if (m->cpus_64bit) {
			fdt_property_u64(w, "reg", 0x100000000ULL | (i << 8));
		} else {
			fdt_property_u32(w, "reg", i << 8);
		}
		fdt_end_node(w);
	}
	fdt_begin_node(w, "cpu-map"); /* not a cpu */
	fdt_end_node(w);
	fdt_end_node(w);
}

static void gic_timer_psci(struct fdt_writer *w, const struct machine *m)
{
	static const uint32_t gic[8] = {0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0x40000};

	if (!m->no_gic) {
		fdt_begin_node(w, "intc@8000000");
		fdt_property_string(w, "compatible", "arm,gic-v3");
		fdt_property_cells(w, "reg", gic, 8);
		fdt_end_node(w);
	}
	fdt_begin_node(w, "timer");
	fdt_property_string(w, "compatible", "arm,armv8-timer");
	fdt_property_cells(w, "interrupts", timer_irqs, m->short_timer ? 9 : 12);
	fdt_end_node(w);
	if (!m->no_psci) {
		fdt_begin_node(w, "psci");
		fdt_property_string(w, "compatible", "arm,psci-1.0");
		if (!m->psci_no_method) {
			fdt_property_string(w, "method", m->psci_method ? m->psci_method : "hvc");
		}
		fdt_end_node(w);
	}
}

static void module(struct fdt_writer *w, const char *name, const char *compat, uint64_t base,
		   uint64_t size, bool cells1)
{
	fdt_begin_node(w, name);
	fdt_property(w, "compatible", compat, strlen(compat) + 1);
	if (cells1) {
		uint32_t c[2] = {(uint32_t)base, (uint32_t)size};

		fdt_property_cells(w, "reg", c, 2);
	} else {
		reg2(w, base, size);
	}
	if (strstr(compat, "kernel")) {
		fdt_property_string(w, "bootargs", "root=/dev/vda");
	}
	fdt_end_node(w);
}

static void chosen(struct fdt_writer *w, const struct machine *m)
{
	static char long_args[600];

	memset(long_args, 'a', sizeof(long_args) - 1);
	fdt_begin_node(w, "chosen");
	fdt_property_string(w, "bootargs", m->long_bootargs ? long_args : "loglevel=8");
	if (m->stdout_path) {
		fdt_property_string(w, "stdout-path", m->stdout_path);
	}
	if (m->chosen_cells) {
		fdt_property_u32(w, "#address-cells", 1);
		fdt_property_u32(w, "#size-cells", 1);
	}
	module(w, "module@48000000", "multiboot,kernel", 0x48000000, 0x100000, m->chosen_cells);
	module(w, "module@4a000000", "multiboot,ramdisk", 0x4a000000, 0x2000, m->chosen_cells);
	if (m->two_kernels) {
		module(w, "module@4b000000", "multiboot,kernel", 0x4b000000, 0x10, false);
	}
	fdt_end_node(w);
}

/* The machine's DTB in dtb: its size, or -1000 if it does not fit. */
static int machine_build(const struct machine *m)
{
	struct fdt_writer w;
	int n;

	fdt_writer_init(&w, dtb, sizeof(dtb));
	fdt_begin_node(&w, "");
	fdt_property_u32(&w, "#address-cells", 2);
	fdt_property_u32(&w, "#size-cells", 2);
	if (!m->no_memory) {
		memories(&w, m);
	}
	if (!m->no_cpus) {
		cpus(&w, m);
	}
	gic_timer_psci(&w, m);
	for (unsigned i = 0; i < m->filler; i++) {
		char name[32];

		snprintf(name, sizeof(name), "virtio_mmio@%x", 0xa000000 + i * 0x200);
		fdt_begin_node(&w, name);
		fdt_property_string(&w, "compatible", "virtio,mmio");
		fdt_end_node(&w);
	}
	if (!m->no_uart) {
		uart(&w, "pl011@9000000", 0x9000000, irq_spi1, m->uart0_disabled);
		uart(&w, "pl011@9040000", 0x9040000, irq_spi7, false);
	}
	fdt_begin_node(&w, "aliases");
	fdt_property_string(&w, "serial1", "/pl011@9040000");
	fdt_end_node(&w);
	chosen(&w, m);
	fdt_end_node(&w);
	n = fdt_finish(&w);
	return n < 0 ? -1000 : n;
}

static int machine_discover(const struct machine *m)
{
	int n = machine_build(m);

	if (n < 0) {
		return n;
	}
	memset(err, 0, sizeof(err));
	return platform_discover(dtb, &info, err, sizeof(err));
}

TEST(platform, synthetic_machine)
{
	struct machine m = {0};

	ASSERT_EQ(machine_discover(&m), 0);
	EXPECT_EQ(info.mem_count, 3);
	EXPECT_EQ(info.mem[0].base, 0x40000000);
	EXPECT_EQ(info.mem[0].size, 0x10000000);
	EXPECT_EQ(info.mem[1].base, 0x100000000ULL);
	EXPECT_EQ(info.mem[1].size, 0x20000000);
	EXPECT_EQ(info.mem[2].base, 0x80000000);
	EXPECT_EQ(info.cpu_count, 2);
	EXPECT_EQ(info.cpu_mpidr[1], 0x100);
	EXPECT_EQ(info.gicr_size, 0x40000);
	EXPECT_EQ(info.uart_base, 0x9000000); /* no stdout-path: the first */
	EXPECT_EQ(info.uart_intid, 33);
	EXPECT_EQ(info.psci, PSCI_CONDUIT_HVC);
	EXPECT_EQ(strcmp(info.bootargs, "loglevel=8"), 0);
	EXPECT_EQ(info.kernel.base, 0x48000000);
	EXPECT_EQ(info.kernel.size, 0x100000);
	EXPECT_EQ(strcmp(info.kernel.bootargs, "root=/dev/vda"), 0);
	EXPECT_EQ(info.initrd.base, 0x4a000000);
	EXPECT_EQ(info.initrd.size, 0x2000);
}

TEST(platform, uart_selection)
{
	struct machine m = {.stdout_path = "/pl011@9040000:115200n8"};

	ASSERT_EQ(machine_discover(&m), 0);
	EXPECT_EQ(info.uart_base, 0x9040000);
	EXPECT_EQ(info.uart_intid, 39);
	m.stdout_path = "serial1"; /* an alias */
	ASSERT_EQ(machine_discover(&m), 0);
	EXPECT_EQ(info.uart_base, 0x9040000);
	m.stdout_path = "/psci"; /* not a PL011: fall back to the first */
	ASSERT_EQ(machine_discover(&m), 0);
	EXPECT_EQ(info.uart_base, 0x9000000);
	m.stdout_path = NULL;
	m.uart0_disabled = true;
	ASSERT_EQ(machine_discover(&m), 0);
	EXPECT_EQ(info.uart_base, 0x9040000);
}

/* stdout-path is resolved through the root's children that the scan recorded, or past 64 of
 * them, by a walk from the root: both the way fdt_path_offset() resolves it. */
TEST(platform, stdout_path_forms)
{
	static const char *const paths[] = {"/pl011@9040000", "//pl011@9040000/", "serial1"};
	struct machine m = {0};

	for (unsigned filler = 0; filler <= 70; filler += 70) {
		m.filler = filler;
		for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			m.stdout_path = paths[i];
			ASSERT_EQ(machine_discover(&m), 0);
			EXPECT_EQ(info.uart_base, 0x9040000);
		}
		/* Without unit address: the first that matches, even disabled (else the first
		 * enabled one, 0x9040000, would be taken). */
		m.stdout_path = "/pl011";
		m.uart0_disabled = true;
		ASSERT_EQ(machine_discover(&m), 0);
		EXPECT_EQ(info.uart_base, 0x9000000);
		m.uart0_disabled = false;
		m.stdout_path = "/pl011@9040000/nothing";
		ASSERT_EQ(machine_discover(&m), 0);
		EXPECT_EQ(info.uart_base, 0x9000000);
	}
}

TEST(platform, cpus_with_two_address_cells)
{
	struct machine m = {.cpus_64bit = true, .cpu_count = 8};

	ASSERT_EQ(machine_discover(&m), 0);
	EXPECT_EQ(info.cpu_count, 8);
	EXPECT_EQ(info.cpu_mpidr[7], 0x100000700ULL);
	m.cpu_count = 9;
	EXPECT_EQ(machine_discover(&m), -EINVAL);
	EXPECT_TRUE(strstr(err, "/cpus") != NULL);
}

TEST(platform, modules_with_chosen_cells)
{
	struct machine m = {.chosen_cells = true};

	ASSERT_EQ(machine_discover(&m), 0);
	EXPECT_EQ(info.kernel.base, 0x48000000);
	EXPECT_EQ(info.kernel.size, 0x100000);
	EXPECT_EQ(info.initrd.size, 0x2000);
}

/* Each broken machine fails with the node or property named in err. */
static void expect_error(const struct machine *m, int rc, const char *needle)
{
	int got = machine_discover(m);

	if (got != rc || !strstr(err, needle)) {
		test_fail(__FILE__, __LINE__, "want %d \"%s\", got %d \"%s\"", rc, needle, got,
			  err);
	}
}

TEST(platform, errors_name_the_node)
{
	expect_error(&(struct machine){.no_memory = true}, -ENOENT, "no /memory node");
	expect_error(&(struct machine){.no_cpus = true}, -ENOENT, "/cpus");
	expect_error(&(struct machine){.no_gic = true}, -ENOENT, "arm,gic-v3");
	expect_error(&(struct machine){.no_uart = true}, -ENOENT, "arm,pl011");
	expect_error(&(struct machine){.short_timer = true}, -EINVAL, "/timer");
	expect_error(&(struct machine){.psci_no_method = true}, -EINVAL, "/psci: missing method");
	expect_error(&(struct machine){.psci_method = "svc"}, -EINVAL, "/psci: unknown method");
	expect_error(&(struct machine){.two_kernels = true}, -EINVAL,
		     "/chosen/module@4b000000: second multiboot,kernel");
	expect_error(&(struct machine){.long_bootargs = true}, -EINVAL, "/chosen: bootargs");
}

TEST(platform, psci_is_optional)
{
	struct machine m = {.no_psci = true};

	ASSERT_EQ(machine_discover(&m), 0);
	EXPECT_EQ(info.psci, PSCI_CONDUIT_NONE);
}

TEST(platform, small_error_buffer)
{
	char tiny[8];
	struct machine m = {.no_memory = true};

	ASSERT_EQ(machine_discover(&m), -ENOENT);
	EXPECT_EQ(platform_discover(dtb, &info, tiny, sizeof(tiny)), -ENOENT);
	EXPECT_EQ(strcmp(tiny, "no /mem"), 0);
	EXPECT_EQ(platform_discover(dtb, &info, NULL, 0), -ENOENT);
}

/*
 * The walk that finds the memory ranges is also the only check of the blob: a structural defect
 * found after a bad memory node must still fail as a DTB error, with nothing of the nodes before
 * it left in info (the memory ranges were taken during the walk).
 */
TEST(platform, bad_structure_wins_over_earlier_errors)
{
	static const struct platform_info zero;
	struct machine m = {.bad_memory_reg = true};
	uint32_t st, st_size;
	int n;

	EXPECT_EQ(machine_discover(&m), -EINVAL);
	EXPECT_TRUE(strstr(err, "/memory@a0000000: missing or malformed reg") != NULL);
	n = machine_build(&m);
	ASSERT_TRUE(n > 0);
	/* The root's FDT_END_NODE, the last token before FDT_END, becomes FDT_END. The header
	 * gives the structure block's offset at byte 8, its size at 36 (Devicetree v0.4 §5.2). */
	st = fdt32_ld(dtb + 8);
	st_size = fdt32_ld(dtb + 36);
	ASSERT_EQ(fdt32_ld(dtb + st + st_size - 8), FDT_END_NODE);
	dtb[st + st_size - 5] = (uint8_t)FDT_END;
	ASSERT_EQ(fdt_check(dtb, (size_t)n), -EINVAL);
	memset(err, 0, sizeof(err));
	EXPECT_EQ(platform_discover(dtb, &info, err, sizeof(err)), -EINVAL);
	EXPECT_TRUE(strstr(err, "DTB") != NULL);
	EXPECT_EQ(memcmp(&info, &zero, sizeof(info)), 0);
}
