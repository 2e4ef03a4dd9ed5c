// SPDX-License-Identifier: Apache-2.0
/*
 * Benchmark guest (make bench, docs/benchmarks.md): exact per-operation costs of the hypervisor
 * it runs on, from the guest's PMU under QEMU -icount (method: bench/README.md).
 *
 * PMEVCNTR0_EL0 counts INST_RETIRED at EL2 only (P, U and NSH set), PMEVCNTR1_EL0 at EL1 only;
 * exits come from TESSERA_HC_EXIT_COUNT when the hypervisor is Tessera. Every operation runs
 * BENCH_ITERS times and once with no iteration; the difference of the two cancels the fixed cost
 * of taking the sample, and tools/bench.py divides by the iteration count.
 *
 * Output, one line per result, for tools/bench.py:
 *   @bench boot cntpct=<CNTPCT_EL0 at the first guest instruction> cntfrq=<Hz>
 *   @bench info hyp=<tessera|other|none> counter=<pmu|clock> cpus=<n> pmu_counters=<n>
 *          el2_counting=<0|1>
 *   @bench op=<name> n=<iterations> el2=<EL2 insns> el1=<EL1 insns> clk=<CNTPCT ticks>
 *          [path=<EL2 insns> handled=<irqs> timeouts=<n>]
 *          exits=<hvc,smc,mmio,sysreg,wfx,irq,abort,undef,other|na>
 * where path is the sum over iterations of the EL2 instructions from the trigger (or, on the
 * receiving vCPU, from before the wait) to the first instruction of the guest's IRQ handler.
 * Then the guest's checks (ok/not ok bench.<check>) and "done bench <pass> <fail>".
 *
 * Built with BENCH_SWITCH, the guest measures only the vCPU switch (bench_switch): it is run with
 * its two vCPUs time-sharing one physical CPU, and prints, besides the lines above,
 *   @bench op=switch n=<round trips> el2=.. el1=.. clk=.. path=<EL2 insns, vCPU 1's WFI trap to
 *          vCPU 0's handler, summed> handled=.. timeouts=.. sgi=<EL2 insns of vCPU 0's SGI
 *          sends, summed> exits=<vCPU 0's>
 *   @bench op=switch_peer n=<round trips> el2=0 el1=0 clk=0 path=<vCPU 0's WFI trap to vCPU 1's
 *          handler> handled=.. timeouts=.. sgi=<vCPU 1's SGI sends> exits=na
 *
 * Built with BENCH_CLOCK_ONLY (counter=clock), for a hypervisor that keeps the PMU from its
 * guests (Xen 4.17 traps it and reads it as zero), the PMU is left alone: el2 and el1 read 0
 * and path is in CNTPCT ticks, machine-wide instructions (all ELs, all CPUs) / (16 << shift).
 */
#include <stdbool.h>
#include <stdint.h>

#include "guest/console.h"
#include "guest/exc.h"
#include "guest/gic.h"
#include "guest/smccc.h"
#include "guest/smp.h"
#include "guest/sysreg.h"
#include "guest/test.h"
#include "guest/timer.h"

const char guest_name[] = "bench";

#ifndef BENCH_ITERS
#define BENCH_ITERS 10000U
#endif

/* PMEVTYPER<n>_EL0 filter bits (ARM DDI0487 K.a, PMEVTYPER<n>_EL0) and event INST_RETIRED. */
#define PMEVTYPER_P (1ULL << 31)   /* do not count at EL1 */
#define PMEVTYPER_U (1ULL << 30)   /* do not count at EL0 */
#define PMEVTYPER_NSH (1ULL << 27) /* count at EL2 */
#define PMU_INST_RETIRED 0x08ULL
/* PMCR_EL0: E enables the counters, P resets the event counters; N is bits [15:11]. */
#define PMCR_E (1ULL << 0)
#define PMCR_P (1ULL << 1)
#define PMCR_N(v) (((v) >> 11) & 0x1fU)

#define BENCH_SGI 5U
#define BENCH_PRIO 0x80U
#define WAIT_US 2000000U
#define EXIT_CLASSES ((unsigned)TESSERA_EXIT_CLASS_COUNT)
/* An SPI priority word (INTIDs 32..35): writing it changes nothing the guest uses. */
#define GICD_PRIO_WORD (GICD_BASE + GICD_IPRIORITYR + 32U)

