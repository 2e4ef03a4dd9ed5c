// SPDX-License-Identifier: Apache-2.0
/*
 * Deterministic stand-in for libFuzzer: runs one target over its seed corpus, mutations of it
 * and random inputs from a seeded PRNG, in a child process, and prints `ok fuzz.<name>` or
 * `not ok fuzz.<name>: <what crashed>` with the crashing input saved (`make fuzz-short`).
 */
#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"
#include "mutate.h"

#define FUZZ_MAX_INPUT (64U * 1024U)
#define MAX_SEEDS 64
#define CHILD_TIMEOUT_S 120
#define HEX_DUMP_MAX 512U
#define AFTER_LAST UINT64_MAX /* every input ran: a failure now is at exit (a leak) */

/* The input being run, shared with the parent so a crash of any kind leaves it behind. */
struct current {
	uint64_t index;
	uint64_t size;
	uint8_t data[FUZZ_MAX_INPUT];
};

struct run {
	const char *name;
	const char *out_dir;
	unsigned long count;
	uint64_t seed;
	struct corpus corpus;
	struct current *cur;
	char log[512];
	char crash[512];
};

/* Sanitizer settings when this driver is the main program (libFuzzer sets its own). */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *__asan_default_options(void)
{
	/* handle_abort: panic() and FUZZ_CHECK abort; show their stack too. */
	return "handle_abort=1:detect_leaks=1:allocator_may_return_null=1";
}

const char *__ubsan_default_options(void)
{
	return "print_stacktrace=1:halt_on_error=1";
}

/* Run one input from an exactly sized heap copy, so ASan sees any read past its end. */
static void run_one(struct current *cur, const uint8_t *data, size_t size, uint64_t index)
{
	uint8_t *copy = malloc(size ? size : 1U);

	if (!copy) {
		abort();
	}
	cur->index = index;
	cur->size = size;
	memcpy(cur->data, data, size);
	memcpy(copy, data, size);
	LLVMFuzzerTestOneInput(copy, size);
	free(copy);
}

/* The child: seeds as they are, then N generated inputs. Its output goes to the log. */
static void __attribute__((noreturn)) child_main(struct run *r)
{
	uint8_t *buf = malloc(FUZZ_MAX_INPUT);
	struct rng rng = {r->seed};
	uint64_t index = 0;

	if (!buf || !freopen(r->log, "w", stdout) || dup2(fileno(stdout), STDERR_FILENO) < 0) {
		_exit(3);
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	alarm(CHILD_TIMEOUT_S);
	for (unsigned i = 0; i < r->corpus.count; i++, index++) {
		run_one(r->cur, r->corpus.data[i], r->corpus.size[i], index);
	}
	for (unsigned long n = 0; n < r->count; n++, index++) {
		size_t size = mutate_next(&rng, &r->corpus, buf, FUZZ_MAX_INPUT);

		run_one(r->cur, buf, size, index);
	}
	r->cur->index = AFTER_LAST;
	free(buf);
	exit(0); /* LeakSanitizer checks now */
}

/* The line of the child's log that best names the failure, by key priority. */
static void log_summary(const char *path, char *out, size_t size)
{
	static const char *const keys[] = {
	    "panic: ", "fuzz invariant: ", "runtime error:", "Assertion", "SUMMARY: ", "ERROR: "};
	static char text[64 * 1024];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(text, 1, sizeof(text) - 1U, f) : 0;

	if (f) {
		fclose(f);
	}
	text[n] = '\0';
	snprintf(out, size, "no sanitizer report (see %s)", path);
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *hit = strstr(text, keys[k]);

		if (hit) {
			while (hit > text && hit[-1] != '\n') {
				hit--;
			}
			snprintf(out, size, "%.*s", (int)strcspn(hit, "\n"), hit);
			return;
		}
	}
}

static void copy_log_to_stderr(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	while (f && fgets(line, sizeof(line), f)) {
		fprintf(stderr, "  | %s", line);
	}
	if (f) {
		fclose(f);
	}
}

