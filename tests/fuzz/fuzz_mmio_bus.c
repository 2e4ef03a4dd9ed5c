// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target: the MMIO bus (vdev/bus/mmio_bus.c) under add/find/access sequences. A failed add
 * leaves the bus as it was, a successful one keeps mmio_bus_check() happy, find agrees with a
 * linear scan, and a model only ever sees naturally aligned accesses inside its own window.
 */
#include <string.h>

#include "hyp/errno.h"
#include "hyp/vdev.h"

#include "fuzz.h"
#include "fuzz_bus.h"

#define MAX_OPS 256

/* A fake device: knows its window, answers reads with fuzzed values or errors. */
struct dev {
	uint64_t size;
	bool used;
};

struct world {
	struct mmio_bus bus;
	struct dev dev[MMIO_BUS_MAX_REGIONS + 1]; /* the last one for the add that finds no room */
	unsigned dev_count;
	struct fuzz_in in;
};

static struct world w;

static uint64_t width_mask(unsigned width)
{
	return width >= 8 ? UINT64_MAX : (1ULL << (8U * width)) - 1U;
}

static void check_access(const struct dev *d, uint64_t offset, unsigned width)
{
	FUZZ_CHECK(d->used);
	FUZZ_CHECK(width == 1 || width == 2 || width == 4 || width == 8);
	FUZZ_CHECK((offset & (width - 1U)) == 0);
	FUZZ_CHECK(offset < d->size && width <= d->size - offset);
}

static struct mmio_read dev_read(void *dev, uint64_t offset, unsigned width)
{
	uint64_t value;

	check_access(dev, offset, width);
	value = fuzz_u64(&w.in) & width_mask(width); /* a model answers the width's bytes only */
	return fuzz_u8(&w.in) == 0xFF ? MMIO_READ_REFUSED(-EINVAL) : MMIO_READ_OK(value);
}

static int dev_write(void *dev, uint64_t offset, unsigned width, uint64_t value)
{
	check_access(dev, offset, width);
	FUZZ_CHECK((value & ~width_mask(width)) == 0);
	return 0;
}

static const struct vdev_ops ops_rw = {.read = dev_read, .write = dev_write};
static const struct vdev_ops ops_ro = {.read = dev_read};

/* Small numbers most of the time so that regions meet and overlap; sometimes the extremes. */
static uint64_t pick_u64(struct fuzz_in *in)
{
	uint8_t how = fuzz_u8(in);

	if (how < 0x40) {
		return fuzz_u64(in);
	}
	if (how < 0x50) {
		return UINT64_MAX - fuzz_u8(in);
	}
	return (uint64_t)fuzz_u16(in) << (how & 0x0FU);
}

/* The region holding addr by linear scan, the reference for mmio_bus_find(). */
static const struct mmio_region *scan(const struct mmio_bus *bus, uint64_t addr)
{
	for (unsigned i = 0; i < bus->count; i++) {
		if (addr - bus->region[i].base < bus->region[i].size) {
			return &bus->region[i];
		}
	}
	return NULL;
}

static void op_add(struct world *x)
{
	struct mmio_bus before = x->bus;
	/* Only a successful add takes a device, and at most MMIO_BUS_MAX_REGIONS succeed. */
	struct dev *d = &x->dev[x->dev_count];
	uint8_t kind = fuzz_u8(&x->in);
	struct mmio_region r = {
	    .base = pick_u64(&x->in),
	    .size = pick_u64(&x->in),
	    .ops = kind % 8U == 0 ? NULL : (kind & 1U ? &ops_ro : &ops_rw),
	    .dev = d,
	    .name = "fuzz",
	};
	int rc = mmio_bus_add(&x->bus, &r);

	if (rc != 0) {
		FUZZ_CHECK(rc == -EINVAL || rc == -EEXIST || rc == -ENOSPC);
		FUZZ_CHECK(before.count == x->bus.count);
		FUZZ_CHECK(memcmp(before.region, x->bus.region, sizeof(before.region)) == 0);
		return;
	}
	FUZZ_CHECK(x->bus.count == before.count + 1U);
	FUZZ_CHECK(mmio_bus_check(&x->bus) == 0);
	FUZZ_CHECK(scan(&before, r.base) == NULL);
	d->size = r.size;
	d->used = true;
	x->dev_count++;
}

static void op_find(struct world *x, uint64_t addr)
{
	const struct mmio_region *r = mmio_bus_find(&x->bus, addr);

	FUZZ_CHECK(r == scan(&x->bus, addr));
}

/* Near a region's edges, where the off-by-ones live. */
static uint64_t pick_addr(struct world *x)
{
	uint8_t how = fuzz_u8(&x->in);
	const struct mmio_region *r;

	if (x->bus.count == 0 || how < 0x40) {
		return pick_u64(&x->in);
	}
	r = &x->bus.region[how % x->bus.count];
	return (how & 0x40U ? r->base + r->size : r->base) + (uint64_t)(int8_t)fuzz_u8(&x->in);
}

static void op_access(struct world *x, uint64_t addr)
{
	static const uint8_t widths[] = {1, 2, 4, 8, 3, 0, 16, 255};
	uint64_t value = fuzz_u64(&x->in);
	unsigned width = widths[fuzz_u8(&x->in) % 8U];
	bool write = fuzz_u8(&x->in) & 1U;
	int rc = fuzz_bus_access(&x->bus, addr, width, write, value);

	/* mmio_bus_find() is under test here too: the linear scan is the reference. */
	FUZZ_CHECK(rc != -ENODEV || scan(&x->bus, addr) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	memset(&w, 0, sizeof(w));
	w.in = fuzz_in_make(data, size);
	for (unsigned n = 0; n < MAX_OPS && !fuzz_in_is_empty(&w.in); n++) {
		switch (fuzz_u8(&w.in) % 4U) {
		case 0:
			op_add(&w);
			break;
		case 1:
			op_find(&w, pick_addr(&w));
			break;
		default:
			op_access(&w, pick_addr(&w));
			break;
		}
		FUZZ_CHECK(mmio_bus_check(&w.bus) == 0);
	}
	return 0;
}
