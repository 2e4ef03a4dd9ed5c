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

/* A node the scan found, and its parent (whose #address-cells/#size-cells decode its reg). */
struct found {
	int node; /**< -ENOENT: none */
	int parent;
};

/* The multiboot module kinds (Xen docs/misc/arm/device-tree/booting.txt), by compatible. */
enum module_kind { MOD_KERNEL, MOD_RAMDISK, MOD_KINDS };
static const char *const module_compat[MOD_KINDS] = {
    [MOD_KERNEL] = "multiboot,kernel",
    [MOD_RAMDISK] = "multiboot,ramdisk",
};
/* Two of each kind are recorded: the second one only to be reported as an error. */
#define MODULE_KIND_MAX 2U
#define MODULES_MAX (MOD_KINDS * MODULE_KIND_MAX)
/* Children of the root kept for path lookups (QEMU's virt machine has about 50). */
#define ROOT_CHILDREN_MAX 64

struct discover {
	const void *fdt;
	struct platform_info *info;
	char *err;
	size_t err_size;
	/* What scan() recorded in its one walk over the tree. */
	int root;
	struct found cpus, chosen, aliases, psci, psci_compat, gic, uart, timer;
	int cpu[PLAT_MAX_CPUS + 1]; /**< enabled cpu nodes; one more than fits is an error */
	unsigned cpu_found;
	struct {
		int node;
		enum module_kind kind;
	} module[MODULES_MAX]; /**< multiboot children of /chosen, in document order */
	unsigned module_found, kind_found[MOD_KINDS];
	struct {
		int node;
		const char *name;
	} root_child[ROOT_CHILDREN_MAX]; /**< in document order, for path_offset() */
	unsigned root_children;		 /**< all of them, even past ROOT_CHILDREN_MAX */
	int mem_rc; /**< the first error in a memory node, reported by memory_discover() */
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

/* A string value that is NUL-terminated inside its length, or NULL. */
static const char *string_value(const void *v, int len)
{
	const char *s = v;

	return s && len > 0 && s[len - 1] == '\0' ? s : NULL;
}

static const char *prop_string(const void *fdt, int node, const char *name)
{
	int len = 0;
	const void *v = fdt_prop(fdt, node, name, &len);

	return string_value(v, len);
}

/* Devicetree v0.4 §2.3.4: "okay" (or the legacy "ok"), or no status at all, means enabled. */
static bool status_enabled(const char *status)
{
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
static int memory_node_add(struct discover *d, struct found mem)
{
	struct platform_info *info = d->info;
	uint64_t base, size;
	unsigned idx;
	int rc;

	for (idx = 0; (rc = fdt_reg_parent(d->fdt, mem.node, mem.parent, idx, &base, &size)) == 0;
	     idx++) {
		if (size == 0) {
			continue;
		}
		if (info->mem_count == PLAT_MAX_MEM) {
			return fail(d, -EINVAL, "%s: more than %d memory ranges",
				    NODE_PATH(d, mem.node), PLAT_MAX_MEM);
		}
		info->mem[info->mem_count++] = (struct mem_range){base, size};
	}
	if (rc != -ENOENT || idx == 0) {
		return fail(d, -EINVAL, "%s: missing or malformed reg", NODE_PATH(d, mem.node));
	}
	return 0;
}

/* Keep the first node found of a kind. */
static void found_first(struct found *f, int node, int parent)
{
	if (f->node < 0) {
		*f = (struct found){node, parent};
	}
}

/*
 * Is a child of the root the node a path component names ("cpus": "cpus" or "cpus@0"), as
 * fdt_path_offset() matches it? The first letters are compared here so that the other root
 * children, most of them virtio_mmio@..., cost no call.
 */
static bool name_is(const char *name, const char *want)
{
	return name[0] == want[0] && fdt_name_matches(name, want, strlen(want));
}

/*
 * The devices found by compatible string, the first of each (the first enabled one for the
 * UART), in one pass over node's compatible list (Devicetree v0.4 §2.3.1).
 */
static void scan_compatible(struct discover *d, int node, int parent,
			    const struct fdt_prop_query *compat, bool enabled)
{
	enum { C_GIC, C_UART, C_TIMER, C_PSCI };
	static const char *const kinds[] = {
	    [C_GIC] = "arm,gic-v3",
	    [C_UART] = "arm,pl011",
	    [C_TIMER] = "arm,armv8-timer",
	    [C_PSCI] = "arm,psci-0.2",
	};
	uint32_t m = fdt_stringlist_match(compat->val, compat->len, kinds, ARRAY_SIZE(kinds));

	if (m & (1U << C_GIC)) {
		found_first(&d->gic, node, parent);
	}
	if ((m & (1U << C_UART)) && enabled) {
		found_first(&d->uart, node, parent);
	}
	if (m & (1U << C_TIMER)) {
		found_first(&d->timer, node, parent);
	}
	if (m & (1U << C_PSCI)) {
		found_first(&d->psci_compat, node, parent);
	}
}

/* A child of the root: the nodes read by path, and the memory nodes (device_type "memory",
 * Devicetree v0.4 §3.4), whose ranges are taken at once. */
static void scan_root_child(struct discover *d, const struct fdt_walk_node *n,
			    const struct fdt_prop_query *type, bool enabled)
{
	if (d->root_children < ROOT_CHILDREN_MAX) {
		d->root_child[d->root_children].node = n->node;
		d->root_child[d->root_children].name = n->name;
	}
	d->root_children++;
	if (name_is(n->name, "cpus")) {
		found_first(&d->cpus, n->node, n->parent);
	} else if (name_is(n->name, "chosen")) {
		found_first(&d->chosen, n->node, n->parent);
	} else if (name_is(n->name, "aliases")) {
		found_first(&d->aliases, n->node, n->parent);
	} else if (name_is(n->name, "psci")) {
		found_first(&d->psci, n->node, n->parent);
	}
	if (enabled && fdt_stringlist_contains(type->val, type->len, "memory") && d->mem_rc == 0) {
		d->mem_rc = memory_node_add(d, (struct found){n->node, n->parent});
	}
}

/*
 * A child of /chosen: the first two modules of each kind (a second one is an error). A node
 * listing both compatibles is a kernel. module_found is the sum of kind_found[], each at most
 * MODULE_KIND_MAX, so module[] cannot overflow.
 */
static void scan_module(struct discover *d, int node, const struct fdt_prop_query *compat)
{
	uint32_t m = fdt_stringlist_match(compat->val, compat->len, module_compat, MOD_KINDS);
	enum module_kind kind = (m & (1U << MOD_KERNEL)) ? MOD_KERNEL : MOD_RAMDISK;

	if (m == 0 || d->kind_found[kind] == MODULE_KIND_MAX) {
		return; /* not a module, or one past the second of its kind */
	}
	d->kind_found[kind]++;
	d->module[d->module_found].node = node;
	d->module[d->module_found].kind = kind;
	d->module_found++;
}

/* The properties scan() reads of every node. */
enum { Q_COMPATIBLE, Q_DEVICE_TYPE, Q_STATUS, Q_COUNT };

/* One node of the walk: record what it is. */
static int scan_node(void *ctx, const struct fdt_walk_node *n, const struct fdt_prop_query *q)
{
	struct discover *d = ctx;
	const struct fdt_prop_query *type = &q[Q_DEVICE_TYPE];
	bool enabled = status_enabled(string_value(q[Q_STATUS].val, q[Q_STATUS].len));

	scan_compatible(d, n->node, n->parent, &q[Q_COMPATIBLE], enabled);
	if (n->depth == 0) {
		d->root = n->node;
	} else if (n->parent == d->root) {
		scan_root_child(d, n, type, enabled);
	} else if (n->parent == d->cpus.node) {
		/* /cpus/cpu@N; other children (QEMU's cpu-map) have no device_type "cpu". */
		if (enabled && fdt_stringlist_contains(type->val, type->len, "cpu") &&
		    d->cpu_found < ARRAY_SIZE(d->cpu)) {
			d->cpu[d->cpu_found++] = n->node;
		}
	} else if (n->parent == d->chosen.node) {
		scan_module(d, n->node, &q[Q_COMPATIBLE]);
	}
	return 0;
}

/*
 * The one walk over the DTB, and the only check of it: fdt_walk() validates the header, the
 * structure and every bound as fdt_check() does, and records, node by node in document order,
 * the nodes the steps below read. The memory ranges are taken during the walk; their first
 * error is kept for memory_discover(). A bad blob is found only at its defect, after some nodes
 * were visited: what they filled in is cleared, and the DTB error replaces theirs.
 */
static int scan(struct discover *d)
{
	struct fdt_prop_query q[Q_COUNT] = {
	    [Q_COMPATIBLE] = {.name = "compatible"},
	    [Q_DEVICE_TYPE] = {.name = "device_type"},
	    [Q_STATUS] = {.name = "status"},
	};

	if (fdt_walk(d->fdt, DTB_MAX_SIZE, q, Q_COUNT, scan_node, d) != 0) {
		memset(d->info, 0, sizeof(*d->info));
		return fail(d, -EINVAL, "DTB: not a valid device tree (bad header or structure)");
	}
	return 0;
}

static int memory_discover(struct discover *d)
{
	if (d->mem_rc != 0) {
		return d->mem_rc;
	}
	return d->info->mem_count ? 0 : fail(d, -ENOENT, "no /memory node");
}

/* /cpus/cpu@N: reg is the MPIDR affinity, 1 or 2 cells, no size (Devicetree v0.4 §3.7, §3.8). */
static int cpus_discover(struct discover *d)
{
	struct platform_info *info = d->info;
	uint64_t mpidr, size;
	uint32_t ac;

	if (d->cpus.node < 0) {
		return fail(d, -ENOENT, "no /cpus node");
	}
	ac = fdt_prop_u32(d->fdt, d->cpus.node, "#address-cells", 0);
	if ((ac != 1 && ac != 2) || fdt_prop_u32(d->fdt, d->cpus.node, "#size-cells", 0) != 0) {
		return fail(d, -EINVAL, "/cpus: #address-cells must be 1 or 2, #size-cells 0");
	}
	for (unsigned i = 0; i < d->cpu_found; i++) {
		if (info->cpu_count == PLAT_MAX_CPUS) {
			return fail(d, -EINVAL, "/cpus: more than %d cpus", PLAT_MAX_CPUS);
		}
		if (fdt_reg_cells(d->fdt, d->cpu[i], 0, ac, 0, &mpidr, &size) != 0) {
			return fail(d, -EINVAL, "%s: missing or malformed reg",
				    NODE_PATH(d, d->cpu[i]));
		}
		info->cpu_mpidr[info->cpu_count++] = mpidr;
	}
	return info->cpu_count ? 0 : fail(d, -ENOENT, "/cpus: no cpu node");
}

/* arm,gic-v3 binding: reg[0] is GICD, reg[1] the first (here: only) redistributor region. */
static int gic_discover(struct discover *d)
{
	struct platform_info *info = d->info;

	if (d->gic.node < 0) {
		return fail(d, -ENOENT, "no arm,gic-v3 interrupt controller");
	}
	if (fdt_reg_parent(d->fdt, d->gic.node, d->gic.parent, 0, &info->gicd_base,
			   &info->gicd_size) != 0 ||
	    fdt_reg_parent(d->fdt, d->gic.node, d->gic.parent, 1, &info->gicr_base,
			   &info->gicr_size) != 0) {
		return fail(d, -EINVAL, "%s: reg needs distributor and redistributor ranges",
			    NODE_PATH(d, d->gic.node));
	}
	return 0;
}

/*
 * fdt_path_offset() for stdout-path and its alias: the first component is looked up among the
 * root's children that scan() recorded, so that only the rest of the path walks the tree (from
 * the root, the walk would cross most of QEMU's DTB to reach its UART).
 */
static int path_offset(const struct discover *d, const char *path)
{
	size_t len = 0;

	if (path[0] != '/' || d->root_children > ROOT_CHILDREN_MAX) {
		return fdt_path_offset(d->fdt, path);
	}
	while (*path == '/') {
		path++;
	}
	while (path[len] != '\0' && path[len] != '/') {
		len++;
	}
	if (len == 0) {
		return d->root;
	}
	for (unsigned i = 0; i < d->root_children; i++) {
		const char *name = d->root_child[i].name;

		if (name[0] == path[0] && fdt_name_matches(name, path, len)) {
			return fdt_subpath_offset(d->fdt, d->root_child[i].node, path + len);
		}
	}
	return -ENOENT;
}

/* The node /chosen/stdout-path names: a path or an alias, optionally followed by ":options"
 * (Devicetree v0.4 §3.6). */
static int stdout_node(const struct discover *d)
{
	const char *s =
	    d->chosen.node < 0 ? NULL : prop_string(d->fdt, d->chosen.node, "stdout-path");
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
		s = d->aliases.node < 0 ? NULL : prop_string(d->fdt, d->aliases.node, path);
		return s ? path_offset(d, s) : -ENOENT;
	}
	return path_offset(d, path);
}

/* The console PL011: the one stdout-path names, else the first enabled one. */
static struct found uart_node(const struct discover *d)
{
	int node = stdout_node(d);

