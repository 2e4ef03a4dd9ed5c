/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 exception vectors and the guest world switch of general registers.
 * TPIDR_EL2 holds the running vCPU; its register frame (struct vcpu_regs) is at offset 0.
 * A synchronous exit saves x0-x30, ELR_EL2 and SPSR_EL2 into that frame and calls
 * arm64_trap_sync(vcpu) on the top of this CPU's stack; an IRQ first tries arm64_irq_fast()
 * with only the caller-saved registers stored; everything else calls arm64_trap_entry(vcpu,
 * reason). Each returns the vCPU to enter.
 */
#include "hyp/arch/layout.h"

#define REGS_PC (31 * 8)

/* Store the guest's x0-x30, ELR_EL2 and SPSR_EL2 in the frame; x0 = the vCPU at the end. */
.macro save_guest_frame
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el2
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x30, x2, [x0, #240]
	str	x3, [x0, #REGS_PC + 8]
.endm

/* Asynchronous exits without a fast path (FIQ, SError, AArch32): the full path in C. */
.macro save_guest_regs reason
	save_guest_frame
	mov	x1, #\reason
	bl	arm64_trap_entry
	b	guest_resume
.endm

.macro hyp_fault kind
	mov	x0, #\kind
	mov	x1, sp
	b	arm64_hyp_fault
.endm

	.text
	.balign	2048
	.global hyp_vectors
hyp_vectors:
	/* Current EL with SP_EL0: Tessera never runs on SP_EL0. */
	.balign 0x80
	hyp_fault 0
	.balign 0x80
	hyp_fault 1
	.balign 0x80
	hyp_fault 2
	.balign 0x80
	hyp_fault 3
	/* Current EL with SP_ELx: a fault in Tessera itself. */
	.balign 0x80
	hyp_fault 4
	.balign 0x80
	hyp_fault 5
	.balign 0x80
	hyp_fault 6
	.balign 0x80
	hyp_fault 7
	/* Lower EL, AArch64: the guest. */
	.balign 0x80
	b	guest_sync
	.balign 0x80
	b	guest_irq
	.balign 0x80
	save_guest_regs EXIT_REASON_IRQ		/* FIQ: not used, handled as an IRQ poll */
	.balign 0x80
	save_guest_regs EXIT_REASON_SERROR
	/* Lower EL, AArch32: a guest EL0 in AArch32 state trapping to EL2. */
	.balign 0x80
	save_guest_regs EXIT_REASON_SYNC
	.balign 0x80
	save_guest_regs EXIT_REASON_IRQ
	.balign 0x80
	save_guest_regs EXIT_REASON_IRQ
	.balign 0x80
	save_guest_regs EXIT_REASON_SERROR

/*
 * Synchronous exit from an AArch64 guest. Two calls with constant answers and no side effect
 * are answered here, before any register is saved: the null hypercall (TESSERA_HC_NOP, how
 * exit cost is measured) and PSCI_VERSION. Both still count as HVC exits. Every other exit
 * takes the full path to C. Interrupts that became pending meanwhile are not missed: they are
 * signalled to this CPU and taken as soon as the guest runs again.
 */
guest_sync:
	stp	x0, x1, [sp, #-16]!
	mrs	x1, esr_el2
	lsr	x1, x1, #26
	cmp	x1, #0x16			/* EC_HVC64 */
	b.ne	1f
	mov	w1, #0x0001
	movk	w1, #0xc600, lsl #16		/* TESSERA_HC_NOP */
	cmp	w0, w1
	b.eq	2f
	mov	w1, #0x84000000			/* PSCI_VERSION, PSCI DEN0022 E §5.1.1 */
	cmp	w0, w1
	b.ne	1f
	mov	x0, #0x1
	movk	x0, #0x1, lsl #16		/* PSCI 1.1 */
	b	3f
2:	mov	x0, #0				/* TESSERA_OK */
3:	str	x0, [sp]			/* the result replaces the saved x0 */
	mrs	x1, tpidr_el2
	ldr	x0, [x1, #VCPU_EXITS_OFFSET]	/* exits[TESSERA_EXIT_HVC]++ */
	add	x0, x0, #1
	str	x0, [x1, #VCPU_EXITS_OFFSET]
	ldr	x0, [sp], #16
	mov	x1, xzr				/* unused results read 0, as from the C path */
	mov	x2, xzr
	mov	x3, xzr
	eret
	dsb	nsh
	isb
1:	ldp	x0, x1, [sp], #16
	save_guest_frame
	bl	arm64_trap_sync
	b	guest_resume

/*
 * IRQ from an AArch64 guest. The caller-saved registers go to the frame and
 * arm64_irq_fast() (C, so it keeps x19-x29) acknowledges the interrupt; the forwarded timer
 * and a kick carrying a posted interrupt end there, and the guest resumes with only those
 * registers reloaded. Anything else completes the frame and takes the full path.
 */
guest_irq:
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el2
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	str	x18, [x0, #144]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	bl	arm64_irq_fast
	mrs	x1, tpidr_el2
	cbz	w0, 2f
	ldp	x2, x3, [x1, #16]
	ldp	x4, x5, [x1, #32]
	ldp	x6, x7, [x1, #48]
	ldp	x8, x9, [x1, #64]
	ldp	x10, x11, [x1, #80]
	ldp	x12, x13, [x1, #96]
	ldp	x14, x15, [x1, #112]
	ldp	x16, x17, [x1, #128]
	ldr	x18, [x1, #144]
	ldr	x30, [x1, #240]
	ldp	x0, x1, [x1]
	eret
	dsb	nsh
	isb
2:	stp	x19, x20, [x1, #152]
	stp	x21, x22, [x1, #168]
	stp	x23, x24, [x1, #184]
	stp	x25, x26, [x1, #200]
	stp	x27, x28, [x1, #216]
	str	x29, [x1, #232]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	str	x2, [x1, #REGS_PC]
	str	x3, [x1, #REGS_PC + 8]
	mov	x0, x1
	mov	x1, #EXIT_REASON_IRQ
	bl	arm64_trap_entry
	b	guest_resume

/*
 * arm64_guest_enter(vcpu): restore the frame and ERET. Resets sp to the top of this CPU's
 * stack first (stacks are aligned to their size), so that entering from any C depth never
 * leaks stack: the next exit starts from the top again.
 */
	.global arm64_guest_enter
arm64_guest_enter:
	mov	x1, sp
	mov	x2, #(HYP_STACK_SIZE - 1)
	add	x1, x1, x2
	lsr	x1, x1, #HYP_STACK_SHIFT
	lsl	x1, x1, #HYP_STACK_SHIFT
	mov	sp, x1
/* From the vectors: the C handler has returned, so sp is at the top of the stack already. */
guest_resume:
	msr	tpidr_el2, x0
	ldp	x1, x2, [x0, #REGS_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0]
	eret
	dsb	nsh				/* no speculation past ERET */
	isb
