// SPDX-License-Identifier: Apache-2.0
/*
 * Accesses to IPAs with neither RAM nor a device: Tessera reflects each as a synchronous
 * external abort taken at EL1 (ARM DDI0487 K.a, ESR_EL1: EC 0x25 data abort from the same EL,
 * DFSC 0x10), FAR_EL1 = the address, ELR_EL1 = the access, WnR set for the store. The guest
 * skips the instruction and continues.
 *
 * expect: load_ec load_dfsc load_far load_elr load_wnr store_ec store_dfsc store_far store_elr
 * expect: store_wnr hole_load_ec hole_load_dfsc hole_load_far resumed
 * bare-xfail: load_ec load_dfsc load_far load_elr load_wnr store_ec store_dfsc store_far
 * bare-xfail: store_elr store_wnr resumed (QEMU has virtio-mmio at 0x0A000000)
 */
#include <stdbool.h>
#include <stdint.h>

#include "guest/exc.h"
#include "guest/test.h"

const char guest_name[] = "abort";

/* The contract's example hole. */
#define HOLE_ADDR 0x0a000000UL
/* A second hole, unmapped on bare QEMU virt too, so the runtime path is checked without Tessera. */
#define HOLE2_ADDR 0x0e000000UL
#define STORE_VALUE 0x5a5a5a5aU

/** Names of one access's checks; NULL entries are skipped. */
struct abort_names {
	const char *ec, *dfsc, *far, *elr, *wnr;
};

static uint64_t do_load(uintptr_t addr)
{
	uint64_t pc;
	uint32_t v;

	__asm__ volatile("adr %0, 1f\n1:\tldr %w1, [%2]"
			 : "=&r"(pc), "=&r"(v)
			 : "r"(addr)
			 : "memory");
	(void)v;
	return pc;
}

static uint64_t do_store(uintptr_t addr)
{
	uint64_t pc;

	__asm__ volatile("adr %0, 1f\n1:\tstr %w1, [%2]"
			 : "=&r"(pc)
			 : "r"(STORE_VALUE), "r"(addr)
			 : "memory");
	return pc;
}

static void check_abort(const struct exc_record *r, uintptr_t addr, uint64_t pc, bool write,
			const struct abort_names *n)
{
	test_checkf(ESR_EC(r->esr) == ESR_EC_DABT_CUR, n->ec, "ESR_EL1 %#lx", r->esr);
	test_checkf(ESR_DABT_DFSC(r->esr) == DFSC_SYNC_EXT_ABORT, n->dfsc, "ESR_EL1 %#lx", r->esr);
	test_checkf(r->far == addr, n->far, "FAR_EL1 %#lx, want %#lx", r->far, (uint64_t)addr);
	if (n->elr != 0) {
		test_checkf(r->elr == pc, n->elr, "ELR_EL1 %#lx, access at %#lx", r->elr, pc);
	}
	if (n->wnr != 0) {
		test_checkf(!(r->esr & ESR_DABT_WNR) == !write, n->wnr, "ESR_EL1 %#lx", r->esr);
	}
}

static unsigned abort_run(uintptr_t addr, bool write, const struct abort_names *n)
{
	struct exc_record r;
	uint64_t pc;

	exc_expect();
	pc = write ? do_store(addr) : do_load(addr);
	if (!exc_expect_done(&r)) {
		test_check(false, n->ec, "no exception taken");
		return 0;
	}
	check_abort(&r, addr, pc, write, n);
	return 1;
}

void guest_main(void)
{
	static const struct abort_names load = {"load_ec", "load_dfsc", "load_far", "load_elr",
						"load_wnr"};
	static const struct abort_names store = {"store_ec", "store_dfsc", "store_far", "store_elr",
						 "store_wnr"};
	static const struct abort_names hole = {"hole_load_ec", "hole_load_dfsc", "hole_load_far",
						0, 0};
	unsigned taken = 0;

	taken += abort_run(HOLE2_ADDR, false, &hole);
	taken += abort_run(HOLE_ADDR, false, &load);
	taken += abort_run(HOLE_ADDR, true, &store);
	test_checkf(taken == 3, "resumed", "%u of 3 aborts taken and skipped", taken);
}
