/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Emulated Arm PrimeCell UART PL011 (ARM DDI0183G). Transmitted bytes go to the backend at once
 * (the FIFO never fills, nothing is lost); received bytes wait in a 32-entry FIFO.
 */
#ifndef VDEV_PL011_H
#define VDEV_PL011_H

#include "hyp/spinlock.h"
#include "hyp/types.h"
#include "hyp/vdev.h"

#define PL011_FIFO_DEPTH 32
#define PL011_MMIO_SIZE 0x1000ULL

/** Where the model's output goes. Both are called with the model's lock held. */
struct pl011_backend {
	void (*tx)(void *ctx, uint8_t byte); /**< the guest transmitted a byte */
	void (*irq)(void *ctx, bool level);  /**< the UARTINTR line changed level */
	/** Optional: the guest read UARTDR, so the receive FIFO may have room again. Called
	 * without the model's lock, so it may push received bytes. */
	void (*rx_drained)(void *ctx);
};

struct pl011 {
	struct spinlock lock;
	uint8_t rx_fifo[PL011_FIFO_DEPTH];
	unsigned rx_head, rx_count;
	uint32_t rsr, ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr;
	bool irq_level;
	const struct pl011_backend *be;
	void *be_ctx;
};

/** Model ops for the PL011_MMIO_SIZE window; dev is the struct pl011. */
extern const struct vdev_ops pl011_ops;

void pl011_init(struct pl011 *p, const struct pl011_backend *be, void *ctx);
/** Registers back to their reset values, FIFO emptied (guest reboot). */
void pl011_reset(struct pl011 *p);
/** Queue one received byte; false (byte not taken) when the FIFO is full. */
bool pl011_rx_push(struct pl011 *p, uint8_t byte);
/** Free FIFO entries. */
unsigned pl011_rx_space(struct pl011 *p);

#endif
