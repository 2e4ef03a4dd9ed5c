/* SPDX-License-Identifier: Apache-2.0 */
/* One MMIO access through a bus, as a guest makes it, for the fuzzers that drive models. */
#ifndef TESSERA_FUZZ_BUS_H
#define TESSERA_FUZZ_BUS_H

#include "hyp/errno.h"
#include "hyp/vdev.h"

#include "fuzz.h"

/*
 * Read or write width bytes at addr and check the bus's promises (hyp/vdev.h): only -EINVAL and
 * -ENODEV as errors, -ENODEV only where no region is, a width other than 1, 2, 4 or 8 or an
 * unaligned address refused, a read's value within the width and 0 when refused. The error.
 */
static inline int fuzz_bus_access(const struct mmio_bus *bus, uint64_t addr, unsigned width,
				  bool write, uint64_t value)
{
	bool valid =
	    (width == 1 || width == 2 || width == 4 || width == 8) && (addr & (width - 1U)) == 0;
	struct mmio_read rd = {.value = 0, .err = 0};
	int rc;

	if (write) {
		rc = mmio_bus_write(bus, addr, width, value);
	} else {
		rd = mmio_bus_read(bus, addr, width);
		rc = (int)rd.err;
	}
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENODEV);
	FUZZ_CHECK(rc != -ENODEV || mmio_bus_find(bus, addr) == NULL);
	FUZZ_CHECK(valid || rc == -EINVAL);
	FUZZ_CHECK(fuzz_fits_width(rd.value, width) && (rc == 0 || rd.value == 0));
	return rc;
}

#endif
