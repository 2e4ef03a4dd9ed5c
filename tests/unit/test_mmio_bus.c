// SPDX-License-Identifier: Apache-2.0
/* Unit tests for vdev/bus/mmio_bus.c: ordering, overlap, lookup edges and access routing. */
#include "hyp/errno.h"
#include "hyp/vdev.h"

#include "test.h"

/* A fake device that records the last call and answers reads with the width's bytes of a pattern.
 */
struct fake_dev {
	unsigned calls;
	uint64_t offset;
	unsigned width;
	uint64_t written;
	int ret;
};

static struct mmio_read fake_read(void *dev, uint64_t offset, unsigned width)
{
	struct fake_dev *d = dev;

	d->calls++;
	d->offset = offset;
	d->width = width;
	if (d->ret != 0) {
		return MMIO_READ_REFUSED(d->ret);
	}
	return MMIO_READ_OK(MMIO_WIDTH_CUT(0x1122334455667788ULL, width));
}

static int fake_write(void *dev, uint64_t offset, unsigned width, uint64_t value)
{
	struct fake_dev *d = dev;

	d->calls++;
	d->offset = offset;
	d->width = width;
	d->written = value;
	return d->ret;
}

static const struct vdev_ops fake_ops = {.read = fake_read, .write = fake_write};

static struct mmio_region region(uint64_t base, uint64_t size, void *dev)
{
	/* The handlers too, as mmio_bus_add() would: some tests fill a bus by hand. */
	return (struct mmio_region){.base = base,
				    .size = size,
				    .ops = &fake_ops,
				    .dev = dev,
				    .name = "fake",
				    .read = fake_read,
				    .write = fake_write};
}

static int add(struct mmio_bus *bus, uint64_t base, uint64_t size, void *dev)
{
	struct mmio_region r = region(base, size, dev);

	return mmio_bus_add(bus, &r);
}

TEST(mmio_bus, sorted_insert)
{
	struct mmio_bus bus = {0};

	ASSERT_EQ(add(&bus, 0x9000000, 0x1000, NULL), 0);
	ASSERT_EQ(add(&bus, 0x8000000, 0x10000, NULL), 0);
	ASSERT_EQ(add(&bus, 0xa000000, 0x200, NULL), 0);
	ASSERT_EQ(add(&bus, 0x8010000, 0x100, NULL), 0); /* adjacent to the previous end */
	ASSERT_EQ(bus.count, 4);
	EXPECT_EQ(bus.region[0].base, 0x8000000);
	EXPECT_EQ(bus.region[1].base, 0x8010000);
	EXPECT_EQ(bus.region[2].base, 0x9000000);
	EXPECT_EQ(bus.region[3].base, 0xa000000);
	EXPECT_EQ(mmio_bus_check(&bus), 0);
}

TEST(mmio_bus, overlap_rejected)
{
	struct mmio_bus bus = {0};

	ASSERT_EQ(add(&bus, 0x1000, 0x1000, NULL), 0);
	EXPECT_EQ(add(&bus, 0x1000, 0x1000, NULL), -EEXIST);  /* identical */
	EXPECT_EQ(add(&bus, 0x0800, 0x0808, NULL), -EEXIST);  /* tail overlaps the head */
	EXPECT_EQ(add(&bus, 0x1ff8, 0x10, NULL), -EEXIST);    /* head overlaps the tail */
	EXPECT_EQ(add(&bus, 0x1100, 0x10, NULL), -EEXIST);    /* inside */
	EXPECT_EQ(add(&bus, 0x0000, 0x10000, NULL), -EEXIST); /* around */
	EXPECT_EQ(add(&bus, 0x0800, 0x0800, NULL), 0);	      /* ends where it starts */
	EXPECT_EQ(add(&bus, 0x2000, 0x10, NULL), 0);
	EXPECT_EQ(bus.count, 3);
	EXPECT_EQ(mmio_bus_check(&bus), 0);
}

