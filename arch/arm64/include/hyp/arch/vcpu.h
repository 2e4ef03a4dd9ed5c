/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The arm64 part of a vCPU: everything the world switch saves and restores, grouped by
 * subsystem. Register fields carry the ARM ARM register names (ARM DDI0487 K.a).
 * The general-register frame sits at offset 0: entry.S relies on that layout (asm-offsets below).
 */
#ifndef HYP_ARCH_VCPU_H
#define HYP_ARCH_VCPU_H

#include "hyp/types.h"

#include "vdev/irqchip/vgic3/vgic3.h"

/** Guest general registers and the return state, saved on every exit. */
struct vcpu_regs {
	/*
	 * x0-x30, then x[31], where a write to register 31 (XZR) goes, so that storing an
	 * emulated load's result takes no test (vcpu_reg_set()); it is never read.
	 */
	uint64_t x[32];
	uint64_t pc;	 /**< ELR_EL2 at exit: where the guest resumes */
	uint64_t pstate; /**< SPSR_EL2 at exit */
};

/** EL1/EL0 system registers, switched when another vCPU takes the physical CPU. */
struct vcpu_el1 {
	uint64_t sctlr_el1;	 /**< System Control Register (EL1) */
	uint64_t cpacr_el1;	 /**< Architectural Feature Access Control Register */
	uint64_t ttbr0_el1;	 /**< Translation Table Base Register 0 (EL1) */
	uint64_t ttbr1_el1;	 /**< Translation Table Base Register 1 (EL1) */
	uint64_t tcr_el1;	 /**< Translation Control Register (EL1) */
	uint64_t mair_el1;	 /**< Memory Attribute Indirection Register (EL1) */
	uint64_t amair_el1;	 /**< Auxiliary Memory Attribute Indirection Register (EL1) */
	uint64_t esr_el1;	 /**< Exception Syndrome Register (EL1) */
	uint64_t far_el1;	 /**< Fault Address Register (EL1) */
	uint64_t afsr0_el1;	 /**< Auxiliary Fault Status Register 0 (EL1) */
	uint64_t afsr1_el1;	 /**< Auxiliary Fault Status Register 1 (EL1) */
	uint64_t par_el1;	 /**< Physical Address Register */
	uint64_t vbar_el1;	 /**< Vector Base Address Register (EL1) */
	uint64_t contextidr_el1; /**< Context ID Register (EL1) */
	uint64_t tpidr_el0;	 /**< EL0 Read/Write Software Thread ID Register */
	uint64_t tpidrro_el0;	 /**< EL0 Read-Only Software Thread ID Register */
	uint64_t tpidr_el1;	 /**< EL1 Software Thread ID Register */
	uint64_t cntkctl_el1;	 /**< Counter-timer Kernel Control Register */
	uint64_t csselr_el1;	 /**< Cache Size Selection Register */
	uint64_t mdscr_el1;	 /**< Monitor Debug System Control Register */
	uint64_t sp_el0;	 /**< Stack Pointer (EL0) */
	uint64_t sp_el1;	 /**< Stack Pointer (EL1) */
	uint64_t elr_el1;	 /**< Exception Link Register (EL1) */
	uint64_t spsr_el1;	 /**< Saved Program Status Register (EL1) */
	uint64_t vmpidr_el2;	 /**< Virtualization Multiprocessor ID: the guest's MPIDR_EL1 */
};

/** FP/SIMD registers (V0-V31, FPSR, FPCR), saved by fpsimd.S. */
struct vcpu_fp {
	uint64_t v[64];
	uint64_t fpsr;
	uint64_t fpcr;
};

/** Pointer-authentication keys (FEAT_PAuth), switched only when the CPU has them. */
struct vcpu_pac {
	uint64_t apia[2], apib[2], apda[2], apdb[2], apga[2];
};

/** The EL1 virtual timer: CNTV_CTL_EL0 and CNTV_CVAL_EL0. */
struct vtimer_state {
	uint64_t cntv_ctl_el0;
	uint64_t cntv_cval_el0;
};

/** What the last exit reported. */
struct vcpu_fault {
	uint64_t esr_el2;   /**< Exception Syndrome Register (EL2) */
	uint64_t far_el2;   /**< Fault Address Register (EL2) */
	uint64_t hpfar_el2; /**< Hypervisor IPA Fault Address Register */
};

struct arch_vcpu {
	struct vcpu_regs regs; /* must stay first: entry.S */
	struct vcpu_el1 el1;
	struct vcpu_fp fp;
	struct vcpu_pac pac;
	struct vtimer_state tmr;
	struct gic_lr_state gic;
	struct vcpu_fault fault;
	uint64_t hcr_el2;    /**< per-vCPU HCR_EL2 (VSE for a pending virtual SError) */
	uint64_t post_sgi1r; /**< ICC_SGI1R_EL1 value of the post SGI to its CPU (it never moves) */
};

#endif
