// SPDX-License-Identifier: Apache-2.0
/*
 * Ordered start-up: memory, configuration (validated completely before anything is built),
 * interrupts, the VM, the other CPUs, then the scheduler. A configuration error is reported
 * with the setting it concerns, and the machine powers off without starting any VM.
 */
#include "hyp/init.h"

#include "hyp/arch_api.h"
#include "hyp/check.h"
#include "hyp/console.h"
#include "hyp/errno.h"
#include "hyp/fdt.h"
#include "hyp/irq.h"
#include "hyp/log.h"
#include "hyp/page_alloc.h"
#include "hyp/plat_console.h"
#include "hyp/sched.h"
#include "hyp/string.h"
#include "hyp/vm.h"

#include "board.h"
#include "vdev/psci/smccc.h"

#define TESSERA_VERSION "0.1"

struct page_pool hyp_pool;
/* 256 KiB for up to 8 GiB of RAM, of which page_pool_init() clears what the pool uses: in
 * .noinit, which head.S does not clear (arch/arm64/tessera.ld). */
static uint64_t pool_bitmap[PLAT_POOL_MAX_BYTES / PAGE_SIZE / 64]
    __attribute__((section(".noinit")));
static struct vm vm0;
extern uint8_t _head[], _end[];

static __noreturn void config_error(const char *err)
{
	log_error("configuration: %s\n", err);
	log_error("no VM started\n");
	arch_system_off();
}

static void memory_init(const struct platform_info *info, const void *fdt)
{
	const struct mem_range *m = &info->mem[0];
	uint64_t size = MIN(m->size, PLAT_POOL_MAX_BYTES);

	CHECK(page_pool_init(&hyp_pool, hpa(m->base), size, pool_bitmap, ARRAY_SIZE(pool_bitmap)) ==
	      0);
	/* Below the image too: the boot loader's area at the start of RAM is left alone. */
	page_pool_reserve(&hyp_pool, hpa(m->base), (uint64_t)(uintptr_t)_end - m->base);
	page_pool_reserve(&hyp_pool, hpa((uint64_t)(uintptr_t)fdt), fdt_totalsize(fdt));
	page_pool_reserve(&hyp_pool, hpa(info->kernel.base), info->kernel.size);
	page_pool_reserve(&hyp_pool, hpa(info->initrd.base), info->initrd.size);
}

static void config_init(const struct platform_info *info, struct vm_config *cfg)
{
	static char err[160];

	if (vm_config_parse(info->bootargs, cfg, err, sizeof(err)) != 0) {
		config_error(err);
	}
	cfg->kernel = (struct vm_image){info->kernel.base, info->kernel.size};
	cfg->initrd = (struct vm_image){info->initrd.base, info->initrd.size};
	memcpy(cfg->bootargs, info->kernel.bootargs, sizeof(cfg->bootargs));
	cfg->bootargs[sizeof(cfg->bootargs) - 1] = '\0';
	if (vm_config_check(cfg, page_pool_largest_run(&hyp_pool, SZ_2M / PAGE_SIZE) * PAGE_SIZE,
			    err, sizeof(err))) {
		config_error(err);
	}
}

static void pcpus_init(const struct platform_info *info)
{
	pcpu_count = MIN(info->cpu_count, (unsigned)SCHED_MAX_PCPUS);
	for (unsigned i = 0; i < pcpu_count; i++) {
		pcpus[i].id = i;
		pcpus[i].mpidr = info->cpu_mpidr[i];
	}
	pcpus[0].online = true;
}

static void irq_init(const struct platform_info *info)
{
	CHECK(irq_register(info->uart_intid, console_rx_irq) == 0);
	arch_irq_init_global(info);
	CHECK(arch_irq_init_cpu(info) == 0);
	arch_irq_route_spi(info->uart_intid, pcpus[0].mpidr);
}

static bool all_online(void)
{
	for (unsigned i = 0; i < pcpu_count; i++) {
		if (!__atomic_load_n(&pcpus[i].online, __ATOMIC_ACQUIRE)) {
			return false;
		}
	}
	return true;
}

/* Start the other CPUs and give them a second to check in; vCPUs go only to those that did. */
static void secondaries_start(const struct platform_info *info)
{
	uint64_t deadline;

	if (info->psci != PSCI_CONDUIT_SMC) {
		log_notice("no PSCI firmware over SMC: running on CPU 0 only\n");
		pcpu_count = 1;
		return;
	}
	for (unsigned i = 1; i < pcpu_count; i++) {
		if (arch_cpu_start(i, pcpus[i].mpidr) != 0) {
			log_notice("CPU %u (MPIDR %#llx) did not start\n", i,
				   (unsigned long long)pcpus[i].mpidr);
		}
	}
	deadline = arch_timer_now() + arch_timer_freq();
	while (!all_online() && arch_timer_now() < deadline) {
	}
	for (unsigned i = 1; i < pcpu_count; i++) {
		if (!pcpus[i].online) {
			log_notice("CPU %u did not come online: no vCPU is placed on it\n", i);
		}
	}
}

void hyp_main(const struct platform_info *info, const void *fdt)
{
	struct vm_config cfg;
	int ret;

	CHECK(smccc_table_check() == 0); /* the SMCCC call table must be sorted */
	CHECK(vgic_tables_check());	 /* so must the vGIC register tables */
	log_info("Tessera %s hypervisor on %s: %u CPUs, %llu MiB RAM at %#llx\n", TESSERA_VERSION,
		 PLAT_NAME, info->cpu_count, (unsigned long long)(info->mem[0].size >> 20),
		 (unsigned long long)info->mem[0].base);
	pcpus_init(info);
	memory_init(info, fdt);
	config_init(info, &cfg);
	arch_firmware_init(info);
	irq_init(info);
	secondaries_start(info);
	ret = vm_create(&vm0, 0, &cfg);
	if (ret) {
		log_error("vm0 could not be built (%d)\n", ret);
		arch_system_off();
	}
	log_info("vm0: %u vCPUs, %llu MiB RAM at IPA %#llx (host %#llx), kernel %llu bytes%s\n",
		 cfg.nr_vcpus, (unsigned long long)(cfg.mem_size >> 20),
		 (unsigned long long)GUEST_RAM_BASE, (unsigned long long)vm0.ram_hpa,
		 (unsigned long long)cfg.kernel.size, cfg.initrd.size ? ", initrd" : "");
	log_info("vm0: stage-2 tables %llu KiB\n",
		 (unsigned long long)(stage2_table_bytes(&vm0.s2) >> 10));
	console_set_input(&vm0);
	plat_console_rx_irq(true);
	sched_start();
}

void hyp_secondary_main(unsigned id)
{
	__atomic_store_n(&pcpus[id].online, true, __ATOMIC_RELEASE);
	sched_start();
}
