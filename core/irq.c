// SPDX-License-Identifier: Apache-2.0
/* Physical interrupt table: handlers registered at boot, looked up by INTID on every IRQ. */
#include "hyp/irq.h"

#include "hyp/errno.h"
#include "hyp/log.h"

static irq_handler_fn handlers[IRQ_MAX_INTID];

int irq_register(unsigned intid, irq_handler_fn fn)
{
	if (intid >= IRQ_MAX_INTID) {
		return -EINVAL;
	}
	if (handlers[intid]) {
		return -EEXIST;
	}
	handlers[intid] = fn;
	return 0;
}

bool irq_dispatch(unsigned intid)
{
	static bool warned[IRQ_MAX_INTID];

	if (intid < IRQ_MAX_INTID && handlers[intid]) {
		return handlers[intid](intid);
	}
	if (intid < IRQ_MAX_INTID && !warned[intid]) {
		warned[intid] = true;
		log_notice("unexpected physical interrupt %u\n", intid);
	}
	return true;
}
