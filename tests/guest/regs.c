// SPDX-License-Identifier: Apache-2.0
/*
 * Every general register survives an emulated access, whichever register the access names.
 * Tessera's light path saves x9-x15 and x18-x29 only when the access's Rt is one of them (its
 * C code keeps those), so each probe below fills x0-x30 with a pattern (x9 holds the address),
 * makes one trapped access through a register the path always saves (x2, x16), one it saves
 * only then (x12, x18, x21, x13, x10) or the link register (x30), and dumps all 31 registers:
 * Rt must hold what the device returned, every other register its pattern. Data aborts (a GICD
 * read, a GICD write) and MSR/MRS (CNTP_CTL_EL0, RAZ/WI under Tessera) are covered. Register 31
 * is XZR: a load into it changes no register, and a store from it writes 0 even right after a
 * load into it (Tessera parks such a load's value in a slot a store must never read).
 *
 * expect: ldr_x2 ldr_x12 ldr_x16 ldr_x18 ldr_x21 ldr_x30 str_x21 str_x21_value str_x13
 * expect: str_x13_value mrs_x21 mrs_x10 msr_x2 ldr_xzr str_xzr str_xzr_value mrs_xzr
 */
#include <stdint.h>

#include "guest/gic.h"
#include "guest/sysreg.h"
#include "guest/test.h"

const char guest_name[] = "regs";

#define NR_GPRS 31
#define PATTERN(i) (0xa000ULL + (i))		       /* what x<i> holds around the access */
#define ADDR_REG 9				       /* x9 holds the address */
#define PRIO_WORD (GICD_BASE + GICD_IPRIORITYR + 32U)  /* INTIDs 32-35 */
#define PRIO_OTHER (GICD_BASE + GICD_IPRIORITYR + 36U) /* INTIDs 36-39, the reference */

/* probe(out, addr): x0-x30 = PATTERN(i), x9 = addr; one instruction; x0-x30 -> out[0..30]. */
#define PROBE(name, insn)                                                                          \
	__asm__(".text\n.balign 4\n.global " #name "\n" #name ":\n"                                \
		"sub sp, sp, #368\n"                                                               \
		"stp x19, x20, [sp, #272]\nstp x21, x22, [sp, #288]\nstp x23, x24, [sp, #304]\n"   \
		"stp x25, x26, [sp, #320]\nstp x27, x28, [sp, #336]\nstp x29, x30, [sp, #352]\n"   \
		"str x0, [sp, #256]\nmov x9, x1\n"                                                 \
		"mov x0, #0xa000\nadd x1, x0, #1\nadd x2, x0, #2\nadd x3, x0, #3\n"                \
		"add x4, x0, #4\nadd x5, x0, #5\nadd x6, x0, #6\nadd x7, x0, #7\n"                 \
		"add x8, x0, #8\nadd x10, x0, #10\nadd x11, x0, #11\nadd x12, x0, #12\n"           \
		"add x13, x0, #13\nadd x14, x0, #14\nadd x15, x0, #15\nadd x16, x0, #16\n"         \
		"add x17, x0, #17\nadd x18, x0, #18\nadd x19, x0, #19\nadd x20, x0, #20\n"         \
		"add x21, x0, #21\nadd x22, x0, #22\nadd x23, x0, #23\nadd x24, x0, #24\n"         \
		"add x25, x0, #25\nadd x26, x0, #26\nadd x27, x0, #27\nadd x28, x0, #28\n"         \
		"add x29, x0, #29\nadd x30, x0, #30\n" insn "\n"                                   \
		"stp x0, x1, [sp, #0]\nstp x2, x3, [sp, #16]\nstp x4, x5, [sp, #32]\n"             \
		"stp x6, x7, [sp, #48]\nstp x8, x9, [sp, #64]\nstp x10, x11, [sp, #80]\n"          \
		"stp x12, x13, [sp, #96]\nstp x14, x15, [sp, #112]\nstp x16, x17, [sp, #128]\n"    \
		"stp x18, x19, [sp, #144]\nstp x20, x21, [sp, #160]\nstp x22, x23, [sp, #176]\n"   \
		"stp x24, x25, [sp, #192]\nstp x26, x27, [sp, #208]\nstp x28, x29, [sp, #224]\n"   \
		"str x30, [sp, #240]\n"                                                            \
		"ldr x0, [sp, #256]\nmov x1, #0\n"                                                 \
		"1: ldr x2, [sp, x1, lsl #3]\nstr x2, [x0, x1, lsl #3]\nadd x1, x1, #1\n"          \
		"cmp x1, #31\nb.ne 1b\n"                                                           \
		"ldp x19, x20, [sp, #272]\nldp x21, x22, [sp, #288]\nldp x23, x24, [sp, #304]\n"   \
		"ldp x25, x26, [sp, #320]\nldp x27, x28, [sp, #336]\nldp x29, x30, [sp, #352]\n"   \
		"add sp, sp, #368\nret\n");                                                        \
	void name(uint64_t *out, uintptr_t addr)

