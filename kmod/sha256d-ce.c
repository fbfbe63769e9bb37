// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 backend with the ARMv8 SHA-256 instructions (Crypto Extensions),
 * two nonces interleaved so that one's rounds run while the other's wait
 * on latency.
 *
 * Built with the crypto extension enabled (see Kbuild); runs only between
 * kernel_neon_begin() and kernel_neon_end() in the kernel.
 */

#include "sha256d-v4.h"

/* @v with lane 3 replaced by @x */
static inline v4 set_lane3(v4 v, u32 x)
{
	asm("ins %0.s[3], %w1" : "+w"(v) : "r"(x));
	return v;
}

/* Four rounds on ABCD ... */
static inline v4 hash_abcd(v4 abcd, v4 efgh, v4 wk)
{
	asm("sha256h %q0, %q1, %2.4s" : "+w"(abcd) : "w"(efgh), "w"(wk));
	return abcd;
}

/* ... and on EFGH, with ABCD as it was before them. */
static inline v4 hash_efgh(v4 efgh, v4 abcd, v4 wk)
{
	asm("sha256h2 %q0, %q1, %2.4s" : "+w"(efgh) : "w"(abcd), "w"(wk));
	return efgh;
}

static inline v4 su0(v4 a, v4 b)
{
	asm("sha256su0 %0.4s, %1.4s" : "+w"(a) : "w"(b));
	return a;
}

static inline v4 su1(v4 a, v4 b, v4 c)
{
	asm("sha256su1 %0.4s, %1.4s, %2.4s" : "+w"(a) : "w"(b), "w"(c));
	return a;
}

/* One stream: its state and the sixteen message words before the next. */
struct stream {
	v4 abcd, efgh, m[4];
};

/* Four rounds of each stream with message words @wx and @wy. */
static __always_inline void rounds4(struct stream *x, struct stream *y,
				    const u32 *k, int t, v4 wx, v4 wy)
{
	v4 kx = wx + kv(k, t), ky = wy + kv(k, t);
	v4 ax = x->abcd, ay = y->abcd;

	x->abcd = hash_abcd(x->abcd, x->efgh, kx);
	y->abcd = hash_abcd(y->abcd, y->efgh, ky);
	x->efgh = hash_efgh(x->efgh, ax, kx);
	y->efgh = hash_efgh(y->efgh, ay, ky);
}

/* Message words t..t+3 from the sixteen before them. */
static __always_inline v4 sched4(struct stream *s, int t)
{
	int a = (t / 4) & 3;
	v4 *m = s->m;

	m[a] = su1(su0(m[a], m[(a + 1) & 3]), m[(a + 2) & 3], m[(a + 3) & 3]);
	return m[a];
}

/* All 64 rounds of both streams: message words 0..15 are set. */
static __always_inline void rounds(struct stream *x, struct stream *y, const u32 *k)
{
	int t;

#pragma GCC unroll 16
	for (t = 0; t < 64; t += 4) {
		if (t < 16)
			rounds4(x, y, k, t, x->m[t / 4], y->m[t / 4]);
		else
			rounds4(x, y, k, t, sched4(x, t), sched4(y, t));
	}
}

struct ce_work {
	v4 mid_abcd, mid_efgh;	/* midstate */
	v4 m0;			/* message words 0..2; word 3 is the nonce's */
};

static __always_inline void first_block(struct stream *s, const struct ce_work *j,
					u32 nonce)
{
	s->m[0] = set_lane3(j->m0, mine_swab32(nonce));
	s->m[1] = v4set(0x80000000, 0, 0, 0);
	s->m[2] = v4set(0, 0, 0, 0);
	s->m[3] = v4set(0, 0, 0, MINE_HEADER_SIZE * 8);
	s->abcd = j->mid_abcd;
	s->efgh = j->mid_efgh;
}

/* The second SHA-256's message: the first's digest, then padding. */
static __always_inline void digest_to_message(struct stream *s, const struct ce_work *j)
{
	s->m[0] = s->abcd + j->mid_abcd;
	s->m[1] = s->efgh + j->mid_efgh;
	s->m[2] = v4set(0x80000000, 0, 0, 0);
	s->m[3] = v4set(0, 0, 0, MINE_HASH_SIZE * 8);
	s->abcd = v4set(sha256_iv[0], sha256_iv[1], sha256_iv[2], sha256_iv[3]);
	s->efgh = v4set(sha256_iv[4], sha256_iv[5], sha256_iv[6], sha256_iv[7]);
}

/* The byte-swapped top hash words for nonces @nx and @ny. */
static __always_inline void two_nonces(const struct ce_work *j, u32 nx, u32 ny,
				       u32 *topx, u32 *topy)
{
	const u32 *k = mine_sha256_k.w;
	struct stream x, y;
	union v4u ux, uy;

	mine_hide(k);
	first_block(&x, j, nx);
	first_block(&y, j, ny);
	rounds(&x, &y, k);
	digest_to_message(&x, j);
	digest_to_message(&y, j);
	rounds(&x, &y, k);
	ux.v = x.efgh;
	uy.v = y.efgh;
	*topx = mine_swab32(ux.w[3] + sha256_iv[7]);
	*topy = mine_swab32(uy.w[3] + sha256_iv[7]);
}

static u32 scan_arm_ce(const struct mine_work *work, u32 first, u32 count,
		       u32 *cand, u32 max_cand, u32 *ncand)
{
	const u32 *m = work->midstate;
	const u32 t7 = work->target[7];
	struct ce_work j = {
		.mid_abcd = v4set(m[0], m[1], m[2], m[3]),
		.mid_efgh = v4set(m[4], m[5], m[6], m[7]),
		.m0 = v4set(work->w[0], work->w[1], work->w[2], 0),
	};
	u32 nc = 0, top[2], hit[2], tried;
	u64 n;

	for (n = 0; n < count; n += 2) {
		u32 nonce = first + (u32)n;

		two_nonces(&j, nonce, nonce + 1, &top[0], &top[1]);
		hit[0] = top[0] <= t7;
		hit[1] = top[1] <= t7;
		if (likely(!(hit[0] | hit[1])))
			continue;
		if (!mine_take_candidates(hit, 2, first, n, count, cand, max_cand,
					  &nc, &tried)) {
			*ncand = nc;
			return tried;
		}
	}
	*ncand = nc;
	return count;
}

const struct mine_backend mine_backend_arm_ce = {
	.name = "arm-ce",
	.lanes = 2,
	.simd = true,
	.section = 8,
	.scan = scan_arm_ce,
};
