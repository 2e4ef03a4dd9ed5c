// SPDX-License-Identifier: Apache-2.0
/*
 * Traps Tessera answers with UNDEF: each must arrive at EL1 as an exception with EC 0x00
 * ("unknown reason", ARM DDI0487 K.a, ESR_EL1), IL = 1 (that EC reports IL as 1), ELR at the
 * instruction, and the guest must continue after skipping it.
 *   - SVE rdvl with CPACR_EL1.ZEN/FPEN open: SVE is hidden and trapped (CPTR_EL2.TZ)
 *   - mrs ACTLR_EL1: implementation defined, trapped (HCR_EL2.TACR) and not emulated
 *   - msr ICC_SGI0R_EL1: group-0 SGIs are not supported
 * plus a control, udf #0, which is UNDEFINED in hardware and never reaches EL2.
 *
 * expect: udf_ec udf_elr udf_il
 * expect: sve_ec sve_elr sve_il actlr_ec actlr_elr actlr_il sgi0r_ec sgi0r_elr sgi0r_il resumed
 * bare-xfail: sve_ec sve_elr sve_il actlr_ec actlr_elr actlr_il sgi0r_ec sgi0r_elr sgi0r_il
 * bare-xfail: resumed (without Tessera only udf #0 is UNDEFINED)
 */
#include <stdint.h>

#include "guest/exc.h"
#include "guest/sysreg.h"
#include "guest/test.h"

const char guest_name[] = "undef";

/* CPACR_EL1.ZEN [17:16] and FPEN [21:20] = 0b11: no EL1 trap of SVE/FP (ARM DDI0487 K.a). */
#define CPACR_ZEN (3ULL << 16)
#define CPACR_FPEN (3ULL << 20)
#define SGI0R_SELF_SGI15 ((15ULL << 24) | 1ULL)

/** One UNDEF case: run() executes the instruction and returns its address. */
struct undef_case {
	uint64_t (*run)(void);
	const char *ec_name;
	const char *elr_name;
	const char *il_name;
};

static uint64_t run_udf(void)
{
	uint64_t pc;

	/* UDF #0 (ARM DDI0487 K.a, UDF): permanently undefined. */
	__asm__ volatile("adr %0, 1f\n1:\tudf #0" : "=&r"(pc) : : "memory");
	return pc;
}

static uint64_t run_sve(void)
{
	uint64_t pc;
	uint64_t vl;
	uint64_t cpacr = read_sysreg(cpacr_el1);

	write_sysreg(cpacr_el1, cpacr | CPACR_ZEN | CPACR_FPEN);
	isb();
	/* rdvl x?, #1 (SVE): encoded by hand, the base ISA assembler does not know it. */
	__asm__ volatile("adr %0, 1f\n1:\t.inst 0x04bf5020\n\tmov %1, x0"
			 : "=&r"(pc), "=r"(vl)
			 :
			 : "x0", "memory");
	(void)vl;
	write_sysreg(cpacr_el1, cpacr);
	isb();
	return pc;
}

static uint64_t run_actlr(void)
{
	uint64_t pc;
	uint64_t v;

	__asm__ volatile("adr %0, 1f\n1:\tmrs %1, actlr_el1" : "=&r"(pc), "=r"(v) : : "memory");
	(void)v;
	return pc;
}

static uint64_t run_sgi0r(void)
{
	uint64_t pc;

	__asm__ volatile("adr %0, 1f\n1:\tmsr icc_sgi0r_el1, %1\n\tisb"
			 : "=&r"(pc)
			 : "r"(SGI0R_SELF_SGI15)
			 : "memory");
	return pc;
}

static const struct undef_case undef_cases[] = {
    {run_udf, "udf_ec", "udf_elr", "udf_il"},
    {run_sve, "sve_ec", "sve_elr", "sve_il"},
    {run_actlr, "actlr_ec", "actlr_elr", "actlr_il"},
    {run_sgi0r, "sgi0r_ec", "sgi0r_elr", "sgi0r_il"},
};

#define UNDEF_CASE_COUNT (sizeof(undef_cases) / sizeof(undef_cases[0]))

static unsigned undef_run(const struct undef_case *c)
{
	struct exc_record r;
	uint64_t pc;

	exc_expect();
	pc = c->run();
	if (!exc_expect_done(&r)) {
		test_check(false, c->ec_name, "no exception taken");
		return 0;
	}
	test_checkf(ESR_EC(r.esr) == ESR_EC_UNKNOWN, c->ec_name, "ESR_EL1 %#lx", r.esr);
	test_checkf(r.elr == pc, c->elr_name, "ELR_EL1 %#lx, instruction at %#lx", r.elr, pc);
	test_checkf(r.esr & ESR_IL, c->il_name, "ESR_EL1 %#lx", r.esr);
	return 1;
}

void guest_main(void)
{
	unsigned taken = 0;

	for (unsigned i = 0; i < UNDEF_CASE_COUNT; i++) {
		taken += undef_run(&undef_cases[i]);
	}
	test_checkf(taken == UNDEF_CASE_COUNT, "resumed", "%u of %u UNDEFs taken and skipped",
		    taken, (unsigned)UNDEF_CASE_COUNT);
}
