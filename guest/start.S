/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-guest entry. The boot vCPU enters at _start (EL1h, MMU off, x0 = DTB); CPU_ON targets
 * enter at guest_secondary_entry with x0 = context_id. Each vCPU gets its own stack, indexed by
 * MPIDR_EL1.Aff0, and keeps that index in TPIDR_EL1.
 */
#define GUEST_MAX_CPUS 8
#define GUEST_STACK_SHIFT 14 /* 16 KiB per vCPU */

/* x1 = vCPU index: set SP, TPIDR_EL1 and VBAR_EL1. Parks vCPUs the runtime has no room for. */
.macro cpu_setup
	cmp	x1, #GUEST_MAX_CPUS
	b.hs	guest_park
	adrp	x2, guest_stacks
	add	x2, x2, :lo12:guest_stacks
	add	x3, x1, #1
	lsl	x3, x3, #GUEST_STACK_SHIFT
	add	sp, x2, x3
	msr	tpidr_el1, x1
	adrp	x2, guest_vectors
	add	x2, x2, :lo12:guest_vectors
	msr	vbar_el1, x2
	/* VBAR_EL1 must be in effect before anything can fault (ARM DDI0487 K.a, ISB). */
	isb
.endm

	.section .text.boot, "ax"
	.global _start
_start:
	mov	x19, x0
	/* Clear .bss here, on the boot vCPU only: secondaries start later and share it. */
	adrp	x2, __bss_start
	add	x2, x2, :lo12:__bss_start
	adrp	x3, __bss_end
	add	x3, x3, :lo12:__bss_end
1:	cmp	x2, x3
	b.hs	2f
	stp	xzr, xzr, [x2], #16
	b	1b
2:	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	cpu_setup
	mov	x0, x19
	bl	guest_boot_main
	b	guest_park

	.global guest_secondary_entry
guest_secondary_entry:
	mov	x19, x0
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	cpu_setup
	mov	x0, x19
	bl	guest_secondary_main
	/* fall through */

guest_park:
	wfi
	b	guest_park

	.section .bss.stacks, "aw", %nobits
	.balign 16
guest_stacks:
	.skip	GUEST_MAX_CPUS << GUEST_STACK_SHIFT
