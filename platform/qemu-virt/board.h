/* SPDX-License-Identifier: Apache-2.0 */
/*
 * QEMU virt board data needed before the DTB has been read. Everything else about the machine
 * (memory, CPUs, GIC, UART, PSCI) is discovered from the DTB that QEMU passes in x0.
 */
#ifndef PLATFORM_BOARD_H
#define PLATFORM_BOARD_H

#define PLAT_NAME "qemu-virt"
#define PLAT_EARLY_UART_BASE 0x09000000ULL /* PL011 "uart0", hw/arm/virt.c memory map */
#define PLAT_POOL_MAX_BYTES (8ULL << 30)   /* RAM the page allocator can manage */

#endif
