/* SPDX-License-Identifier: Apache-2.0 */
/* The core's answers to PSCI and hypercalls: vCPU lifecycle decisions (core/vm/psci_glue.c). */
#ifndef HYP_PSCI_GLUE_H
#define HYP_PSCI_GLUE_H

#include "vdev/psci/smccc.h"

/** ops for smccc_dispatch(); ctx is the calling struct vcpu. */
extern const struct psci_ops vcpu_psci_ops;

/** Tessera hypercalls (vendor-specific hypervisor range), core/hcall/hcall.c. */
void hcall_dispatch(void *vcpu, struct smccc_regs *r);

#endif
