// SPDX-License-Identifier: Apache-2.0
/* VM configuration from Tessera's command line: values, defaults, and errors naming the key. */
#include <string.h>

#include "hyp/vm_config.h"

#include "test.h"

static int parse(const char *cmdline, struct vm_config *cfg, char *err)
{
	memset(cfg, 0, sizeof(*cfg));
	err[0] = '\0';
	return vm_config_parse(cmdline, cfg, err, 128);
}

TEST(vm_config, parses_vcpus_and_mem)
{
	struct vm_config cfg;
	char err[128];

	ASSERT_EQ(parse("console=x vm.vcpus=2 vm.mem=512M", &cfg, err), 0);
	EXPECT_EQ(cfg.nr_vcpus, 2);
	EXPECT_EQ(cfg.mem_size, 512ULL << 20);
	ASSERT_EQ(parse("vm.mem=1G", &cfg, err), 0);
	EXPECT_EQ(cfg.mem_size, 1ULL << 30);
}

TEST(vm_config, defaults_without_keys)
{
	struct vm_config cfg;
	char err[128];

	ASSERT_EQ(parse("", &cfg, err), 0);
	EXPECT_EQ(cfg.nr_vcpus, 1);
	EXPECT_EQ(cfg.mem_size, 256ULL << 20);
}

TEST(vm_config, bad_vcpus_names_the_key)
{
	struct vm_config cfg;
	char err[128];

	EXPECT_NE(parse("vm.vcpus=0", &cfg, err), 0);
	EXPECT_TRUE(strstr(err, "vm.vcpus") != NULL);
	EXPECT_NE(parse("vm.vcpus=9", &cfg, err), 0);
	EXPECT_NE(parse("vm.vcpus=two", &cfg, err), 0);
	EXPECT_TRUE(strstr(err, "vm.vcpus") != NULL);
}

TEST(vm_config, bad_mem_names_the_key)
{
	struct vm_config cfg;
	char err[128];

	EXPECT_NE(parse("vm.mem=3M", &cfg, err), 0); /* not a multiple of 2M, below 16M */
	EXPECT_TRUE(strstr(err, "vm.mem") != NULL);
	EXPECT_NE(parse("vm.mem=17M", &cfg, err), 0);
	EXPECT_NE(parse("vm.mem=512X", &cfg, err), 0);
	EXPECT_NE(parse("vm.mem=99999999999999999999G", &cfg, err), 0);
}

TEST(vm_config, unknown_key_is_an_error)
{
	struct vm_config cfg;
	char err[128];

	EXPECT_NE(parse("vm.cpus=2", &cfg, err), 0);
	EXPECT_TRUE(strstr(err, "vm.cpus") != NULL);
	EXPECT_NE(parse("vm.vcpus", &cfg, err), 0);
	EXPECT_TRUE(strstr(err, "key=value") != NULL);
}

TEST(vm_config, check_against_machine)
{
	struct vm_config cfg = {.nr_vcpus = 4, .mem_size = 64ULL << 20, .kernel = {0x1000, 10}};
	char err[128] = "";

	EXPECT_NE(vm_config_check(&cfg, 32ULL << 20, err, sizeof(err)), 0);
	EXPECT_TRUE(strstr(err, "vm.mem") != NULL);
	cfg.kernel.size = 0;
	EXPECT_NE(vm_config_check(&cfg, 1ULL << 30, err, sizeof(err)), 0);
	EXPECT_TRUE(strstr(err, "kernel") != NULL);
	cfg.kernel.size = 10;
	EXPECT_EQ(vm_config_check(&cfg, 1ULL << 30, err, sizeof(err)), 0);
}
