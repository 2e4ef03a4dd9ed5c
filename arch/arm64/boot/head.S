/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry points: the arm64 Image header (Documentation/arm64/booting.rst in Linux defines the
 * layout that QEMU -kernel and U-Boot booti read), the boot CPU's entry with x0 = host DTB,
 * and the entry of secondary CPUs started through PSCI CPU_ON with x0 = their index.
 */
#include "hyp/arch/layout.h"

	.section .text.head, "ax"
	.global _start_image
_start_image:
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	HYP_TEXT_OFFSET			/* text_offset */
	.quad	_image_size			/* image_size, from the linker script */
	.quad	0x2				/* flags: LE, 4K pages, at a 2 MiB RAM base + text_offset */
	.quad	0, 0, 0				/* res2-res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

primary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	not_el2
	bl	el2_early_setup
	/*
	 * Clear BSS before any C code runs, 64 bytes a round (the linker script aligns both ends
	 * to 64). The stacks and the page pool's bitmap are in .noinit, after BSS: not cleared.
	 */
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1]
	stp	xzr, xzr, [x1, #16]
	stp	xzr, xzr, [x1, #32]
	stp	xzr, xzr, [x1, #48]
	add	x1, x1, #64
	b	1b
2:	mov	x0, #0
	bl	set_stack
	mov	x0, x19
	bl	arm64_boot_primary
	b	.

	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	bl	el2_early_setup
	mov	x0, x19
	bl	set_stack
	mov	x0, x19
	bl	arm64_boot_secondary
	b	.

/* Known EL2 state with the MMU and caches off; vectors installed. */
el2_early_setup:
	ldr	x1, =0x30C50830			/* SCTLR_EL2 RES1, M = C = I = 0 */
	msr	sctlr_el2, x1
	ldr	x1, =hyp_vectors
	msr	vbar_el2, x1
	msr	tpidr_el2, xzr			/* no vCPU has run here yet (reset value UNKNOWN) */
	isb
	ret

/* sp = top of the stack of CPU x0. */
set_stack:
	ldr	x1, =hyp_stacks
	add	x0, x0, #1
	mov	x2, #HYP_STACK_SIZE
	madd	x1, x0, x2, x1
	mov	sp, x1
	ret

not_el2:
	/* Tessera must be entered at EL2; nothing sensible can run otherwise. */
	wfe
	b	not_el2

	/* Stacks need no clearing: .noinit (tessera.ld) is left out of the BSS clear above. */
	.section .noinit, "aw", %nobits
	.balign	HYP_STACK_SIZE
	.global hyp_stacks
hyp_stacks:
	.space	HYP_STACK_SIZE * HYP_MAX_CPUS
