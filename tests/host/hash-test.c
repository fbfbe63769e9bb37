// SPDX-License-Identifier: GPL-2.0
/*
 * The hashing core against OpenSSL's SHA-256 and real block headers, for
 * every backend this CPU can run.  Runs on the host and, with fewer random
 * cases, inside the test guests (x86-64 and arm64 under QEMU, x86-64 with
 * AVX-512 under Bochs).
 *
 * Environment: MM_ORACLE_CASES (random cases per backend, default
 * 100000), MM_SEED (random seed), MM_TOP (repository, for the vectors),
 * MM_TEST_BACKENDS (test only these backends, space-separated, and fail
 * if the CPU cannot run one of them).
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <openssl/sha.h>
#include <jansson.h>

#include "kselftest_harness.h"
#include "sha256d.h"
#include "sha256d-kat.h"

/* The AVX-512 code compiled for AVX2, where no AVX-512 CPU is at hand. */
extern const struct mine_backend mine_backend_avx512_on_avx2 __attribute__((weak));

static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void rng_seed(void)
{
	const char *s = getenv("MM_SEED");

	rng_state = s ? strtoull(s, NULL, 0) : 0x6d6963726f6d696eULL;
	if (!rng_state)
		rng_state = 1;
}

static long env_long(const char *name, long def)
{
	const char *s = getenv(name);

	return s ? strtol(s, NULL, 0) : def;
}

static void oracle_hash(const u8 header[80], u32 nonce, u8 out[32])
{
	u8 h[80], first[32];

	memcpy(h, header, 80);
	mine_put_le32(nonce, h + 76);
	SHA256(h, 80, first);
	SHA256(first, 32, out);
}

static int hex2bin(const char *hex, u8 *out, size_t n)
{
	size_t i;
	unsigned int x;

	if (strlen(hex) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if (sscanf(hex + 2 * i, "%2x", &x) != 1)
			return -1;
		out[i] = x;
	}
	return 0;
}

static void reverse32(u8 *dst, const u8 *src)
{
	int i;

	for (i = 0; i < 32; i++)
		dst[i] = src[31 - i];
}

/* the block target of a compact "bits" value, as 32 little-endian bytes */
static void target_from_bits(u32 bits, u8 target[32])
{
	u32 mant = bits & 0x007fffff;
	int exp = bits >> 24, i;

	memset(target, 0, 32);
	for (i = 0; i < 3; i++) {
		int pos = exp - 3 + i;

		if (pos >= 0 && pos < 32)
			target[pos] = mant >> (8 * i);
	}
}

/* Scan [first, first + count) in pieces of at most @room results. */
static u32 scan_range(const struct mine_work *w, const struct mine_backend *b,
		      u32 first, u64 count, struct mine_found *found, u32 max, u32 room)
{
	u64 done = 0;
	u32 total = 0, nf;

	while (done < count && total < max) {
		u32 r = max - total < room ? max - total : room;
		u32 c = count - done > 0xffffffffULL ? 0xffffffff : count - done;

		done += mine_scan(w, b, first + (u32)done, c, found + total, r, &nf);
		total += nf;
	}
	return total;
}

FIXTURE(backend) {
	const struct mine_backend *b;
};

FIXTURE_VARIANT(backend) {
	const char *name;
};

FIXTURE_VARIANT_ADD(backend, generic) { .name = "generic" };
FIXTURE_VARIANT_ADD(backend, sha_ni) { .name = "sha-ni" };
FIXTURE_VARIANT_ADD(backend, avx2) { .name = "avx2" };
FIXTURE_VARIANT_ADD(backend, avx512) { .name = "avx512" };
FIXTURE_VARIANT_ADD(backend, avx512_on_avx2) { .name = "avx512-on-avx2" };
FIXTURE_VARIANT_ADD(backend, neon) { .name = "neon" };
FIXTURE_VARIANT_ADD(backend, arm_ce) { .name = "arm-ce" };

