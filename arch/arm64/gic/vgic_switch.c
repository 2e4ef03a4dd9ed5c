// SPDX-License-Identifier: Apache-2.0
/*
 * World switch of the GICv3 virtual CPU interface: list registers, ICH_HCR_EL2, ICH_VMCR_EL2
 * and the active-priority registers (GICv3 IHI0069 H §12.4). ICH_LR<n>_EL2 are separate system
 * registers, so each index needs its own instruction: hence the switches.
 */
#include "hyp/arch/gic.h"
#include "hyp/arch/sysreg.h"

static uint64_t lr_read(unsigned n)
{
	switch (n) {
	case 0: return read_sysreg(S3_4_C12_C12_0);
	case 1: return read_sysreg(S3_4_C12_C12_1);
	case 2: return read_sysreg(S3_4_C12_C12_2);
	case 3: return read_sysreg(S3_4_C12_C12_3);
	case 4: return read_sysreg(S3_4_C12_C12_4);
	case 5: return read_sysreg(S3_4_C12_C12_5);
	case 6: return read_sysreg(S3_4_C12_C12_6);
	case 7: return read_sysreg(S3_4_C12_C12_7);
	case 8: return read_sysreg(S3_4_C12_C13_0);
	case 9: return read_sysreg(S3_4_C12_C13_1);
	case 10: return read_sysreg(S3_4_C12_C13_2);
	case 11: return read_sysreg(S3_4_C12_C13_3);
	case 12: return read_sysreg(S3_4_C12_C13_4);
	case 13: return read_sysreg(S3_4_C12_C13_5);
	case 14: return read_sysreg(S3_4_C12_C13_6);
	case 15: return read_sysreg(S3_4_C12_C13_7);
	default: return 0;
	}
}

static void lr_write(unsigned n, uint64_t v)
{
	switch (n) {
	case 0: write_sysreg(S3_4_C12_C12_0, v); break;
	case 1: write_sysreg(S3_4_C12_C12_1, v); break;
	case 2: write_sysreg(S3_4_C12_C12_2, v); break;
	case 3: write_sysreg(S3_4_C12_C12_3, v); break;
	case 4: write_sysreg(S3_4_C12_C12_4, v); break;
	case 5: write_sysreg(S3_4_C12_C12_5, v); break;
	case 6: write_sysreg(S3_4_C12_C12_6, v); break;
	case 7: write_sysreg(S3_4_C12_C12_7, v); break;
	case 8: write_sysreg(S3_4_C12_C13_0, v); break;
	case 9: write_sysreg(S3_4_C12_C13_1, v); break;
	case 10: write_sysreg(S3_4_C12_C13_2, v); break;
	case 11: write_sysreg(S3_4_C12_C13_3, v); break;
	case 12: write_sysreg(S3_4_C12_C13_4, v); break;
	case 13: write_sysreg(S3_4_C12_C13_5, v); break;
	case 14: write_sysreg(S3_4_C12_C13_6, v); break;
	case 15: write_sysreg(S3_4_C12_C13_7, v); break;
	default: break;
	}
}

/* Only the LRs the last flush filled can hold state; the rest were written as zero. */
void arm64_vgic_save(struct gic_lr_state *s)
{
	for (unsigned i = 0; i < s->used_lrs; i++) {
		s->lr[i] = lr_read(i);
	}
	s->vmcr = (uint32_t)read_sysreg(S3_4_C12_C11_7); /* ICH_VMCR_EL2 */
	s->ap1r[0] = (uint32_t)read_sysreg(S3_4_C12_C9_0); /* ICH_AP1R0_EL2 */
	s->ap0r[0] = (uint32_t)read_sysreg(S3_4_C12_C8_0); /* ICH_AP0R0_EL2 */
	/* A level maintenance interrupt (UIE, EOI) would re-fire at EL2 until the next entry. */
	write_sysreg(S3_4_C12_C11_0, 0);
}

void arm64_vgic_restore(const struct gic_lr_state *s)
{
	for (unsigned i = 0; i < s->nr_lrs; i++) {
		lr_write(i, s->lr[i]);
	}
	write_sysreg(S3_4_C12_C11_7, s->vmcr);
	write_sysreg(S3_4_C12_C9_0, s->ap1r[0]);
	write_sysreg(S3_4_C12_C8_0, s->ap0r[0]);
	write_sysreg(S3_4_C12_C11_0, s->hcr); /* ICH_HCR_EL2 */
}
