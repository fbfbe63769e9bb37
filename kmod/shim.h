/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hashing core (sha256d*.c) is freestanding C that builds both into the
 * module and into host test and benchmark programs.  This header is all it
 * knows of its surroundings: fixed-width types, memcpy/memset, byte order
 * and the CPU features that select a backend.
 */
#ifndef MICROMINE_SHIM_H
#define MICROMINE_SHIM_H

#ifdef __KERNEL__

#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/string.h>
#include <linux/ktime.h>
#include <linux/types.h>
#include <asm/cpufeature.h>
#ifdef CONFIG_X86
#include <asm/fpu/api.h>
#endif
#if defined(CONFIG_ARM64) || defined(CONFIG_KERNEL_MODE_NEON)
#include <asm/neon.h>
#include <asm/simd.h>
#endif

#define mine_popcount32(x)	hweight32(x)
#define mine_clock_ns()		ktime_get_ns()

/*
 * Vector registers in the kernel: a backend with .simd runs between
 * mine_simd_begin() and mine_simd_end(), which disable preemption, so
 * each call must be short; where they cannot be used the generic backend
 * runs instead.
 */
#if defined(CONFIG_X86)
#define mine_simd_usable()	irq_fpu_usable()
#define mine_simd_begin()	kernel_fpu_begin()
#define mine_simd_end()		kernel_fpu_end()
#elif defined(CONFIG_ARM64) || defined(CONFIG_KERNEL_MODE_NEON)
#define mine_simd_usable()	may_use_simd()
#define mine_simd_begin()	kernel_neon_begin()
#define mine_simd_end()		kernel_neon_end()
#else
#define mine_simd_usable()	false
#define mine_simd_begin()	do { } while (0)
#define mine_simd_end()		do { } while (0)
#endif

#ifdef CONFIG_X86
static inline bool mine_cpu_sha_ni(void)
{
	return boot_cpu_has(X86_FEATURE_SHA_NI) && boot_cpu_has(X86_FEATURE_XMM4_1);
}

static inline bool mine_cpu_avx2(void)
{
	return boot_cpu_has(X86_FEATURE_AVX2) &&
	       cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM, NULL);
}

static inline bool mine_cpu_avx512(void)
{
	return boot_cpu_has(X86_FEATURE_AVX512F) &&
	       cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM |
				 XFEATURE_MASK_AVX512, NULL);
}
#endif

#ifdef CONFIG_ARM64
static inline bool mine_cpu_neon(void)
{
	return cpu_have_named_feature(ASIMD);
}

static inline bool mine_cpu_arm_ce(void)
{
	return cpu_have_named_feature(SHA2);
}
#elif defined(CONFIG_KERNEL_MODE_NEON)
static inline bool mine_cpu_neon(void)
{
	return cpu_has_neon();
}
#endif

#else /* userspace */

#define mine_popcount32(x)	__builtin_popcount(x)

#define mine_simd_usable()	true
#define mine_simd_begin()	do { } while (0)
#define mine_simd_end()		do { } while (0)

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/cdefs.h>		/* __always_inline */
#include <time.h>

typedef __u8 u8;
typedef __u32 u32;
typedef __u64 u64;

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

static inline u64 mine_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#if defined(__x86_64__)
#include <cpuid.h>

static inline bool mine_x86_os_saves(u32 mask)
{
	u32 a, b, c, d, lo, hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
		return false;
	__asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & mask) == mask;
}

static inline u32 mine_x86_leaf7_ebx(void)
{
	u32 a, b, c, d;

	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return b;
}

static inline bool mine_cpu_sha_ni(void)
{
	u32 a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1))
		return false;
	return mine_x86_leaf7_ebx() & bit_SHA;
}

static inline bool mine_cpu_avx2(void)
{
	return (mine_x86_leaf7_ebx() & bit_AVX2) && mine_x86_os_saves(0x6);
}

static inline bool mine_cpu_avx512(void)
{
	return (mine_x86_leaf7_ebx() & bit_AVX512F) && mine_x86_os_saves(0xe6);
}
#endif

#if defined(__aarch64__)
#include <sys/auxv.h>
#include <asm/hwcap.h>

static inline bool mine_cpu_neon(void)
{
	return getauxval(AT_HWCAP) & HWCAP_ASIMD;
}

static inline bool mine_cpu_arm_ce(void)
{
	return getauxval(AT_HWCAP) & HWCAP_SHA2;
}
#elif defined(__arm__)
#include <sys/auxv.h>
#include <asm/hwcap.h>

static inline bool mine_cpu_neon(void)
{
	return getauxval(AT_HWCAP) & HWCAP_NEON;
}
#endif

#endif /* __KERNEL__ */

/* Keep the compiler from seeing through a value (e.g. a table's address). */
#define mine_hide(var)	__asm__("" : "+r"(var))

/* Byte order, without the kernel's unaligned helpers (they moved in 6.12). */
static inline u32 mine_get_be32(const u8 *b)
{
	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline void mine_put_be32(u32 v, u8 *b)
{
	b[0] = v >> 24;
	b[1] = v >> 16 & 0xff;
	b[2] = v >> 8 & 0xff;
	b[3] = v & 0xff;
}

static inline u32 mine_get_le32(const u8 *b)
{
	return (u32)b[3] << 24 | (u32)b[2] << 16 | (u32)b[1] << 8 | b[0];
}

static inline void mine_put_le32(u32 v, u8 *b)
{
	b[0] = v & 0xff;
	b[1] = v >> 8 & 0xff;
	b[2] = v >> 16 & 0xff;
	b[3] = v >> 24;
}

static inline u32 mine_swab32(u32 x)
{
	return x >> 24 | (x >> 8 & 0xff00) | (x << 8 & 0xff0000) | x << 24;
}

#endif /* MICROMINE_SHIM_H */
