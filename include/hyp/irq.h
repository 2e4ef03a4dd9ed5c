/* SPDX-License-Identifier: Apache-2.0 */
/* Physical interrupts that reach Tessera, dispatched from a table by INTID. */
#ifndef HYP_IRQ_H
#define HYP_IRQ_H

#include "hyp/types.h"

#define IRQ_MAX_INTID 128

/** A handler returns true when the interrupt is finished and may be deactivated now. */
typedef bool (*irq_handler_fn)(unsigned intid);

/** Install a handler: 0, -EINVAL for an INTID out of range, -EEXIST when taken. */
int __must_check irq_register(unsigned intid, irq_handler_fn fn);
/** Run the handler of intid; unknown interrupts are logged once and deactivated. */
bool irq_dispatch(unsigned intid);

#endif
