/* SPDX-License-Identifier: Apache-2.0 */
/* EL2 identity map and cache maintenance. */
#ifndef HYP_ARCH_MMU_H
#define HYP_ARCH_MMU_H

#include "hyp/types.h"

struct platform_info;

/** Fill the EL2 tables from the machine's memory map (boot CPU, MMU still off). */
void arm64_mmu_build(const struct platform_info *info);
/** Turn the EL2 MMU and caches on with those tables (every CPU). */
void arm64_mmu_enable(void);

#endif
