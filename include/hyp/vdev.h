/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The contract between the trap layer and device models. The arch layer decodes a stage-2 data
 * abort into an address, a width and, for a write, a value; the bus finds the region and calls
 * the model with an offset into it. A model never sees a syndrome, a vCPU register or the
 * current vCPU.
 */
#ifndef HYP_VDEV_H
#define HYP_VDEV_H

#include "hyp/errno.h"
#include "hyp/types.h"

/**
 * What a device read returns: the value, or err < 0 and value 0 when the device refuses the
 * access (MMIO_READ_REFUSED). Two
 * full words (err is 64-bit so that no padding has to be built), so that AAPCS64 returns it in
 * x0/x1 and a read never goes through memory. Aligned to its size: with -mstrict-align, GCC 12
 * stores a returned struct of lesser alignment to the stack before reading its fields.
 */
struct mmio_read {
	_Alignas(16) uint64_t value;
	int64_t err;
};

#define MMIO_READ_OK(v) ((struct mmio_read){.value = (v), .err = 0})
#define MMIO_READ_REFUSED(e) ((struct mmio_read){.value = 0, .err = (e)})

/**
 * Device-model callbacks: (offset, width, value) in, value out. A write returns 0 and a read
 * err 0, or a negative errno when the access is not one the device accepts (a width its
 * register does not have): the trap layer then injects an external abort. A refused access changes
 * nothing, so the trap layer may offer it again (a light exit that meets a refusal hands the whole
 * exit to the full path). A read's value holds only the width bytes read (it is below 2^(8 *
 * width)), so that the bus passes it on untouched; the fuzzers check every model for it. The bus
 * passes a write's value already cut to the width. Banked state (GICv3 redistributors) is told
 * apart by address. A NULL handler refuses every access that way.
 */
struct vdev_ops {
	struct mmio_read (*read)(void *dev, uint64_t offset, unsigned width);
	int (*write)(void *dev, uint64_t offset, unsigned width, uint64_t value);
};

/**
 * One guest-physical window claimed by a device model. mmio_bus_add() copies the handlers of
 * ops into read and write, with a refusing one for NULL, so that an access makes one load and
 * no test to reach its handler.
 */
struct mmio_region {
	uint64_t base;
	uint64_t size;
	const struct vdev_ops *ops;
	void *dev;
	const char *name;
	struct mmio_read (*read)(void *dev, uint64_t offset, unsigned width);
	int (*write)(void *dev, uint64_t offset, unsigned width, uint64_t value);
};

#define MMIO_BUS_MAX_REGIONS 16

/**
 * A VM's sorted, non-overlapping list of emulated regions. region[count] is always empty
 * (size 0, as a zeroed bus starts): it ends the list, so that a lookup tests one field per
 * region instead of also counting.
 */
struct mmio_bus {
	struct mmio_region region[MMIO_BUS_MAX_REGIONS + 1];
	unsigned count;
};

/**
 * Add a region, keeping the list sorted: -EINVAL for one that is empty, wraps or is not
 * MMIO_REGION_ALIGN-aligned, -EEXIST on overlap, -ENOSPC when full.
 */
int __must_check mmio_bus_add(struct mmio_bus *bus, const struct mmio_region *r);

/*
 * The two functions every MMIO exit runs are C11 inline definitions (C11 6.7.4), so the trap
 * path inlines them and the decoded access stays in registers; mmio_bus.c holds their one
 * external definition. Being inline, they may only call functions with external linkage.
 */

/*
 * value cut to its low width bytes (width 1, 2, 4 or 8): shifted up by 64 - 8 * width so that
 * they are the top bytes, then back down. The shift is taken modulo 64 so that width 8 shifts by
 * 0; arm64 shifts ignore the high bits, so it is a negate. Two shifts are one instruction fewer
 * than building a mask and applying it.
 */
