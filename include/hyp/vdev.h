/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The contract between the trap layer and device models. The arch layer decodes a stage-2 data
 * abort into a struct mmio_access; the bus finds the region and calls the model with an offset
 * into it. A model never sees a syndrome, a vCPU register or the current vCPU.
 */
#ifndef HYP_VDEV_H
#define HYP_VDEV_H

#include "hyp/types.h"

/** One decoded guest access: width is 1, 2, 4 or 8 bytes. */
struct mmio_access {
	uint64_t addr;	/**< guest-physical address of the access */
	uint64_t value; /**< data written, or filled in by a read */
	uint8_t width;
	bool write;
};

/**
 * Device-model callbacks: (offset, width, value) in, value out. Both return 0, or a negative
 * errno when the access is not one the device accepts (bad width, unaligned): the trap layer
 * then injects an external abort. Banked state (GICv3 redistributors) is told apart by address.
 */
struct vdev_ops {
	int (*read)(void *dev, uint64_t offset, unsigned width, uint64_t *value);
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
/** The region holding addr, or NULL. */
const struct mmio_region *mmio_bus_find(const struct mmio_bus *bus, uint64_t addr);
/** Route one access to its model: 0, -ENODEV when no region claims it, or the model's error. */
int __must_check mmio_bus_access(const struct mmio_bus *bus, struct mmio_access *acc);
/** 0 when the regions are sorted, non-empty and disjoint (checked at VM creation); else -EINVAL. */
int __must_check mmio_bus_check(const struct mmio_bus *bus);

#endif
