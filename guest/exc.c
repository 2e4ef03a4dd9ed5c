// SPDX-License-Identifier: Apache-2.0
/* Synchronous-exception recording and IRQ dispatch for test guests. */
#include "guest/exc.h"

#include <stdbool.h>

#include "guest/gic.h"
#include "guest/smp.h"
#include "guest/sysreg.h"
#include "guest/test.h"

/* Vector table slots (ARM DDI0487 K.a, "Exception vectors"): current EL with SP_ELx. */
#define VEC_CUR_SPX_SYNC 4U
#define VEC_CUR_SPX_IRQ 5U

/* AArch64 instructions are 4 bytes: skipping one resumes after the faulting instruction. */
#define INSN_SIZE 4U

static volatile struct exc_record exc_records[GUEST_MAX_CPUS];
static volatile bool exc_armed[GUEST_MAX_CPUS];
static uint32_t exc_count_at_expect[GUEST_MAX_CPUS];
static irq_handler_t irq_handlers[GUEST_IRQ_MAX];

/* Slot = origin * 4 + type: SP_EL0, SP_ELx, lower EL AArch64, lower EL AArch32. */
static const char *const vec_types[4] = {"sync", "irq", "fiq", "serror"};
static const char *const vec_origins[4] = {"el1t", "el1h", "el0-64", "el0-32"};

void exc_expect(void)
{
	unsigned cpu = cpu_id();

	exc_count_at_expect[cpu] = exc_records[cpu].count;
	exc_armed[cpu] = true;
}

bool exc_expect_done(struct exc_record *out)
{
	unsigned cpu = cpu_id();
	const volatile struct exc_record *r = &exc_records[cpu];

	exc_armed[cpu] = false;
	*out = (struct exc_record){r->esr, r->far, r->elr, r->count};
	return out->count != exc_count_at_expect[cpu];
}

void irq_register(uint32_t intid, irq_handler_t fn)
{
	if (intid < GUEST_IRQ_MAX) {
		irq_handlers[intid] = fn;
	}
}

static void exc_sync(struct exc_frame *f)
{
	unsigned cpu = cpu_id();
	volatile struct exc_record *r = &exc_records[cpu];

	r->esr = read_sysreg(esr_el1);
	r->far = read_sysreg(far_el1);
	r->elr = f->elr;
	r->count++;
	if (!exc_armed[cpu]) {
		test_fatal("unexpected_exception", "sync on cpu %u ESR %#lx FAR %#lx ELR %#lx", cpu,
			   r->esr, r->far, r->elr);
	}
	exc_armed[cpu] = false;
	f->elr += INSN_SIZE;
}

static void exc_irq(void)
{
	uint32_t intid = gic_ack();

	/* INTIDs 1020-1023 are special: nothing to handle or EOI (GICv3 IHI0069 H §2.2.1). */
	if (intid >= 1020U) {
		return;
	}
	if (intid < GUEST_IRQ_MAX && irq_handlers[intid] != 0) {
		irq_handlers[intid](intid);
	} else {
		guest_printf("# cpu %u: IRQ %u has no handler\n", cpu_id(), intid);
	}
	gic_eoi(intid);
}

void exc_dispatch(struct exc_frame *f, uint64_t kind)
{
	if (kind == VEC_CUR_SPX_SYNC) {
		exc_sync(f);
	} else if (kind == VEC_CUR_SPX_IRQ) {
		exc_irq();
	} else {
		test_fatal("unexpected_exception", "%s %s on cpu %u ESR %#lx ELR %#lx",
			   vec_origins[(kind >> 2) & 3U], vec_types[kind & 3U], cpu_id(),
			   read_sysreg(esr_el1), f->elr);
	}
}
