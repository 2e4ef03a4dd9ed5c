// SPDX-License-Identifier: Apache-2.0
/*
 * Emulated Arm PrimeCell UART PL011 (ARM DDI0183G, r1p5). Pure model: (offset, width, value)
 * in, value out. Transmission is instant, so the TX FIFO is always empty; received bytes wait
 * in a 32-entry FIFO (a 1-byte holding register while LCR_H.FEN is 0).
 *
 * Locking: p->lock protects every field. The backend's tx() and irq() are called with it held,
 * so they must not call back into this model (pl011_rx_push() from tx() would deadlock).
 * Lock order: pl011->lock before vgic->lock (include/hyp/spinlock.h).
 */
#include "vdev/uart/pl011.h"

#include "hyp/errno.h"
#include "hyp/string.h"

/* Register offsets, PL011 DDI0183G §3.2 Table 3-1. */
#define UARTDR 0x000U
#define UARTRSR 0x004U /* UARTECR on write */
#define UARTFR 0x018U
#define UARTILPR 0x020U
#define UARTIBRD 0x024U
#define UARTFBRD 0x028U
#define UARTLCR_H 0x02CU
#define UARTCR 0x030U
#define UARTIFLS 0x034U
#define UARTIMSC 0x038U
#define UARTRIS 0x03CU
#define UARTMIS 0x040U
#define UARTICR 0x044U
#define UARTDMACR 0x048U
#define UARTPERIPHID0 0xFE0U

/* UARTFR bits, PL011 DDI0183G §3.3.3. */
#define FR_BUSY BIT(3)
#define FR_RXFE BIT(4)
#define FR_TXFF BIT(5)
#define FR_RXFF BIT(6)
#define FR_TXFE BIT(7)
/* UARTLCR_H.FEN, §3.3.7; UARTCR.LBE, §3.3.8; UARTRSR.OE, §3.3.2. */
#define LCR_H_FEN BIT(4)
#define CR_LBE BIT(7)
#define RSR_OE BIT(3)
/* Interrupt bits shared by IMSC, RIS, MIS and ICR, §3.3.10-3.3.13. */
#define INT_RX BIT(4)
#define INT_TX BIT(5)
#define INT_RT BIT(6)
#define INT_OE BIT(10)
#define INT_ALL 0x7FFU
/* Reset values, §3.2 Table 3-1: TXE and RXE set; both FIFO levels at 1/2. */
#define CR_RESET 0x300U
#define IFLS_RESET 0x12U
#define IFLS_RX_SHIFT 3

/* A register of the table below. Plain registers just store their writable bits. */
struct pl011_reg {
	uint16_t offset;
	uint16_t field; /* offsetof() the backing register, for plain reads and writes */
	uint32_t wmask; /* writable bits of a plain register */
	uint32_t (*read)(struct pl011 *p);
	void (*write)(struct pl011 *p, uint32_t value, uint32_t lanes);
};

/* UARTPeriphID0-3 and UARTPCellID0-3, §3.3.15-3.3.16: part 0x011, designer Arm, rev 1. */
static const uint8_t pl011_id[8] = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

static unsigned fifo_depth(const struct pl011 *p)
{
	return (p->lcr_h & LCR_H_FEN) ? PL011_FIFO_DEPTH : 1U;
}

/* Receive trigger level, UARTIFLS.RXIFLSEL §3.3.9: 1/8, 1/4, 1/2, 3/4, 7/8 full. */
static unsigned rx_trigger(const struct pl011 *p)
{
	static const uint8_t eighths[8] = {1, 2, 4, 6, 7, 4, 4, 4}; /* 5-7 reserved: 1/2 */

	if (!(p->lcr_h & LCR_H_FEN)) {
		return 1U;
	}
	return PL011_FIFO_DEPTH * eighths[(p->ifls >> IFLS_RX_SHIFT) & 7U] / 8U;
}

/* UARTINTR is the OR of the masked interrupts (§3.4.6); tell the backend when it changes. */
static void irq_update_locked(struct pl011 *p)
{
	bool level = (p->ris & p->imsc) != 0;

	if (level != p->irq_level) {
		p->irq_level = level;
		if (p->be && p->be->irq) {
			p->be->irq(p->be_ctx, level);
		}
	}
}

/*
 * A byte enters the RX FIFO. RXRIS is set while the FIFO is at or above its trigger level
 * (§3.4.2). We have no bit timing for the receive timeout (§3.4.4), so RTRIS is raised on
 * every byte and drops when the FIFO empties or ICR clears it.
 */
static bool rx_push_locked(struct pl011 *p, uint8_t byte)
{
	if (p->rx_count >= fifo_depth(p)) {
		return false;
	}
	p->rx_fifo[(p->rx_head + p->rx_count) % PL011_FIFO_DEPTH] = byte;
	p->rx_count++;
	p->ris |= INT_RT;
	if (p->rx_count >= rx_trigger(p)) {
		p->ris |= INT_RX;
	}
	return true;
}

