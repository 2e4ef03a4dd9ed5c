// SPDX-License-Identifier: Apache-2.0
/*
 * Tessera hypercalls (docs/hypercall-abi.md, include/uapi/hyp/hypercall.h): a table indexed by
 * function number. Each handler reads its arguments from x1.. and writes results to x0..x3.
 */
#include "uapi/hyp/hypercall.h"

#include "hyp/log.h"
#include "hyp/psci_glue.h"
#include "hyp/vm.h"

typedef void (*hcall_fn)(struct vcpu *v, struct smccc_regs *r);

static void hc_version(struct vcpu *v, struct smccc_regs *r)
{
	(void)v;
	r->x[0] = TESSERA_ABI_VERSION;
}

static void hc_nop(struct vcpu *v, struct smccc_regs *r)
{
	(void)v;
	r->x[0] = TESSERA_OK;
}

static void hc_vm_info(struct vcpu *v, struct smccc_regs *r)
{
	r->x[0] = v->vm->id;
	r->x[1] = v->id;
	r->x[2] = v->vm->nr_vcpus;
	r->x[3] = v->vm->reset_count;
}

static void hc_console_putc(struct vcpu *v, struct smccc_regs *r)
{
	vm_console_output(v->vm, (uint8_t)r->x[1]);
	r->x[0] = TESSERA_OK;
}

static void hc_exit_count(struct vcpu *v, struct smccc_regs *r)
{
	if (r->x[1] >= TESSERA_EXIT_CLASS_COUNT) {
		r->x[0] = (uint64_t)(int64_t)TESSERA_E_INVALID;
		return;
	}
	r->x[0] = v->exits[r->x[1]];
}

static void hc_exit_dump(struct vcpu *v, struct smccc_regs *r)
{
	for (unsigned i = 0; i < v->vm->nr_vcpus; i++) {
		const uint64_t *e = v->vm->vcpu[i].exits;

		log_info("vm%u vcpu%u exits: hvc %llu smc %llu mmio %llu sysreg %llu wfx %llu "
			 "irq %llu abort %llu undef %llu other %llu\n",
			 v->vm->id, i, (unsigned long long)e[0], (unsigned long long)e[1],
			 (unsigned long long)e[2], (unsigned long long)e[3],
			 (unsigned long long)e[4], (unsigned long long)e[5],
			 (unsigned long long)e[6], (unsigned long long)e[7],
			 (unsigned long long)e[8]);
	}
	r->x[0] = TESSERA_OK;
}

static const hcall_fn hcall_table[] = {
    [TESSERA_HC_VERSION & 0xffff] = hc_version,
    [TESSERA_HC_NOP & 0xffff] = hc_nop,
    [TESSERA_HC_VM_INFO & 0xffff] = hc_vm_info,
    [TESSERA_HC_CONSOLE_PUTC & 0xffff] = hc_console_putc,
    [TESSERA_HC_EXIT_COUNT & 0xffff] = hc_exit_count,
    [TESSERA_HC_EXIT_DUMP & 0xffff] = hc_exit_dump,
};

void hcall_dispatch(void *vcpu, struct smccc_regs *r)
{
	uint64_t fid = r->x[0] & 0xffffffffULL;
	uint64_t n = fid & 0xffff;

	if ((fid & ~0xffffULL) != TESSERA_HC_BASE || n >= ARRAY_SIZE(hcall_table) ||
	    !hcall_table[n]) {
		r->x[0] = (uint64_t)(int64_t)TESSERA_E_NOT_SUPPORTED;
		return;
	}
	hcall_table[n](vcpu, r);
}