/* Whether @name is one of the space-separated words of @list. */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(list, name); p; p = strstr(p + 1, name))
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

FIXTURE_SETUP(backend)
{
	const char *only = getenv("MM_TEST_BACKENDS");

	rng_seed();
	if (only && !*only)
		only = NULL;
	if (only && !listed(only, variant->name))
		SKIP(return, "not asked for (MM_TEST_BACKENDS=%s)", only);
	if (!strcmp(variant->name, "avx512-on-avx2")) {
		/* the same source as "avx512", vectors split by the compiler */
		const struct mine_backend *avx2 = mine_backend_find("avx2");
		const struct mine_backend *avx512 = mine_backend_find("avx512");

		self->b = &mine_backend_avx512_on_avx2;
		if (!self->b || !avx2 || !mine_backend_usable(avx2))
			SKIP(return, "no AVX2 here");
		if (mine_backend_usable(avx512))
			SKIP(return, "the real AVX-512 backend runs here");
		return;
	}
	self->b = mine_backend_find(variant->name);
	if (!self->b || !mine_backend_usable(self->b)) {
		ASSERT_EQ(NULL, only)
			TH_LOG("MM_TEST_BACKENDS names %s, which this CPU cannot run", variant->name);
		if (!self->b)
			SKIP(return, "%s is not built for this architecture", variant->name);
		SKIP(return, "this CPU cannot run %s", variant->name);
	}
}

FIXTURE_TEARDOWN(backend)
{
}

TEST_F(backend, known_answers)
{
	struct mine_found found[MINE_SELFTEST_FOUND];
	const char *what, *err;

	err = mine_selftest(self->b, found, &what);
	if (err)
		TH_LOG("%s: %s", what, err);
	ASSERT_EQ(NULL, err);
}

/* The real blocks of tests/vectors/block-headers.json, at their real target. */
TEST_F(backend, block_vectors)
{
	char path[4096];
	json_error_t jerr;
	json_t *root, *v;
	size_t i;

	snprintf(path, sizeof(path), "%s/tests/vectors/block-headers.json",
		 getenv("MM_TOP") ?: MM_TOP);
	root = json_load_file(path, 0, &jerr);
	ASSERT_NE(NULL, root) TH_LOG("%s: %s", path, jerr.text);
	ASSERT_TRUE(json_array_size(root) >= 2);
	json_array_foreach(root, i, v) {
		u8 header[80], want[32], target[32];
		struct mine_found found[4];
		struct mine_work w;
		u32 nonce = json_integer_value(json_object_get(v, "nonce"));
		u32 bits = strtoul(json_string_value(json_object_get(v, "bits")), NULL, 16);
		u8 disp[32];

		ASSERT_EQ(0, hex2bin(json_string_value(json_object_get(v, "header")), header, 80));
		ASSERT_EQ(0, hex2bin(json_string_value(json_object_get(v, "hash")), disp, 32));
		reverse32(want, disp);
		target_from_bits(bits, target);
		mine_work_prepare(&w, header, target);
		ASSERT_EQ(1, scan_range(&w, self->b, nonce - 1000, 2000, found, 4, 4));
		EXPECT_EQ(nonce, found[0].nonce);
		EXPECT_EQ(0, memcmp(found[0].hash, want, 32));
	}
	json_decref(root);
}

