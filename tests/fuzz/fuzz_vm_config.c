// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target: vm_config_parse() and vm_config_check() (core/vm/vm_config.c) on any command line
 * the boot loader may pass. Bytes 0-1 size the error buffer and the machine; the rest is the line.
 */
#include <string.h>

#include "hyp/errno.h"
#include "hyp/vm_config.h"

#include "fuzz.h"

#define MEM_MIN (16ULL << 20)

/* An error report fills a buffer of exactly err_size bytes with a non-empty string. */
static void check_error(int rc, const char *err, size_t err_size)
{
	FUZZ_CHECK(rc == -EINVAL);
	FUZZ_CHECK(memchr(err, '\0', err_size) != NULL);
	FUZZ_CHECK(err[0] != '\0');
}

static void check_config(const struct vm_config *cfg)
{
	FUZZ_CHECK(cfg->nr_vcpus >= 1 && cfg->nr_vcpus <= VM_CONFIG_MAX_VCPUS);
	FUZZ_CHECK(cfg->mem_size >= MEM_MIN && cfg->mem_size % SZ_2M == 0);
}

static void run(const char *line, size_t err_size, uint64_t free_bytes, bool has_kernel)
{
	struct vm_config cfg;
	char *err = malloc(err_size); /* exact size: ASan sees any write past it */
	int rc;

	if (!err) {
		return;
	}
	memset(&cfg, 0xA5, sizeof(cfg));
	memset(err, 0xA5, err_size);
	rc = vm_config_parse(line, &cfg, err, err_size);
	if (rc != 0) {
		check_error(rc, err, err_size);
	} else {
		check_config(&cfg);
		cfg.kernel.size = has_kernel ? SZ_2M : 0;
		memset(err, 0xA5, err_size);
		rc = vm_config_check(&cfg, free_bytes, err, err_size);
		if (rc != 0) {
			check_error(rc, err, err_size);
		}
	}
	free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = fuzz_in_make(data, size);
	size_t err_size = 2U + fuzz_u8(&in) % 127U; /* room for at least one character */
	uint8_t machine = fuzz_u8(&in); /* bit 7: a kernel module; bits 6-0: free 8 MiB units */
	uint64_t free_bytes = (uint64_t)(machine & 0x7FU) << 23;
	char *line = malloc(in.left + 1U);

	if (!line) {
		return 0;
	}
	memcpy(line, in.p, in.left);
	line[in.left] = '\0';
	run(line, err_size, free_bytes, (machine & 0x80U) != 0);
	free(line);
	return 0;
}
