/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The contract between the trap layer and device models. The arch layer decodes a stage-2 data
 * abort into a struct mmio_access; the bus finds the region and calls the model with an offset
 * into it. A model never sees a syndrome, a vCPU register or the current vCPU.
 */
#ifndef HYP_VDEV_H
#define HYP_VDEV_H

#include "hyp/errno.h"
#include "hyp/types.h"

/** One decoded guest access: width is 1, 2, 4 or 8 bytes. */
struct mmio_access {
	uint64_t addr;	/**< guest-physical address of the access */
	uint64_t value; /**< data written (the bus truncates it to width), or filled in by a read */
	uint8_t width;
	bool write;
};

/**
 * What a device read returns: the value, or err < 0 when the device refuses the access. Two
 * full words (err is 64-bit so that no padding has to be built), so that AAPCS64 returns it in
 * x0/x1 and a read never goes through memory.
 */
struct mmio_read {
	uint64_t value;
	int64_t err;
};

#define MMIO_READ_OK(v) ((struct mmio_read){.value = (v), .err = 0})
#define MMIO_READ_REFUSED(e) ((struct mmio_read){.value = 0, .err = (e)})

/**
 * Device-model callbacks: (offset, width, value) in, value out. A write returns 0 and a read
 * err 0, or a negative errno when the access is not one the device accepts (bad width,
 * unaligned): the trap layer then injects an external abort. A refused access changes nothing,
 * so the trap layer may offer it again (a light exit that meets a refusal hands the whole exit
 * to the full path). Banked state (GICv3 redistributors) is told apart by address.
 */
struct vdev_ops {
	struct mmio_read (*read)(void *dev, uint64_t offset, unsigned width);
	int (*write)(void *dev, uint64_t offset, unsigned width, uint64_t value);
};

/** One guest-physical window claimed by a device model. */
struct mmio_region {
	uint64_t base;
	uint64_t size;
	const struct vdev_ops *ops;
	void *dev;
	const char *name;
};

#define MMIO_BUS_MAX_REGIONS 16

/** A VM's sorted, non-overlapping list of emulated regions. */
struct mmio_bus {
	struct mmio_region region[MMIO_BUS_MAX_REGIONS];
	unsigned count;
};

/** Add a region, keeping the list sorted; -EEXIST on overlap, -ENOSPC when full. */
int __must_check mmio_bus_add(struct mmio_bus *bus, const struct mmio_region *r);

/*
 * The two functions every MMIO exit runs are C11 inline definitions (C11 6.7.4), so the trap
 * path inlines them and the decoded access stays in registers; mmio_bus.c holds their one
 * external definition. Being inline, they may only call functions with external linkage.
 */

/*
 * The low width bytes (width 1, 2, 4 or 8): all ones shifted right by 64 - 8 * width, taken
 * modulo 64 so that width 8 shifts by 0; arm64 shifts ignore the high bits, so it is a negate.
 */
#define MMIO_WIDTH_MASK(width) (UINT64_MAX >> ((0U - 8 * (width)) & 63))

/** The region holding addr, or NULL. */
inline const struct mmio_region *mmio_bus_find(const struct mmio_bus *bus, uint64_t addr)
{
	/* A VM has a handful of regions: a linear scan beats a search on the trap path. */
	for (const struct mmio_region *r = bus->region; r < bus->region + bus->count; r++) {
		if (addr - r->base < r->size) {
			return r;
		}
	}
	return NULL;
}

/**
 * Route one access to its model: 0, -ENODEV when no region claims it, or the model's error
 * (-EINVAL for a bad width, an access past the region's end or a missing handler). Written
 * values are truncated to the width, and read values before they reach acc; a failed read
 * leaves acc->value alone.
 */
inline int __must_check mmio_bus_access(const struct mmio_bus *bus, struct mmio_access *acc)
{
	unsigned width = acc->width;
	const struct mmio_region *r = mmio_bus_find(bus, acc->addr);
	struct mmio_read rd;
	uint64_t offset;

	/* 1, 2, 4 or 8: width - 1 wraps for 0; a power of two shares no bit with width - 1. */
	if (width - 1 >= 8 || (width & (width - 1)) != 0) {
		return -EINVAL;
	}
	if (r == NULL) {
		return -ENODEV;
	}
	offset = acc->addr - r->base;
	if (width > r->size - offset) {
		return -EINVAL;
	}
	if (acc->write) {
		uint64_t value = acc->value & MMIO_WIDTH_MASK(width);

		return r->ops->write ? r->ops->write(r->dev, offset, width, value) : -EINVAL;
	}
	if (!r->ops->read) {
		return -EINVAL;
	}
	rd = r->ops->read(r->dev, offset, width);
	if (rd.err == 0) {
		acc->value = rd.value & MMIO_WIDTH_MASK(width);
	}
	return (int)rd.err;
}

/** 0 when the regions are sorted, non-empty and disjoint (checked at VM creation); else -EINVAL. */
int __must_check mmio_bus_check(const struct mmio_bus *bus);

#endif