TEST(mmio_bus, bad_regions_and_full_bus)
{
	struct mmio_bus bus = {0};
	struct mmio_region r = region(0x1000, 0x100, NULL);

	EXPECT_EQ(add(&bus, 0x1000, 0, NULL), -EINVAL);
	EXPECT_EQ(add(&bus, UINT64_MAX - 0xf, 0x20, NULL), -EINVAL);
	EXPECT_EQ(add(&bus, UINT64_MAX - 0xf, 0x10, NULL), 0); /* ends at the last byte */
	r.ops = NULL;
	EXPECT_EQ(mmio_bus_add(&bus, &r), -EINVAL);
	/* Base and size multiples of 8: an aligned access then never runs past the end. */
	EXPECT_EQ(add(&bus, 0x1004, 0x100, NULL), -EINVAL);
	EXPECT_EQ(add(&bus, 0x1000, 0x104, NULL), -EINVAL);
	EXPECT_EQ(bus.count, 1);
	for (unsigned i = 1; i < MMIO_BUS_MAX_REGIONS; i++) {
		EXPECT_EQ(add(&bus, i * 0x1000ULL, 0x1000, NULL), 0);
	}
	EXPECT_EQ(add(&bus, 0x100000, 0x1000, NULL), -ENOSPC);
	EXPECT_EQ(bus.count, MMIO_BUS_MAX_REGIONS);
	EXPECT_EQ(mmio_bus_check(&bus), 0);
}

TEST(mmio_bus, check_finds_disorder_and_overlap)
{
	struct mmio_bus bus = {0};

	bus.region[0] = region(0x2000, 0x1000, NULL);
	bus.region[1] = region(0x1000, 0x1000, NULL);
	bus.count = 2;
	EXPECT_EQ(mmio_bus_check(&bus), -EINVAL);
	bus.region[1] = region(0x2ff8, 0x1000, NULL);
	EXPECT_EQ(mmio_bus_check(&bus), -EINVAL);
	bus.region[1] = region(0x3004, 0x1000, NULL); /* unaligned */
	EXPECT_EQ(mmio_bus_check(&bus), -EINVAL);
	bus.region[1] = region(0x3000, 0, NULL);
	EXPECT_EQ(mmio_bus_check(&bus), -EINVAL);
	bus.region[1] = region(0x3000, 0x1000, NULL);
	bus.region[1].write = NULL; /* a hot path calls the handlers without a test */
	EXPECT_EQ(mmio_bus_check(&bus), -EINVAL);
	bus.region[1] = region(0x3000, 0x1000, NULL);
	EXPECT_EQ(mmio_bus_check(&bus), 0);
	/* A region past count would end no lookup. */
	bus.region[2] = region(0x5000, 0x1000, NULL);
	EXPECT_EQ(mmio_bus_check(&bus), -EINVAL);
	bus.count = MMIO_BUS_MAX_REGIONS + 1;
	EXPECT_EQ(mmio_bus_check(&bus), -EINVAL);
}

TEST(mmio_bus, find_edges)
{
	struct mmio_bus bus = {0};

	ASSERT_EQ(add(&bus, 0x1000, 0x1000, NULL), 0);
	ASSERT_EQ(add(&bus, 0x3000, 0x10, NULL), 0);
	ASSERT_EQ(add(&bus, 0x3010, 0x10, NULL), 0);
	EXPECT_TRUE(mmio_bus_find(&bus, 0x0fff) == NULL);
	EXPECT_TRUE(mmio_bus_find(&bus, 0x1000) == &bus.region[0]);
	EXPECT_TRUE(mmio_bus_find(&bus, 0x1fff) == &bus.region[0]);
	EXPECT_TRUE(mmio_bus_find(&bus, 0x2000) == NULL);
	EXPECT_TRUE(mmio_bus_find(&bus, 0x300f) == &bus.region[1]);
	EXPECT_TRUE(mmio_bus_find(&bus, 0x3010) == &bus.region[2]);
	EXPECT_TRUE(mmio_bus_find(&bus, 0x3020) == NULL);
	EXPECT_TRUE(mmio_bus_find(&bus, 0) == NULL);
	EXPECT_TRUE(mmio_bus_find(&bus, UINT64_MAX) == NULL);

	struct mmio_bus empty = {0};

	EXPECT_TRUE(mmio_bus_find(&empty, 0x1000) == NULL);
}