#ifdef BENCH_CLOCK_ONLY
#define CLOCK_ONLY 1
#else
#define CLOCK_ONLY 0
#endif

#ifdef BENCH_SWITCH
#define SWITCH_ONLY 1
#else
#define SWITCH_ONLY 0
#endif

enum hyp_kind { HYP_NONE, HYP_TESSERA, HYP_OTHER };

/** What the interrupt loops in ops.S leave behind (layout shared with ops.S). */
struct bench_irq_result {
	uint64_t path_sum;
	uint64_t handled;
	uint64_t last_intid;
	uint64_t timeouts;
};

/** The vCPU switch loops (ops.S): an interrupt loop's result and the SGI sends' EL2 sum. */
struct bench_switch_result {
	struct bench_irq_result irq;
	uint64_t sgi_sum;
};

/** One measurement: counter deltas over a loop, and the exit counters' deltas. */
struct sample {
	uint64_t el2, el1, clk;
	uint64_t exits[TESSERA_EXIT_CLASS_COUNT];
};

typedef uint64_t (*op_fn)(uint64_t n, uint64_t a1, uint64_t a2);

uint64_t bench_op_empty(uint64_t n, uint64_t a1, uint64_t a2);
uint64_t bench_op_hvc_nop(uint64_t n, uint64_t a1, uint64_t a2);
uint64_t bench_op_psci_version(uint64_t n, uint64_t a1, uint64_t a2);
uint64_t bench_op_read32(uint64_t n, uint64_t a1, uint64_t a2);
uint64_t bench_op_write32(uint64_t n, uint64_t a1, uint64_t a2);
uint64_t bench_op_vtimer(uint64_t n, uint64_t a1, uint64_t a2);
uint64_t bench_op_sgi_self(uint64_t n, uint64_t a1, uint64_t a2);
uint64_t bench_op_ipi_recv(uint64_t n, uint64_t a1, uint64_t a2);
uint64_t bench_op_switch(uint64_t n, uint64_t a1, uint64_t a2);
uint64_t bench_switch_responder(uint64_t n, uint64_t a1, uint64_t a2);

extern uint64_t bench_boot_cntpct; /* head.S */
extern char bench_vectors[];	   /* ops.S */
extern char guest_vectors[];	   /* guest/vectors.S */

static enum hyp_kind hyp;

/* Cross-vCPU IPI protocol: the receiver publishes ready = i, then done = i (ops.S). */
static struct {
	volatile uint32_t ready;
	volatile uint32_t done;
} ipi_flags __attribute__((aligned(8)));
static volatile uint32_t secondary_state; /* 1: measuring, 2: finished */
/* The vCPU switch (ops.S): the EL2 count before the last WFI, and the responder's stop flag. */
struct {
	volatile uint32_t el2_before_wfi;
	volatile uint32_t stop;
} bench_switch_shared __attribute__((aligned(8)));
static struct bench_switch_result switch_peer;
static struct sample secondary_sample;
static struct bench_irq_result secondary_result;

static unsigned pmu_init(void)
{
#ifdef BENCH_CLOCK_ONLY
	return 0;
#else
	uint64_t pmcr = read_sysreg(pmcr_el0);

	write_sysreg(pmcntenclr_el0, ~0ULL);
	write_sysreg(pmevtyper0_el0, PMEVTYPER_P | PMEVTYPER_U | PMEVTYPER_NSH | PMU_INST_RETIRED);
	write_sysreg(pmevtyper1_el0, PMEVTYPER_U | PMU_INST_RETIRED);
	write_sysreg(pmcntenset_el0, 3);
	write_sysreg(pmcr_el0, pmcr | PMCR_E | PMCR_P);
	isb();
	return PMCR_N(pmcr);
#endif
}

/* In a clock-only build the "EL2 count" is the physical counter, as in ops.S. */
static inline uint32_t pmu_el2(void)
{
#ifdef BENCH_CLOCK_ONLY
	return (uint32_t)read_sysreg(cntpct_el0);
#else
	return (uint32_t)read_sysreg(pmevcntr0_el0);
#endif
}