/* The pool share of tests/vectors/stratum-mainnet-job.json, found again. */
TEST_F(backend, pool_share_vector)
{
	char path[4096];
	json_error_t jerr;
	json_t *root, *expect;
	u8 header[80], want[32], disp[32], target[32];
	struct mine_found found[4];
	struct mine_work w;
	u32 nonce;

	snprintf(path, sizeof(path), "%s/tests/vectors/stratum-mainnet-job.json",
		 getenv("MM_TOP") ?: MM_TOP);
	root = json_load_file(path, 0, &jerr);
	ASSERT_NE(NULL, root) TH_LOG("%s: %s", path, jerr.text);
	expect = json_object_get(root, "expect");
	ASSERT_EQ(0, hex2bin(json_string_value(json_object_get(expect, "header")), header, 80));
	ASSERT_EQ(0, hex2bin(json_string_value(json_object_get(expect, "hash")), disp, 32));
	nonce = strtoul(json_string_value(json_object_get(root, "nonce")), NULL, 16);
	reverse32(want, disp);
	/* difficulty 512: diff1 (0xffff << 208) / 512 = 0xffff << 199 */
	memset(target, 0, sizeof(target));
	target[26] = 0x7f;
	target[25] = 0xff;
	target[24] = 0x80;
	mine_work_prepare(&w, header, target);
	ASSERT_EQ(1, scan_range(&w, self->b, nonce - 500, 1000, found, 4, 4));
	EXPECT_EQ(nonce, found[0].nonce);
	EXPECT_EQ(0, memcmp(found[0].hash, want, 32));
	json_decref(root);
}

enum target_kind { T_RANDOM, T_EQUAL, T_BELOW, T_ONES, T_ZERO, T_HALF, T_KINDS };

/*
 * Random headers, ranges and targets, every result compared with what
 * OpenSSL's SHA-256 says: the same nonces, in order, none missing, none
 * extra, none twice, and the same hashes.
 */
TEST_F_TIMEOUT(backend, openssl_oracle, 600)
{
	long cases = env_long("MM_ORACLE_CASES", 100000), c;
	struct mine_found found[80];
	u8 hashes[64][32];
	long kinds[T_KINDS] = { 0 };

	for (c = 0; c < cases; c++) {
		u8 header[80], target[32];
		struct mine_work w;
		enum target_kind kind = rnd() % T_KINDS;
		u32 first, count, i, n, want = 0, room = 1 + rnd() % 8;
		int j;

		for (j = 0; j < 80; j++)
			header[j] = rnd();
		count = rnd() % 65;
		switch (rnd() % 4) {
		case 0:		/* ranges that end at 2^32 - 1 */
			first = (u32)(0x100000000ULL - count);
			break;
		case 1:
			first = 0;
			break;
		default:
			first = rnd();
			if ((u64)first + count > 0x100000000ULL)
				first -= count;
		}
		for (i = 0; i < count; i++)
			oracle_hash(header, first + i, hashes[i]);

		switch (kind) {
		case T_EQUAL:		/* a hash in the range, exactly */
		case T_BELOW:		/* one less than that hash */
			if (!count) {
				memset(target, 0, 32);
				break;
			}
			memcpy(target, hashes[rnd() % count], 32);
			for (j = 0; kind == T_BELOW && j < 32 && target[j]-- == 0; j++)
				;
			break;
		case T_ONES:
			memset(target, 0xff, 32);
			break;
		case T_ZERO:
			memset(target, 0, 32);
			break;
		case T_HALF:		/* about half the nonces hit */
			memset(target, 0xff, 32);
			target[31] = 0x7f;
			break;
		default:		/* random, biased to small top words */
			for (j = 0; j < 32; j++)
				target[j] = rnd();
			target[31] >>= rnd() % 9;
		}
		kinds[kind]++;

		mine_work_prepare(&w, header, target);
		n = scan_range(&w, self->b, first, count, found, 80, room);
		for (i = 0; i < count; i++) {
			if (!mine_hash_meets(hashes[i], w.target))
				continue;
			ASSERT_LT(want, n) TH_LOG("case %ld: nonce %u missed", c, first + i);
			ASSERT_EQ(first + i, found[want].nonce) TH_LOG("case %ld", c);
			ASSERT_EQ(0, memcmp(found[want].hash, hashes[i], 32))
				TH_LOG("case %ld: wrong hash for %u", c, first + i);
			want++;
		}
		ASSERT_EQ(want, n) TH_LOG("case %ld: %u extra results", c, n - want);
	}
	TH_LOG("%ld cases: %ld random, %ld equal, %ld below, %ld ones, %ld zero, %ld half",
	       cases, kinds[T_RANDOM], kinds[T_EQUAL], kinds[T_BELOW], kinds[T_ONES],
	       kinds[T_ZERO], kinds[T_HALF]);
}

