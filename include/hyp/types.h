/* SPDX-License-Identifier: Apache-2.0 */
/* Basic types shared by core/, vdev/ and arch/: fixed-width integers and typed addresses. */
#ifndef HYP_TYPES_H
#define HYP_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Guest-physical (IPA), host-physical and hypervisor-virtual addresses are distinct types so
 * that passing one where another is expected is a compile error (Hafnium addr.h, Xen TYPE_SAFE).
 */
typedef struct {
	uint64_t v;
} gpa_t;
typedef struct {
	uint64_t v;
} hpa_t;

static inline gpa_t gpa(uint64_t v)
{
	return (gpa_t){v};
}

static inline hpa_t hpa(uint64_t v)
{
	return (hpa_t){v};
}

static inline gpa_t gpa_add(gpa_t a, uint64_t off)
{
	return (gpa_t){a.v + off};
}

static inline hpa_t hpa_add(hpa_t a, uint64_t off)
{
	return (hpa_t){a.v + off};
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define BIT(n) (1ULL << (n))
#define GENMASK(h, l) (((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define SZ_4K 0x1000ULL
#define SZ_64K 0x10000ULL
#define SZ_2M 0x200000ULL
#define SZ_1G 0x40000000ULL

#define __must_check __attribute__((warn_unused_result))
#define __unused __attribute__((unused))
#define __noreturn __attribute__((noreturn))
#define __aligned(x) __attribute__((aligned(x)))

#endif