static inline uint32_t pmu_el1(void)
{
#ifdef BENCH_CLOCK_ONLY
	return 0;
#else
	return (uint32_t)read_sysreg(pmevcntr1_el0);
#endif
}

static inline uint64_t clock_now(void)
{
	return read_sysreg(cntpct_el0);
}

static void exits_read(uint64_t e[TESSERA_EXIT_CLASS_COUNT])
{
	for (unsigned c = 0; c < EXIT_CLASSES; c++) {
		e[c] =
		    hyp == HYP_TESSERA ? (uint64_t)smccc_hvc(TESSERA_HC_EXIT_COUNT, c, 0, 0).a0 : 0;
	}
}

static void sample_take(struct sample *s, op_fn fn, uint64_t n, uint64_t a1, uint64_t a2)
{
	uint64_t e0[TESSERA_EXIT_CLASS_COUNT], e1[TESSERA_EXIT_CLASS_COUNT];
	uint32_t h0, g0, h1, g1;
	uint64_t c0, c1;

	exits_read(e0);
	isb();
	c0 = clock_now();
	h0 = pmu_el2();
	g0 = pmu_el1();
	(void)fn(n, a1, a2);
	isb();
	h1 = pmu_el2();
	g1 = pmu_el1();
	c1 = clock_now();
	exits_read(e1);
	s->el2 = (uint32_t)(h1 - h0);
	s->el1 = (uint32_t)(g1 - g0);
	s->clk = c1 - c0;
	for (unsigned c = 0; c < EXIT_CLASSES; c++) {
		s->exits[c] = e1[c] - e0[c];
	}
}

/* s -= base: what the iterations cost, without the cost of sampling. */
static void sample_sub(struct sample *s, const struct sample *base)
{
	s->el2 -= base->el2;
	s->el1 -= base->el1;
	s->clk -= base->clk;
	for (unsigned c = 0; c < EXIT_CLASSES; c++) {
		s->exits[c] -= base->exits[c];
	}
}

static void measure(struct sample *s, op_fn fn, uint64_t n, uint64_t a1, uint64_t a2)
{
	struct sample base;

	sample_take(&base, fn, 0, a1, a2);
	sample_take(s, fn, n, a1, a2);
	sample_sub(s, &base);
}

static void print_exits(const struct sample *s)
{
	if (hyp != HYP_TESSERA) {
		guest_printf(" exits=na\n");
		return;
	}
	guest_printf(" exits=");
	for (unsigned c = 0; c < EXIT_CLASSES; c++) {
		guest_printf("%s%lu", c ? "," : "", s->exits[c]);
	}
	guest_printf("\n");
}

static void report(const char *name, uint64_t n, const struct sample *s,
		   const struct bench_irq_result *r)
{
	guest_printf("@bench op=%s n=%lu el2=%lu el1=%lu clk=%lu", name, n, s->el2, s->el1, s->clk);
	if (r) {
		guest_printf(" path=%lu handled=%lu timeouts=%lu", r->path_sum, r->handled,
			     r->timeouts);
	}
	print_exits(s);
}

static void bench_simple(const char *name, op_fn fn, uint64_t a1, uint64_t a2)
{
	struct sample s;

	measure(&s, fn, BENCH_ITERS, a1, a2);
	guest_printf("\n");
	report(name, BENCH_ITERS, &s, 0);
}

/* An interrupt loop with bench_vectors installed; checks every iteration got its interrupt. */
static void bench_irq(const char *name, op_fn fn, uint64_t a2, uint32_t intid)
{
	struct bench_irq_result r = {0};
	struct sample s;

	write_sysreg(vbar_el1, (uintptr_t)bench_vectors);
	isb();
	measure(&s, fn, BENCH_ITERS, (uintptr_t)&r, a2);
	write_sysreg(vbar_el1, (uintptr_t)guest_vectors);
	isb();
	report(name, BENCH_ITERS, &s, &r);
	test_checkf(r.handled == BENCH_ITERS && r.timeouts == 0 && r.last_intid == intid, name,
		    "%lu interrupts handled, %lu timeouts, last INTID %lu", r.handled, r.timeouts,
		    r.last_intid);
}

