// SPDX-License-Identifier: Apache-2.0
/*
 * Emulated PL011 (vdev/uart/pl011.c), PL011 DDI0183G §3, exercised the way Linux's
 * drivers/tty/serial/amba-pl011.c drives it.
 */
#include <string.h>

#include "hyp/errno.h"

#include "test.h"
#include "vdev/uart/pl011.h"

enum {
	DR = 0x000,
	RSR = 0x004,
	FR = 0x018,
	ILPR = 0x020,
	IBRD = 0x024,
	FBRD = 0x028,
	LCR_H = 0x02C,
	CR = 0x030,
	IFLS = 0x034,
	IMSC = 0x038,
	RIS = 0x03C,
	MIS = 0x040,
	ICR = 0x044,
	DMACR = 0x048,
};
enum { FR_RXFE = 0x10, FR_TXFF = 0x20, FR_RXFF = 0x40, FR_TXFE = 0x80 };
enum { INT_RX = 0x10, INT_TX = 0x20, INT_RT = 0x40, INT_OE = 0x400, LCR_H_FEN = 0x10 };

static struct fake {
	uint8_t tx[256];
	unsigned tx_count;
	bool level;
	unsigned irq_calls;
	unsigned drained;
} fake;

static void fake_tx(void *ctx, uint8_t byte)
{
	struct fake *f = ctx;

	if (f->tx_count < sizeof(f->tx)) {
		f->tx[f->tx_count++] = byte;
	}
}

static void fake_irq(void *ctx, bool level)
{
	struct fake *f = ctx;

	f->level = level;
	f->irq_calls++;
}

static void fake_drained(void *ctx)
{
	struct fake *f = ctx;

	f->drained++;
}

static const struct pl011_backend backend = {fake_tx, fake_irq, fake_drained};
static struct pl011 uart;

static void setup(void)
{
	memset(&fake, 0, sizeof(fake));
	pl011_init(&uart, &backend, &fake);
}

static uint64_t rd(uint64_t off)
{
	struct mmio_read r = pl011_ops.read(&uart, off, 4);

	if (r.err != 0) {
		test_fail(__FILE__, __LINE__, "read 0x%x failed", (unsigned)off);
	}
	if (uart.lock.held) {
		test_fail(__FILE__, __LINE__, "lock left held");
	}
	return r.value;
}

static void wr(uint64_t off, uint64_t v)
{
	if (pl011_ops.write(&uart, off, 4, v) != 0) {
		test_fail(__FILE__, __LINE__, "write 0x%x failed", (unsigned)off);
	}
}

TEST(pl011, reset_values)
{
	static const uint8_t id[8] = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

	setup();
	EXPECT_EQ(rd(CR), 0x300);
	EXPECT_EQ(rd(IFLS), 0x12);
	EXPECT_EQ(rd(FR), FR_TXFE | FR_RXFE);
	EXPECT_EQ(rd(RIS), INT_TX); /* TX FIFO empty: at/below its level */
	EXPECT_EQ(rd(MIS), 0);
	EXPECT_EQ(rd(IMSC), 0);
	EXPECT_EQ(rd(LCR_H), 0);
	EXPECT_EQ(rd(DR), 0); /* empty FIFO reads 0 */
	for (unsigned i = 0; i < 8; i++) {
		EXPECT_EQ(rd(0xFE0 + 4 * i), id[i]);
	}
	EXPECT_FALSE(fake.level);
	EXPECT_EQ(fake.irq_calls, 0);
}

TEST(pl011, bad_accesses_are_rejected)
{
	setup();
	EXPECT_EQ(pl011_ops.read(&uart, FR, 8).err, -EINVAL);
	EXPECT_EQ(pl011_ops.read(&uart, FR, 3).err, -EINVAL);
	EXPECT_EQ(pl011_ops.read(&uart, FR + 2, 4).err, -EINVAL);
	EXPECT_EQ(pl011_ops.read(&uart, FR + 1, 2).err, -EINVAL);
	EXPECT_EQ(pl011_ops.write(&uart, DR, 8, 'x'), -EINVAL);
	EXPECT_EQ(pl011_ops.write(&uart, DR + 1, 2, 'x'), -EINVAL);
	EXPECT_EQ(pl011_ops.read(&uart, 0x1000, 4).err, -EINVAL);
	EXPECT_EQ(fake.tx_count, 0);
	EXPECT_FALSE(uart.lock.held);
}

TEST(pl011, unknown_offsets_raz_wi)
{
	setup();
	for (uint64_t off = 0x008; off < 0x018; off += 4) {
		wr(off, 0xffffffff);
		EXPECT_EQ(rd(off), 0);
	}
	wr(0x04C, 0xffffffff);
	EXPECT_EQ(rd(0x04C), 0);
	wr(0xFFC, 0); /* PCellID3 is read-only */
	EXPECT_EQ(rd(0xFFC), 0xB1);
	wr(FR, 0xffffffff); /* read-only */
	EXPECT_EQ(rd(FR), FR_TXFE | FR_RXFE);
	EXPECT_EQ(rd(ICR), 0); /* write-only */
	EXPECT_EQ(fake.tx_count, 0);
}