	if (node >= 0 && node != d->uart.node &&
	    fdt_prop_has_string(d->fdt, node, "compatible", "arm,pl011")) {
		return (struct found){node, fdt_parent(d->fdt, node)};
	}
	return d->uart;
}

static int uart_discover(struct discover *d)
{
	struct platform_info *info = d->info;
	struct found uart = uart_node(d);
	int rc;

	if (uart.node < 0) {
		return fail(d, -ENOENT, "no arm,pl011 UART");
	}
	rc = fdt_reg_parent(d->fdt, uart.node, uart.parent, 0, &info->uart_base, &info->uart_size);
	if (rc != 0) {
		return fail(d, -EINVAL, "%s: missing or malformed reg", NODE_PATH(d, uart.node));
	}
	if (irq_decode(d->fdt, uart.node, 0, &info->uart_intid) != 0 ||
	    info->uart_intid < GIC_SPI_BASE) {
		return fail(d, -EINVAL, "%s: interrupts must be one SPI", NODE_PATH(d, uart.node));
	}
	return 0;
}

/* arm,armv8-timer binding: four PPIs, secure phys, non-secure phys, virtual, hyp phys. */
static int timer_discover(struct discover *d)
{
	int node = d->timer.node;
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

/* PSCI binding (bindings/arm/psci.yaml): "method" is the conduit, from /psci or else the first
 * arm,psci-0.2 node. No node: no PSCI, and the caller decides whether it can run without. */
static int psci_discover(struct discover *d)
{
	int node = d->psci.node >= 0 ? d->psci.node : d->psci_compat.node;
	const char *method;

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
static void module_cells(const struct discover *d, uint32_t cells[2])
{
	const void *fdt = d->fdt;
	int chosen = d->chosen.node;

	cells[0] = fdt_prop_u32(fdt, chosen, "#address-cells",
				fdt_prop_u32(fdt, d->root, "#address-cells", 2));
	cells[1] =
	    fdt_prop_u32(fdt, chosen, "#size-cells", fdt_prop_u32(fdt, d->root, "#size-cells", 1));
}

/* The modules the scan recorded, in document order, each of the kind it recorded. */
static int modules_discover(struct discover *d)
{
	uint32_t cells[2];
	int rc = 0;

	module_cells(d, cells);
	for (unsigned i = 0; i < d->module_found && rc == 0; i++) {
		enum module_kind kind = d->module[i].kind;
		struct boot_module *mod = kind == MOD_KERNEL ? &d->info->kernel : &d->info->initrd;

		rc = module_read(d, d->module[i].node, cells, mod, module_compat[kind]);
	}
	return rc;
}

/* /chosen (Devicetree v0.4 §3.6): Tessera's bootargs and the guest modules. Optional. */
static int chosen_discover(struct discover *d)
{
	int rc;

	if (d->chosen.node < 0) {
		return 0;
	}
	rc = copy_string(d, d->chosen.node, "bootargs", d->info->bootargs,
			 sizeof(d->info->bootargs));
	return rc ? rc : modules_discover(d);
}

/**
 * Fill info from the DTB. Returns 0, or -EINVAL / -ENOENT with a message naming the missing or
 * malformed node in err (at most err_size bytes) so the caller can report it before any VM runs.
 */
int platform_discover(const void *fdt, struct platform_info *info, char *err, size_t err_size)
{
	static int (*const steps[])(struct discover *) = {
	    scan,	   memory_discover, cpus_discover, gic_discover,
	    uart_discover, timer_discover,  psci_discover, chosen_discover,
	};
	static const struct found none = {-ENOENT, -ENOENT};
	struct discover d = {
	    .fdt = fdt,
	    .info = info,
	    .err = err,
	    .err_size = err_size,
	    .root = -ENOENT,
	    .cpus = none,
	    .chosen = none,
	    .aliases = none,
	    .psci = none,
	    .psci_compat = none,
	    .gic = none,
	    .uart = none,
	    .timer = none,
	};
	int rc = 0;

	memset(info, 0, sizeof(*info));
	if (err && err_size) {
		err[0] = '\0';
	}
	for (size_t i = 0; i < ARRAY_SIZE(steps) && rc == 0; i++) {
		rc = steps[i](&d);
	}
	return rc;
}
