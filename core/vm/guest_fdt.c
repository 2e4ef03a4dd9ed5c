// SPDX-License-Identifier: Apache-2.0
/*
 * The device tree a guest boots with: exactly the machine Tessera emulates (vCPUs with PSCI,
 * one RAM range, GICv3, arch timer, PL011). Node names and properties follow QEMU's virt board
 * so that a stock arm64 Linux (6.1, arch/arm64 defconfig) finds every device.
 */
#include "hyp/guest_fdt.h"

#include "hyp/errno.h"
#include "hyp/fdt.h"
#include "hyp/log.h"
#include "hyp/string.h"

#define GIC_PHANDLE 1U
#define CLK_PHANDLE 2U
#define GICD_SIZE SZ_64K
/* GICv3 IHI0069 §9.1: each redistributor is an RD_base and an SGI_base 64 KiB frame. */
#define GICR_STRIDE 0x20000ULL
#define UART_SIZE SZ_4K
/* QEMU virt's apb-pclk; the PL011 driver only needs a rate for the baud divisors. */
#define APB_PCLK_HZ 24000000U
/* GIC interrupt specifier cells (bindings/interrupt-controller/arm,gic-v3.yaml). */
#define GIC_SPI 0U
#define GIC_PPI 1U
#define IRQ_LEVEL_HIGH 4U
#define GIC_SPI_MAX 987U
/* cpu@i has reg = i, the MPIDR_EL1.Aff0 field (ARM DDI0487 D19.2). */
#define GUEST_VCPUS_MAX 256U
#define NODE_NAME_MAX 32

/* <base size> with #address-cells = #size-cells = 2, as the root declares. */
static void property_reg(struct fdt_writer *w, uint64_t base, uint64_t size)
{
	uint32_t cells[4] = {(uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32),
			     (uint32_t)size};

	fdt_property_cells(w, "reg", cells, 4);
}

/* Stringlists ("a\0b") as C literals: sizeof keeps the final NUL (Devicetree v0.4 §2.2.4.1). */
#define PROPERTY_STRINGS(w, name, lit) fdt_property((w), (name), (lit), sizeof(lit))

static void root_begin(struct fdt_writer *w)
{
	fdt_begin_node(w, "");
	fdt_property_u32(w, "#address-cells", 2);
	fdt_property_u32(w, "#size-cells", 2);
	fdt_property_string(w, "compatible", "linux,dummy-virt");
	fdt_property_string(w, "model", "Tessera VM");
	fdt_property_u32(w, "interrupt-parent", GIC_PHANDLE);
}

/* Devicetree v0.4 §3.7-3.8; enable-method "psci": secondaries start through PSCI CPU_ON. */
static void cpus_add(struct fdt_writer *w, const struct guest_fdt_params *p)
{
	char name[NODE_NAME_MAX];

	fdt_begin_node(w, "cpus");
	fdt_property_u32(w, "#address-cells", 1);
	fdt_property_u32(w, "#size-cells", 0);
	for (unsigned i = 0; i < p->nr_vcpus; i++) {
		fmt_snprintf(name, sizeof(name), "cpu@%x", i);
		fdt_begin_node(w, name);
		fdt_property_string(w, "device_type", "cpu");
		fdt_property_string(w, "compatible", "arm,armv8");
		fdt_property_u32(w, "reg", i);
		fdt_property_string(w, "enable-method", "psci");
		fdt_end_node(w);
	}
	fdt_end_node(w);
}

/* Devicetree v0.4 §3.4. */
static void memory_add(struct fdt_writer *w, const struct guest_fdt_params *p)
{
	char name[NODE_NAME_MAX];

	fmt_snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)p->ram_base);
	fdt_begin_node(w, name);
	fdt_property_string(w, "device_type", "memory");
	property_reg(w, p->ram_base, p->ram_size);
	fdt_end_node(w);
}

/* PSCI DEN0022 1.1 via HVC: Tessera's vPSCI answers at EL2 (bindings/arm/psci.yaml). */
static void psci_add(struct fdt_writer *w)
{
	fdt_begin_node(w, "psci");
	PROPERTY_STRINGS(w, "compatible", "arm,psci-1.0\0arm,psci-0.2");
	fdt_property_string(w, "method", "hvc");
	fdt_end_node(w);
}

/* One distributor and one redistributor region with a frame pair per vCPU (GICv3 IHI0069). */
static void gic_add(struct fdt_writer *w, const struct guest_fdt_params *p)
{
	char name[NODE_NAME_MAX];
	uint64_t gicr_size = p->nr_vcpus * GICR_STRIDE;
	uint32_t reg[8] = {
	    (uint32_t)(p->gicd_base >> 32),
	    (uint32_t)p->gicd_base,
	    0,
	    (uint32_t)GICD_SIZE,
	    (uint32_t)(p->gicr_base >> 32),
	    (uint32_t)p->gicr_base,
	    (uint32_t)(gicr_size >> 32),
	    (uint32_t)gicr_size,
	};

	fmt_snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)p->gicd_base);
	fdt_begin_node(w, name);
	fdt_property_string(w, "compatible", "arm,gic-v3");
	fdt_property_u32(w, "#interrupt-cells", 3);
	fdt_property(w, "interrupt-controller", NULL, 0);
	/* No children (no ITS); dtc wants #address-cells on every interrupt provider. */
	fdt_property_u32(w, "#address-cells", 0);
	fdt_property_u32(w, "#redistributor-regions", 1);
	fdt_property_cells(w, "reg", reg, ARRAY_SIZE(reg));
	fdt_property_u32(w, "phandle", GIC_PHANDLE);
	fdt_end_node(w);
}