/* A long range with many hits, read back a few at a time. */
TEST_F(backend, many_hits)
{
	static struct mine_found found[4096];
	u8 header[80], target[32], hash[32];
	struct mine_work w;
	u32 i, n, want = 0, first = 0xfffff000;
	int j;

	for (j = 0; j < 80; j++)
		header[j] = rnd();
	memset(target, 0xff, sizeof(target));
	target[31] = 0x1f;	/* one nonce in eight */
	mine_work_prepare(&w, header, target);
	n = scan_range(&w, self->b, first, 0x1000, found, 4096, 7);
	for (i = 0; i < 0x1000; i++) {
		oracle_hash(header, first + i, hash);
		if (!mine_hash_meets(hash, w.target))
			continue;
		ASSERT_LT(want, n);
		ASSERT_EQ(first + i, found[want].nonce);
		want++;
	}
	ASSERT_EQ(want, n);
	ASSERT_GT(want, 300U);
}

/* Rolled versions hash like headers that carry them. */
TEST_F(backend, version_rolling)
{
	int c;

	for (c = 0; c < 200; c++) {
		u8 header[80], rolled[80], target[32], hash[32];
		struct mine_found found[4];
		struct mine_work w;
		u32 mask = rnd() & 0x1fffe000, version, base;
		u32 nonce = rnd() & 0xfffffffe;
		int j;

		for (j = 0; j < 80; j++)
			header[j] = rnd();
		base = mine_get_le32(header);
		version = mine_version_roll(base, mask, rnd() % mine_version_rolls(mask));
		ASSERT_EQ(0U, (version ^ base) & ~mask);
		memcpy(rolled, header, 80);
		mine_put_le32(version, rolled);
		oracle_hash(rolled, nonce, hash);

		/* the job's header, rolled by the core, finds the rolled hash */
		memcpy(target, hash, 32);
		mine_work_prepare(&w, header, target);
		mine_work_set_version(&w, version);
		ASSERT_EQ(version, mine_work_version(&w));
		ASSERT_LE(1U, scan_range(&w, self->b, nonce, 2, found, 4, 4));
		ASSERT_EQ(nonce, found[0].nonce);
		ASSERT_EQ(0, memcmp(found[0].hash, hash, 32));
	}
}

/* Every index gives a different version, inside the mask. */
TEST(version_roll_distinct)
{
	static u8 seen[1 << 12];
	u32 mask = 0x1fffe000, base = 0x20000004, i;
	u32 sub = 0x0f0f0000 & mask;

	ASSERT_EQ(65536ULL, mine_version_rolls(mask));
	ASSERT_EQ(1ULL << 32, mine_version_rolls(0xffffffff));
	ASSERT_EQ(base, mine_version_roll(base, mask, 0));
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < mine_version_rolls(sub); i++) {
		u32 v = mine_version_roll(base, sub, i);
		u32 key = ((v ^ base) >> 16) & 0xfff;

		ASSERT_EQ(0U, (v ^ base) & ~sub);
		ASSERT_EQ(0, seen[key]);
		seen[key] = 1;
	}
}

/* Broken backends that the load-time self-test must catch. */
static u32 scan_drop_last(const struct mine_work *w, u32 first, u32 count,
			  u32 *cand, u32 max, u32 *nc)
{
	u32 r = mine_backend_generic.scan(w, first, count, cand, max, nc);

	if (*nc)
		(*nc)--;
	return r;
}

static u32 scan_off_by_one(const struct mine_work *w, u32 first, u32 count,
			   u32 *cand, u32 max, u32 *nc)
{
	u32 r = mine_backend_generic.scan(w, first, count, cand, max, nc), i;

	for (i = 0; i < *nc; i++)
		cand[i]++;
	return r;
}