/* UARTDR read, §3.3.1: pop one byte (no error bits: nothing is ever lost on the way in). */
static uint32_t dr_read(struct pl011 *p)
{
	uint8_t byte;

	if (p->rx_count == 0) {
		return 0;
	}
	byte = p->rx_fifo[p->rx_head];
	p->rx_head = (p->rx_head + 1U) % PL011_FIFO_DEPTH;
	p->rx_count--;
	if (p->rx_count < rx_trigger(p)) {
		p->ris &= ~(uint32_t)INT_RX;
	}
	if (p->rx_count == 0) {
		p->ris &= ~(uint32_t)INT_RT;
	}
	return byte;
}

/*
 * UARTDR write, §3.3.1: the byte leaves at once, so the TX FIFO is back at/below its trigger
 * level and TXRIS is set again (§3.4.3); Linux's amba-pl011 waits for that interrupt after it
 * unmasks TXIM. With UARTCR.LBE (§3.3.8) the byte loops back into the RX FIFO instead.
 */
static void dr_write(struct pl011 *p, uint32_t value, uint32_t lanes)
{
	if (!(lanes & 0xFFU)) {
		return;
	}
	if (p->cr & CR_LBE) {
		if (!rx_push_locked(p, (uint8_t)value)) {
			p->rsr |= RSR_OE; /* §3.3.2: overrun, the FIFO keeps its contents */
			p->ris |= INT_OE;
		}
	} else if (p->be && p->be->tx) {
		p->be->tx(p->be_ctx, (uint8_t)value);
	}
	p->ris |= INT_TX;
}

/* UARTECR, §3.3.2: any write clears the error bits. */
static void ecr_write(struct pl011 *p, uint32_t value __unused, uint32_t lanes __unused)
{
	p->rsr = 0;
}

/* UARTFR, §3.3.3: the TX side is always empty and idle. */
static uint32_t fr_read(struct pl011 *p)
{
	uint32_t fr = FR_TXFE;

	if (p->rx_count == 0) {
		fr |= FR_RXFE;
	}
	if (p->rx_count >= fifo_depth(p)) {
		fr |= FR_RXFF;
	}
	return fr;
}

/* UARTMIS, §3.3.12. */
static uint32_t mis_read(struct pl011 *p)
{
	return p->ris & p->imsc;
}

/* UARTICR, §3.3.13: write-one-to-clear. */
static void icr_write(struct pl011 *p, uint32_t value, uint32_t lanes)
{
	p->ris &= ~(value & lanes);
}

static void read_only(struct pl011 *p __unused, uint32_t value __unused, uint32_t lanes __unused)
{
}

#define F(reg) ((uint16_t)offsetof(struct pl011, reg))

/* The register file, PL011 DDI0183G §3.2 Table 3-1, sorted by offset. */
static const struct pl011_reg pl011_regs[] = {
    {UARTDR, 0, 0, dr_read, dr_write},	      /* §3.3.1 */
    {UARTRSR, F(rsr), 0, NULL, ecr_write},    /* §3.3.2 */
    {UARTFR, 0, 0, fr_read, read_only},	      /* §3.3.3 */
    {UARTILPR, F(ilpr), 0xFFU, NULL, NULL},   /* §3.3.4 */
    {UARTIBRD, F(ibrd), 0xFFFFU, NULL, NULL}, /* §3.3.5 */
    {UARTFBRD, F(fbrd), 0x3FU, NULL, NULL},   /* §3.3.6 */
    {UARTLCR_H, F(lcr_h), 0xFFU, NULL, NULL}, /* §3.3.7 */
    {UARTCR, F(cr), 0xFF87U, NULL, NULL},     /* §3.3.8, bits 6:3 reserved */
    {UARTIFLS, F(ifls), 0x3FU, NULL, NULL},   /* §3.3.9 */
    {UARTIMSC, F(imsc), INT_ALL, NULL, NULL}, /* §3.3.10 */
    {UARTRIS, F(ris), 0, NULL, read_only},    /* §3.3.11 */
    {UARTMIS, 0, 0, mis_read, read_only},     /* §3.3.12 */
    {UARTICR, 0, 0, NULL, icr_write},	      /* §3.3.13, write-only: RAZ */
    {UARTDMACR, F(dmacr), 0x7U, NULL, NULL},  /* §3.3.14 */
};

static uint32_t *reg_field(struct pl011 *p, const struct pl011_reg *r)
{
	return (uint32_t *)((uint8_t *)p + r->field);
}

static const struct pl011_reg *reg_find(uint64_t offset)
{
	for (size_t i = 0; i < ARRAY_SIZE(pl011_regs); i++) {
		if (pl011_regs[i].offset == offset) {
			return &pl011_regs[i];
		}
	}
	return NULL;
}