/* Save the crashing input as a reproducer and show it as hex. */
static void save_crash(struct run *r)
{
	size_t size = r->cur->size < FUZZ_MAX_INPUT ? (size_t)r->cur->size : FUZZ_MAX_INPUT;
	FILE *f = fopen(r->crash, "wb");

	if (f) {
		fwrite(r->cur->data, 1, size, f);
		fclose(f);
	}
	fprintf(stderr, "fuzz.%s: input #%llu, %zu bytes, saved to %s:\n", r->name,
		(unsigned long long)r->cur->index, size, r->crash);
	for (size_t i = 0; i < size && i < HEX_DUMP_MAX; i++) {
		fprintf(stderr, "%02x%s", r->cur->data[i], (i % 32U == 31U) ? "\n" : "");
	}
	fprintf(stderr, "%s\n", size > HEX_DUMP_MAX ? " ..." : "");
}

static void report(struct run *r, int status, double secs)
{
	char why[1024];

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("ok fuzz.%s\n", r->name);
		printf("# fuzz.%s: %u seeds + %lu inputs in %.1fs\n", r->name, r->corpus.count,
		       r->count, secs);
		return;
	}
	copy_log_to_stderr(r->log);
	log_summary(r->log, why, sizeof(why));
	if (WIFSIGNALED(status)) {
		snprintf(why, sizeof(why), "killed by signal %d (%s)", WTERMSIG(status),
			 WTERMSIG(status) == SIGALRM ? "timeout" : "crash");
	}
	if (r->cur->index == AFTER_LAST) {
		printf("not ok fuzz.%s: %s; at exit, after the last input\n", r->name, why);
		return;
	}
	save_crash(r);
	printf("not ok fuzz.%s: %s; input #%llu saved to %s\n", r->name, why,
	       (unsigned long long)r->cur->index, r->crash);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fuzz_short(struct run *r)
{
	double start = now();
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("not ok fuzz.%s: fork failed\n", r->name);
		return 1;
	}
	if (pid == 0) {
		child_main(r);
	}
	if (waitpid(pid, &status, 0) < 0) {
		status = -1;
	}
	report(r, status, now() - start);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* Run the given files once each in this process, as a libFuzzer binary would. */
static int reproduce(int argc, char **argv)
{
	struct corpus c = {0};

	for (int i = 1; i < argc; i++) {
		if (corpus_add_file(&c, argv[i], FUZZ_MAX_INPUT) != 0) {
			fprintf(stderr, "cannot read %s\n", argv[i]);
			return 2;
		}
		fprintf(stderr, "running %s (%zu bytes)\n", argv[i], c.size[c.count - 1]);
		LLVMFuzzerTestOneInput(c.data[c.count - 1], c.size[c.count - 1]);
	}
	corpus_free(&c);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: fuzz-<t> NAME CORPUS_DIR OUT_DIR [COUNT [SEED]]\n"
			"       fuzz-<t> FILE...   (run the files once each)\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct run r;
	struct stat st;

	if (argc >= 2 && stat(argv[1], &st) == 0 && S_ISREG(st.st_mode)) {
		return reproduce(argc, argv);
	}
	if (argc < 4 || argc > 6) {
		return usage();
	}
	r.name = argv[1];
	r.out_dir = argv[3];
	r.count = argc > 4 ? strtoul(argv[4], NULL, 0) : 20000UL;
	r.seed = argc > 5 ? strtoull(argv[5], NULL, 0) : 1U;
	snprintf(r.log, sizeof(r.log), "%s/%s.log", r.out_dir, r.name);
	snprintf(r.crash, sizeof(r.crash), "%s/crash-%s.bin", r.out_dir, r.name);
	r.cur =
	    mmap(NULL, sizeof(*r.cur), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r.cur == MAP_FAILED ||
	    corpus_load_dir(&r.corpus, argv[2], MAX_SEEDS, FUZZ_MAX_INPUT) != 0) {
		printf("not ok fuzz.%s: cannot set up (corpus %s)\n", r.name, argv[2]);
		return 1;
	}
	return fuzz_short(&r);
}
