/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arm64 Image header (Linux Documentation/arch/arm64/booting.rst) in front of the guest runtime's
 * _start. Its first word is the guest's first instruction: it reads the physical counter, which
 * no hypervisor here offsets (Tessera: CNTVOFF_EL2 = 0 and EL1PCTEN; Xen: EL1PCTEN), so under
 * -icount it is the machine's instruction count since reset divided by 16 << shift.
 */
	.section .text.head, "ax"
	.global bench_head
bench_head:
	mrs	x21, cntpct_el0			/* code0: the first guest instruction */
	b	bench_entry			/* code1 */
	.quad	0x80000				/* text_offset */
	.quad	__image_size			/* image_size, .bss included */
	.quad	0				/* flags: little-endian, defaults */
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

bench_entry:
	/* .data, not .bss: _start clears .bss. x0 (the DTB) is left alone for _start. */
	adrp	x22, bench_boot_cntpct
	str	x21, [x22, :lo12:bench_boot_cntpct]
	b	_start

	.data
	.balign	8
	.global bench_boot_cntpct
bench_boot_cntpct:
	.quad	0
