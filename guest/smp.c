// SPDX-License-Identifier: Apache-2.0
/* Boot and secondary vCPU entry in C, CPU_ON, and cross-vCPU signalling. */
#include "guest/smp.h"

#include "guest/console.h"
#include "guest/smccc.h"
#include "guest/sysreg.h"
#include "guest/test.h"
#include "guest/timer.h"

/* Written by the vCPU that calls CPU_ON, read by the target with the MMU off. */
static volatile smp_fn_t smp_entry_fn[GUEST_MAX_CPUS];
static volatile struct cpu_entry_state smp_entry_state[GUEST_MAX_CPUS];

void guest_boot_main(uint64_t x0);
void guest_secondary_main(uint64_t x0);

unsigned cpu_id(void)
{
	return (unsigned)read_sysreg(tpidr_el1);
}

struct cpu_entry_state cpu_entry_state_get(unsigned cpu)
{
	const volatile struct cpu_entry_state *s = &smp_entry_state[cpu % GUEST_MAX_CPUS];
	struct cpu_entry_state copy = {s->x0, s->current_el, s->sctlr, s->daif};

	return copy;
}

void guest_cpu_init(uint64_t x0)
{
	volatile struct cpu_entry_state *s = &smp_entry_state[cpu_id()];

	/* start.S touched none of these, so they are what the hypervisor handed us. */
	s->x0 = x0;
	s->current_el = read_sysreg(CurrentEL);
	s->sctlr = read_sysreg(sctlr_el1);
	s->daif = read_sysreg(daif);
	timer_event_stream_init();
}

void guest_boot_main(uint64_t x0)
{
	guest_cpu_init(x0);
	console_init();
	guest_printf("# guest %s: cpu %u at EL%lu, x0 %#lx\n", guest_name, cpu_id(),
		     (read_sysreg(CurrentEL) >> 2) & 3U, x0);
	guest_main();
	guest_done();
}

void guest_secondary_main(uint64_t x0)
{
	unsigned cpu = cpu_id();
	smp_fn_t fn;

	guest_cpu_init(x0);
	fn = smp_entry_fn[cpu];
	if (fn != 0) {
		fn(x0);
	}
	irq_disable();
	psci_cpu_off();
	/* CPU_OFF returned: PSCI DEN0022 E §5 says it only does so on DENIED. Report it. */
	test_fatal("cpu_off_returned", "vCPU %u is still running after CPU_OFF", cpu);
}

int64_t smp_cpu_on(unsigned cpu, smp_fn_t fn, uint64_t arg)
{
	smp_entry_fn[cpu % GUEST_MAX_CPUS] = fn;
	return psci_cpu_on(cpu, (uint64_t)(uintptr_t)guest_secondary_entry, arg);
}

void smp_publish(volatile uint32_t *p, uint32_t v)
{
	*p = v;
	/* DSB: the store is observable before the event; SEV wakes WFE on the other vCPUs. */
	dsb(sy);
	sev();
}

bool smp_wait_ge(const volatile uint32_t *p, uint32_t v, uint64_t timeout_us)
{
	uint64_t end = timer_now() + timer_us_to_ticks(timeout_us);

	while (*p < v) {
		if (timer_now() >= end) {
			return false;
		}
		/* Woken by SEV, an interrupt or the event stream (timer_event_stream_init). */
		wfe();
	}
	return true;
}
