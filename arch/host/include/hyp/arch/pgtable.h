/* SPDX-License-Identifier: Apache-2.0 */
/* The host fake models an arm64 MMU, so it shares the arm64 stage-2 descriptor format. */
#ifndef HYP_ARCH_HOST_PGTABLE_H
#define HYP_ARCH_HOST_PGTABLE_H

#include "../../../../arm64/include/hyp/arch/pgtable.h"

#endif
