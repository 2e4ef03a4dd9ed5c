// SPDX-License-Identifier: Apache-2.0
/*
 * VM construction and whole-VM state changes (off, reset). Lock order: vm->lock, then the
 * device models' locks (pl011, vgic), then the page pool's.
 */
#include "hyp/vm.h"

#include "hyp/arch_api.h"
#include "hyp/check.h"
#include "hyp/console.h"
#include "hyp/errno.h"
#include "hyp/log.h"
#include "hyp/sched.h"

extern struct page_pool hyp_pool;

static void vgic_kick(void *ctx, unsigned vcpu_id)
{
	struct vm *vm = ctx;

	if (vcpu_id < vm->nr_vcpus) {
		sched_kick(&vm->vcpu[vcpu_id]);
	}
}

static const struct vgic_ops vm_vgic_ops = {.kick = vgic_kick};

static void uart_tx(void *ctx, uint8_t byte)
{
	vm_console_output(ctx, byte);
}

/* UARTINTR is level-sensitive: SPI 1 follows it (vgic lock nests inside the pl011 lock). */
static void uart_irq(void *ctx, bool level)
{
	struct vm *vm = ctx;

	vgic_set_level(&vm->vgic, 0, 32 + GUEST_UART_SPI, level);
}

/* The guest made room in its receive FIFO: move input that was held back for it. */
static void uart_rx_drained(void *ctx)
{
	if (console_rx_held()) {
		vm_console_input(ctx);
	}
}

static const struct pl011_backend vm_uart_backend = {
    .tx = uart_tx, .irq = uart_irq, .rx_drained = uart_rx_drained};

static int add_region(struct vm *vm, uint64_t base, uint64_t size, const struct vdev_ops *ops,
		      void *dev, const char *name)
{
	struct mmio_region r = {.base = base, .size = size, .ops = ops, .dev = dev, .name = name};

	return mmio_bus_add(&vm->bus, &r);
}

static int create_devices(struct vm *vm)
{
	int ret = vgic_init(&vm->vgic, vm->nr_vcpus, GUEST_NR_SPIS, &vm_vgic_ops, vm);

	if (ret) {
		return ret;
	}
	pl011_init(&vm->uart, &vm_uart_backend, vm);
	ret = add_region(vm, GUEST_GICD_BASE, VGIC_DIST_SIZE, &vgic_dist_ops, &vm->vgic, "gicd");
	if (!ret) {
		ret = add_region(vm, GUEST_GICR_BASE, vm->nr_vcpus * VGIC_REDIST_STRIDE,
				 &vgic_redist_ops, &vm->vgic, "gicr");
	}
	if (!ret) {
		ret =
		    add_region(vm, GUEST_UART_BASE, PL011_MMIO_SIZE, &pl011_ops, &vm->uart, "uart");
	}
	return ret ? ret : mmio_bus_check(&vm->bus);
}

static int create_memory(struct vm *vm)
{
	hpa_t ram;
	int ret = page_alloc(&hyp_pool, vm->cfg.mem_size / PAGE_SIZE, SZ_2M / PAGE_SIZE, &ram);

	if (ret) {
		return ret;
	}
	vm->ram_hpa = ram.v;
	ret = stage2_init(&vm->s2, &hyp_pool, (uint16_t)(vm->id + 1));
	if (!ret) {
		ret = stage2_map(&vm->s2, gpa(GUEST_RAM_BASE), ram, vm->cfg.mem_size, S2_RWX);
	}
	return ret;
}

static void create_vcpus(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpu[i];

		v->vm = vm;
		v->id = i;
		v->state = VCPU_OFF;
		sched_assign(sched_pcpu_for(i), v);
		arch_vcpu_init(v);
		/* The EL1 virtual timer's PPI is forwarded: the guest's EOI deactivates it. */
		vgic_map_hw(&vm->vgic, i, GUEST_VTIMER_INTID, arch_vtimer_intid());
	}
}

int vm_create(struct vm *vm, unsigned id, const struct vm_config *cfg)
{
	int ret;

	vm->id = id;
	vm->cfg = *cfg;
	vm->nr_vcpus = cfg->nr_vcpus;
	vm->state = VM_STOPPED;
	ret = create_memory(vm);
	if (!ret) {
		ret = create_devices(vm);
	}
	if (ret) {
		return ret;
	}
	create_vcpus(vm);
	ret = vm_load_images(vm);
	if (!ret) {
		vm->state = VM_RUNNING;
	}
	return ret;
}

