// SPDX-License-Identifier: Apache-2.0
/*
 * Machine discovery from the host DTB that QEMU (or firmware) hands to the hypervisor: one
 * step per device class, each filling its part of struct platform_info or naming, in err, the
 * node or property that is missing or malformed.
 */
#include <stdarg.h>

#include "hyp/errno.h"
#include "hyp/fdt.h"
#include "hyp/log.h"
#include "hyp/platform.h"
#include "hyp/string.h"

/* Linux arm64 booting.rst: "The device tree blob (dtb) must ... not exceed 2 megabytes". */
#define DTB_MAX_SIZE SZ_2M
/* Longest node path put into an error message, and deepest path it walks. */
#define PATH_MAX_DEPTH 8
#define STDOUT_PATH_MAX 128
/* GIC interrupt specifier <type number flags> (bindings/interrupt-controller/arm,gic-v3.yaml). */
#define GIC_IRQ_CELLS 3U
#define GIC_TYPE_SPI 0U
#define GIC_TYPE_PPI 1U
#define GIC_SPI_BASE 32U
#define GIC_SPI_MAX 987U
#define GIC_PPI_BASE 16U
#define GIC_PPI_MAX 15U

struct discover {
	const void *fdt;
	struct platform_info *info;
	char *err;
	size_t err_size;
};

