/* SPDX-License-Identifier: Apache-2.0 */
/* EL1 context switch pieces (arch/arm64/hyp/). */
#ifndef HYP_ARCH_EL1_SWITCH_H
#define HYP_ARCH_EL1_SWITCH_H

#include "hyp/arch/vcpu.h"

void arm64_el1_save(struct vcpu_el1 *s);
void arm64_el1_restore(const struct vcpu_el1 *s);
void arm64_pac_save(struct vcpu_pac *k);
void arm64_pac_restore(const struct vcpu_pac *k);
void arm64_vtimer_save(struct vtimer_state *t);
void arm64_vtimer_restore(const struct vtimer_state *t);
void arm64_fp_save(struct vcpu_fp *fp);
void arm64_fp_restore(const struct vcpu_fp *fp);

#endif