struct vcpu *vm_vcpu_by_mpidr(struct vm *vm, uint64_t mpidr)
{
	/* vCPU i has Aff0 = i and every other affinity level 0. */
	if (mpidr >= vm->nr_vcpus) {
		return NULL;
	}
	return &vm->vcpu[mpidr];
}

bool vm_ipa_is_ram(const struct vm *vm, uint64_t ipa, uint64_t size)
{
	return ipa >= GUEST_RAM_BASE && size <= vm->cfg.mem_size &&
	       ipa - GUEST_RAM_BASE <= vm->cfg.mem_size - size;
}

/* One line per vCPU, "exits vm0 vcpu1 hvc=.. smc=.. ...", for benchmarks and debugging. */
static void vm_log_exits(const struct vm *vm)
{
	static const char *const names[TESSERA_EXIT_CLASS_COUNT] = {
	    "hvc", "smc", "mmio", "sysreg", "wfx", "irq", "abort", "undef", "other"};

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		char line[256];
		int len = fmt_snprintf(line, sizeof(line), "exits vm%u vcpu%u", vm->id, i);

		for (unsigned c = 0; c < TESSERA_EXIT_CLASS_COUNT && len > 0; c++) {
			len += fmt_snprintf(line + len, sizeof(line) - (size_t)len, " %s=%llu",
					    names[c], (unsigned long long)vm->vcpu[i].exits[c]);
		}
		log_info("%s\n", line);
	}
}

/* Take every vCPU but the caller off its physical CPU and wait until none runs. */
static void stop_others(struct vm *vm, struct vcpu *caller)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpu[i];

		if (v != caller) {
			sched_kick(v);
		}
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpu[i];

		while (v != caller && __atomic_load_n(&v->running, __ATOMIC_SEQ_CST)) {
			arch_wait_event();
		}
	}
}

/* Claim the VM for a whole-VM operation; false when another one is already under way. */
static bool begin_vm_op(struct vm *vm, enum vm_state to)
{
	bool ok;

	spin_lock(&vm->lock);
	ok = vm->state == VM_RUNNING;
	if (ok) {
		/* Pairs with sched_next(): it marks a vCPU running before it reads the VM state. */
		__atomic_store_n(&vm->state, to, __ATOMIC_SEQ_CST);
	}
	spin_unlock(&vm->lock);
	return ok;
}

static void all_vcpus_off(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpu[i].state = VCPU_OFF;
		vm->vcpu[i].on_pending = false;
	}
}

/*
 * Take the whole VM down to "every vCPU off, none running" for a whole-VM operation. False when
 * another one is already under way: the caller just goes off, the other operation wins.
 */
static bool vm_quiesce(struct vm *vm, struct vcpu *caller, enum vm_state to)
{
	if (!begin_vm_op(vm, to)) {
		caller->state = VCPU_OFF;
		return false;
	}
	stop_others(vm, caller);
	all_vcpus_off(vm);
	return true;
}

void vm_stop(struct vm *vm, struct vcpu *caller)
{
	if (!vm_quiesce(vm, caller, VM_STOPPED)) {
		return;
	}
	vm_log_exits(vm);
	log_info("vm%u powered off\n", vm->id);
	sched_vm_stopped(vm);
}

void vm_reset(struct vm *vm, struct vcpu *caller)
{
	if (!vm_quiesce(vm, caller, VM_RESETTING)) {
		return;
	}
	vgic_reset(&vm->vgic);
	pl011_reset(&vm->uart);
	arch_stage2_tlbi_vmid(vm->s2.vmid);
	vm->reset_count++;
	log_info("vm%u reset (%u)\n", vm->id, vm->reset_count);
	if (vm_load_images(vm)) {
		log_error("vm%u: reloading its images failed; it stays off\n", vm->id);
		__atomic_store_n(&vm->state, VM_STOPPED, __ATOMIC_SEQ_CST);
		sched_vm_stopped(vm);
		return;
	}
	__atomic_store_n(&vm->state, VM_RUNNING, __ATOMIC_RELEASE);
	sched_kick(&vm->vcpu[0]);
}
