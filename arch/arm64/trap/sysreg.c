// SPDX-License-Identifier: Apache-2.0
/*
 * Trapped MSR/MRS (EC 0x18, ARM DDI0487 K.a D19.2.40 "ISS encoding for an exception from MSR,
 * MRS, or System instruction execution"). The ID register space is answered from the hardware
 * with the features Tessera does not virtualize removed; every other register comes from a
 * sorted table, matched linearly. An access to anything not described is UNDEFINED for the guest.
 */
#include "hyp/arch/sysreg.h"

#include "hyp/arch/gic.h"
#include "hyp/arch/trap.h"
#include "hyp/check.h"
#include "hyp/vm.h"

#include "light.h"

/* A described register's accesses cannot fail: a NULL handler makes that direction UNDEFINED. */
struct sysreg_desc {
	uint64_t enc; /**< SYSREG_ISS(op0, op1, CRn, CRm, op2) */
	const char *name;
	uint64_t (*read)(struct vcpu *v);
	void (*write)(struct vcpu *v, uint64_t val);
};

/* ICC_SGI1R_EL1, GICv3 IHI0069 H §12.2.22: its ISS key, and written (direction bit clear). */
#define SGI1R_ISS SYSREG_ISS(3, 0, 12, 11, 5)
#define SYSREG_ISS_KEY_MASK (SYSREG_ISS_ENC_MASK | SYSREG_ISS_DIR_READ)

/*
 * vCPU t's mailbox holds a post: its CPU writes it into the direct slot when the post SGI reaches
 * it (arm64_irq_fast). A vCPU with an open mailbox runs on its own CPU, never this one.
 */
static inline void sgi_post_tell(const struct vm *vm, unsigned t)
{
	arm64_gic_sgi1r_write(vm->vcpu[t].arch.post_sgi1r);
}

/* ICC_SGI1R_EL1 writes trap with HCR_EL2.IMO, GICv3 IHI0069 H §12.2.22: raise virtual SGIs. */
static void sgi1r_write(struct vcpu *v, uint64_t val)
{
	struct vm *vm = v->vm;
	uint32_t posted = vgic_sgi1r_write_from(&vm->vgic, v->id, val, &v->arch.gic);

	for (; posted; posted &= posted - 1) {
		sgi_post_tell(vm, (unsigned)__builtin_ctz(posted));
	}
}

/* CNTP_* trap with CNTHCTL_EL2.EL1PCEN = 0: the guest has a physical timer that never fires. */
static uint64_t raz(struct vcpu *v)
{
	(void)v;
	return 0;
}

static void wi(struct vcpu *v, uint64_t val)
{
	(void)v;
	(void)val;
}

/*
 * In match order, the hottest first: ICC_SGI1R_EL1 is written for every IPI a guest sends,
 * the CNTP_* registers only while a guest probes its timers. No encoding appears twice (checked
 * at boot).
 */
static const struct sysreg_desc sysreg_table[] = {
    {SGI1R_ISS, "ICC_SGI1R_EL1", NULL, sgi1r_write},
    {SYSREG_ISS(3, 3, 14, 2, 0), "CNTP_TVAL_EL0", raz, wi},
    {SYSREG_ISS(3, 3, 14, 2, 1), "CNTP_CTL_EL0", raz, wi},
    {SYSREG_ISS(3, 3, 14, 2, 2), "CNTP_CVAL_EL0", raz, wi},
};

/*
 * A handful of entries: a linear match is shorter than a search. Unrolled, each step compares
 * enc with an immediate, the table being constant.
 */
static const struct sysreg_desc *lookup(uint64_t enc)
{
#pragma GCC unroll 8
	for (size_t i = 0; i < ARRAY_SIZE(sysreg_table); i++) {
		if (sysreg_table[i].enc == enc) {
			return &sysreg_table[i];
		}
	}
	return NULL;
}

