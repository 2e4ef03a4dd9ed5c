// SPDX-License-Identifier: Apache-2.0
/*
 * C entry of each physical CPU: discover the machine (boot CPU), turn on the EL2 MMU, then
 * hand over to the core. Nothing before the MMU is on may take a lock: exclusives need Normal
 * memory.
 */
#include "hyp/arch/cpu.h"
#include "hyp/arch/mmu.h"
#include "hyp/console.h"
#include "hyp/init.h"
#include "hyp/plat_console.h"
#include "hyp/string.h"

#include "board.h"

static struct platform_info plat_info;

void arm64_boot_primary(const void *fdt);
void arm64_boot_secondary(unsigned id);
void arm64_sysreg_table_check(void);

/* No lock may be taken yet: write straight to the UART and stop. */
static __noreturn void early_fail(const char *what)
{
	const char *p = "tessera: cannot start: ";

	while (*p) {
		plat_console_putc((uint8_t)*p++);
	}
	while (*what) {
		plat_console_putc((uint8_t)*what++);
	}
	plat_console_putc('\r');
	plat_console_putc('\n');
	plat_console_flush();
	/* The machine is unusable: ask the firmware (PSCI SYSTEM_OFF over SMC) to turn it off. */
	arm64_smc(0x84000008ULL, 0, 0, 0);
	for (;;) {
		__asm__ volatile("wfe");
	}
}

void arm64_boot_primary(const void *fdt)
{
	static char err[128];

	plat_console_init(PLAT_EARLY_UART_BASE);
	arm64_cpu_features_probe();
	/* Its first step validates the whole DTB (header, structure, bounds) before reading it. */
	if (platform_discover(fdt, &plat_info, err, sizeof(err)) != 0) {
		early_fail(err);
	}
	plat_console_init(plat_info.uart_base);
	arm64_mmu_build(&plat_info);
	arm64_mmu_enable();
	arm64_sysreg_table_check();
	hyp_main(&plat_info, fdt);
}

void arm64_boot_secondary(unsigned id)
{
	arm64_mmu_enable();
	if (arch_irq_init_cpu(&plat_info) != 0) {
		early_fail("no GIC redistributor matches this CPU");
	}
	hyp_secondary_main(id);
}