TEST(pl011, plain_registers_keep_writable_bits)
{
	setup();
	wr(IBRD, 0x12345678);
	EXPECT_EQ(rd(IBRD), 0x5678);
	wr(FBRD, 0xff);
	EXPECT_EQ(rd(FBRD), 0x3f);
	wr(LCR_H, 0x170);
	EXPECT_EQ(rd(LCR_H), 0x70);
	wr(ILPR, 0x1ff);
	EXPECT_EQ(rd(ILPR), 0xff);
	wr(IFLS, 0xff);
	EXPECT_EQ(rd(IFLS), 0x3f);
	wr(DMACR, 0xff);
	EXPECT_EQ(rd(DMACR), 0x7);
	wr(IMSC, 0xffffffff);
	EXPECT_EQ(rd(IMSC), 0x7ff);
	wr(RIS, 0); /* read-only */
	EXPECT_EQ(rd(RIS), INT_TX);
}

TEST(pl011, sub_word_accesses)
{
	struct mmio_read r;

	setup();
	EXPECT_EQ(pl011_ops.write(&uart, DR, 1, 'A'), 0); /* earlycon's strb */
	EXPECT_EQ(pl011_ops.write(&uart, DR, 2, 'B'), 0);
	EXPECT_EQ(fake.tx_count, 2);
	EXPECT_EQ(fake.tx[1], 'B');
	r = pl011_ops.read(&uart, CR + 1, 1);
	EXPECT_EQ(r.err, 0);
	EXPECT_EQ(r.value, 0x03);
	EXPECT_EQ(pl011_ops.write(&uart, CR + 1, 1, 0x01), 0); /* bits 15:8 only */
	EXPECT_EQ(rd(CR), 0x100);
	EXPECT_EQ(pl011_ops.write(&uart, CR, 1, 0x01), 0);
	EXPECT_EQ(rd(CR), 0x101);
	r = pl011_ops.read(&uart, FR, 2);
	EXPECT_EQ(r.err, 0);
	EXPECT_EQ(r.value, FR_TXFE | FR_RXFE);
	EXPECT_EQ(pl011_ops.write(&uart, DR + 2, 2, 'C'), 0); /* upper half: no byte */
	EXPECT_EQ(fake.tx_count, 2);
}

TEST(pl011, transmit_and_tx_interrupt)
{
	setup();
	wr(DR, 'h');
	wr(DR, 0x100 | 'i'); /* only bits 7:0 are data */
	EXPECT_EQ(fake.tx_count, 2);
	EXPECT_EQ(memcmp(fake.tx, "hi", 2), 0);
	EXPECT_EQ(rd(FR) & (FR_TXFF | FR_TXFE), FR_TXFE);
	wr(IMSC, INT_TX); /* Linux unmasks TXIM once it has written: the interrupt must come */
	EXPECT_TRUE(fake.level);
	EXPECT_EQ(rd(MIS), INT_TX);
	wr(ICR, INT_TX);
	EXPECT_FALSE(fake.level);
	EXPECT_EQ(rd(RIS), 0);
	wr(DR, '!'); /* each transmitted byte raises TXRIS again */
	EXPECT_TRUE(fake.level);
	wr(IMSC, 0); /* pl011_stop_tx masks TXIM when the ring is empty */
	EXPECT_FALSE(fake.level);
	EXPECT_EQ(fake.irq_calls, 4);
}

TEST(pl011, receive_and_drain_like_linux)
{
	const char *msg = "ls\r";

	setup();
	/* pl011_hwinit/enable_interrupts: clear, drain, unmask RX and RT. */
	wr(ICR, 0x7ff);
	wr(LCR_H, 0x70); /* 8N1 FIFO on */
	wr(IMSC, INT_RX | INT_RT);
	EXPECT_FALSE(fake.level);
	for (unsigned i = 0; i < 3; i++) {
		EXPECT_TRUE(pl011_rx_push(&uart, (uint8_t)msg[i]));
	}
	EXPECT_TRUE(fake.level); /* receive timeout: below the RX trigger level */
	EXPECT_EQ(rd(MIS), INT_RT);
	EXPECT_EQ(rd(FR) & FR_RXFE, 0);
	/* pl011_fifo_to_tty: read DR until RXFE. */
	for (unsigned i = 0; i < 3; i++) {
		EXPECT_EQ(rd(DR), (uint8_t)msg[i]);
	}
	EXPECT_EQ(rd(FR) & FR_RXFE, FR_RXFE);
	EXPECT_EQ(rd(MIS), 0);
	EXPECT_FALSE(fake.level);
}

