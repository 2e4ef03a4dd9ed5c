/* SPDX-License-Identifier: Apache-2.0 */
/* Sizes shared by assembly and C on arm64. */
#ifndef HYP_ARCH_LAYOUT_H
#define HYP_ARCH_LAYOUT_H

#define HYP_MAX_CPUS 8
#define HYP_STACK_SHIFT 14
#define HYP_STACK_SIZE                                                                             \
	(1 << HYP_STACK_SHIFT) /* per physical CPU; stacks are aligned to their size */
#define HYP_TEXT_OFFSET 0x200000

/* Offset of pc in struct vcpu_regs, pstate right after it (checked in arch/arm64/vcpu.c). */
#define VCPU_REGS_PC_OFFSET (32 * 8)

/* Offset of struct vcpu.exits[], for the assembly fast path (checked in arch/arm64/vcpu.c). */
#define VCPU_EXITS_OFFSET 0x558

/* Why the EL2 vector was taken, passed to arm64_trap_entry(). */
#define EXIT_REASON_SYNC 0
#define EXIT_REASON_IRQ 1
#define EXIT_REASON_SERROR 2

/*
 * What arm64_irq_fast() returns: IRQ_FAST_DONE when it ended the interrupt, else the INTID it
 * acknowledged and leaves to arm64_trap_entry() (IRQ_NONE_ACKED: a spurious one, 1023).
 */
#define IRQ_FAST_DONE_BIT 31
#define IRQ_FAST_DONE (1U << IRQ_FAST_DONE_BIT)
#define IRQ_NONE_ACKED 1023

/* What a light-path handler (arm64_dabt_light, arm64_sysreg_light) tells the vector to do next. */
#define LIGHT_RESUME 0 /* emulated, nothing else to do: reload x0-x30 and return */
#define LIGHT_FINISH 1 /* emulated: finish the exit (arm64_trap_finish) */
#define LIGHT_FULL 2   /* not attempted: the whole exit in C (arm64_trap_sync) */

#endif
