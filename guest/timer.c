// SPDX-License-Identifier: Apache-2.0
/* Virtual counter, virtual timer and the event stream for test guests. */
#include "guest/timer.h"

#include "guest/sysreg.h"

/*
 * CNTKCTL_EL1.EVNTEN and EVNTI (ARM DDI0487 K.a, CNTKCTL_EL1): an event every 2^(EVNTI+1)
 * ticks, about 130 us at 62.5 MHz, bounds every WFE sleep even if a SEV is lost.
 */
#define CNTKCTL_EVNTEN (1ULL << 2)
#define CNTKCTL_EVNTI_SHIFT 4
#define EVENT_STREAM_BIT 12ULL

uint64_t timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

uint64_t timer_now(void)
{
	/*
	 * Without the ISB the counter may be read early (ARM DDI0487 K.a, "Reading the counter":
	 * CNTVCT_EL0 reads are not ordered by themselves).
	 */
	isb();
	return read_sysreg(cntvct_el0);
}

uint64_t timer_us_to_ticks(uint64_t us)
{
	return us * timer_freq() / 1000000ULL;
}

void timer_delay_us(uint64_t us)
{
	uint64_t end = timer_now() + timer_us_to_ticks(us);

	while (timer_now() < end) {
	}
}

void vtimer_arm(uint64_t ticks)
{
	write_sysreg(cntv_tval_el0, ticks);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

void vtimer_stop(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

uint64_t vtimer_ctl(void)
{
	return read_sysreg(cntv_ctl_el0);
}

void timer_event_stream_init(void)
{
	write_sysreg(cntkctl_el1, CNTKCTL_EVNTEN | (EVENT_STREAM_BIT << CNTKCTL_EVNTI_SHIFT));
	isb();
}