TEST(mmio_bus, access_offset_and_value)
{
	struct mmio_bus bus = {0};
	struct fake_dev dev = {0};
	struct mmio_read rd;

	ASSERT_EQ(add(&bus, 0x9000000, 0x1000, &dev), 0);
	rd = mmio_bus_read(&bus, 0x9000018, 4);
	ASSERT_EQ(rd.err, 0);
	EXPECT_EQ(dev.offset, 0x18);
	EXPECT_EQ(dev.width, 4);
	EXPECT_EQ(rd.value, 0x55667788); /* the model's answer, passed on */

	rd = mmio_bus_read(&bus, 0x9000ff8, 8);
	ASSERT_EQ(rd.err, 0);
	EXPECT_EQ(rd.value, 0x1122334455667788ULL);

	ASSERT_EQ(mmio_bus_write(&bus, 0x9000002, 2, 0xabcdef), 0); /* aligned to its width */
	EXPECT_EQ(dev.offset, 2);
	EXPECT_EQ(dev.written, 0xcdef);
	EXPECT_EQ(dev.calls, 3);
}

TEST(mmio_bus, every_width_reaches_the_model_and_truncates_writes)
{
	static const uint64_t masks[] = {[1] = 0xff, [2] = 0xffff, [4] = 0xffffffff, [8] = ~0ULL};
	struct mmio_bus bus = {0};
	struct fake_dev dev = {0};

	ASSERT_EQ(add(&bus, 0x9000000, 0x1000, &dev), 0);
	for (unsigned w = 1; w <= 8; w *= 2) {
		struct mmio_read rd = mmio_bus_read(&bus, 0x9000000 + 8, w);

		EXPECT_EQ(MMIO_WIDTH_CUT(~0ULL, w), masks[w]);
		ASSERT_EQ(rd.err, 0);
		EXPECT_EQ(rd.value, 0x1122334455667788ULL & masks[w]);
		ASSERT_EQ(mmio_bus_write(&bus, 0x9000000 + 8, w, ~0ULL), 0);
		EXPECT_EQ(dev.written, masks[w]);
		EXPECT_EQ(dev.width, w);
	}
}

TEST(mmio_bus, access_width_and_bounds)
{
	struct mmio_bus bus = {0};
	struct fake_dev dev = {0};

	ASSERT_EQ(add(&bus, 0x9000000, 0x1000, &dev), 0);
	for (unsigned w = 0; w <= 16; w++) {
		bool ok = w == 1 || w == 2 || w == 4 || w == 8;

		EXPECT_EQ(mmio_bus_read(&bus, 0x9000000, w).err, ok ? 0 : -EINVAL);
	}
	EXPECT_EQ(dev.calls, 4); /* bad widths never reach the model */
	/* Unaligned: refused, so that no access runs past the end of the region. */
	EXPECT_EQ(mmio_bus_write(&bus, 0x9000ffc, 8, 0), -EINVAL);
	EXPECT_EQ(mmio_bus_read(&bus, 0x9000001, 2).err, -EINVAL);
	EXPECT_EQ(mmio_bus_read(&bus, 0x9000002, 4).err, -EINVAL);
	EXPECT_EQ(mmio_bus_read(&bus, 0x9000ffd, 1).err, 0);
	EXPECT_EQ(mmio_bus_write(&bus, 0x9000ffc, 4, 0), 0);
	EXPECT_EQ(mmio_bus_write(&bus, 0x9000ff8, 8, 0), 0);
	EXPECT_EQ(dev.calls, 7);
}

TEST(mmio_bus, unclaimed_and_model_errors)
{
	struct mmio_bus bus = {0};
	struct fake_dev dev = {.ret = -EINVAL};
	struct mmio_read rd;

	ASSERT_EQ(add(&bus, 0x9000000, 0x1000, &dev), 0);
	EXPECT_EQ(mmio_bus_read(&bus, 0x8fffffc, 4).err, -ENODEV);
	EXPECT_EQ(mmio_bus_read(&bus, 0x8ffffff, 1).err, -ENODEV);
	EXPECT_EQ(mmio_bus_write(&bus, 0x9001000, 4, 42), -ENODEV);
	rd = mmio_bus_read(&bus, 0x9000000, 4);
	EXPECT_EQ(rd.err, -EINVAL);
	EXPECT_EQ(rd.value, 0); /* a refused read returns no device data */
	EXPECT_EQ(mmio_bus_write(&bus, 0x9000000, 4, 42), -EINVAL);
	EXPECT_EQ(dev.calls, 2);
}