#define MMIO_WIDTH_SHIFT(width) ((0U - 8 * (width)) & 63)
#define MMIO_WIDTH_CUT(value, width)                                                               \
	(((uint64_t)(value) << MMIO_WIDTH_SHIFT(width)) >> MMIO_WIDTH_SHIFT(width))

/* The access widths a bus accepts, each as bit `width`: 1, 2, 4 and 8 bytes. */
#define MMIO_WIDTHS_VALID (BIT(1) | BIT(2) | BIT(4) | BIT(8))

/** The region holding addr, or NULL. */
inline const struct mmio_region *mmio_bus_find(const struct mmio_bus *bus, uint64_t addr)
{
	/*
	 * A VM has a handful of regions: a linear scan beats a search on the trap path. It stops
	 * at the empty region after the last (mmio_bus_add() refuses empty ones).
	 */
	for (const struct mmio_region *r = bus->region; r->size != 0; r++) {
		if (addr - r->base < r->size) {
			return r;
		}
	}
	return NULL;
}

/*
 * Regions start and end on this boundary, the widest access: then an access naturally aligned
 * (which mmio_bus_route() requires) that starts in a region also ends in it, with no test.
 */
#define MMIO_REGION_ALIGN 8U

/**
 * Where an access of width bytes at guest-physical addr goes: 0 with *region set, -EINVAL for a
 * width other than 1, 2, 4 or 8 or an address not a multiple of it, -ENODEV when no region
 * claims addr. So a model sees only accesses of 1, 2, 4 or 8 bytes, naturally aligned, inside its
 * window, as QEMU's memory core passes its models by default; a model still refuses the widths
 * its registers do not have. The devices Tessera models define only aligned register accesses
 * (GICv3 IHI0069 H, PL011 DDI0183G §3.1), and a guest's own Device mappings fault an unaligned
 * access before stage 2 sees it.
 */
inline int mmio_bus_route(const struct mmio_bus *bus, uint64_t addr, unsigned width,
			  const struct mmio_region **region)
{
	/*
	 * 1, 2, 4 or 8, as a bitmap of the valid widths: a caller whose width is 1 << (2-bit
	 * field), as the trap layer's, has the test folded away by the compiler.
	 */
	if (width > 8 || ((MMIO_WIDTHS_VALID >> width) & 1) == 0 || (addr & (width - 1)) != 0) {
		return -EINVAL;
	}
	/* Regions are MMIO_REGION_ALIGN-aligned, so the aligned access fits in the one found. */
	*region = mmio_bus_find(bus, addr);
	return *region ? 0 : -ENODEV;
}

/**
 * Read width bytes at addr from the model that claims it: the model's answer (its value holds
 * only width bytes, struct vdev_ops), or err = mmio_bus_route()'s error, -EINVAL for a model
 * without a read handler.
 */
inline struct mmio_read __must_check mmio_bus_read(const struct mmio_bus *bus, uint64_t addr,
						   unsigned width)
{
	const struct mmio_region *r = NULL;
	int err = mmio_bus_route(bus, addr, width, &r);

	if (err != 0) {
		return MMIO_READ_REFUSED(err);
	}
	return r->read(r->dev, addr - r->base, width);
}

/** Write value, truncated to width bytes, at addr: 0 or an error as mmio_bus_read()'s. */
inline int __must_check mmio_bus_write(const struct mmio_bus *bus, uint64_t addr, unsigned width,
				       uint64_t value)
{
	const struct mmio_region *r = NULL;
	int err = mmio_bus_route(bus, addr, width, &r);

	if (err != 0) {
		return err;
	}
	return r->write(r->dev, addr - r->base, width, MMIO_WIDTH_CUT(value, width));
}

/**
 * 0 when the regions are sorted, non-empty, aligned, disjoint and have both handlers (at VM
 * creation); else -EINVAL.
 */
int __must_check mmio_bus_check(const struct mmio_bus *bus);

#endif
