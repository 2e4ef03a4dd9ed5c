/* SPDX-License-Identifier: Apache-2.0 */
/*
 * System-register access and the fields Tessera programs. Register and field names follow the
 * ARM ARM (ARM DDI0487 K.a); each block cites the register's section.
 */
#ifndef HYP_ARCH_SYSREG_H
#define HYP_ARCH_SYSREG_H

#include "hyp/types.h"

#define read_sysreg(r)                                                                             \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("mrs %0, " #r : "=r"(v_));                                        \
		v_;                                                                                \
	})

#define write_sysreg(r, v)                                                                         \
	do {                                                                                       \
		uint64_t w_ = (uint64_t)(v);                                                       \
		__asm__ volatile("msr " #r ", %x0" ::"rZ"(w_));                                    \
	} while (0)

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")

/* HCR_EL2, ARM DDI0487 K.a D19.2.48 */
#define HCR_VM BIT(0)
#define HCR_SWIO BIT(1)
#define HCR_FMO BIT(3)
#define HCR_IMO BIT(4)
#define HCR_AMO BIT(5)
#define HCR_VSE BIT(8)
#define HCR_FB BIT(9)
#define HCR_BSU_IS (1ULL << 10)
#define HCR_TWI BIT(13)
#define HCR_TWE BIT(14)
#define HCR_TID3 BIT(18)
#define HCR_TSC BIT(19)
#define HCR_TACR BIT(21)
#define HCR_TSW BIT(22)
#define HCR_RW BIT(31)
#define HCR_APK BIT(40)
#define HCR_API BIT(41)

/* CPTR_EL2 (E2H = 0), ARM DDI0487 K.a D19.2.31 */
#define CPTR_RES1 (BIT(13) | BIT(12) | BIT(9) | 0xffULL)
#define CPTR_TZ BIT(8)
#define CPTR_TFP BIT(10)
#define CPTR_TSM BIT(12)
#define CPTR_TAM BIT(30)

/* MDCR_EL2, ARM DDI0487 K.a D19.2.85 */
#define MDCR_HPMN_MASK 0x1fULL
#define MDCR_TPMCR BIT(5)
#define MDCR_TPM BIT(6)

/* CNTHCTL_EL2 (E2H = 0), ARM DDI0487 K.a, CNTHCTL_EL2: EL1 may read the physical counter only. */
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN BIT(1)

/* SCTLR_ELx, ARM DDI0487 K.a D19.2.118/119 */
#define SCTLR_M BIT(0)
#define SCTLR_A BIT(1)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19)
#define SCTLR_EL2_RES1 0x30C50830ULL
#define SCTLR_EL1_RES1 0x30D00800ULL

/* SPSR / PSTATE, ARM DDI0487 K.a C5.2.19 */
#define PSR_MODE_EL1H 0x5ULL
#define PSR_MODE_EL1T 0x4ULL
#define PSR_MODE_MASK 0xfULL
#define PSR_D BIT(9)
#define PSR_A BIT(8)
#define PSR_I BIT(7)
#define PSR_F BIT(6)
#define PSR_DAIF (PSR_D | PSR_A | PSR_I | PSR_F)

/* ESR_ELx, ARM DDI0487 K.a D19.2.40 */
#define ESR_EC_SHIFT 26
#define ESR_EC_MASK 0x3fULL
#define ESR_IL BIT(25)
#define ESR_ISS_MASK 0x1ffffffULL

enum esr_ec {
	EC_UNKNOWN = 0x00,
	EC_WFX = 0x01,
	EC_FP_ASIMD = 0x07,
	EC_PAC = 0x09,
	EC_ILLEGAL = 0x0e,
	EC_SVC64 = 0x15,
	EC_HVC64 = 0x16,
	EC_SMC64 = 0x17,
	EC_SYSREG = 0x18,
	EC_SVE = 0x19,
	EC_SME = 0x1d,
	EC_IABT_LOW = 0x20,
	EC_IABT_CUR = 0x21,
	EC_PC_ALIGN = 0x22,
	EC_DABT_LOW = 0x24,
	EC_DABT_CUR = 0x25,
	EC_SERROR = 0x2f,
	EC_BRK64 = 0x3c,
	EC_MAX = 0x3f,
};

/* ISS of a data abort, ARM DDI0487 K.a D19.2.40 "ISS encoding for a Data Abort" */
#define DABT_ISV BIT(24)
#define DABT_SAS_SHIFT 22
#define DABT_SSE BIT(21)
#define DABT_SRT_SHIFT 16
#define DABT_SF BIT(15)
#define DABT_S1PTW BIT(7)
#define DABT_WNR BIT(6)
#define FSC_MASK 0x3fULL
#define FSC_SEA 0x10ULL

/* ISS of a trapped MSR/MRS, ARM DDI0487 K.a D19.2.40 "EC 0x18" */
#define SYSREG_ISS_DIR_READ BIT(0)
#define SYSREG_ISS_RT_SHIFT 5
/* Op0:Op2:Op1:CRn:CRm as laid out in the ISS, with Rt and direction masked out. */
#define SYSREG_ISS_ENC_MASK 0x3ffc1eULL
#define SYSREG_ISS(op0, op1, crn, crm, op2)                                                        \
	(((uint64_t)(op0) << 20) | ((uint64_t)(op2) << 17) | ((uint64_t)(op1) << 14) |             \
	 ((uint64_t)(crn) << 10) | ((uint64_t)(crm) << 1))

/* ID_AA64*_EL1 fields Tessera hides from guests, ARM DDI0487 K.a, the ID_AA64*_EL1 register
 * descriptions */
#define ID_AA64PFR0_SVE_SHIFT 32
#define ID_AA64PFR0_AMU_SHIFT 44
#define ID_AA64PFR0_MPAM_SHIFT 40
#define ID_AA64PFR1_MTE_SHIFT 8
#define ID_AA64PFR1_SME_SHIFT 24
#define ID_AA64PFR1_MPAMFRAC_SHIFT 16
#define ID_AA64DFR0_PMSVER_SHIFT 32
#define ID_AA64DFR0_TRACEVER_SHIFT 4
#define ID_AA64DFR0_TRACEBUF_SHIFT 44
#define ID_AA64DFR0_TRBE_SHIFT 44
#define ID_AA64MMFR0_PARANGE_MASK 0xfULL
#define ID_AA64MMFR1_HCX_SHIFT 40
#define ID_AA64MMFR0_FGT_SHIFT 56
#define ID_AA64ISAR1_APA_SHIFT 4
#define ID_AA64ISAR1_API_SHIFT 8
#define ID_AA64ISAR2_APA3_SHIFT 12

#endif
