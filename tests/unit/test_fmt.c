// SPDX-License-Identifier: Apache-2.0
/* Unit tests for core/lib/fmt.c: each conversion against a literal and against the host libc. */
#include <limits.h>
#include <string.h>

#include "hyp/log.h"

#include "test.h"

static void expect_str(const char *got, int got_len, const char *want, int line)
{
	if (strcmp(got, want) != 0 || got_len != (int)strlen(want)) {
		test_fail(__FILE__, line, "got \"%s\" (%d), want \"%s\"", got, got_len, want);
	}
}

/* fmt_snprintf must produce want, and agree with libc's snprintf on the same format. */
#define EXPECT_FMT(want, ...)                                                                      \
	do {                                                                                       \
		char ours_[256], libc_[256];                                                       \
		int n_ = fmt_snprintf(ours_, sizeof(ours_), __VA_ARGS__);                          \
		int m_ = snprintf(libc_, sizeof(libc_), __VA_ARGS__);                              \
		expect_str(ours_, n_, want, __LINE__);                                             \
		expect_str(ours_, n_, libc_, __LINE__);                                            \
		(void)m_;                                                                          \
	} while (0)

TEST(fmt, plain_and_percent)
{
	EXPECT_FMT("hello", "hello");
	EXPECT_FMT("100%", "100%%");
	EXPECT_FMT("", "%s", "");
}

TEST(fmt, signed_decimal)
{
	EXPECT_FMT("0 42 -42", "%d %i %d", 0, 42, -42);
	EXPECT_FMT("-2147483648 2147483647", "%d %d", INT_MIN, INT_MAX);
	EXPECT_FMT("-9223372036854775808", "%ld", LONG_MIN);
	EXPECT_FMT("9223372036854775807", "%lld", LLONG_MAX);
	EXPECT_FMT("-1 -1", "%hhd %hd", (signed char)-1, (short)-1);
	EXPECT_FMT("+5 -5  5", "%+d %+d % d", 5, -5, 5);
}

TEST(fmt, unsigned_and_hex)
{
	EXPECT_FMT("4294967295", "%u", UINT_MAX);
	EXPECT_FMT("18446744073709551615", "%lu", ULONG_MAX);
	EXPECT_FMT("18446744073709551615", "%llu", ULLONG_MAX);
	EXPECT_FMT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefU, 0xdeadbeefU);
	EXPECT_FMT("ffffffffffffffff", "%lx", ULONG_MAX);
	EXPECT_FMT("123456789abcdef0", "%llx", 0x123456789abcdef0ULL);
	EXPECT_FMT("0", "%x", 0U);
	EXPECT_FMT("0x1f 0X1F 0", "%#x %#X %#x", 31U, 31U, 0U);
	EXPECT_FMT("ff", "%hhx", (unsigned char)0xff);
}

TEST(fmt, size_t_and_friends)
{
	EXPECT_FMT("123 7b", "%zu %zx", (size_t)123, (size_t)123);
	EXPECT_FMT("18446744073709551615", "%zu", (size_t)-1);
	EXPECT_FMT("-3 -4", "%jd %td", (intmax_t)-3, (ptrdiff_t)-4);
}

TEST(fmt, width_and_padding)
{
	EXPECT_FMT("   42", "%5d", 42);
	EXPECT_FMT("00042", "%05d", 42);
	EXPECT_FMT("-0042", "%05d", -42);
	EXPECT_FMT("42   |", "%-5d|", 42);
	EXPECT_FMT("0000beef", "%08x", 0xbeefU);
	EXPECT_FMT("0x00beef", "%#08x", 0xbeefU);
	EXPECT_FMT("00000000deadbeef", "%016lx", 0xdeadbeefUL);
	EXPECT_FMT("12345", "%3d", 12345);
	EXPECT_FMT("   ab|ab   |", "%5s|%-5s|", "ab", "ab");
	EXPECT_FMT("    x|x    |", "%5c|%-5c|", 'x', 'x');
	EXPECT_FMT("   7|7   |", "%*d|%*d|", 4, 7, -4, 7);
}

TEST(fmt, precision)
{
	EXPECT_FMT("00042", "%.5d", 42);
	EXPECT_FMT("  00042", "%7.5d", 42);
	EXPECT_FMT("", "%.0d", 0);
	EXPECT_FMT("abc", "%.3s", "abcdef");
	EXPECT_FMT("ab", "%.*s", 2, "abcdef");
	EXPECT_FMT("  abc", "%5.3s", "abcdef");
}

TEST(fmt, strings_chars_pointers)
{
	char buf[64];
	int n;

	EXPECT_FMT("str: tessera, char: Z", "str: %s, char: %c", "tessera", 'Z');
	n = fmt_snprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0x4000beef);
	expect_str(buf, n, "0x4000beef", __LINE__);
	n = fmt_snprintf(buf, sizeof(buf), "[%12p]", (void *)(uintptr_t)0xabc);
	expect_str(buf, n, "[       0xabc]", __LINE__);
}

TEST(fmt, truncation_and_length)
{
	char buf[8];
	int n;

	memset(buf, 'x', sizeof(buf));
	n = fmt_snprintf(buf, sizeof(buf), "%s-%d", "abcdef", 12345);
	EXPECT_EQ(n, 12);
	expect_str(buf, (int)strlen(buf), "abcdef-", __LINE__);
	n = fmt_snprintf(buf, 1, "%d", 5);
	EXPECT_EQ(n, 1);
	EXPECT_EQ(buf[0], '\0');
	n = fmt_snprintf(NULL, 0, "%08x", 1U);
	EXPECT_EQ(n, 8);
	n = fmt_snprintf(buf, sizeof(buf), "1234567");
	EXPECT_EQ(n, 7);
	expect_str(buf, n, "1234567", __LINE__);
}

/* Formats that -Wformat rejects, kept in arrays so the compiler cannot see them. */
TEST(fmt, formats_the_compiler_warns_about)
{
	char buf[32], f1[] = "a%qb", f2[] = "end%", f3[] = "%-05d|", f4[] = "%06.3d", f5[] = "%s";
	int n;

	n = fmt_snprintf(buf, sizeof(buf), f1, 0);
	expect_str(buf, n, "a%qb", __LINE__);
	n = fmt_snprintf(buf, sizeof(buf), f2, 0);
	expect_str(buf, n, "end", __LINE__);
	/* C: '-' overrides '0', and a precision turns the '0' flag off for integers. */
	n = fmt_snprintf(buf, sizeof(buf), f3, -42);
	expect_str(buf, n, "-42  |", __LINE__);
	n = fmt_snprintf(buf, sizeof(buf), f4, 42);
	expect_str(buf, n, "   042", __LINE__);
	n = fmt_snprintf(buf, sizeof(buf), f5, NULL);
	expect_str(buf, n, "(null)", __LINE__);
}
