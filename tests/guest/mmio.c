// SPDX-License-Identifier: Apache-2.0
/*
 * Emulated MMIO: the PL011 (ARM DDI0183G) and the GICv3 distributor and redistributors
 * (GICv3 IHI0069 H). Each check is one trapped access, or a write/read pair, that a model must
 * answer as the hardware would.
 *
 * expect: dtb_magic pl011_periph_id pl011_cell_id pl011_fr pl011_dr pl011_imsc_rw
 * expect: gicd_typer gicd_pidr2 gicd_isenabler_set gicd_icenabler_clear gicd_ipriority_byte
 * expect: gicd_ipriority_word gicr0_typer gicr1_typer gicr1_last gicr_pidr2 gicr_waker_wake
 * expect: gicr_ipriority_byte gicr_ipriority_word
 * console: mmio: dr-direct-ok
 */
#include <stdint.h>

#include "guest/console.h"
#include "guest/gic.h"
#include "guest/smp.h"
#include "guest/sysreg.h"
#include "guest/test.h"

const char guest_name[] = "mmio";

#define FDT_MAGIC 0xd00dfeedU
#define RAM_BASE 0x40000000ULL
#define TEST_SPI 40U /* no device behind it on QEMU virt or in the contract */
#define TEST_PPI 20U /* a reserved PPI on QEMU virt: nothing drives it */
#define PRIO_A 0xa0U /* both need only the top 3 priority bits (§4.8: at least 4 exist) */
#define PRIO_B 0x60U
#define POLL_SPINS 100000U