static int __attribute__((format(printf, 3, 4)))
fail(struct discover *d, int rc, const char *fmt, ...)
{
	va_list ap;

	if (d->err && d->err_size) {
		va_start(ap, fmt);
		fmt_vsnprintf(d->err, d->err_size, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* The absolute path of node ("/chosen/module@0x49000000") for error messages. */
static const char *node_path(const void *fdt, int node, char *buf, size_t size)
{
	int chain[PATH_MAX_DEPTH];
	int depth = 0;
	size_t pos = 0;

	for (; node >= 0 && depth < PATH_MAX_DEPTH; node = fdt_parent(fdt, node)) {
		chain[depth++] = node;
	}
	buf[0] = '\0';
	/* chain[depth - 1] is the root, whose name is "". */
	for (int i = depth - 2; i >= 0 && pos < size; i--) {
		pos += (size_t)fmt_snprintf(buf + pos, size - pos, "/%s",
					    fdt_node_name(fdt, chain[i]));
	}
	return buf[0] ? buf : "/";
}

/* A scratch buffer per use: the path lives until the end of the enclosing block. */
#define NODE_PATH(d, node) node_path((d)->fdt, (node), (char[96]){0}, 96)

/* A string property that is NUL-terminated inside its length, or NULL. */
static const char *prop_string(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_prop(fdt, node, name, &len);

	return s && len > 0 && s[len - 1] == '\0' ? s : NULL;
}

/* Devicetree v0.4 §2.3.4: "okay" (or the legacy "ok"), or no status at all, means enabled. */
static bool node_is_enabled(const void *fdt, int node)
{
	const char *status = prop_string(fdt, node, "status");

	return !status || strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0;
}

static int copy_string(struct discover *d, int node, const char *name, char *dst, size_t size)
{
	const char *s = prop_string(d->fdt, node, name);

	if (!s) {
		return 0; /* absent: dst stays "" */
	}
	if (strlen(s) >= size) {
		return fail(d, -EINVAL, "%s: %s longer than %zu bytes", NODE_PATH(d, node), name,
			    size - 1);
	}
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

/* GIC interrupt specifier idx of node -> INTID: SPI n is 32+n, PPI n is 16+n (GICv3 IHI0069
 * §2.2). Assumes the GIC's #interrupt-cells = 3, the only value arm,gic-v3 allows. */
static int irq_decode(const void *fdt, int node, unsigned idx, unsigned *intid)
{
	int len;
	const uint8_t *v = fdt_prop(fdt, node, "interrupts", &len);
	uint32_t type, nr;

	if (!v || (uint32_t)len < (idx + 1U) * GIC_IRQ_CELLS * 4U) {
		return -ENOENT;
	}
	v += (size_t)idx * GIC_IRQ_CELLS * 4U;
	type = fdt32_ld(v);
	nr = fdt32_ld(v + 4);
	if (type == GIC_TYPE_SPI && nr <= GIC_SPI_MAX) {
		*intid = GIC_SPI_BASE + nr;
	} else if (type == GIC_TYPE_PPI && nr <= GIC_PPI_MAX) {
		*intid = GIC_PPI_BASE + nr;
	} else {
		return -EINVAL;
	}
	return 0;
}

/* Every non-empty range of one memory node's reg (Devicetree v0.4 §3.4). */
static int memory_node_add(struct discover *d, int node)
{
	struct platform_info *info = d->info;
	uint64_t base, size;
	unsigned idx;
	int rc;

	for (idx = 0; (rc = fdt_reg(d->fdt, node, idx, &base, &size)) == 0; idx++) {
		if (size == 0) {
			continue;
		}
		if (info->mem_count == PLAT_MAX_MEM) {
			return fail(d, -EINVAL, "%s: more than %d memory ranges",
				    NODE_PATH(d, node), PLAT_MAX_MEM);
		}
		info->mem[info->mem_count++] = (struct mem_range){base, size};
	}
	if (rc != -ENOENT || idx == 0) {
		return fail(d, -EINVAL, "%s: missing or malformed reg", NODE_PATH(d, node));
	}
	return 0;
}

/* Memory nodes are children of the root with device_type "memory" (Devicetree v0.4 §3.4). */
static int memory_discover(struct discover *d)
{
	int root = fdt_path_offset(d->fdt, "/");
	int node, rc;

	for (node = fdt_first_child(d->fdt, root); node >= 0;
	     node = fdt_next_sibling(d->fdt, node)) {
		if (!fdt_prop_has_string(d->fdt, node, "device_type", "memory") ||
		    !node_is_enabled(d->fdt, node)) {
			continue;
		}
		rc = memory_node_add(d, node);
		if (rc != 0) {
			return rc;
		}
	}
	return d->info->mem_count ? 0 : fail(d, -ENOENT, "no /memory node");
}

/* /cpus/cpu@N: reg is the MPIDR affinity, 1 or 2 cells, no size (Devicetree v0.4 §3.7, §3.8).
 * Other children (QEMU's cpu-map) have no device_type "cpu". */
static int cpus_discover(struct discover *d)
{
	struct platform_info *info = d->info;
	int cpus = fdt_path_offset(d->fdt, "/cpus");
	uint64_t mpidr, size;
	uint32_t ac;
	int node;

	if (cpus < 0) {
		return fail(d, -ENOENT, "no /cpus node");
	}
	ac = fdt_prop_u32(d->fdt, cpus, "#address-cells", 0);
	if ((ac != 1 && ac != 2) || fdt_prop_u32(d->fdt, cpus, "#size-cells", 0) != 0) {
		return fail(d, -EINVAL, "/cpus: #address-cells must be 1 or 2, #size-cells 0");
	}
	for (node = fdt_first_child(d->fdt, cpus); node >= 0;
	     node = fdt_next_sibling(d->fdt, node)) {
		if (!fdt_prop_has_string(d->fdt, node, "device_type", "cpu") ||
		    !node_is_enabled(d->fdt, node)) {
			continue;
		}
		if (info->cpu_count == PLAT_MAX_CPUS) {
			return fail(d, -EINVAL, "/cpus: more than %d cpus", PLAT_MAX_CPUS);
		}
		if (fdt_reg_cells(d->fdt, node, 0, ac, 0, &mpidr, &size) != 0) {
			return fail(d, -EINVAL, "%s: missing or malformed reg", NODE_PATH(d, node));
		}
		info->cpu_mpidr[info->cpu_count++] = mpidr;
	}
	return info->cpu_count ? 0 : fail(d, -ENOENT, "/cpus: no cpu node");
}

/* arm,gic-v3 binding: reg[0] is GICD, reg[1] the first (here: only) redistributor region. */
static int gic_discover(struct discover *d)
{
	struct platform_info *info = d->info;
	int node = fdt_node_by_compatible(d->fdt, -1, "arm,gic-v3");

	if (node < 0) {
		return fail(d, -ENOENT, "no arm,gic-v3 interrupt controller");
	}
	if (fdt_reg(d->fdt, node, 0, &info->gicd_base, &info->gicd_size) != 0 ||
	    fdt_reg(d->fdt, node, 1, &info->gicr_base, &info->gicr_size) != 0) {
		return fail(d, -EINVAL, "%s: reg needs distributor and redistributor ranges",
			    NODE_PATH(d, node));
	}
	return 0;
}

/* The node /chosen/stdout-path names: a path or an alias, optionally followed by ":options"
 * (Devicetree v0.4 §3.6). */
static int stdout_node(const void *fdt)
{
	const char *s = prop_string(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path");
	char path[STDOUT_PATH_MAX];
	size_t len = 0;

	if (!s) {
		return -ENOENT;
	}
	while (s[len] && s[len] != ':' && len < sizeof(path) - 1) {
		len++;
	}
	memcpy(path, s, len);
	path[len] = '\0';
	if (path[0] != '/') {
		s = prop_string(fdt, fdt_path_offset(fdt, "/aliases"), path);
		return s ? fdt_path_offset(fdt, s) : -ENOENT;
	}
	return fdt_path_offset(fdt, path);
}

/* The console PL011: the one stdout-path names, else the first enabled one. */
static int uart_node(const void *fdt)
{
	int node = stdout_node(fdt);

	if (node >= 0 && fdt_prop_has_string(fdt, node, "compatible", "arm,pl011")) {
		return node;
	}
	for (node = fdt_node_by_compatible(fdt, -1, "arm,pl011"); node >= 0;
	     node = fdt_node_by_compatible(fdt, node, "arm,pl011")) {
		if (node_is_enabled(fdt, node)) {
			break;
		}
	}
	return node;
}

static int uart_discover(struct discover *d)
{
	struct platform_info *info = d->info;
	int node = uart_node(d->fdt);

	if (node < 0) {
		return fail(d, -ENOENT, "no arm,pl011 UART");
	}
	if (fdt_reg(d->fdt, node, 0, &info->uart_base, &info->uart_size) != 0) {
		return fail(d, -EINVAL, "%s: missing or malformed reg", NODE_PATH(d, node));
	}
	if (irq_decode(d->fdt, node, 0, &info->uart_intid) != 0 ||
	    info->uart_intid < GIC_SPI_BASE) {
		return fail(d, -EINVAL, "%s: interrupts must be one SPI", NODE_PATH(d, node));
	}
	return 0;
}

/* arm,armv8-timer binding: four PPIs, secure phys, non-secure phys, virtual, hyp phys. */
static int timer_discover(struct discover *d)
{
	int node = fdt_node_by_compatible(d->fdt, -1, "arm,armv8-timer");
	unsigned *intid = d->info->timer_intid;

	if (node < 0) {
		return fail(d, -ENOENT, "no arm,armv8-timer node");
	}
	for (unsigned i = 0; i < ARRAY_SIZE(d->info->timer_intid); i++) {
		if (irq_decode(d->fdt, node, i, &intid[i]) != 0 || intid[i] >= GIC_SPI_BASE) {
			return fail(d, -EINVAL, "%s: interrupts must be 4 PPIs",
				    NODE_PATH(d, node));
		}
	}
	return 0;
}

/* PSCI binding (bindings/arm/psci.yaml): "method" is the conduit. No node: no PSCI, and the
 * caller decides whether it can run without. */
static int psci_discover(struct discover *d)
{
	int node = fdt_path_offset(d->fdt, "/psci");
	const char *method;

	if (node < 0) {
		node = fdt_node_by_compatible(d->fdt, -1, "arm,psci-0.2");
	}
	if (node < 0) {
		return 0;
	}
	method = prop_string(d->fdt, node, "method");
	if (!method) {
		return fail(d, -EINVAL, "%s: missing method", NODE_PATH(d, node));
	}
	if (strcmp(method, "smc") == 0) {
		d->info->psci = PSCI_CONDUIT_SMC;
	} else if (strcmp(method, "hvc") == 0) {
		d->info->psci = PSCI_CONDUIT_HVC;
	} else {
		return fail(d, -EINVAL, "%s: unknown method \"%s\"", NODE_PATH(d, node), method);
	}
	return 0;
}

/* One multiboot module (Xen docs/misc/arm/device-tree/booting.txt, QEMU guest-loader). */
static int module_read(struct discover *d, int node, const uint32_t cells[2],
		       struct boot_module *mod, const char *kind)
{
	if (mod->size != 0) {
		return fail(d, -EINVAL, "%s: second %s module", NODE_PATH(d, node), kind);
	}
	if (fdt_reg_cells(d->fdt, node, 0, cells[0], cells[1], &mod->base, &mod->size) != 0 ||
	    mod->size == 0) {
		return fail(d, -EINVAL, "%s: missing or malformed reg", NODE_PATH(d, node));
	}
	return copy_string(d, node, "bootargs", mod->bootargs, sizeof(mod->bootargs));
}

/*
 * Module reg cells: /chosen's own #address-cells/#size-cells, else the root's. QEMU's
 * guest-loader writes module reg with the root's cells without adding them to /chosen, and Xen
 * reads it the same way; the Devicetree v0.4 §2.3.5 defaults (2, 1) would misparse it.
 */
static void module_cells(const void *fdt, int chosen, uint32_t cells[2])
{
	int root = fdt_path_offset(fdt, "/");

	cells[0] = fdt_prop_u32(fdt, chosen, "#address-cells",
				fdt_prop_u32(fdt, root, "#address-cells", 2));
	cells[1] =
	    fdt_prop_u32(fdt, chosen, "#size-cells", fdt_prop_u32(fdt, root, "#size-cells", 1));
}

static int modules_discover(struct discover *d, int chosen)
{
	uint32_t cells[2];
	int node, rc = 0;

	module_cells(d->fdt, chosen, cells);
	for (node = fdt_first_child(d->fdt, chosen); node >= 0 && rc == 0;
	     node = fdt_next_sibling(d->fdt, node)) {
		if (fdt_prop_has_string(d->fdt, node, "compatible", "multiboot,kernel")) {
			rc = module_read(d, node, cells, &d->info->kernel, "multiboot,kernel");
		} else if (fdt_prop_has_string(d->fdt, node, "compatible", "multiboot,ramdisk")) {
			rc = module_read(d, node, cells, &d->info->initrd, "multiboot,ramdisk");
		}
	}
	return rc;
}

/* /chosen (Devicetree v0.4 §3.6): Tessera's bootargs and the guest modules. Optional. */
static int chosen_discover(struct discover *d)
{
	int chosen = fdt_path_offset(d->fdt, "/chosen");
	int rc;

	if (chosen < 0) {
		return 0;
	}
	rc = copy_string(d, chosen, "bootargs", d->info->bootargs, sizeof(d->info->bootargs));
	return rc ? rc : modules_discover(d, chosen);
}

/**
 * Fill info from the DTB. Returns 0, or -EINVAL / -ENOENT with a message naming the missing or
 * malformed node in err (at most err_size bytes) so the caller can report it before any VM runs.
 */
int platform_discover(const void *fdt, struct platform_info *info, char *err, size_t err_size)
{
	static int (*const steps[])(struct discover *) = {
	    memory_discover, cpus_discover, gic_discover,    uart_discover,
	    timer_discover,  psci_discover, chosen_discover,
	};
	struct discover d = {fdt, info, err, err_size};
	int rc = 0;

	memset(info, 0, sizeof(*info));
	if (err && err_size) {
		err[0] = '\0';
	}
	if (fdt_check(fdt, DTB_MAX_SIZE) != 0) {
		return fail(&d, -EINVAL, "DTB: bad header or structure");
	}
	for (size_t i = 0; i < ARRAY_SIZE(steps) && rc == 0; i++) {
		rc = steps[i](&d);
	}
	return rc;
}