TEST(pl011, rx_trigger_level)
{
	setup();
	wr(LCR_H, LCR_H_FEN);
	wr(IMSC, INT_RX);
	for (unsigned i = 0; i < 15; i++) {
		EXPECT_TRUE(pl011_rx_push(&uart, (uint8_t)i));
	}
	EXPECT_EQ(rd(RIS) & INT_RX, 0); /* IFLS reset: 1/2 of 32 */
	EXPECT_FALSE(fake.level);
	EXPECT_TRUE(pl011_rx_push(&uart, 15));
	EXPECT_EQ(rd(RIS) & INT_RX, INT_RX);
	EXPECT_TRUE(fake.level);
	EXPECT_EQ(rd(DR), 0);
	EXPECT_EQ(rd(RIS) & INT_RX, 0); /* 15 left: below the level */
	EXPECT_FALSE(fake.level);
	wr(IFLS, 0); /* 1/8: 4 bytes */
	EXPECT_TRUE(pl011_rx_push(&uart, 16));
	EXPECT_TRUE(fake.level);
}

TEST(pl011, fifo_full_and_fifo_disabled)
{
	setup();
	/* LCR_H.FEN = 0: a one-byte holding register. */
	EXPECT_EQ(pl011_rx_space(&uart), 1);
	EXPECT_TRUE(pl011_rx_push(&uart, 'a'));
	EXPECT_FALSE(pl011_rx_push(&uart, 'b'));
	EXPECT_EQ(pl011_rx_space(&uart), 0);
	EXPECT_EQ(rd(FR) & (FR_RXFF | FR_RXFE), FR_RXFF);
	EXPECT_EQ(rd(RIS) & INT_RX, INT_RX); /* trigger level is one byte */
	EXPECT_EQ(rd(DR), 'a');
	wr(LCR_H, LCR_H_FEN);
	EXPECT_EQ(pl011_rx_space(&uart), PL011_FIFO_DEPTH);
	for (unsigned i = 0; i < PL011_FIFO_DEPTH; i++) {
		EXPECT_TRUE(pl011_rx_push(&uart, (uint8_t)i));
	}
	EXPECT_FALSE(pl011_rx_push(&uart, 0xff));
	EXPECT_EQ(rd(FR) & FR_RXFF, FR_RXFF);
	for (unsigned i = 0; i < PL011_FIFO_DEPTH; i++) {
		EXPECT_EQ(rd(DR), i); /* order kept across the ring wrap */
	}
	EXPECT_EQ(rd(FR) & FR_RXFE, FR_RXFE);
}

TEST(pl011, icr_clears_rt_until_next_push)
{
	setup();
	wr(LCR_H, LCR_H_FEN);
	wr(IMSC, INT_RT);
	EXPECT_TRUE(pl011_rx_push(&uart, 'x'));
	EXPECT_TRUE(fake.level);
	wr(ICR, INT_RT);
	EXPECT_FALSE(fake.level);
	EXPECT_EQ(rd(FR) & FR_RXFE, 0); /* the byte is still there */
	EXPECT_TRUE(pl011_rx_push(&uart, 'y'));
	EXPECT_TRUE(fake.level);
}

TEST(pl011, loopback_and_overrun)
{
	setup();
	wr(CR, 0x381); /* UARTEN | LBE | TXE | RXE */
	wr(DR, 'L');
	EXPECT_EQ(fake.tx_count, 0);
	EXPECT_EQ(rd(FR) & FR_RXFE, 0);
	wr(DR, 'M'); /* FIFO off: holding register full, overrun */
	EXPECT_EQ(rd(RSR), 0x8);
	EXPECT_EQ(rd(RIS) & INT_OE, INT_OE);
	EXPECT_EQ(rd(DR), 'L');
	wr(RSR, 0); /* UARTECR: any write clears */
	EXPECT_EQ(rd(RSR), 0);
}

TEST(pl011, reset_drops_the_line)
{
	setup();
	wr(IMSC, INT_TX);
	EXPECT_TRUE(fake.level);
	EXPECT_TRUE(pl011_rx_push(&uart, 'z'));
	pl011_reset(&uart);
	EXPECT_FALSE(fake.level);
	EXPECT_EQ(rd(IMSC), 0);
	EXPECT_EQ(rd(FR), FR_TXFE | FR_RXFE);
	EXPECT_EQ(rd(RIS), INT_TX);
	EXPECT_FALSE(uart.lock.held);
}

TEST(pl011, no_backend_callbacks)
{
	static const struct pl011_backend none = {NULL, NULL, NULL};

	pl011_init(&uart, &none, NULL);
	wr(IMSC, INT_TX);
	wr(DR, 'q');
	EXPECT_TRUE(uart.irq_level);
	pl011_init(&uart, NULL, NULL);
	wr(DR, 'q');
	EXPECT_EQ(rd(RIS), INT_TX);
}

/* Reading UARTDR tells the backend the FIFO may have room (console back-pressure); FR does not. */
TEST(pl011, dr_read_reports_rx_drained)
{
	setup();
	EXPECT_TRUE(pl011_rx_push(&uart, 'a'));
	(void)rd(FR);
	EXPECT_EQ(fake.drained, 0);
	EXPECT_EQ(rd(DR) & 0xff, 'a');
	EXPECT_EQ(fake.drained, 1);
}