static uint64_t sgi1r(uint32_t intid, unsigned cpu)
{
	/* ICC_SGI1R_EL1: INTID [27:24], TargetList [15:0] by Aff0, Aff1..3 = 0 (IHI0069 H §12.2).
	 */
	return ((uint64_t)intid << 24) | (1ULL << cpu);
}

/* The sender's loop, in C: each SGI waits for the receiver to be ready and to have taken it. */
static uint64_t op_ipi_send(uint64_t n, uint64_t result, uint64_t value)
{
	struct bench_irq_result *r = (struct bench_irq_result *)(uintptr_t)result;

	for (uint32_t i = 1; i <= n; i++) {
		uint32_t before, after;

		if (!smp_wait_ge(&ipi_flags.ready, i, WAIT_US)) {
			r->timeouts++;
			break;
		}
		isb();
		before = pmu_el2();
		write_sysreg(icc_sgi1r_el1, value);
		isb();
		after = pmu_el2();
		r->path_sum += (uint32_t)(after - before);
		r->handled++;
		if (!smp_wait_ge(&ipi_flags.done, i, WAIT_US)) {
			r->timeouts++;
			break;
		}
	}
	return 0;
}

/*
 * A secondary vCPU's set-up for the SGI loops: its GIC interface, the benchmark SGI and the
 * minimal vectors. False (secondary_state = 2 tells the boot vCPU) when the GIC will not start.
 */
static bool secondary_sgi_init(void)
{
	if (!gic_cpu_init()) {
		smp_publish(&secondary_state, 2);
		return false;
	}
	gic_irq_enable(BENCH_SGI, BENCH_PRIO);
	write_sysreg(vbar_el1, (uintptr_t)bench_vectors);
	isb();
	return true;
}

static void secondary_main(uint64_t arg)
{
	(void)arg;
	(void)pmu_init();
	if (!secondary_sgi_init()) {
		return;
	}
	smp_publish(&secondary_state, 1);
	measure(&secondary_sample, bench_op_ipi_recv, BENCH_ITERS, (uintptr_t)&secondary_result,
		(uintptr_t)&ipi_flags);
	write_sysreg(vbar_el1, (uintptr_t)guest_vectors);
	isb();
	smp_publish(&secondary_state, 2);
}

static void bench_ipi_cross(void)
{
	struct bench_irq_result r = {0};
	struct sample s;

	if (!test_checkf(smp_cpu_on(1, secondary_main, 0) == PSCI_RET_SUCCESS &&
			     smp_wait_ge(&secondary_state, 1, WAIT_US),
			 "ipi_cpu_on", "vCPU 1 did not start (state %u)", secondary_state)) {
		return;
	}
	/* The receiver takes its n = 0 sample first; the protocol starts at ready = 1. */
	measure(&s, op_ipi_send, BENCH_ITERS, (uintptr_t)&r, sgi1r(BENCH_SGI, 1));
	test_checkf(smp_wait_ge(&secondary_state, 2, WAIT_US), "ipi_receiver_done",
		    "vCPU 1 state %u", secondary_state);
	report("ipi_send", BENCH_ITERS, &s, &r);
	report("ipi_recv", BENCH_ITERS, &secondary_sample, &secondary_result);
	test_checkf(r.handled == BENCH_ITERS && r.timeouts == 0, "ipi_send",
		    "%lu sent, %lu timeouts", r.handled, r.timeouts);
	test_checkf(secondary_result.handled == BENCH_ITERS && secondary_result.timeouts == 0 &&
			secondary_result.last_intid == BENCH_SGI,
		    "ipi_recv", "%lu handled, %lu timeouts, last INTID %lu",
		    secondary_result.handled, secondary_result.timeouts,
		    secondary_result.last_intid);
}

/*
 * vCPU switch. Run with both vCPUs on one physical CPU: vCPU 1 answers every SGI from vCPU 0
 * with one of its own, each side waiting in WFI in between, so that every WFI hands the CPU
 * to the other vCPU. The PMU is not switched with the vCPUs: vCPU 1 leaves it as vCPU 0 set it
 * up, and both read the same counters.
 */
