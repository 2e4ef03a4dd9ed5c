/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal unit-test framework for the host build: TEST() registers a case at load time,
 * EXPECT_*() records a failure and carries on, ASSERT_*() records and leaves the case.
 */
#ifndef TEST_H
#define TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct test_case {
	const char *name;
	void (*fn)(void);
	struct test_case *next;
};

void test_register(struct test_case *tc);
void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool test_failed(void);

#define TEST(suite, name)                                                                          \
	static void test_##suite##_##name(void);                                                   \
	static struct test_case tc_##suite##_##name = {#suite "." #name, test_##suite##_##name,    \
						       NULL};                                      \
	__attribute__((constructor)) static void reg_##suite##_##name(void)                        \
	{                                                                                          \
		test_register(&tc_##suite##_##name);                                               \
	}                                                                                          \
	static void test_##suite##_##name(void)

#define EXPECT_TRUE(c)                                                                             \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			test_fail(__FILE__, __LINE__, "expected true: %s", #c);                    \
		}                                                                                  \
	} while (0)

#define EXPECT_FALSE(c) EXPECT_TRUE(!(c))

#define EXPECT_EQ(a, b)                                                                            \
	do {                                                                                       \
		uint64_t ea_ = (uint64_t)(a), eb_ = (uint64_t)(b);                                 \
		if (ea_ != eb_) {                                                                  \
			test_fail(__FILE__, __LINE__, "%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, #a, \
				  #b, ea_, eb_);                                                   \
		}                                                                                  \
	} while (0)

#define EXPECT_NE(a, b)                                                                            \
	do {                                                                                       \
		if ((uint64_t)(a) == (uint64_t)(b)) {                                              \
			test_fail(__FILE__, __LINE__, "%s != %s", #a, #b);                         \
		}                                                                                  \
	} while (0)

#define ASSERT_TRUE(c)                                                                             \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			test_fail(__FILE__, __LINE__, "assert: %s", #c);                           \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define ASSERT_EQ(a, b)                                                                            \
	do {                                                                                       \
		uint64_t aa_ = (uint64_t)(a), ab_ = (uint64_t)(b);                                 \
		if (aa_ != ab_) {                                                                  \
			test_fail(__FILE__, __LINE__, "%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, #a, \
				  #b, aa_, ab_);                                                   \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#endif