static u32 scan_skip_last_nonce(const struct mine_work *w, u32 first, u32 count,
				u32 *cand, u32 max, u32 *nc)
{
	u32 r = mine_backend_generic.scan(w, first, count ? count - 1 : 0, cand, max, nc);

	return r == count - 1 ? count : r;
}

static u32 scan_strict(const struct mine_work *w, u32 first, u32 count,
		       u32 *cand, u32 max, u32 *nc)
{
	struct mine_work w2 = *w;

	/* "below the target" instead of "at or below" */
	if (w2.target[7])
		w2.target[7]--;
	else
		memset(w2.target, 0, sizeof(w2.target));
	return mine_backend_generic.scan(&w2, first, count, cand, max, nc);
}

TEST(selftest_catches_broken_backends)
{
	u32 (*broken[])(const struct mine_work *, u32, u32, u32 *, u32, u32 *) = {
		scan_drop_last, scan_off_by_one, scan_skip_last_nonce, scan_strict,
	};
	struct mine_found found[MINE_SELFTEST_FOUND];
	const char *what;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(broken); i++) {
		struct mine_backend b = mine_backend_generic;

		b.scan = broken[i];
		EXPECT_NE(NULL, mine_selftest(&b, found, &what)) TH_LOG("broken backend %u passed", i);
	}
}

/* the largest count a vector section was asked for, and how many there were */
static u32 section_max, sections;

static u32 scan_counting(const struct mine_work *w, u32 first, u32 count,
			 u32 *cand, u32 max, u32 *nc)
{
	section_max = count > section_max ? count : section_max;
	sections++;
	return mine_backend_generic.scan(w, first, count, cand, max, nc);
}

/*
 * A vector backend runs in sections of at most its @section nonces, each
 * one timed (in the kernel, preemption and on x86 softirqs are off for
 * that long), and the whole range is still searched with every share.
 */
TEST(vector_sections_are_bounded)
{
	struct mine_backend b = mine_backend_generic;
	struct mine_found found[64];
	u8 header[80] = { 0 }, target[32];
	struct mine_work w;
	u32 nf, done, i;
	u64 ns = 0;

	b.simd = true;
	b.section = 32;
	b.scan = scan_counting;
	/* nothing meets a target of 0: the whole range, section by section */
	memset(target, 0, sizeof(target));
	mine_work_prepare(&w, header, target);
	done = mine_scan_timed(&w, &b, 1000, 1000, found, 64, &nf, &ns);
	EXPECT_EQ(1000U, done);
	EXPECT_EQ(0U, nf);
	EXPECT_LE(section_max, 32U);
	EXPECT_GE(sections, (1000U + 31) / 32);
	EXPECT_GT(ns, 0U) TH_LOG("the longest section was not timed");
	/* about half meet this one: the search stops where found fills up */
	memset(target, 0xff, sizeof(target));
	target[31] = 0x7f;
	mine_work_prepare(&w, header, target);
	section_max = 0;
	done = mine_scan_timed(&w, &b, 1000, 1000, found, 64, &nf, &ns);
	EXPECT_LE(section_max, 32U);
	EXPECT_EQ(64U, nf);
	EXPECT_LT(done, 1000U);
	EXPECT_LT(found[63].nonce, 1000 + done);
	for (i = 0; i < nf; i++)
		EXPECT_EQ(1, mine_hash_meets(found[i].hash, w.target));
	/* and every vector backend of this architecture has a bound of its own */
	for (i = 0; mine_backends[i].backend; i++) {
		const struct mine_backend *v = mine_backends[i].backend;

		if (v->simd)
			EXPECT_GE(v->section, v->lanes) TH_LOG("%s: section %u", v->name,
								 v->section);
	}
}

TEST_HARNESS_MAIN