static void switch_noop(uint32_t intid)
{
	(void)intid;
}

/* Sleep in WFI, interrupts on, until *p >= v: the other vCPU runs only while this one waits. */
static bool wait_wfi(const volatile uint32_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 1000U && *p < v; i++) {
		irq_enable();
		wfi();
		irq_disable();
	}
	return *p >= v;
}

static void switch_secondary(uint64_t arg)
{
	(void)arg;
	if (!secondary_sgi_init()) {
		return;
	}
	irq_disable();
	smp_publish(&secondary_state, 1);
	/* Its first SGI wakes vCPU 0, which waits in wait_wfi() for the state above. */
	(void)bench_switch_responder(0, (uintptr_t)&switch_peer, sgi1r(BENCH_SGI, 0));
	write_sysreg(vbar_el1, (uintptr_t)guest_vectors);
	isb();
	smp_publish(&secondary_state, 2);
}

/* s = NULL: the counters were not sampled on this side (the responder's line). */
static void report_switch(const char *name, const struct sample *s,
			  const struct bench_switch_result *r)
{
	guest_printf("@bench op=%s n=%u el2=%lu el1=%lu clk=%lu path=%lu handled=%lu timeouts=%lu "
		     "sgi=%lu",
		     name, BENCH_ITERS, s ? s->el2 : 0, s ? s->el1 : 0, s ? s->clk : 0,
		     r->irq.path_sum, r->irq.handled, r->irq.timeouts, r->sgi_sum);
	if (s) {
		print_exits(s);
	} else {
		guest_printf(" exits=na\n");
	}
}

static void bench_switch(void)
{
	struct bench_switch_result r = {0};
	struct sample s;

	irq_register(BENCH_SGI, switch_noop);
	irq_disable();
	if (!test_checkf(smp_cpu_on(1, switch_secondary, 0) == PSCI_RET_SUCCESS &&
			     wait_wfi(&secondary_state, 1) && secondary_state == 1,
			 "switch_cpu_on", "vCPU 1 did not start (state %u)", secondary_state)) {
		return;
	}
	write_sysreg(vbar_el1, (uintptr_t)bench_vectors);
	isb();
	measure(&s, bench_op_switch, BENCH_ITERS, (uintptr_t)&r, sgi1r(BENCH_SGI, 1));
	write_sysreg(vbar_el1, (uintptr_t)guest_vectors);
	isb();
	/* Stop the responder; its last SGI brings this vCPU back once it has finished. */
	smp_publish(&bench_switch_shared.stop, 1);
	gic_sgi_send(BENCH_SGI, 1);
	test_checkf(wait_wfi(&secondary_state, 2), "switch_peer_done", "vCPU 1 state %u",
		    secondary_state);
	report_switch("switch", &s, &r);
	report_switch("switch_peer", 0, &switch_peer);
	test_checkf(r.irq.handled == BENCH_ITERS && r.irq.timeouts == 0 &&
			r.irq.last_intid == BENCH_SGI,
		    "switch", "%lu answers, %lu timeouts, last INTID %lu", r.irq.handled,
		    r.irq.timeouts, r.irq.last_intid);
	test_checkf(switch_peer.irq.handled == BENCH_ITERS && switch_peer.irq.timeouts == 0 &&
			switch_peer.irq.last_intid == BENCH_SGI,
		    "switch_peer", "%lu handled, %lu timeouts, last INTID %lu",
		    switch_peer.irq.handled, switch_peer.irq.timeouts, switch_peer.irq.last_intid);
}

/* ID_AA64PFR0_EL1.EL2, bits [11:8]: 0 when the CPU has no EL2 (ARM DDI0487 K.a). */
#define ID_AA64PFR0_EL2(v) (((v) >> 8) & 0xfU)

static enum hyp_kind hyp_probe(void)
{
	struct exc_record rec;
	struct smccc_res r;

