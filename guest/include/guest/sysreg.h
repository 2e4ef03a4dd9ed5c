/* SPDX-License-Identifier: Apache-2.0 */
/*
 * System-register and MMIO accessors for test guests. The guest runs with the MMU off, so every
 * data access is Device-nGnRnE (ARM DDI0487 K.a, "Behavior when stage 1 address
 * translation is disabled"): accesses must be naturally aligned.
 */
#ifndef GUEST_SYSREG_H
#define GUEST_SYSREG_H

#include <stdint.h>

#define read_sysreg(reg)                                                                           \
	({                                                                                         \
		uint64_t rv_;                                                                      \
		__asm__ volatile("mrs %0, " #reg : "=r"(rv_));                                     \
		rv_;                                                                               \
	})

#define write_sysreg(reg, val)                                                                     \
	do {                                                                                       \
		uint64_t v_ = (uint64_t)(val);                                                     \
		__asm__ volatile("msr " #reg ", %0" : : "r"(v_) : "memory");                       \
	} while (0)

#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")
#define sev() __asm__ volatile("sev" : : : "memory")
#define wfe() __asm__ volatile("wfe" : : : "memory")
#define wfi() __asm__ volatile("wfi" : : : "memory")

/* PSTATE.I is bit 1 of the DAIFSet/DAIFClr immediate (ARM DDI0487 K.a, MSR (immediate)). */
#define irq_enable() __asm__ volatile("msr daifclr, #2" : : : "memory")
#define irq_disable() __asm__ volatile("msr daifset, #2" : : : "memory")

/* MPIDR_EL1.Aff0 (ARM DDI0487 K.a, MPIDR_EL1): the contract numbers vCPU i with Aff0 = i. */
#define MPIDR_AFF0_MASK 0xffULL

/*
 * MMIO goes through single plain [Xn] loads and stores in asm: an access with writeback or a
 * pair gives ESR_EL2.ISV = 0 (ARM DDI0487 K.a, ISS encoding for a Data Abort), which leaves a
 * hypervisor no syndrome to emulate from. A volatile pointer lets GCC pick such forms.
 */
static inline uint8_t mmio_read8(uintptr_t addr)
{
	uint8_t v;

	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline uint64_t mmio_read64(uintptr_t addr)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write8(uintptr_t addr, uint8_t v)
{
	__asm__ volatile("strb %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline void mmio_write64(uintptr_t addr, uint64_t v)
{
	__asm__ volatile("str %x0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

#endif