PROBE(probe_ldr_x2, "ldr w2, [x9]");
PROBE(probe_ldr_x12, "ldr w12, [x9]");
PROBE(probe_ldr_x16, "ldr w16, [x9]");
PROBE(probe_ldr_x18, "ldr w18, [x9]");
PROBE(probe_ldr_x21, "ldr w21, [x9]");
PROBE(probe_ldr_x30, "ldr w30, [x9]");
PROBE(probe_str_x21, "str w21, [x9]");
PROBE(probe_str_x13, "str w13, [x9]");
PROBE(probe_mrs_x21, "mrs x21, cntp_ctl_el0");
PROBE(probe_mrs_x10, "mrs x10, cntp_ctl_el0");
PROBE(probe_msr_x2, "msr cntp_ctl_el0, x2");
PROBE(probe_ldr_xzr, "ldr wzr, [x9]");
PROBE(probe_str_xzr, "str wzr, [x9]");
PROBE(probe_mrs_xzr, "mrs xzr, cntp_ctl_el0");

#define NO_RT NR_GPRS /* register 31: every register keeps its pattern */

/* Every register but rt holds its pattern (x9 the address), and rt holds want. */
static void check_regs(const uint64_t *r, uintptr_t addr, unsigned rt, uint64_t want,
		       const char *name)
{
	for (unsigned i = 0; i < NR_GPRS; i++) {
		uint64_t exp = i == rt ? want : i == ADDR_REG ? addr : PATTERN(i);

		if (r[i] != exp) {
			test_checkf(false, name, "x%u = %#lx, want %#lx", i, r[i], exp);
			return;
		}
	}
	test_checkf(true, name, "x0-x30 as expected");
}

static void probe_and_check(void (*probe)(uint64_t *, uintptr_t), uintptr_t addr, unsigned rt,
			    uint64_t want, const char *name)
{
	uint64_t r[NR_GPRS];

	probe(r, addr);
	check_regs(r, addr, rt, want, name);
}

void guest_main(void)
{
	uint64_t typer = mmio_read32(GICD_BASE + GICD_TYPER);
	uint64_t ctl = read_sysreg(cntp_ctl_el0) & ~(uint64_t)4; /* ISTATUS is read-only */

	probe_and_check(probe_ldr_x2, GICD_BASE + GICD_TYPER, 2, typer, "ldr_x2");
	probe_and_check(probe_ldr_x12, GICD_BASE + GICD_TYPER, 12, typer, "ldr_x12");
	probe_and_check(probe_ldr_x16, GICD_BASE + GICD_TYPER, 16, typer, "ldr_x16");
	probe_and_check(probe_ldr_x18, GICD_BASE + GICD_TYPER, 18, typer, "ldr_x18");
	probe_and_check(probe_ldr_x21, GICD_BASE + GICD_TYPER, 21, typer, "ldr_x21");
	probe_and_check(probe_ldr_x30, GICD_BASE + GICD_TYPER, 30, typer, "ldr_x30");
	/* The store's value is Rt's pattern: the word must read back as the same write does. */
	mmio_write32(PRIO_OTHER, (uint32_t)PATTERN(21));
	probe_and_check(probe_str_x21, PRIO_WORD, 21, PATTERN(21), "str_x21");
	check_eq(mmio_read32(PRIO_WORD), mmio_read32(PRIO_OTHER), "str_x21_value");
	mmio_write32(PRIO_OTHER, (uint32_t)PATTERN(13));
	probe_and_check(probe_str_x13, PRIO_WORD, 13, PATTERN(13), "str_x13");
	check_eq(mmio_read32(PRIO_WORD), mmio_read32(PRIO_OTHER), "str_x13_value");
	probe_and_check(probe_mrs_x21, 0, 21, ctl, "mrs_x21");
	probe_and_check(probe_mrs_x10, 0, 10, ctl, "mrs_x10");
	probe_and_check(probe_msr_x2, 0, 2, PATTERN(2), "msr_x2");
	probe_and_check(probe_ldr_xzr, GICD_BASE + GICD_TYPER, NO_RT, 0, "ldr_xzr");
	mmio_write32(PRIO_WORD, 0xa0a0a0a0U);
	probe_and_check(probe_str_xzr, PRIO_WORD, NO_RT, 0, "str_xzr");
	check_eq(mmio_read32(PRIO_WORD), 0, "str_xzr_value");
	probe_and_check(probe_mrs_xzr, 0, NO_RT, 0, "mrs_xzr");
	write_sysreg(cntp_ctl_el0, 0); /* the physical timer stays off (bare QEMU runs it) */
}
