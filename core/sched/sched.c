// SPDX-License-Identifier: Apache-2.0
/*
 * What each physical CPU runs. Every vCPU is pinned to one physical CPU; only that CPU changes
 * it from BLOCKED to RUNNABLE (Hafnium's rule: a vCPU's state moves on its own CPU, others only
 * request, through a kick). A CPU with nothing to run waits for interrupts at EL2.
 */
#include "hyp/arch_api.h"
#include "hyp/log.h"
#include "hyp/sched.h"
#include "hyp/vm.h"

struct pcpu pcpus[SCHED_MAX_PCPUS];
unsigned pcpu_count;

unsigned arch_cpu_index(void);

struct pcpu *this_pcpu(void)
{
	return &pcpus[arch_cpu_index()];
}

void sched_assign(struct pcpu *p, struct vcpu *v)
{
	p->vcpu = v;
	v->pcpu = p;
}

void sched_kick(struct vcpu *v)
{
	if (v->pcpu && v->pcpu != this_pcpu()) {
		arch_pcpu_kick(v->pcpu->id);
	}
}

/* Dekker-style pairing with vm_reset/vm_stop: mark running, then look at the VM's state. */
static bool may_enter(struct vcpu *v)
{
	__atomic_store_n(&v->running, true, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&v->vm->state, __ATOMIC_SEQ_CST) == VM_RUNNING &&
	    __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_RUNNABLE) {
		return true;
	}
	__atomic_store_n(&v->running, false, __ATOMIC_SEQ_CST);
	arch_send_event();
	return false;
}

static void prepare(struct pcpu *p, struct vcpu *v)
{
	if (p->loaded != v || v->reload) {
		if (p->loaded && p->loaded != v) {
			arch_vcpu_put(p->loaded);
		}
		arch_vcpu_load(v);
		p->loaded = v;
	}
	v->on_pending = false;
}

static struct vcpu *pick(struct pcpu *p)
{
	struct vcpu *v = p->vcpu;

	if (!v) {
		return NULL;
	}
	if (v->state == VCPU_BLOCKED && arch_vcpu_has_pending_irq(v)) {
		v->state = VCPU_RUNNABLE;
	}
	return may_enter(v) ? v : NULL;
}

struct vcpu *sched_next(struct vcpu *cur)
{
	struct pcpu *p = this_pcpu();

	(void)cur;
	for (;;) {
		struct vcpu *v = pick(p);

		if (v) {
			prepare(p, v);
			return v;
		}
		arch_idle();
	}
}

void sched_vm_stopped(struct vm *vm)
{
	(void)vm;
	/* One VM today: when it is off, so is the machine (every byte it wrote is out already). */
	log_info("no VM left running: powering off\n");
	arch_system_off();
}

void sched_start(void)
{
	arch_vcpu_enter(sched_next(NULL));
}
