/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL1 vector table (ARM DDI0487 K.a, VBAR_EL1: 16 entries of 0x80 bytes, 2 KiB aligned).
 * Every entry saves a struct exc_frame (guest/include/guest/exc.h) and calls
 * exc_dispatch(frame, index); the handler may change frame->elr to skip an instruction.
 */
#define FRAME_SIZE (34 * 8)
#define FRAME_ELR (31 * 8)
#define FRAME_SPSR (32 * 8)

.macro vector index
	.balign 0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\index
	b	exc_entry
.endm

	.text
	.balign 0x800
	.global guest_vectors
guest_vectors:
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector	\i
	.endr

exc_entry:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x30, x1, [sp, #240]
	str	x2, [sp, #FRAME_SPSR]
	mov	x1, x0
	mov	x0, sp
	bl	exc_dispatch
	/* ELR/SPSR come back from the frame: a nested exception may have clobbered the regs. */
	ldr	x1, [sp, #FRAME_ELR]
	ldr	x2, [sp, #FRAME_SPSR]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret
