// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target: the PL011 model (vdev/uart/pl011.c) under any mix of guest reads and writes,
 * received bytes and resets. After every operation the RX FIFO's bytes and free entries add up
 * to at most 32 and the interrupt line the backend last saw equals (UARTRIS & UARTIMSC) != 0
 * (PL011 DDI0183G §3.4.6); a byte is transmitted by, and only by, a UARTDR write (§3.3.1).
 */
#include <string.h>

#include "hyp/errno.h"

#include "fuzz.h"
#include "vdev/uart/pl011.h"

#define MAX_OPS 512
#define UARTDR 0x000U
#define UARTMIS 0x040U
#define UARTCR_LBE (1U << 7) /* UARTCR.LBE, loopback, §3.3.8 */

struct world {
	struct pl011 p;
	bool line;	   /* the level the backend was last told */
	unsigned tx_count; /* bytes transmitted */
	uint8_t tx_last;   /* the last of them */
};

static struct world w;

static void be_tx(void *ctx, uint8_t byte)
{
	(void)ctx;
	w.tx_count++;
	w.tx_last = byte;
}

/* irq() reports changes only: a call that repeats the level is a model bug. */
static void be_irq(void *ctx, bool level)
{
	(void)ctx;
	FUZZ_CHECK(level != w.line);
	w.line = level;
}

static const struct pl011_backend backend = {.tx = be_tx, .irq = be_irq};

/* Mostly register offsets inside the window, sometimes anything at all. */
static uint64_t pick_offset(struct fuzz_in *in, unsigned width)
{
	uint8_t how = fuzz_u8(in);

	if (how == 0xFF) {
		return fuzz_u64(in);
	}
	if (how & 1U) {
		return fuzz_u16(in) % PL011_MMIO_SIZE;
	}
	return (fuzz_u8(in) * 4ULL + (how & 2U ? 0xF00U : 0U)) & ~(uint64_t)(width - 1U);
}

static void op_access(struct fuzz_in *in, bool write)
{
	unsigned width = fuzz_width(in);
	uint64_t off = pick_offset(in, width), value = fuzz_u32(in);
	bool valid =
	    (width == 1 || width == 2 || width == 4) && off % width == 0 && off < PL011_MMIO_SIZE;
	/* A UARTDR write sends its low byte at once, unless looped back into the RX FIFO. */
	bool sends = write && valid && off == UARTDR && !(w.p.cr & UARTCR_LBE);
	unsigned tx_before = w.tx_count;
	int rc;

	if (write) {
		rc = pl011_ops.write(&w.p, off, width, value);
	} else {
		struct mmio_read r = pl011_ops.read(&w.p, off, width);

		rc = r.err;
		value = r.value;
	}

	FUZZ_CHECK(rc == (valid ? 0 : -EINVAL));
	FUZZ_CHECK(w.tx_count == tx_before + (sends ? 1U : 0U));
	FUZZ_CHECK(!sends || w.tx_last == (uint8_t)value);
	FUZZ_CHECK(write || (fuzz_fits_width(value, width) && (rc == 0 || value == 0)));
	if (!write && valid && off == UARTMIS && width == 4) {
		FUZZ_CHECK(value == (w.p.ris & w.p.imsc));
	}
}

static void op_run(struct fuzz_in *in, unsigned op)
{
	bool taken;

	switch (op) {
	case 0:
	case 1:
		op_access(in, false);
		break;
	case 2:
	case 3:
		op_access(in, true);
		break;
	case 4:
		taken = pl011_rx_push(&w.p, fuzz_u8(in));
		FUZZ_CHECK(taken || pl011_rx_space(&w.p) == 0);
		break;
	default:
		if (fuzz_u8(in) == 0) {
			pl011_reset(&w.p);
		}
		break;
	}
}

static void check(void)
{
	FUZZ_CHECK(w.p.rx_count <= PL011_FIFO_DEPTH);
	FUZZ_CHECK(w.p.rx_count + pl011_rx_space(&w.p) <= PL011_FIFO_DEPTH);
	FUZZ_CHECK(w.line == ((w.p.ris & w.p.imsc) != 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = fuzz_in_make(data, size);

	memset(&w, 0, sizeof(w));
	pl011_init(&w.p, &backend, NULL);
	check();
	for (unsigned n = 0; n < MAX_OPS && !fuzz_in_is_empty(&in); n++) {
		op_run(&in, fuzz_u8(&in) % 6U);
		check();
	}
	return 0;
}