/* PL011 PeriphID0..3 and PCellID0..3 (ARM DDI0183G §3.3.15-3.3.22). */
static const uint8_t pl011_ids[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

static uint32_t be32(uintptr_t addr)
{
	uint32_t v = mmio_read32(addr);

	return __builtin_bswap32(v);
}

static void test_dtb(void)
{
	uint64_t dtb = cpu_entry_state_get(0).x0;

	/* FDT header magic is big-endian (Devicetree Specification v0.4 §5.2). */
	test_checkf(dtb >= RAM_BASE && (dtb & 7) == 0 && be32(dtb) == FDT_MAGIC, "dtb_magic",
		    "x0 at entry %#lx is not a DTB in RAM", dtb);
}

static void test_pl011_ids(void)
{
	uint32_t bad = 0;

	for (unsigned i = 0; i < 4; i++) {
		bad |= mmio_read32(PL011_BASE + PL011_PERIPHID0 + i * 4) ^ pl011_ids[i];
	}
	check_eq(bad, 0, "pl011_periph_id");
	bad = 0;
	for (unsigned i = 0; i < 4; i++) {
		bad |= mmio_read32(PL011_BASE + PL011_CELLID0 + i * 4) ^ pl011_ids[4 + i];
	}
	check_eq(bad, 0, "pl011_cell_id");
}

static bool pl011_tx_drained(void)
{
	for (unsigned i = 0; i < POLL_SPINS; i++) {
		if (mmio_read32(PL011_BASE + PL011_FR) & PL011_FR_TXFE) {
			return true;
		}
	}
	return false;
}

static void test_pl011_regs(void)
{
	static const char msg[] = "mmio: dr-direct-ok\r\n";
	uint32_t fr = mmio_read32(PL011_BASE + PL011_FR);
	uint32_t imsc = mmio_read32(PL011_BASE + PL011_IMSC);

	/* Nothing received, transmitter idle with room (ARM DDI0183G §3.3.3). */
	check_eq(fr & (PL011_FR_RXFE | PL011_FR_TXFF | PL011_FR_BUSY), PL011_FR_RXFE, "pl011_fr");
	/* Raw UARTDR writes, no FR polling: the model must not drop bytes (the harness looks). */
	for (const char *p = msg; *p != '\0'; p++) {
		mmio_write32(PL011_BASE + PL011_DR, (uint8_t)*p);
	}
	/* The contract's model sends each byte at once, so the FIFO is empty again (TXFE). */
	test_checkf(pl011_tx_drained(), "pl011_dr", "UARTFR.TXFE never set after DR writes");
	/* UARTIMSC is read/write (§3.3.10); bit 4 RXIM, masked so no interrupt can fire. */
	mmio_write32(PL011_BASE + PL011_IMSC, 1U << 4);
	check_eq(mmio_read32(PL011_BASE + PL011_IMSC) & 0x7ffU, 1U << 4, "pl011_imsc_rw");
	mmio_write32(PL011_BASE + PL011_IMSC, imsc);
}

static void test_gicd_id(void)
{
	uint32_t typer = mmio_read32(GICD_BASE + GICD_TYPER);

	/*
	 * ITLinesNumber >= 1: INTIDs up to 63 exist (the UART is SPI 33). IDbits >= 9: at least
	 * the 10 bits that INTIDs below 1024 need (GICv3 IHI0069 H §12.9, GICD_TYPER).
	 */
	test_checkf((typer & 0x1fU) >= 1 && ((typer >> 19) & 0x1fU) >= 9, "gicd_typer",
		    "GICD_TYPER %#x", typer);
	check_eq(GIC_PIDR2_ARCHREV(mmio_read32(GICD_BASE + GICD_PIDR2)), 3, "gicd_pidr2");
}

/* One bit per INTID in ISENABLER/ICENABLER; both read back the enable state (§12.9). */
static void test_gicd_enable(void)
{
	uintptr_t set = GICD_BASE + GICD_ISENABLER + (TEST_SPI / 32) * 4;
	uintptr_t clear = GICD_BASE + GICD_ICENABLER + (TEST_SPI / 32) * 4;
	uint32_t bit = 1U << (TEST_SPI % 32);

	mmio_write32(set, bit);
	test_checkf((mmio_read32(set) & bit) && (mmio_read32(clear) & bit), "gicd_isenabler_set",
		    "ISENABLER %#x ICENABLER %#x", mmio_read32(set), mmio_read32(clear));
	mmio_write32(clear, bit);
	test_checkf(!(mmio_read32(set) & bit) && !(mmio_read32(clear) & bit),
		    "gicd_icenabler_clear", "ISENABLER %#x ICENABLER %#x", mmio_read32(set),
		    mmio_read32(clear));
}

/*
 * GICD_IPRIORITYR and GICR_IPRIORITYR are byte-accessible (§12.9, §12.11): a byte write sets
 * one INTID's priority, leaves its neighbours alone, and shows in the 32-bit view.
 */
static void test_priority_bytes(uintptr_t prio, uint32_t intid, const char *byte_name,
				const char *word_name)
{
	uint32_t word;

	mmio_write8(prio + intid + 1, PRIO_B);
	mmio_write8(prio + intid, PRIO_A);
	check_eq(mmio_read8(prio + intid), PRIO_A, byte_name);
	word = mmio_read32(prio + (intid & ~3U));
	check_eq((word >> ((intid & 3U) * 8)) & 0xffffU, (PRIO_B << 8) | PRIO_A, word_name);
}

static void test_gicr_typer(void)
{
	uint64_t t0 = mmio_read64(GICR_BASE + GICR_TYPER);
	uint64_t t1 = mmio_read64(GICR_BASE + GICR_STRIDE + GICR_TYPER);

	/* GICR_TYPER.Affinity_Value = the vCPU's MPIDR affinity; Last marks the final frame. */
	test_checkf((t0 >> GICR_TYPER_AFF_SHIFT) == 0 && !(t0 & GICR_TYPER_LAST), "gicr0_typer",
		    "GICR_TYPER[0] %#lx", t0);
	test_checkf((t1 >> GICR_TYPER_AFF_SHIFT) == 1 &&
			((t1 >> GICR_TYPER_PROC_NUM_SHIFT) & 0xffffU) == 1,
		    "gicr1_typer", "GICR_TYPER[1] %#lx", t1);
	test_checkf(t1 & GICR_TYPER_LAST, "gicr1_last", "GICR_TYPER[1] %#lx", t1);
	check_eq(GIC_PIDR2_ARCHREV(mmio_read32(GICR_BASE + GICR_PIDR2)), 3, "gicr_pidr2");
}

/* GICR_WAKER: clearing ProcessorSleep must clear ChildrenAsleep (§12.11). */
static void test_gicr_waker(void)
{
	uintptr_t waker = GICR_BASE + GICR_WAKER;
	uint32_t v = 0;

	mmio_write32(waker, mmio_read32(waker) & ~GICR_WAKER_PROCESSOR_SLEEP);
	for (unsigned i = 0; i < POLL_SPINS; i++) {
		v = mmio_read32(waker);
		if (!(v & GICR_WAKER_CHILDREN_ASLEEP)) {
			break;
		}
	}
	check_eq(v & (GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP), 0,
		 "gicr_waker_wake");
}

void guest_main(void)
{
	test_dtb();
	test_pl011_ids();
	test_pl011_regs();
	test_gicd_id();
	test_gicd_enable();
	test_priority_bytes(GICD_BASE + GICD_IPRIORITYR, TEST_SPI, "gicd_ipriority_byte",
			    "gicd_ipriority_word");
	test_priority_bytes(GICR_BASE + GICR_SGI_OFFSET + GICR_IPRIORITYR, TEST_PPI,
			    "gicr_ipriority_byte", "gicr_ipriority_word");
	test_gicr_typer();
	test_gicr_waker();
}
