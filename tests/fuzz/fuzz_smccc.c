// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target: smccc_dispatch() (vdev/psci/smccc.c) on any x0..x7, with a fake psci_ops whose
 * answers come from the input. x0 must end as a documented result or what an op returned,
 * x4..x7 untouched, and SMC32 calls must reach the ops with 32-bit arguments only.
 */
#include <string.h>

#include "fuzz.h"
#include "vdev/psci/smccc.h"

#define MAX_CALLS 64
#define CONV_64 (1U << 30) /* SMCCC DEN0028 E §2.5: 0 = SMC32 */
#define MPIDR_AFF_MASK 0xFF00FFFFFFULL
#define VERSION_1_1 0x10001 /* SMCCC_VERSION and PSCI_VERSION */
#define MIGRATE_NONE 2	    /* MIGRATE_INFO_TYPE: no Trusted OS */

struct world {
	struct fuzz_in in;
	uint32_t fid;	   /* the call being dispatched */
	int64_t answer[4]; /* what the ops returned during it */
	unsigned answers;
	bool hypercall_ran;
	uint64_t hyp_out[4];
};

static struct world w;

/* Arguments an SMC32 call hands on are W registers (SMCCC DEN0028 E §2.6). */
static void check_arg(uint64_t v)
{
	FUZZ_CHECK((w.fid & CONV_64) != 0 || v <= UINT32_MAX);
}

static int32_t answer(void)
{
	int32_t v = (int32_t)fuzz_u32(&w.in);

	if (w.answers < 4) {
		w.answer[w.answers++] = v;
	}
	return v;
}

static int32_t fake_cpu_on(void *ctx, uint64_t mpidr, uint64_t entry, uint64_t context_id)
{
	(void)ctx;
	FUZZ_CHECK((mpidr & ~MPIDR_AFF_MASK) == 0);
	check_arg(mpidr), check_arg(entry), check_arg(context_id);
	return answer();
}

static int32_t fake_cpu_off(void *ctx)
{
	(void)ctx;
	return answer();
}

static int32_t fake_cpu_suspend(void *ctx, uint32_t state, uint64_t entry, uint64_t context_id)
{
	(void)ctx, (void)state;
	check_arg(entry), check_arg(context_id);
	return answer();
}

static int32_t fake_affinity_info(void *ctx, uint64_t mpidr, uint32_t lowest_level)
{
	(void)ctx;
	FUZZ_CHECK((mpidr & ~MPIDR_AFF_MASK) == 0 && lowest_level == 0);
	return answer();
}

static void fake_system(void *ctx)
{
	(void)ctx;
}

static void fake_hypercall(void *ctx, struct smccc_regs *r)
{
	(void)ctx;
	for (unsigned i = 0; i < 8; i++) {
		check_arg(r->x[i]);
	}
	for (unsigned i = 0; i < 4; i++) {
		w.hyp_out[i] = r->x[i] = fuzz_u64(&w.in);
	}
	w.hypercall_ran = true;
}

/* The PSCI handlers both op sets share. */
#define FAKE_PSCI_OPS                                                                              \
	.cpu_on = fake_cpu_on, .cpu_off = fake_cpu_off, .cpu_suspend = fake_cpu_suspend,           \
	.affinity_info = fake_affinity_info, .system_off = fake_system,                            \
	.system_reset = fake_system

static const struct psci_ops ops_full = {FAKE_PSCI_OPS, .hypercall = fake_hypercall};
/* Without a hypervisor-call handler the vendor range must answer NOT_SUPPORTED. */
static const struct psci_ops ops_no_hcall = {FAKE_PSCI_OPS};

/* A known function id half the time (with random upper bits), else anything. */
static uint64_t pick_fid(struct fuzz_in *in)
{
	static const uint32_t fids[] = {SMCCC_VERSION,
					SMCCC_ARCH_FEATURES,
					PSCI_0_2_FN_VERSION,
					PSCI_0_2_FN_CPU_SUSPEND,
					PSCI_0_2_FN_CPU_OFF,
					PSCI_0_2_FN_CPU_ON,
					PSCI_0_2_FN_AFFINITY_INFO,
					PSCI_0_2_FN_MIGRATE_INFO_TYPE,
					PSCI_0_2_FN_SYSTEM_OFF,
					PSCI_0_2_FN_SYSTEM_RESET,
					PSCI_1_0_FN_PSCI_FEATURES,
					PSCI_0_2_FN64_CPU_SUSPEND,
					PSCI_0_2_FN64_CPU_ON,
					PSCI_0_2_FN64_AFFINITY_INFO,
					0xC6000000U,
					0x86000001U};
	uint8_t how = fuzz_u8(in);
	uint64_t high = (how & 0x80U) ? (uint64_t)fuzz_u32(in) << 32 : 0;

	if (how & 1U) {
		return high | fids[(how >> 1) % (sizeof(fids) / sizeof(fids[0]))];
	}
	return high | fuzz_u32(in);
}

static bool is_documented(int64_t x0)
{
	/* The results smccc.c produces itself; anything else must come from an op. */
	return x0 == PSCI_SUCCESS || x0 == PSCI_NOT_SUPPORTED || x0 == PSCI_INVALID_PARAMETERS ||
	       x0 == VERSION_1_1 || x0 == MIGRATE_NONE;
}

static bool was_answered(int64_t x0)
{
	for (unsigned i = 0; i < w.answers; i++) {
		if (w.answer[i] == x0) {
			return true;
		}
	}
	return false;
}

static void check_result(const struct smccc_regs *before, const struct smccc_regs *r)
{
	FUZZ_CHECK(memcmp(&before->x[4], &r->x[4], 4 * sizeof(r->x[0])) == 0);
	if (w.hypercall_ran) {
		FUZZ_CHECK(memcmp(r->x, w.hyp_out, sizeof(w.hyp_out)) == 0);
		return;
	}
	FUZZ_CHECK(is_documented((int64_t)r->x[0]) || was_answered((int64_t)r->x[0]));
	FUZZ_CHECK(r->x[1] == 0 && r->x[2] == 0 && r->x[3] == 0);
}

static void call_one(const struct psci_ops *ops)
{
	struct smccc_regs r, before;

	r.x[0] = pick_fid(&w.in);
	for (unsigned i = 1; i < 8; i++) {
		r.x[i] = fuzz_u8(&w.in) & 1U ? fuzz_u64(&w.in) : fuzz_u8(&w.in);
	}
	before = r;
	w.fid = (uint32_t)r.x[0];
	w.answers = 0;
	w.hypercall_ran = false;
	smccc_dispatch(ops, NULL, &r);
	check_result(&before, &r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct psci_ops *ops;

	memset(&w, 0, sizeof(w));
	w.in = fuzz_in_make(data, size);
	ops = fuzz_u8(&w.in) & 1U ? &ops_no_hcall : &ops_full;
	FUZZ_CHECK(smccc_table_check() == 0);
	for (unsigned n = 0; n < MAX_CALLS && !fuzz_in_is_empty(&w.in); n++) {
		call_one(ops);
	}
	return 0;
}
