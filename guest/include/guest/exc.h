/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL1 exception handling for test guests: synchronous exceptions are recorded per vCPU and, when
 * a test announced one with exc_expect(), skipped; IRQs go through a per-INTID callback table.
 */
#ifndef GUEST_EXC_H
#define GUEST_EXC_H

#include <stdbool.h>
#include <stdint.h>

/* ESR_ELx fields (ARM DDI0487 K.a, ESR_EL1). */
#define ESR_EC(esr) (((esr) >> 26) & 0x3fU)
#define ESR_IL (1ULL << 25)
#define ESR_ISS(esr) ((esr)&0x1ffffffU)
#define ESR_EC_UNKNOWN 0x00U
#define ESR_EC_DABT_CUR 0x25U
/* Data Abort ISS: DFSC and WnR (ARM DDI0487 K.a, ISS encoding for a Data Abort). */
#define ESR_DABT_DFSC(esr) ((esr)&0x3fU)
#define ESR_DABT_WNR (1ULL << 6)
#define DFSC_SYNC_EXT_ABORT 0x10U

/** The last synchronous exception a vCPU took. */
struct exc_record {
	uint64_t esr;
	uint64_t far;
	uint64_t elr;
	uint32_t count; /**< synchronous exceptions taken by this vCPU so far */
};

/** Register frame saved by vectors.S; the layout is shared with the assembly. */
struct exc_frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};

typedef void (*irq_handler_t)(uint32_t intid);

#define GUEST_IRQ_MAX 128U

/** Expect one synchronous exception on this vCPU: record it and resume at ELR + 4. */
void exc_expect(void);
/** End the expectation; true if an exception was taken since exc_expect(), *out = its record. */
bool exc_expect_done(struct exc_record *out);
/** Install fn for intid (shared by all vCPUs). */
void irq_register(uint32_t intid, irq_handler_t fn);
/** Called by vectors.S; kind is the vector slot 0..15 (ARM DDI0487 K.a, VBAR_EL1 offsets). */
void exc_dispatch(struct exc_frame *f, uint64_t kind);

#endif
