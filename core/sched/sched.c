// SPDX-License-Identifier: Apache-2.0
/*
 * What each physical CPU runs. Only a vCPU's own CPU moves it from BLOCKED to RUNNABLE
 * (Hafnium's rule: others only request, through a kick). A CPU with nothing to run waits for
 * interrupts at EL2. With several vCPUs on one CPU, the running one keeps the CPU until it
 * blocks or its slice ends; CNTHP marks the slice end and the earliest virtual-timer deadline
 * among the CPU's sleeping, switched-out vCPUs.
 */
#include "hyp/sched.h"

#include "hyp/arch_api.h"
#include "hyp/log.h"
#include "hyp/vm.h"

struct pcpu pcpus[SCHED_MAX_PCPUS];
unsigned pcpu_count;

unsigned arch_cpu_index(void);

struct pcpu *this_pcpu(void)
{
	return &pcpus[arch_cpu_index()];
}

struct pcpu *sched_pcpu_for(unsigned i)
{
	unsigned online = 0, k = 0;

	for (unsigned c = 0; c < pcpu_count; c++) {
		online += pcpus[c].online;
	}
	i %= MAX(online, 1U);
	for (unsigned c = 0; c < pcpu_count; c++) {
		if (pcpus[c].online && k++ == i) {
			return &pcpus[c];
		}
	}
	return &pcpus[0];
}

void sched_assign(struct pcpu *p, struct vcpu *v)
{
	if (p->nr_vcpus < SCHED_MAX_PER_PCPU) {
		p->vcpus[p->nr_vcpus++] = v;
	}
	v->pcpu = p;
}

void sched_kick(struct vcpu *v)
{
	if (!v->pcpu) {
		return;
	}
	if (v->pcpu != this_pcpu()) {
		arch_pcpu_kick(v->pcpu->id);
	} else {
		v->pcpu->resched = true; /* the exit in progress here must not skip sched_next() */
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

/* A switched-out vCPU's timer is not in hardware: its deadline is checked here instead. */
static bool saved_timer_due(const struct pcpu *p, const struct vcpu *v, uint64_t now)
{
	uint64_t deadline;

	return p->loaded != v && arch_vcpu_timer_deadline(v, &deadline) && deadline <= now;
}

/* Wake v if it waits in WFI and an interrupt is now due; then, does it want the CPU? */
static bool wants_cpu(const struct pcpu *p, struct vcpu *v, uint64_t now)
{
	if (v->state == VCPU_BLOCKED &&
	    (arch_vcpu_has_pending_irq(v) || saved_timer_due(p, v, now))) {
		v->state = VCPU_RUNNABLE;
	}
	return v->state == VCPU_RUNNABLE && v->vm->state == VM_RUNNING;
}

static struct vcpu *pick_single(struct pcpu *p)
{
	struct vcpu *v = p->vcpus[0];

	return wants_cpu(p, v, 0) && may_enter(v) ? v : NULL;
}

/* Keep the loaded vCPU for the rest of its slice, else round-robin from the next one. */
static struct vcpu *pick_shared(struct pcpu *p, uint64_t now)
{
	struct vcpu *cur = p->loaded;

	if (cur && now < p->slice_end && wants_cpu(p, cur, now) && may_enter(cur)) {
		return cur;
	}
	for (unsigned i = 1; i <= p->nr_vcpus; i++) {
		unsigned idx = (p->rr + i) % p->nr_vcpus;
		struct vcpu *v = p->vcpus[idx];

		if (wants_cpu(p, v, now) && may_enter(v)) {
			p->rr = idx;
			p->slice_end = now + arch_timer_freq() / 1000000 * SCHED_SLICE_US;
			return v;
		}
	}
	return NULL;
}

/* CNTHP: the slice end if another vCPU here wants to run, or a sleeping vCPU's timer. */
static void arm_hyp_timer(struct pcpu *p, const struct vcpu *chosen, uint64_t now)
{
	uint64_t next = UINT64_MAX, deadline;

	for (unsigned i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *v = p->vcpus[i];

		if (v == chosen || v == p->loaded) {
			continue; /* its timer is live in hardware */
		}
		if (chosen && wants_cpu(p, v, now)) {
			next = MIN(next, p->slice_end);
		} else if (v->state == VCPU_BLOCKED && arch_vcpu_timer_deadline(v, &deadline)) {
			next = MIN(next, deadline);
		}
	}
	if (next == UINT64_MAX) {
		arch_hyp_timer_cancel();
	} else {
		arch_hyp_timer_set(next);
	}
}

/*
 * Save the context this CPU holds for old, unless a reset replaced old's saved context since
 * (reload): that one is then the truth, and what the CPU holds is stale. CPU_ON resets an OFF
 * vCPU under the VM's lock, possibly while this CPU still holds it, so an OFF vCPU is put under
 * that lock; a vCPU found runnable was either never off or was reset before it became runnable
 * (reload set before the state's release).
 */
static void put_loaded(struct vcpu *old)
{
	if (__atomic_load_n(&old->state, __ATOMIC_ACQUIRE) != VCPU_OFF) {
		if (!old->reload) {
			arch_vcpu_put(old);
		}
		return;
	}
	spin_lock(&old->vm->lock);
	if (!old->reload) {
		arch_vcpu_put(old);
	}
	spin_unlock(&old->vm->lock);
}

static void prepare(struct pcpu *p, struct vcpu *v)
{
	if (p->loaded != v || v->reload) {
		if (p->loaded && p->loaded != v) {
			put_loaded(p->loaded);
			p->switches++;
		}
		arch_vcpu_load(v);
		p->loaded = v;
	}
	v->on_pending = false;
}

/** May cur go straight back after a light exit? See sched.h. */
bool sched_keeps(const struct vcpu *cur)
{
	return !cur->reload && !cur->pcpu->resched && cur->state == VCPU_RUNNABLE &&
	       __atomic_load_n(&cur->vm->state, __ATOMIC_ACQUIRE) == VM_RUNNING;
}

/*
 * The commonest exit: the only vCPU of this CPU goes straight back. Its running mark stays
 * set; a reset or power-off that raced with this check kicks the CPU, and the next exit takes
 * the full path below and sees it.
 */
static bool resume_alone(const struct vcpu *cur)
{
	return cur && cur->pcpu->nr_vcpus == 1 && sched_keeps(cur);
}

struct vcpu *sched_next(struct vcpu *cur)
{
	struct pcpu *p;

	if (resume_alone(cur)) {
		return cur;
	}
	p = cur ? cur->pcpu : this_pcpu();
	p->resched = false; /* this is the look it asked for */
	if (cur) {
		/* It has left the guest; may_enter() marks it again if it is the one to go back. */
		__atomic_store_n(&cur->running, false, __ATOMIC_SEQ_CST);
		arch_send_event();
	}
	for (;;) {
		struct vcpu *v = p->nr_vcpus == 1 ? pick_single(p) : NULL;

		if (p->nr_vcpus > 1) {
			uint64_t now = arch_timer_now();

			v = pick_shared(p, now);
			if (v) {
				prepare(p, v); /* before arming: the vCPU put here needs its timer
						  watched */
			}
			arm_hyp_timer(p, v, now);
		}
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
