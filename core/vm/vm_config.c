// SPDX-License-Identifier: Apache-2.0
/*
 * The VM description from Tessera's command line ("vm.vcpus=2 vm.mem=512M"), parsed and
 * validated completely before anything is built, with errors that name the offending key.
 */
#include "hyp/vm_config.h"

#include "hyp/errno.h"
#include "hyp/log.h"
#include "hyp/string.h"

#define MEM_MIN (16ULL << 20)

static bool parse_u64(const char *s, size_t len, uint64_t *out, bool allow_suffix)
{
	uint64_t v = 0;
	size_t i = 0;

	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10) {
			return false;
		}
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (i == 0) {
		return false;
	}
	if (i < len && allow_suffix && i + 1 == len) {
		unsigned shift = s[i] == 'K' ? 10 : s[i] == 'M' ? 20 : s[i] == 'G' ? 30 : 0;

		if (!shift || v > (UINT64_MAX >> shift)) {
			return false;
		}
		v <<= shift;
		i++;
	}
	*out = v;
	return i == len;
}

/* "<word>: <why>", with the word cut to a sane length. */
static void report_word(char *err, size_t err_size, const char *w, size_t len, const char *why)
{
	char word[32];

	len = MIN(len, sizeof(word) - 1);
	memcpy(word, w, len);
	word[len] = '\0';
	fmt_snprintf(err, err_size, "%s: %s", word, why);
}

static int set_key(struct vm_config *cfg, const char *key, size_t klen, const char *val,
		   size_t vlen, char *err, size_t err_size)
{
	uint64_t n;

	if (klen == 8 && !strncmp(key, "vm.vcpus", 8)) {
		if (!parse_u64(val, vlen, &n, false) || n == 0 || n > VM_CONFIG_MAX_VCPUS) {
			fmt_snprintf(err, err_size, "vm.vcpus: expected 1 to %u",
				     VM_CONFIG_MAX_VCPUS);
			return -EINVAL;
		}
		cfg->nr_vcpus = (unsigned)n;
		return 0;
	}
	if (klen == 6 && !strncmp(key, "vm.mem", 6)) {
		if (!parse_u64(val, vlen, &n, true) || n < MEM_MIN || !IS_ALIGNED(n, SZ_2M)) {
			fmt_snprintf(
			    err, err_size,
			    "vm.mem: expected a multiple of 2M of at least 16M (e.g. 512M)");
			return -EINVAL;
		}
		cfg->mem_size = n;
		return 0;
	}
	report_word(err, err_size, key, klen, "unknown VM setting");
	return -EINVAL;
}

static int parse_word(struct vm_config *cfg, const char *w, size_t len, char *err, size_t err_size)
{
	const char *eq = memchr(w, '=', len);

	if (len < 3 || strncmp(w, "vm.", 3) != 0) {
		return 0; /* not ours: other parts of the command line */
	}
	if (!eq) {
		report_word(err, err_size, w, len, "expected key=value");
		return -EINVAL;
	}
	return set_key(cfg, w, (size_t)(eq - w), eq + 1, len - (size_t)(eq - w) - 1, err, err_size);
}

int vm_config_parse(const char *cmdline, struct vm_config *cfg, char *err, size_t err_size)
{
	const char *p = cmdline;

	cfg->nr_vcpus = 1;
	cfg->mem_size = 256ULL << 20;
	while (*p) {
		size_t len = 0;
		int ret;

		while (*p == ' ') {
			p++;
		}
		while (p[len] && p[len] != ' ') {
			len++;
		}
		ret = len ? parse_word(cfg, p, len, err, err_size) : 0;
		if (ret) {
			return ret;
		}
		p += len;
	}
	return 0;
}

int vm_config_check(const struct vm_config *cfg, uint64_t free_bytes, char *err, size_t err_size)
{
	if (cfg->mem_size > free_bytes) {
		fmt_snprintf(err, err_size, "vm.mem: %llu MiB asked, %llu MiB free in one piece",
			     (unsigned long long)(cfg->mem_size >> 20),
			     (unsigned long long)(free_bytes >> 20));
		return -EINVAL;
	}
	if (!cfg->kernel.size) {
		fmt_snprintf(err, err_size,
			     "kernel: no guest kernel module (/chosen node \"multiboot,kernel\")");
		return -EINVAL;
	}
	return 0;
}
