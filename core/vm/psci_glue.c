// SPDX-License-Identifier: Apache-2.0
/*
 * vCPU lifecycle decisions behind PSCI (PSCI DEN0022 E §5): power on and off, affinity state,
 * suspend as standby, and whole-VM off and reset. vdev/psci has validated the arguments.
 */
#include "hyp/psci_glue.h"

#include "hyp/arch_api.h"
#include "hyp/sched.h"
#include "hyp/vm.h"

/* CPU_ON, PSCI DEN0022 E §5.6: the target starts at entry, EL1, MMU off, x0 = context_id. */
static int32_t cpu_on(void *ctx, uint64_t target_mpidr, uint64_t entry, uint64_t context_id)
{
	struct vcpu *caller = ctx;
	struct vm *vm = caller->vm;
	struct vcpu *t = vm_vcpu_by_mpidr(vm, target_mpidr);
	int32_t ret = PSCI_SUCCESS;

	if (!t) {
		return PSCI_INVALID_PARAMETERS;
	}
	if (!vm_ipa_is_ram(vm, entry, 4)) {
		return PSCI_INVALID_ADDRESS;
	}
	spin_lock(&vm->lock);
	if (t->state != VCPU_OFF) {
		ret = t->on_pending ? PSCI_ON_PENDING : PSCI_ALREADY_ON;
	} else {
		arch_vcpu_reset(t, entry, context_id);
		t->on_pending = true;
		__atomic_store_n(&t->state, VCPU_RUNNABLE, __ATOMIC_RELEASE);
	}
	spin_unlock(&vm->lock);
	if (ret == PSCI_SUCCESS) {
		sched_kick(t);
	}
	return ret;
}

/* CPU_OFF, §5.5: never returns to the caller; its timer and forwarded interrupts are dropped. */
static int32_t cpu_off(void *ctx)
{
	struct vcpu *v = ctx;

	spin_lock(&v->vm->lock);
	arch_vcpu_quiesce(v);
	v->state = VCPU_OFF;
	spin_unlock(&v->vm->lock);
	return PSCI_SUCCESS;
}

/* CPU_SUSPEND, §5.4: a standby that a pending interrupt ends, like WFI (allowed for both types). */
static int32_t cpu_suspend(void *ctx, uint32_t power_state, uint64_t entry, uint64_t context_id)
{
	struct vcpu *v = ctx;

	(void)power_state;
	(void)entry;
	(void)context_id;
	if (!arch_vcpu_has_pending_irq(v)) {
		v->state = VCPU_BLOCKED;
	}
	return PSCI_SUCCESS;
}

/* AFFINITY_INFO, §5.7 (lowest level 0 checked by the decoder). */
static int32_t affinity_info(void *ctx, uint64_t target_mpidr, uint32_t lowest_level)
{
	struct vcpu *caller = ctx;
	struct vcpu *t = vm_vcpu_by_mpidr(caller->vm, target_mpidr);

	(void)lowest_level;
	if (!t) {
		return PSCI_INVALID_PARAMETERS;
	}
	if (t->state == VCPU_OFF) {
		return PSCI_AFF_OFF;
	}
	return t->on_pending ? PSCI_AFF_ON_PENDING : PSCI_AFF_ON;
}

static void system_off(void *ctx)
{
	struct vcpu *v = ctx;

	vm_stop(v->vm, v);
}

static void system_reset(void *ctx)
{
	struct vcpu *v = ctx;

	vm_reset(v->vm, v);
}

const struct psci_ops vcpu_psci_ops = {
    .cpu_on = cpu_on,
    .cpu_off = cpu_off,
    .cpu_suspend = cpu_suspend,
    .affinity_info = affinity_info,
    .system_off = system_off,
    .system_reset = system_reset,
    .hypercall = hcall_dispatch,
};
