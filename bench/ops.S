/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The measured operations, one loop each, in assembly so that the guest side of every operation
 * is a known, fixed instruction sequence. Every loop is `op(n, arg[, arg2])` and runs its body n
 * times (n = 0 runs none: the C side subtracts that run to cancel the fixed call overhead).
 *
 * PMU: PMEVCNTR0_EL0 counts EL2 instructions only, PMEVCNTR1_EL0 EL1 instructions only
 * (bench.c, pmu_init). The loop counter lives in x19, which SMCCC calls preserve.
 *
 * Built with BENCH_CLOCK_ONLY (for a hypervisor that keeps the PMU from its guests, Xen 4.17),
 * every PMEVCNTR0_EL0 read below reads CNTPCT_EL0 instead: machine-wide time, not EL2 only.
 *
 * Interrupt loops run with bench_vectors installed, whose IRQ entry is a minimal handler that
 * talks to the loop through registers the loop leaves alone:
 *   x12 = the EL2 count (read_el2cnt) read by the handler's first instruction
 *   x11 = the INTID it acknowledged, x14 = interrupts handled so far
 */

/* The "EL2 count" the interrupt paths are measured with. */
.macro read_el2cnt reg
#ifdef BENCH_CLOCK_ONLY
	mrs	\reg, cntpct_el0
#else
	mrs	\reg, pmevcntr0_el0
#endif
.endm

/* ---------------------------------------------------------------- simple loops */

/* op_begin name ... op_end: the body between them runs x19 times. */
.macro op_begin name
	.text
	.balign	64
	.global	\name
