// SPDX-License-Identifier: Apache-2.0
/*
 * A VM's emulated MMIO regions: a sorted array, kept sorted and disjoint here. The routing of
 * one decoded access to its device model as (offset, width, value) is inline in hyp/vdev.h, as
 * it runs on every MMIO exit. Guest input only ever yields an error code.
 */
#include "hyp/errno.h"
#include "hyp/vdev.h"

/* Last byte of a region; regions never wrap (mmio_bus_add rejects that). */
static uint64_t region_last(const struct mmio_region *r)
{
	return r->base + (r->size - 1);
}

/* Index of the first region whose base is above addr (0..count). */
static unsigned upper_bound(const struct mmio_bus *bus, uint64_t addr)
{
	unsigned lo = 0, hi = bus->count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (bus->region[mid].base <= addr) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

/* The handlers of a model that has none for a direction: every access is refused. */
static struct mmio_read refuse_read(void *dev, uint64_t offset, unsigned width)
{
	(void)dev;
	(void)offset;
	(void)width;
	return MMIO_READ_REFUSED(-EINVAL);
}

static int refuse_write(void *dev, uint64_t offset, unsigned width, uint64_t value)
{
	(void)dev;
	(void)offset;
	(void)width;
	(void)value;
	return -EINVAL;
}

/* Non-empty, not wrapping, base and size multiples of MMIO_REGION_ALIGN (hyp/vdev.h). */
static bool region_is_valid(const struct mmio_region *r)
{
	return r->size != 0 && ((r->base | r->size) & (MMIO_REGION_ALIGN - 1)) == 0 &&
	       region_last(r) >= r->base;
}

/** Insert r in address order; -EINVAL for a region not valid, -EEXIST on overlap. */
int mmio_bus_add(struct mmio_bus *bus, const struct mmio_region *r)
{
	unsigned pos;

	if (!region_is_valid(r) || r->ops == NULL) {
		return -EINVAL;
	}
	pos = upper_bound(bus, r->base);
	if ((pos > 0 && region_last(&bus->region[pos - 1]) >= r->base) ||
	    (pos < bus->count && bus->region[pos].base <= region_last(r))) {
		return -EEXIST;
	}
	if (bus->count == MMIO_BUS_MAX_REGIONS) {
		return -ENOSPC;
	}
	for (unsigned i = bus->count; i > pos; i--) {
		bus->region[i] = bus->region[i - 1];
	}
	bus->region[pos] = *r;
	bus->region[pos].read = r->ops->read ? r->ops->read : refuse_read;
	bus->region[pos].write = r->ops->write ? r->ops->write : refuse_write;
	bus->count++;
	return 0;
}

/* The external definitions of the inline functions in hyp/vdev.h (C11 6.7.4). */
extern inline const struct mmio_region *mmio_bus_find(const struct mmio_bus *bus, uint64_t addr);
extern inline int mmio_bus_route(const struct mmio_bus *bus, uint64_t addr, unsigned width,
				 const struct mmio_region **region);
extern inline struct mmio_read mmio_bus_read(const struct mmio_bus *bus, uint64_t addr,
					     unsigned width);
extern inline int mmio_bus_write(const struct mmio_bus *bus, uint64_t addr, unsigned width,
				 uint64_t value);

/**
 * 0 when the regions are valid (region_is_valid()), have both handlers, are sorted without
 * overlap, and an empty one ends the list; else -EINVAL.
 */
int mmio_bus_check(const struct mmio_bus *bus)
{
	if (bus->count > MMIO_BUS_MAX_REGIONS || bus->region[bus->count].size != 0) {
		return -EINVAL;
	}
	for (unsigned i = 0; i < bus->count; i++) {
		const struct mmio_region *r = &bus->region[i];

		if (!region_is_valid(r) || !r->read || !r->write) {
			return -EINVAL;
		}
		if (i > 0 && region_last(&bus->region[i - 1]) >= r->base) {
			return -EINVAL;
		}
	}
	return 0;
}
