/* SPDX-License-Identifier: Apache-2.0 */
/* Generic Timer: virtual counter and EL1 virtual timer (ARM DDI0487 K.a, "The Generic Timer in
 * AArch64 state"). */
#ifndef GUEST_TIMER_H
#define GUEST_TIMER_H

#include <stdbool.h>
#include <stdint.h>

/* The virtual timer's PPI on QEMU virt (and in the Tessera contract). */
#define VTIMER_INTID 27

/* CNTV_CTL_EL0 bits (ARM DDI0487 K.a, CNTV_CTL_EL0). */
#define CNTV_CTL_ENABLE (1ULL << 0)
#define CNTV_CTL_IMASK (1ULL << 1)
#define CNTV_CTL_ISTATUS (1ULL << 2)

uint64_t timer_freq(void);
/** CNTVCT_EL0, ordered after earlier instructions. */
uint64_t timer_now(void);
uint64_t timer_us_to_ticks(uint64_t us);
void timer_delay_us(uint64_t us);
/** Program CNTV_TVAL_EL0 = ticks and enable the timer with its interrupt unmasked. */
void vtimer_arm(uint64_t ticks);
/** Disable the timer, which deasserts its level interrupt. */
void vtimer_stop(void);
uint64_t vtimer_ctl(void);
/** Per-vCPU: start the WFE event stream so WFE-based waits always wake ("Event streams"). */
void timer_event_stream_init(void);

#endif
