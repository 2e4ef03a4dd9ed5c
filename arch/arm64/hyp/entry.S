/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 exception vectors and the guest world switch of general registers.
 * TPIDR_EL2 holds the running vCPU; its register frame (struct vcpu_regs) is at offset 0.
 * A synchronous exit saves x0-x30, ELR_EL2 and SPSR_EL2 into that frame and calls
 * arm64_trap_sync(vcpu) on the top of this CPU's stack, unless its light path (data aborts,
 * MSR/MRS) or the HVC shortcuts end it first with less saved; an IRQ first tries
 * arm64_irq_fast() with only the caller-saved registers stored; everything else calls
 * arm64_trap_entry(vcpu, reason, intid). Each returns the vCPU to enter.
 */
#include "hyp/arch/layout.h"

#define REGS_PC VCPU_REGS_PC_OFFSET

/*
 * The caller-saved part of a frame, x0-x8, x16, x17 and x30, which C code may clobber: EL2 C
 * keeps x9-x15 and x18 as it keeps x19-x29 (-fcall-saved-*, Makefile). Expects the guest's
 * x0/x1 on the stack and x0 = the vCPU.
 */
.macro save_caller_saved
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	str	x8, [x0, #64]
	stp	x16, x17, [x0, #128]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
.endm

/* x9-x15 and x18-x29, which EL2 C code preserves. */
.macro save_callee_saved base
	stp	x9, x10, [\base, #72]
	stp	x11, x12, [\base, #88]
	stp	x13, x14, [\base, #104]
	str	x15, [\base, #120]
	str	x18, [\base, #144]
	stp	x19, x20, [\base, #152]
	stp	x21, x22, [\base, #168]
	stp	x23, x24, [\base, #184]
	stp	x25, x26, [\base, #200]
	stp	x27, x28, [\base, #216]
	str	x29, [\base, #232]
.endm

/* The rest of the frame: ELR_EL2 and SPSR_EL2 (clobbers x2, x3). */
.macro save_elr_spsr base
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [\base, #REGS_PC]
.endm

/* Store the guest's x0-x30, ELR_EL2 and SPSR_EL2 in the frame; x0 = the vCPU at the end. */
.macro save_guest_frame
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el2
	save_caller_saved
	save_callee_saved x0
	save_elr_spsr x0
.endm

/* Reload x0-x8, x16, x17 and x30 from the frame at base (one of them: x0 comes last). */
.macro restore_caller_saved base
	ldp	x2, x3, [\base, #16]
	ldp	x4, x5, [\base, #32]
	ldp	x6, x7, [\base, #48]
	ldr	x8, [\base, #64]
	ldp	x16, x17, [\base, #128]
	ldr	x30, [\base, #240]
	ldp	x0, x1, [\base]
.endm

/* Reload x9-x15 and x18-x29, which save_callee_saved stored. */
.macro restore_callee_saved base
	ldp	x9, x10, [\base, #72]
	ldp	x11, x12, [\base, #88]
	ldp	x13, x14, [\base, #104]
	ldr	x15, [\base, #120]
	ldr	x18, [\base, #144]
	ldp	x19, x20, [\base, #152]
	ldp	x21, x22, [\base, #168]
	ldp	x23, x24, [\base, #184]
	ldp	x25, x26, [\base, #200]
	ldp	x27, x28, [\base, #216]
	ldr	x29, [\base, #232]
.endm

/* Reload x0-x30 from the frame at base (which is one of them: x0 comes last). */
.macro restore_gprs base
	restore_callee_saved \base
	restore_caller_saved \base
.endm

/* Asynchronous exits without a fast path (FIQ, SError, AArch32): the full path in C. */
.macro save_guest_regs reason
	save_guest_frame
	mov	x1, #\reason
	mov	x2, #IRQ_NONE_ACKED		/* nothing acknowledged yet */
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
	.org	hyp_vectors + 0x0	/* .org, not .balign: an entry past 0x80 bytes is an error */
	hyp_fault 0
	.org	hyp_vectors + 0x80
	hyp_fault 1
	.org	hyp_vectors + 0x100
	hyp_fault 2
	.org	hyp_vectors + 0x180
	hyp_fault 3
	/* Current EL with SP_ELx: a fault in Tessera itself. */
	.org	hyp_vectors + 0x200
	hyp_fault 4
	.org	hyp_vectors + 0x280
	hyp_fault 5
	.org	hyp_vectors + 0x300
	hyp_fault 6
	.org	hyp_vectors + 0x380
	hyp_fault 7
	/* Lower EL, AArch64: the guest. */
	.org	hyp_vectors + 0x400
	b	guest_sync
	.org	hyp_vectors + 0x480
	b	guest_irq
	.org	hyp_vectors + 0x500
	save_guest_regs EXIT_REASON_IRQ		/* FIQ: not used, handled as an IRQ poll */
	.org	hyp_vectors + 0x580
	save_guest_regs EXIT_REASON_SERROR
	/* Lower EL, AArch32: a guest EL0 in AArch32 state trapping to EL2. */
	.org	hyp_vectors + 0x600
	save_guest_regs EXIT_REASON_SYNC
	.org	hyp_vectors + 0x680
	save_guest_regs EXIT_REASON_IRQ
	.org	hyp_vectors + 0x700
	save_guest_regs EXIT_REASON_IRQ
	.org	hyp_vectors + 0x780
	save_guest_regs EXIT_REASON_SERROR

/*
 * Synchronous exit from an AArch64 guest. Two calls with constant answers and no side effect
 * are answered here, before any register is saved: the null hypercall (TESSERA_HC_NOP, how
 * exit cost is measured) and PSCI_VERSION. Both still count as HVC exits. Data aborts and
 * trapped MSR/MRS, the exits a running guest takes most, try their light path (light_path);
 * every other exit takes the full path to C. Interrupts that became pending meanwhile are not
 * missed: they are signalled to this CPU and taken as soon as the guest runs again.
 */
guest_sync:
	stp	x0, x1, [sp, #-16]!
	mrs	x1, esr_el2
	ubfx	x0, x1, #26, #6			/* ESR_EL2.EC */
	cmp	x0, #0x24			/* EC_DABT_LOW */
	b.eq	guest_dabt
	cmp	x0, #0x18			/* EC_SYSREG */
	b.eq	guest_sysreg
	cmp	x0, #0x16			/* EC_HVC64 */
	b.ne	1f
	ldr	x0, [sp]			/* the guest's x0: the function ID */
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
1:	mrs	x0, tpidr_el2			/* the guest's x0/x1 are on the stack */
	save_caller_saved
	save_callee_saved x0
	save_elr_spsr x0
	bl	arm64_trap_sync
	b	guest_resume

/*
 * The light path of one exception class: the guest's registers go to the frame, ELR_EL2 and
 * SPSR_EL2 stay in their registers, and the class's handler (vcpu, esr) emulates the access.
 * LIGHT_RESUME: reload the registers and return. Otherwise the frame is completed and C
 * finishes the exit: LIGHT_FINISH after an emulated access (arm64_trap_finish), LIGHT_FULL when
 * nothing was done (arm64_trap_sync, from scratch). Expects x1 = ESR_EL2 and the guest's x0/x1
 * on the stack; rt_lsb is where the ISS keeps the one register the access reads or writes (Rt:
 * ISS.SRT [20:16] for a data abort, ISS.Rt [9:5] for MSR/MRS, ARM DDI0487 K.a D19.2.40).
 *
 * The handler touches no register of the frame but Rt, and EL2 C preserves x9-x15 and x18-x29
 * (AAPCS64 §6.1.1 and the Makefile's EL2_ABI), so they stay in their registers throughout
 * unless Rt is one of x9-x29: then all of x0-x30 go through the frame (needlessly for x16 and
 * x17, which costs less than a second test). Where the ISS holds no Rt (a data abort without
 * ISV), the handler does nothing and the slow path saves the preserved registers as they are.
 */
.macro light_path handler, rt_lsb
	mrs	x0, tpidr_el2
	save_caller_saved
	ubfx	w2, w1, #\rt_lsb, #5
	sub	w2, w2, #9
	cmp	w2, #(29 - 9)			/* Rt is one of x9-x29 */
	b.ls	1f
	bl	\handler
	mrs	x1, tpidr_el2
	cbnz	w0, 2f
	restore_caller_saved x1
	eret
	dsb	nsh
	isb
1:	save_callee_saved x0
	bl	\handler
	mrs	x1, tpidr_el2
	cbnz	w0, light_slow
	restore_gprs x1
	eret
	dsb	nsh
	isb
2:	save_callee_saved x1			/* the guest's, preserved by the handler */
	b	light_slow
.endm

guest_dabt:
	light_path arm64_dabt_light, 16
guest_sysreg:
	light_path arm64_sysreg_light, 5

/* A light path that did not resume: x0 = LIGHT_FINISH or LIGHT_FULL, x1 = the vCPU. */
light_slow:
	save_elr_spsr x1
	cmp	w0, #LIGHT_FINISH
	mov	x0, x1
	b.ne	1f
	bl	arm64_trap_finish
	b	guest_resume
1:	bl	arm64_trap_sync
	b	guest_resume

/*
 * IRQ from an AArch64 guest. The caller-saved registers go to the frame and
 * arm64_irq_fast() (C, so it keeps x9-x15 and x18-x29) acknowledges the interrupt; the forwarded timer
 * and the post SGI (another vCPU's interrupt for the direct slot) end there, and the guest resumes with only those
 * registers reloaded. Anything else completes the frame and takes the full path.
 */
guest_irq:
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el2
	save_caller_saved
	bl	arm64_irq_fast
	mrs	x1, tpidr_el2
	tbz	w0, #IRQ_FAST_DONE_BIT, 2f
	restore_caller_saved x1
	eret
	dsb	nsh
	isb
2:	save_callee_saved x1
	save_elr_spsr x1
	mov	x2, x0				/* the INTID arm64_irq_fast() acknowledged */
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
	restore_gprs x0
	eret
	dsb	nsh				/* no speculation past ERET */
	isb