	if (ID_AA64PFR0_EL2(read_sysreg(id_aa64pfr0_el1)) == 0) {
		return HYP_NONE;
	}
	/* An HVC that nothing answers is UNDEFINED: the runtime records the exception, skips it. */
	exc_expect();
	r = smccc_hvc(TESSERA_HC_VERSION, 0, 0, 0);
	if (exc_expect_done(&rec)) {
		return HYP_NONE;
	}
	return r.a0 == TESSERA_ABI_VERSION ? HYP_TESSERA : HYP_OTHER;
}

/*
 * vCPUs of this VM: Tessera says; elsewhere AFFINITY_INFO is no proof (Xen 4.17 answers OFF for
 * a vCPU that does not exist), and a clock-only build measures one vCPU anyway (the clock counts
 * every CPU's instructions).
 */
static unsigned vcpu_count(void)
{
	if (hyp == HYP_TESSERA) {
		return (unsigned)smccc_hvc(TESSERA_HC_VM_INFO, 0, 0, 0).a2;
	}
	return 1;
}

#ifndef BENCH_CLOCK_ONLY
static bool el2_counting(void)
{
	uint32_t before = pmu_el2();

	(void)smccc_hvc(PSCI_VERSION, 0, 0, 0);
	return pmu_el2() != before;
}
#endif

void guest_main(void)
{
	static const char *const hyp_names[] = {"none", "tessera", "other"};
	unsigned counters, cpus;
	bool counting;

	guest_printf("@bench boot cntpct=%lu cntfrq=%lu\n", bench_boot_cntpct, timer_freq());
	hyp = hyp_probe();
	counters = pmu_init();
#ifdef BENCH_CLOCK_ONLY
	counting = false;
#else
	counting = hyp != HYP_NONE && el2_counting();
#endif
	cpus = vcpu_count();
	guest_printf("@bench info hyp=%s counter=%s cpus=%u pmu_counters=%u el2_counting=%u\n",
		     hyp_names[hyp], CLOCK_ONLY ? "clock" : "pmu", cpus, counters,
		     counting ? 1U : 0U);
	if (hyp == HYP_NONE) {
		return; /* bare QEMU: the boot figure only */
	}
	if (!CLOCK_ONLY) {
		test_checkf(counters >= 2 && counting, "pmu", "%u counters, EL2 counting %u",
			    counters, counting ? 1U : 0U);
	}

	if (SWITCH_ONLY) {
		gic_dist_init();
		if (test_checkf(cpus == 2, "switch_vcpus", "%u vCPUs, not 2", cpus) &&
		    check(gic_cpu_init(), "gic_init")) {
			gic_irq_enable(BENCH_SGI, BENCH_PRIO);
			bench_switch();
		}
		return;
	}
	bench_simple("loop", bench_op_empty, 0, 0);
	bench_simple("hvc_nop", bench_op_hvc_nop, 0, 0);
	bench_simple("hvc_psci_version", bench_op_psci_version, 0, 0);
	bench_simple("gicd_read", bench_op_read32, GICD_BASE + GICD_TYPER, 0);
	bench_simple("gicd_write", bench_op_write32, GICD_PRIO_WORD, mmio_read32(GICD_PRIO_WORD));
	bench_simple("uart_fr_read", bench_op_read32, PL011_BASE + PL011_FR, 0);
	/* Nothing is typed during a run: each read finds the receive FIFO empty and reads 0. */
	bench_simple("uart_dr_read", bench_op_read32, PL011_BASE + PL011_DR, 0);
	/*
	 * NUL bytes: 10^4 of them on the console, which the host tool drops. The newline ends
	 * the line they are on before the result is printed (Xen's console prints buffered
	 * guest output as C strings, so a line that starts with NULs is lost).
	 */
	bench_simple("uart_dr_write", bench_op_write32, PL011_BASE + PL011_DR, 0);

	gic_dist_init();
	if (!check(gic_cpu_init(), "gic_init")) {
		return;
	}
	gic_irq_enable(VTIMER_INTID, BENCH_PRIO);
	gic_irq_enable(BENCH_SGI, BENCH_PRIO);
	bench_irq("vtimer", bench_op_vtimer, 0, VTIMER_INTID);
	bench_irq("sgi_self", bench_op_sgi_self, sgi1r(BENCH_SGI, 0), BENCH_SGI);
	if (cpus > 1) {
		bench_ipi_cross();
	}
}