#define ID_CASE(crm, op2)                                                                          \
	case (crm)*8 + (op2):                                                                      \
		return read_sysreg(S3_0_C0_C##crm##_##op2)
#define ID_ROW(crm)                                                                                \
	ID_CASE(crm, 0);                                                                           \
	ID_CASE(crm, 1);                                                                           \
	ID_CASE(crm, 2);                                                                           \
	ID_CASE(crm, 3);                                                                           \
	ID_CASE(crm, 4);                                                                           \
	ID_CASE(crm, 5);                                                                           \
	ID_CASE(crm, 6);                                                                           \
	ID_CASE(crm, 7)

/* The ID space op0=3 op1=0 CRn=0 CRm=1..7 is all defined (unallocated ones are RAZ). */
static uint64_t id_hw_read(unsigned crm, unsigned op2)
{
	switch (crm * 8 + op2) {
		ID_ROW(1);
		ID_ROW(2);
		ID_ROW(3);
		ID_ROW(4);
		ID_ROW(5);
		ID_ROW(6);
		ID_ROW(7);
	default:
		return 0;
	}
}

static uint64_t clear_field(uint64_t v, unsigned shift)
{
	return v & ~(0xfULL << shift);
}

/* Features a guest must not see: their state is not switched or they are not emulated. */
static uint64_t id_sanitize(unsigned crm, unsigned op2, uint64_t v)
{
	switch (crm * 8 + op2) {
	case 4 * 8 + 0: /* ID_AA64PFR0_EL1: SVE, MPAM, AMU */
		v = clear_field(v, ID_AA64PFR0_SVE_SHIFT);
		v = clear_field(v, ID_AA64PFR0_MPAM_SHIFT);
		return clear_field(v, ID_AA64PFR0_AMU_SHIFT);
	case 4 * 8 + 1: /* ID_AA64PFR1_EL1: MTE, SME, MPAM_frac */
		v = clear_field(v, ID_AA64PFR1_MTE_SHIFT);
		v = clear_field(v, ID_AA64PFR1_SME_SHIFT);
		return clear_field(v, ID_AA64PFR1_MPAMFRAC_SHIFT);
	case 4 * 8 + 4: /* ID_AA64ZFR0_EL1 */
	case 4 * 8 + 5: /* ID_AA64SMFR0_EL1 */
		return 0;
	case 5 * 8 + 0: /* ID_AA64DFR0_EL1: SPE, trace, trace buffer */
		v = clear_field(v, ID_AA64DFR0_PMSVER_SHIFT);
		v = clear_field(v, ID_AA64DFR0_TRACEVER_SHIFT);
		return clear_field(v, ID_AA64DFR0_TRACEBUF_SHIFT);
	default:
		return v;
	}
}

/* op0=3 op1=0 CRn=0 CRm=1..7: one mask-and-compare for op0/op1/CRn/CRm[3], then CRm != 0. */
#define ID_SPACE_MASK (SYSREG_ISS(3, 7, 15, 8, 0))
#define ID_SPACE_CRM_MASK (SYSREG_ISS(0, 0, 0, 7, 0))

static bool is_id_space(uint64_t enc)
{
	return (enc & ID_SPACE_MASK) == SYSREG_ISS(3, 0, 0, 0, 0) && (enc & ID_SPACE_CRM_MASK) != 0;
}

void arm64_sysreg_table_check(void);

/* No encoding twice (the first would hide the second); none in the ID space, sysreg_read()'s. */
void arm64_sysreg_table_check(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(sysreg_table); i++) {
		for (size_t j = 0; j < i; j++) {
			CHECK(sysreg_table[j].enc != sysreg_table[i].enc);
		}
		CHECK(!is_id_space(sysreg_table[i].enc));
	}
}

/* MRS: the ID space from hardware, sanitized; else the table's read handler. */
static bool sysreg_read(struct vcpu *v, uint64_t enc, uint64_t *val)
{
	const struct sysreg_desc *d;

	if (is_id_space(enc)) {
		unsigned crm = (unsigned)(enc >> 1) & 0xf, op2 = (unsigned)(enc >> 17) & 7;

		*val = id_sanitize(crm, op2, id_hw_read(crm, op2));
		return true;
	}
	d = lookup(enc);
	if (!d || !d->read) {
		return false;
	}
	*val = d->read(v);
	return true;
}