/* arm,armv8-timer: secure phys 13, non-secure phys 14, virtual 11, hyp phys 10 (PPIs). */
static void timer_add(struct fdt_writer *w)
{
	static const uint32_t irqs[12] = {
	    GIC_PPI, 13, IRQ_LEVEL_HIGH, GIC_PPI, 14, IRQ_LEVEL_HIGH,
	    GIC_PPI, 11, IRQ_LEVEL_HIGH, GIC_PPI, 10, IRQ_LEVEL_HIGH,
	};

	fdt_begin_node(w, "timer");
	fdt_property_string(w, "compatible", "arm,armv8-timer");
	fdt_property_cells(w, "interrupts", irqs, ARRAY_SIZE(irqs));
	fdt_property(w, "always-on", NULL, 0);
	fdt_end_node(w);
}

/* The AMBA bus clock the PL011 binding requires (bindings/clock/fixed-clock.yaml). */
static void clock_add(struct fdt_writer *w)
{
	fdt_begin_node(w, "apb-pclk");
	fdt_property_string(w, "compatible", "fixed-clock");
	fdt_property_u32(w, "#clock-cells", 0);
	fdt_property_u32(w, "clock-frequency", APB_PCLK_HZ);
	fdt_property_string(w, "clock-output-names", "clk24mhz");
	fdt_property_u32(w, "phandle", CLK_PHANDLE);
	fdt_end_node(w);
}

/* bindings/serial/pl011.yaml: both clocks are apb-pclk, as on QEMU virt. */
static void uart_add(struct fdt_writer *w, const struct guest_fdt_params *p, const char *path)
{
	const uint32_t irq[3] = {GIC_SPI, p->uart_spi, IRQ_LEVEL_HIGH};
	const uint32_t clocks[2] = {CLK_PHANDLE, CLK_PHANDLE};

	fdt_begin_node(w, path + 1);
	PROPERTY_STRINGS(w, "compatible", "arm,pl011\0arm,primecell");
	property_reg(w, p->uart_base, UART_SIZE);
	fdt_property_cells(w, "interrupts", irq, ARRAY_SIZE(irq));
	fdt_property_cells(w, "clocks", clocks, ARRAY_SIZE(clocks));
	PROPERTY_STRINGS(w, "clock-names", "uartclk\0apb_pclk");
	fdt_end_node(w);
}

/* Devicetree v0.4 §3.6; linux,initrd-* from Linux Documentation/devicetree/bindings/chosen. */
static void chosen_add(struct fdt_writer *w, const struct guest_fdt_params *p, const char *path)
{
	fdt_begin_node(w, "chosen");
	fdt_property_string(w, "bootargs", p->bootargs ? p->bootargs : "");
	fdt_property_string(w, "stdout-path", path);
	if (p->initrd_size != 0) {
		fdt_property_u64(w, "linux,initrd-start", p->initrd_start);
		fdt_property_u64(w, "linux,initrd-end", p->initrd_start + p->initrd_size);
	}
	fdt_end_node(w);
}

/* Devicetree v0.4 §3.3: serial0 makes the PL011 ttyAMA0 whatever the probe order. */
static void aliases_add(struct fdt_writer *w, const char *path)
{
	fdt_begin_node(w, "aliases");
	fdt_property_string(w, "serial0", path);
	fdt_end_node(w);
}

static bool params_are_valid(const struct guest_fdt_params *p)
{
	return p->nr_vcpus != 0 && p->nr_vcpus <= GUEST_VCPUS_MAX && p->ram_size != 0 &&
	       p->uart_spi <= GIC_SPI_MAX && p->initrd_start + p->initrd_size >= p->initrd_start;
}

/**
 * Write the guest DTB into buf: /cpus with PSCI enable-method, /memory, /psci (HVC conduit,
 * "arm,psci-1.0"), the GICv3, the arch timer (PPIs 13, 14, 11, 10), the PL011 with its clock,
 * and /chosen (bootargs, stdout-path, linux,initrd-start/end). Returns the size or -errno.
 */
int guest_fdt_build(void *buf, size_t size, const struct guest_fdt_params *p)
{
	struct fdt_writer w;
	char uart_path[NODE_NAME_MAX];

	if (!params_are_valid(p)) {
		return -EINVAL;
	}
	fmt_snprintf(uart_path, sizeof(uart_path), "/pl011@%llx", (unsigned long long)p->uart_base);
	fdt_writer_init(&w, buf, size);
	root_begin(&w);
	psci_add(&w);
	memory_add(&w, p);
	cpus_add(&w, p);
	timer_add(&w);
	gic_add(&w, p);
	clock_add(&w);
	uart_add(&w, p, uart_path);
	chosen_add(&w, p, uart_path);
	aliases_add(&w, uart_path);
	fdt_end_node(&w);
	return fdt_finish(&w);
}
