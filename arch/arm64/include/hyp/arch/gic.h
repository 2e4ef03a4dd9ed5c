/* SPDX-License-Identifier: Apache-2.0 */
/* The physical GICv3 as Tessera drives it, and the world switch of the virtual CPU interface. */
#ifndef HYP_ARCH_GIC_H
#define HYP_ARCH_GIC_H

#include "hyp/arch/sysreg.h"
#include "hyp/types.h"

#include "vdev/irqchip/vgic3/vgic3.h"

/* Physical interrupts Tessera owns, GICv3 IHI0069 H §2.2 and the virt board's DT. */
#define INTID_SGI_KICK 0     /* "re-examine your vCPU": another CPU changed its state */
#define INTID_SGI_POST 1     /* "your vCPU's mailbox holds an interrupt for its direct slot" */
#define INTID_MAINTENANCE 25 /* GICv3 maintenance interrupt (ICH_HCR_EL2.UIE) */
/* The timers' PPIs come from the DTB's arch-timer node (QEMU virt: hyp 26, virtual 27). */
extern unsigned arm64_intid_hyp_timer; /* CNTHP, Tessera's own timer */
extern unsigned arm64_intid_vtimer;    /* the EL1 virtual timer, forwarded to the loaded vCPU */
#define INTID_HYP_TIMER arm64_intid_hyp_timer
#define INTID_VTIMER arm64_intid_vtimer

void arm64_gic_init_global(uint64_t gicd_base);
/** This CPU's redistributor and CPU interface; 0 or -ENODEV if no frame matches its MPIDR. */
int __must_check arm64_gic_init_cpu(uint64_t gicr_base, uint64_t gicr_size);
void arm64_gic_enable_spi(unsigned intid, uint64_t target_mpidr);
/**
 * Record the ICC_SGI1R_EL1 target of each CPU, mpidr[i] being CPU i's (the platform's order,
 * which is also the scheduler's): an SGI then costs one load, not an MPIDR decode.
 */
void arm64_gic_sgi_targets_init(const uint64_t *mpidr, unsigned count);
/** Raise SGI intid on CPU cpu (an index into the list given to arm64_gic_sgi_targets_init). */
void arm64_gic_send_sgi(unsigned cpu, unsigned intid);
/** The ICC_SGI1R_EL1 value arm64_gic_send_sgi(cpu, intid) writes, to keep for later. */
uint64_t arm64_gic_sgi1r(unsigned cpu, unsigned intid);
/** Raise the SGI an arm64_gic_sgi1r() value names, GICv3 IHI0069 H §12.2.22. */
static inline void arm64_gic_sgi1r_write(uint64_t sgi1r)
{
	dsb(ishst); /* the state change the SGI announces must be visible first */
	write_sysreg(S3_0_C12_C11_5, sgi1r);
	isb();
}
/** Acknowledge (ICC_IAR1_EL1): the INTID, or 1023 when nothing is pending. */
static inline unsigned arm64_gic_ack(void)
{
	unsigned intid = (unsigned)(read_sysreg(S3_0_C12_C12_0) & 0xffffff);

	dsb(sy); /* GICv3 IHI0069 H, ICC_IAR1_EL1: order the acknowledge before device accesses */
	return intid;
}

/** Priority drop (ICC_EOIR1_EL1); ICC_CTLR_EL1.EOImode = 1 keeps the interrupt active. */
static inline void arm64_gic_eoi(unsigned intid)
{
	write_sysreg(S3_0_C12_C12_1, intid);
	isb();
}

/** Deactivate (ICC_DIR_EL1). */
static inline void arm64_gic_deactivate(unsigned intid)
{
	write_sysreg(S3_0_C12_C11_1, intid);
	isb();
}
/** Deactivate a private interrupt through GICR_ICACTIVER0, valid whatever its state. */
void arm64_gic_clear_active_ppi(unsigned intid);
/** Make a private interrupt active through GICR_ISACTIVER0 (a forwarded one the guest owns). */
void arm64_gic_set_active_ppi(unsigned intid);
/** Number of list registers, ICH_VTR_EL2.ListRegs + 1. */
unsigned arm64_gic_nr_lrs(void);
/** World switch of the virtual CPU interface. */
void arm64_vgic_save(struct gic_lr_state *s);
void arm64_vgic_restore(const struct gic_lr_state *s);
/** ICH_LR0_EL2, GICv3 IHI0069 H §12.4.6: the direct slot the fast paths fill. */
static inline uint64_t arm64_lr0_read(void)
{
	return read_sysreg(S3_4_C12_C12_0);
}

static inline void arm64_lr0_write(uint64_t v)
{
	write_sysreg(S3_4_C12_C12_0, v);
}
/** ICH_VMCR_EL2 and the active-priority registers, when the vCPU is loaded or put. */
void arm64_vgic_load(const struct gic_lr_state *s);
void arm64_vgic_put(struct gic_lr_state *s);

#endif
