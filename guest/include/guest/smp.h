/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-vCPU identity, entry state and CPU_ON of secondaries. Memory is shared uncached (MMU off),
 * so cross-vCPU flags are plain volatile words published with DSB + SEV and polled with WFE.
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include <stdbool.h>
#include <stdint.h>

#define GUEST_MAX_CPUS 8

/** What a vCPU saw on entry, before the runtime changed anything. */
struct cpu_entry_state {
	uint64_t x0;	     /**< DTB address (boot vCPU) or CPU_ON context_id */
	uint64_t current_el; /**< CurrentEL */
	uint64_t sctlr;	     /**< SCTLR_EL1 */
	uint64_t daif;	     /**< DAIF */
};

typedef void (*smp_fn_t)(uint64_t arg);

/** This vCPU's index (MPIDR_EL1.Aff0), kept in TPIDR_EL1 by start.S. */
unsigned cpu_id(void);
struct cpu_entry_state cpu_entry_state_get(unsigned cpu);
/** Common per-vCPU setup; x0 is the register value at entry. Called from start.S only. */
void guest_cpu_init(uint64_t x0);
/** PSCI CPU_ON of vCPU cpu; it runs fn(arg) on its own stack, then CPU_OFF. */
int64_t smp_cpu_on(unsigned cpu, smp_fn_t fn, uint64_t arg);
/** Store v to *p and wake waiters in WFE. */
void smp_publish(volatile uint32_t *p, uint32_t v);
/** Wait, sleeping in WFE, until *p >= v; false after timeout_us microseconds. */
bool smp_wait_ge(const volatile uint32_t *p, uint32_t v, uint64_t timeout_us);

/** Physical entry point for CPU_ON targets (start.S). */
extern char guest_secondary_entry[];

#endif
