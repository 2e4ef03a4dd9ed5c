// SPDX-License-Identifier: Apache-2.0
/*
 * World switch of the GICv3 virtual CPU interface: list registers, ICH_HCR_EL2, ICH_VMCR_EL2
 * and the active-priority registers (GICv3 IHI0069 H §12.4). ICH_LR<n>_EL2 are separate system
 * registers, so each index needs its own instruction: hence the switches.
 */
#include "hyp/arch/gic.h"
#include "hyp/arch/layout.h"
#include "hyp/arch/sysreg.h"

/* ICH_LR<n>_EL2 is S3_4_C12_C12_<n> for n < 8 and S3_4_C12_C13_<n - 8> above. */
#define LR_READ(n, crm, op2)                                                                       \
	case n:                                                                                    \
		return read_sysreg(S3_4_C12_C##crm##_##op2)
#define LR_WRITE(n, crm, op2, v)                                                                   \
	case n:                                                                                    \
		write_sysreg(S3_4_C12_C##crm##_##op2, v);                                          \
		break

static uint64_t lr_read(unsigned n)
{
	switch (n) {
		LR_READ(0, 12, 0);
		LR_READ(1, 12, 1);
		LR_READ(2, 12, 2);
		LR_READ(3, 12, 3);
		LR_READ(4, 12, 4);
		LR_READ(5, 12, 5);
		LR_READ(6, 12, 6);
		LR_READ(7, 12, 7);
		LR_READ(8, 13, 0);
		LR_READ(9, 13, 1);
		LR_READ(10, 13, 2);
		LR_READ(11, 13, 3);
		LR_READ(12, 13, 4);
		LR_READ(13, 13, 5);
		LR_READ(14, 13, 6);
		LR_READ(15, 13, 7);
	default:
		return 0;
	}
}

static void lr_write(unsigned n, uint64_t v)
{
	switch (n) {
		LR_WRITE(0, 12, 0, v);
		LR_WRITE(1, 12, 1, v);
		LR_WRITE(2, 12, 2, v);
		LR_WRITE(3, 12, 3, v);
		LR_WRITE(4, 12, 4, v);
		LR_WRITE(5, 12, 5, v);
		LR_WRITE(6, 12, 6, v);
		LR_WRITE(7, 12, 7, v);
		LR_WRITE(8, 13, 0, v);
		LR_WRITE(9, 13, 1, v);
		LR_WRITE(10, 13, 2, v);
		LR_WRITE(11, 13, 3, v);
		LR_WRITE(12, 13, 4, v);
		LR_WRITE(13, 13, 5, v);
		LR_WRITE(14, 13, 6, v);
		LR_WRITE(15, 13, 7, v);
	default:
		break;
	}
}

/* Only the LRs the last flush filled (the direct slot among them) can hold state. */
void arm64_vgic_save(struct gic_lr_state *s)
{
	for (unsigned i = 0; i < s->used_lrs; i++) {
		s->lr[i] = lr_read(i);
	}
	s->vmcr = (uint32_t)read_sysreg(S3_4_C12_C11_7); /* ICH_VMCR_EL2, for the WFI test */
	/* A level maintenance interrupt (UIE, EOI) would re-fire at EL2 until the next entry. */
	write_sysreg(S3_4_C12_C11_0, 0);
}

unsigned arch_cpu_index(void);

/* LRs that may hold something on each CPU; the rest are zero (a guest cannot write LRs). */
static uint8_t hw_lrs_live[HYP_MAX_CPUS];

void arm64_vgic_restore(const struct gic_lr_state *s)
{
	uint8_t *live = &hw_lrs_live[arch_cpu_index()];
	unsigned n = MAX(*live, s->used_lrs);

	for (unsigned i = 0; i < n; i++) {
		lr_write(i, s->lr[i]);
	}
	*live = s->used_lrs;
	write_sysreg(S3_4_C12_C11_0, s->hcr); /* ICH_HCR_EL2 */
}

/* The guest's own CPU-interface state changes only while it runs: switched with the vCPU. */
void arm64_vgic_load(const struct gic_lr_state *s)
{
	write_sysreg(S3_4_C12_C11_7, s->vmcr);	 /* ICH_VMCR_EL2 */
	write_sysreg(S3_4_C12_C9_0, s->ap1r[0]); /* ICH_AP1R0_EL2 */
	write_sysreg(S3_4_C12_C8_0, s->ap0r[0]); /* ICH_AP0R0_EL2 */
}

void arm64_vgic_put(struct gic_lr_state *s)
{
	s->vmcr = (uint32_t)read_sysreg(S3_4_C12_C11_7);
	s->ap1r[0] = (uint32_t)read_sysreg(S3_4_C12_C9_0);
	s->ap0r[0] = (uint32_t)read_sysreg(S3_4_C12_C8_0);
}