/*
 * MSR: the table's write handler. Identification registers are read-only: the table holds none
 * (checked at boot), so a write to one finds no entry and is UNDEFINED.
 */
static bool sysreg_write(struct vcpu *v, uint64_t enc, uint64_t val)
{
	const struct sysreg_desc *d = lookup(enc);

	if (!d || !d->write) {
		return false;
	}
	d->write(v, val);
	return true;
}

/* Perform the MSR/MRS an ISS describes; false, with nothing changed, for an undescribed one. */
static inline bool sysreg_emulate(struct vcpu *v, uint64_t esr)
{
	uint64_t enc = esr & SYSREG_ISS_ENC_MASK;
	unsigned rt = (unsigned)(esr >> SYSREG_ISS_RT_SHIFT) & 0x1f;
	uint64_t val = 0;

	if (!(esr & SYSREG_ISS_DIR_READ)) {
		if (!sysreg_write(v, enc, vcpu_reg_get(v, rt))) {
			return false;
		}
	} else if (sysreg_read(v, enc, &val)) {
		vcpu_reg_set(v, rt, val);
	} else {
		return false;
	}
	vcpu_count_exit(v, TESSERA_EXIT_SYSREG);
	return true;
}

/* The full path: a register not described is UNDEFINED. */
void arm64_trap_sysreg(struct vcpu *v)
{
	if (!sysreg_emulate(v, v->arch.fault.esr_el2)) {
		vcpu_count_exit(v, TESSERA_EXIT_UNDEF);
		arm64_inject_undef(v);
		return;
	}
	vcpu_pc_advance(v);
}

/*
 * The light path (light.h) of an MSR/MRS, once light_may_begin() holds. Out of line: its own
 * frame, which an exit that cannot be light does not build.
 */
__attribute__((noinline)) static unsigned sysreg_light_emulate(struct vcpu *v, uint64_t esr)
{
	if (!sysreg_emulate(v, esr)) {
		return LIGHT_FULL;
	}
	return light_end(v);
}

/*
 * The commonest MSR, an IPI to one other vCPU, as a lock-free post (vgic_sgi1r_post). It reads
 * and changes nothing of this vCPU (its LRs and HCR_EL2.VSE may hold anything: they stay in the
 * hardware as they are) and kicks nobody on this CPU, so the guest resumes at once, without
 * light_may_begin() or light_end(). False, with nothing done, when the write is no such post.
 */
static bool sgi1r_light(struct vcpu *v, uint64_t esr)
{
	unsigned rt = (unsigned)(esr >> SYSREG_ISS_RT_SHIFT) & 0x1f;
	unsigned t = vgic_sgi1r_post(&v->vm->vgic, v->id, vcpu_reg_get(v, rt));

	if (t == VGIC_NO_POST) {
		return false;
	}
	sgi_post_tell(v->vm, t);
	vcpu_count_exit(v, TESSERA_EXIT_SYSREG);
	light_step();
	return true;
}

/*
 * The light path (light.h): an access not emulated here goes to the full path untouched. The
 * light_may_begin() test comes before any frame is built: an SGI to itself finds its last one
 * still listed, and goes to the full path at once.
 */
unsigned arm64_sysreg_light(struct vcpu *v, uint64_t esr)
{
	if ((esr & SYSREG_ISS_KEY_MASK) == SGI1R_ISS) {
		if (sgi1r_light(v, esr)) {
			return LIGHT_RESUME;
		}
		esr = read_sysreg(esr_el2); /* nothing was taken to EL2 since: still this exit's */
	}
	if (!light_may_begin(v)) {
		return LIGHT_FULL;
	}
	return sysreg_light_emulate(v, esr);
}