\name:
	stp	x19, x20, [sp, #-32]!
	stp	x21, x22, [sp, #16]
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	cbz	x19, 2f
1:
.endm

.macro op_end
	subs	x19, x19, #1
	b.ne	1b
2:	ldp	x21, x22, [sp, #16]
	ldp	x19, x20, [sp], #32
	mov	x0, #0
	ret
.endm

/* The loop alone: its EL1 instructions per iteration are the overhead of every loop below. */
op_begin bench_op_empty
	nop
op_end

/* SMCCC calls, HVC #0 with the function id in w0: TESSERA_HC_NOP (0xC6000001), PSCI_VERSION. */
op_begin bench_op_hvc_nop
	movz	w0, #0x0001
	movk	w0, #0xc600, lsl #16
	hvc	#0
op_end

op_begin bench_op_psci_version
	movz	w0, #0x8400, lsl #16
	hvc	#0
op_end

/* One 32-bit MMIO access at x20 (arg); a write stores w21 (arg2). */
op_begin bench_op_read32
	ldr	w2, [x20]
op_end

op_begin bench_op_write32
	str	w21, [x20]
op_end

/* ---------------------------------------------------------------- interrupt loops */

/*
 * Each interrupt loop fills struct bench_irq_result (bench.c) at x1:
 *   +0 sum of (EL2 count at handler entry - EL2 count before the trigger), 32-bit deltas
 *   +8 interrupts handled, +16 last INTID, +24 iterations that timed out
 */
#define RES_SUM 0
#define RES_COUNT 8
#define RES_INTID 16
#define RES_TIMEOUTS 24
#define WAIT_SPINS 2000000

/* Save x19-x22, take the arguments into x19-x21 and clear the result registers. */
.macro loop_enter
	stp	x19, x20, [sp, #-32]!
	stp	x21, x22, [sp, #16]
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x15, #0				/* sum of EL2 deltas */
	mov	x14, #0				/* handled (written by the handler) */
	mov	x13, #0				/* expected */
	mov	x16, #0				/* timeouts */
	mov	x11, #0				/* last INTID */
.endm

/* Store the result registers at x20, restore x19-x22, return 0. */
.macro loop_leave
	stp	x15, x14, [x20, #RES_SUM]
	stp	x11, x16, [x20, #RES_INTID]
	ldp	x21, x22, [sp, #16]
	ldp	x19, x20, [sp], #32
	mov	x0, #0
	ret
.endm

.macro irq_loop_begin
	loop_enter
	cbz	x19, 9f
	msr	daifclr, #2
.endm

/* Wait (bounded) until the handler has run for iteration x13, then add its EL2 delta. */
.macro irq_wait_and_sum use_wfe
	movz	x8, #(WAIT_SPINS & 0xffff)
	movk	x8, #(WAIT_SPINS >> 16), lsl #16
3:	cmp	x14, x13
	b.eq	4f
	.if \use_wfe
	wfe
	.endif
	subs	x8, x8, #1
	b.ne	3b
	add	x16, x16, #1
	mov	x14, x13			/* give up on this one */
	b	5f
4:	sub	w12, w12, w9
	add	x15, x15, x12
5:
.endm

.macro irq_loop_end
	subs	x19, x19, #1
	b.ne	1b
	msr	daifset, #2
9:	loop_leave
.endm

/*
 * Virtual timer, physical to virtual: CNTV_TVAL_EL0 = 0 makes the timer condition true at once,
 * so the physical PPI 27 is raised and taken at EL2 right after the ISB; the handler disables
 * the timer and EOIs. bench_op_vtimer(n, result)
 */
	.text
	.balign	64
	.global	bench_op_vtimer
bench_op_vtimer:
	irq_loop_begin
1:	add	x13, x13, #1
	read_el2cnt x9
	msr	cntv_tval_el0, xzr
	mov	x2, #1				/* CNTV_CTL_EL0.ENABLE, IMASK clear */
	msr	cntv_ctl_el0, x2
	isb
	irq_wait_and_sum 0
	irq_loop_end

/*
 * SGI to this vCPU: the ICC_SGI1R_EL1 write traps, and the hypervisor makes the virtual SGI
 * pending before it returns, so it is taken right after the MSR.
 * bench_op_sgi_self(n, result, icc_sgi1r_value)
 */
	.text
	.balign	64
	.global	bench_op_sgi_self
bench_op_sgi_self:
	irq_loop_begin
1:	add	x13, x13, #1
	read_el2cnt x9
	msr	icc_sgi1r_el1, x21
	isb
	irq_wait_and_sum 0
	irq_loop_end

/*
 * Receiver of SGIs from the other vCPU: reads the EL2 counter, publishes "ready for number i"
 * at [x21] (a 32-bit word; DSB + SEV), and waits in WFE for the SGI; WFE is not trapped, so the
 * physical kick from the sender's pCPU is taken at EL2 straight from this guest loop. Then it
 * publishes "done i" at [x21 + 4]. bench_op_ipi_recv(n, result, flags)
 */
	.text
	.balign	64
	.global	bench_op_ipi_recv
bench_op_ipi_recv:
	irq_loop_begin
1:	add	x13, x13, #1
	read_el2cnt x9
	str	w13, [x21]
	dsb	sy
	sev
	irq_wait_and_sum 1
	str	w13, [x21, #4]
	dsb	sy
	sev
	irq_loop_end

/* ---------------------------------------------------------------- vectors */

/*
 * VBAR_EL1 while an interrupt loop runs. Only "current EL with SP_ELx, IRQ" is ours; every other
 * entry goes to the runtime's vector of the same slot (guest/vectors.S).
 */
	.text
	.balign	0x800
	.global	bench_vectors
bench_vectors:
	.irp	i, 0, 1, 2, 3, 4
	.balign	0x80
	b	guest_vectors + (\i * 0x80)
	.endr
	.balign	0x80
	/* IRQ from EL1h: this is the "guest handler entry" of the interrupt rows. */
	read_el2cnt x12
	mrs	x11, icc_iar1_el1
	cmp	x11, #1020			/* 1020-1023: special, nothing to EOI */
	b.hs	1f
	msr	cntv_ctl_el0, xzr		/* level timer: off before EOI, or it fires again */
	isb
	msr	icc_eoir1_el1, x11
	add	x14, x14, #1
1:	eret
	.irp	i, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	b	guest_vectors + (\i * 0x80)
	.endr

/* ---------------------------------------------------------------- vCPU switch */

/*
 * Ping-pong between two vCPUs that time-share one physical CPU (bench.c, bench_switch): each
 * side sends the SGI to the other and waits in WFI, which traps; with nothing pending for it,
 * the hypervisor switches to the other vCPU, whose handler then runs. The PMU is the physical
 * CPU's, shared by both vCPUs, so an EL2 count one vCPU publishes before its WFI and the other
 * reads at its handler's entry measure the path from the WFI trap to the other's handler.
 *
 * bench_switch_shared (bench.c): +0 the EL2 count just before the publishing vCPU's WFI,
 * +4 nonzero when the responder is to stop. struct bench_switch_result (bench.c) at x20 is a
 * struct bench_irq_result (path sum, handled, last INTID, timeouts) and +32 the sum of the
 * EL2 counts around this vCPU's ICC_SGI1R_EL1 writes (the send trap).
 * Registers: x21 = ICC_SGI1R_EL1 value, x22 = &bench_switch_shared, x17 = send sum, plus
 * those of the interrupt loops above (x11-x16, x9, x10 scratch).
 */
#define RES_SGI 32
#define WAIT_WFI 1000

.macro switch_enter
	loop_enter
	adrp	x22, bench_switch_shared
	add	x22, x22, :lo12:bench_switch_shared
	mov	x17, #0
.endm

.macro switch_leave
	str	x17, [x20, #RES_SGI]
	loop_leave
.endm

/* Send the SGI (its trap measured), then publish the EL2 count the WFI trap starts from. */
.macro switch_send
	read_el2cnt x9
	msr	icc_sgi1r_el1, x21
	isb
	read_el2cnt x10
	sub	w8, w10, w9
	add	x17, x17, x8
	str	w10, [x22]
	dsb	sy
.endm

/*
 * Wait for interrupt number x13 (the handler counts them in x14): WFI with IRQs masked, so
 * that none can slip in between the check and the WFI, which wakes on a pending interrupt all
 * the same; unmasking lets the handler run. Bounded; a timeout branches to \timeout.
 */
.macro switch_wait timeout
	add	x13, x13, #1
	mov	x8, #WAIT_WFI
3:	cmp	x14, x13
	b.eq	4f
	wfi
	msr	daifclr, #2
	msr	daifset, #2
	subs	x8, x8, #1
	b.ne	3b
	add	x16, x16, #1
	mov	x14, x13
	b	\timeout
4:
.endm

/* The path from the other vCPU's WFI trap to this handler's entry (x12), added to x15. */
.macro switch_record
	ldr	w9, [x22]
	sub	w12, w12, w9
	add	x15, x15, x12
.endm

/* The measured side: n round trips, each a send and a wait. bench_op_switch(n, result, sgi) */
	.text
	.balign	64
	.global	bench_op_switch
bench_op_switch:
	switch_enter
	cbz	x19, 9f
1:	switch_send
	switch_wait 5f
	switch_record
5:	subs	x19, x19, #1
	b.ne	1b
9:	switch_leave

/*
 * The other side, until told to stop: its first SGI tells the measured side it is ready (not
 * counted), then for every SGI it takes it answers with one. On the stop request it sends a
 * last SGI, which lets the other vCPU run again, and returns; the stop SGI is not counted.
 * bench_switch_responder(0, result, sgi)
 */
	.text
	.balign	64
	.global	bench_switch_responder
bench_switch_responder:
	switch_enter
	msr	icc_sgi1r_el1, x21
	isb
1:	switch_wait 8f
	ldr	w8, [x22, #4]
	cbnz	w8, 7f
	switch_record
	switch_send
	b	1b
7:	sub	x14, x14, #1
8:	msr	icc_sgi1r_el1, x21
	isb
	switch_leave