/* A 32-bit register read; unknown offsets read as zero. */
static uint32_t reg_read_locked(struct pl011 *p, uint64_t offset)
{
	const struct pl011_reg *r = reg_find(offset);

	if (offset >= UARTPERIPHID0 && offset < PL011_MMIO_SIZE) {
		return pl011_id[(offset - UARTPERIPHID0) / 4U];
	}
	if (!r) {
		return 0;
	}
	if (r->read) {
		return r->read(p);
	}
	return r->field ? *reg_field(p, r) : 0;
}

/* A write of the byte lanes set in lanes; unknown offsets ignore it. */
static void reg_write_locked(struct pl011 *p, uint64_t offset, uint32_t value, uint32_t lanes)
{
	const struct pl011_reg *r = reg_find(offset);
	uint32_t *f;

	if (!r) {
		return;
	}
	if (r->write) {
		r->write(p, value, lanes);
		return;
	}
	f = reg_field(p, r);
	*f = (*f & ~(lanes & r->wmask)) | (value & lanes & r->wmask);
}

/* Accesses of 1, 2 or 4 bytes, naturally aligned, inside the 4 KiB window (§3.1). */
static bool access_is_valid(uint64_t offset, unsigned width)
{
	return (width == 1 || width == 2 || width == 4) && (offset & (width - 1U)) == 0 &&
	       offset < PL011_MMIO_SIZE;
}

static uint32_t width_mask(unsigned width)
{
	return width == 4 ? 0xFFFFFFFFU : (1U << (8U * width)) - 1U;
}

static struct mmio_read pl011_read(void *dev, uint64_t offset, unsigned width)
{
	struct pl011 *p = dev;
	unsigned shift = (unsigned)(offset & 3U) * 8U;
	uint64_t value;

	if (!access_is_valid(offset, width)) {
		return MMIO_READ_REFUSED(-EINVAL);
	}
	spin_lock(&p->lock);
	value = (reg_read_locked(p, offset & ~3ULL) >> shift) & width_mask(width);
	irq_update_locked(p); /* a DR read may drop RXRIS/RTRIS */
	spin_unlock(&p->lock);
	if ((offset & ~3ULL) == 0 && p->be && p->be->rx_drained) {
		p->be->rx_drained(p->be_ctx); /* UARTDR read: a byte left the FIFO */
	}
	return MMIO_READ_OK(value);
}

static int pl011_write(void *dev, uint64_t offset, unsigned width, uint64_t value)
{
	struct pl011 *p = dev;
	unsigned shift = (unsigned)(offset & 3U) * 8U;

	if (!access_is_valid(offset, width)) {
		return -EINVAL;
	}
	spin_lock(&p->lock);
	reg_write_locked(p, offset & ~3ULL, (uint32_t)(value & width_mask(width)) << shift,
			 width_mask(width) << shift);
	irq_update_locked(p);
	spin_unlock(&p->lock);
	return 0;
}

/** Model ops for the PL011_MMIO_SIZE window; dev is the struct pl011. */
const struct vdev_ops pl011_ops = {
    .read = pl011_read,
    .write = pl011_write,
};

/** Bind the backend and put the registers in their reset state; the line starts low. */
void pl011_init(struct pl011 *p, const struct pl011_backend *be, void *ctx)
{
	memset(p, 0, sizeof(*p)); /* also the lock: SPINLOCK_INIT is all-zero */
	p->be = be;
	p->be_ctx = ctx;
	pl011_reset(p);
}

/** Registers back to their reset values (§3.2 Table 3-1), FIFO emptied (guest reboot). */
void pl011_reset(struct pl011 *p)
{
	spin_lock(&p->lock);
	p->rx_head = 0;
	p->rx_count = 0;
	p->rsr = p->ilpr = p->ibrd = p->fbrd = p->lcr_h = p->imsc = p->dmacr = 0;
	p->cr = CR_RESET;
	p->ifls = IFLS_RESET;
	p->ris = INT_TX; /* the empty TX FIFO is below its trigger level (§3.4.3) */
	irq_update_locked(p);
	spin_unlock(&p->lock);
}

/** Queue one received byte; false (byte not taken) when the FIFO is full. */
bool pl011_rx_push(struct pl011 *p, uint8_t byte)
{
	bool taken;

	spin_lock(&p->lock);
	taken = rx_push_locked(p, byte);
	irq_update_locked(p);
	spin_unlock(&p->lock);
	return taken;
}

/** Free FIFO entries (of one while the FIFO is disabled, LCR_H.FEN = 0). */
unsigned pl011_rx_space(struct pl011 *p)
{
	unsigned space;

	spin_lock(&p->lock);
	space = p->rx_count < fifo_depth(p) ? fifo_depth(p) - p->rx_count : 0;
	spin_unlock(&p->lock);
	return space;
}
