/* SPDX-License-Identifier: Apache-2.0 */
/* Ordered start-up after the arch entry code (core/init.c). */
#ifndef HYP_INIT_H
#define HYP_INIT_H

#include "hyp/platform.h"

/** Boot CPU: from a discovered machine to a running VM. Does not return. */
__noreturn void hyp_main(const struct platform_info *info, const void *fdt);
/** Secondary CPU id is up with its MMU and GIC: join the scheduler. Does not return. */
__noreturn void hyp_secondary_main(unsigned id);

/* What the architecture provides to the start-up sequence. */
void arch_firmware_init(const struct platform_info *info);
void arch_irq_init_global(const struct platform_info *info);
int __must_check arch_irq_init_cpu(const struct platform_info *info);
void arch_irq_route_spi(unsigned intid, uint64_t mpidr);
int __must_check arch_cpu_start(unsigned id, uint64_t mpidr);

#endif
