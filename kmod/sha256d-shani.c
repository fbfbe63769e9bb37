// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 SHA-NI backend: the SHA-256 instructions, two nonces interleaved
 * so that one's rounds run while the other's wait on latency.  Rounds 0..1
 * of the header's second block come from struct mine_work; the second
 * SHA-256 stops after round 61, when the hash's top word is known.
 *
 * Built with -msse4.1 (see Kbuild); runs only between kernel_fpu_begin()
 * and kernel_fpu_end() in the kernel.
 */

#include "sha256d-v4.h"

/* @v with lane 3 replaced by @x */
static inline v4 set_lane3(v4 v, u32 x)
{
	asm("pinsrd $3, %1, %0" : "+x"(v) : "r"(x));
	return v;
}

/* Two rounds: @cdgh with @abef and @wk (its low half) gives the new ABEF. */
static inline v4 rnds2(v4 cdgh, v4 abef, v4 wk)
{
	asm("sha256rnds2 %2, %1, %0" : "+x"(cdgh) : "x"(abef), "Yz"(wk));
	return cdgh;
}

static inline v4 msg1(v4 a, v4 b)
{
	asm("sha256msg1 %1, %0" : "+x"(a) : "x"(b));
	return a;
}

static inline v4 msg2(v4 a, v4 b)
{
	asm("sha256msg2 %1, %0" : "+x"(a) : "x"(b));
	return a;
}

/* {lo[1], lo[2], lo[3], hi[0]} */
static inline v4 alignr4(v4 hi, v4 lo)
{
	asm("palignr $4, %1, %0" : "+x"(hi) : "x"(lo));
	return hi;
}

/* the high half moved to the low half */
static inline v4 high(v4 x)
{
	v4 r;

	asm("pshufd $0x0e, %1, %0" : "=x"(r) : "x"(x));
	return r;
}

/* {x[1], x[0], x[3], x[2]} */
static inline v4 swap_pairs(v4 x)
{
	v4 r;

	asm("pshufd $0xb1, %1, %0" : "=x"(r) : "x"(x));
	return r;
}

static inline v4 unpack_high(v4 a, v4 b)
{
	asm("punpckhqdq %1, %0" : "+x"(a) : "x"(b));
	return a;
}

static inline v4 unpack_low(v4 a, v4 b)
{
	asm("punpcklqdq %1, %0" : "+x"(a) : "x"(b));
	return a;
}

/*
 * One stream: the state as the instructions want it (ABEF = {F, E, B, A},
 * CDGH = {H, G, D, C}) and the sixteen message words before the next.
 */
struct stream {
	v4 abef, cdgh, m[4];
};

/* Four rounds of each stream with message words @wx and @wy. */
static __always_inline void rounds4(struct stream *x, struct stream *y,
				    const u32 *k, int t, v4 wx, v4 wy)
{
	v4 kx = wx + kv(k, t), ky = wy + kv(k, t);

	x->cdgh = rnds2(x->cdgh, x->abef, kx);
	y->cdgh = rnds2(y->cdgh, y->abef, ky);
	x->abef = rnds2(x->abef, x->cdgh, high(kx));
	y->abef = rnds2(y->abef, y->cdgh, high(ky));
}

/* Message words t..t+3 from the sixteen before them. */
static __always_inline v4 sched4(struct stream *s, int t)
{
	int a = (t / 4) & 3;
	v4 *m = s->m;

	m[a] = msg2(msg1(m[a], m[(a + 1) & 3]) + alignr4(m[(a + 3) & 3], m[(a + 2) & 3]),
		    m[(a + 3) & 3]);
	return m[a];
}

/* Rounds @from..@to - 1 of both streams: message words 0..15 are set. */
static __always_inline void rounds(struct stream *x, struct stream *y,
				   const u32 *k, int from, int to)
{
	int t;

#pragma GCC unroll 16
	for (t = from; t < to; t += 4) {
		if (t < 16)
			rounds4(x, y, k, t, x->m[t / 4], y->m[t / 4]);
		else
			rounds4(x, y, k, t, sched4(x, t), sched4(y, t));
	}
}

/* The second SHA-256's message: the first's digest, then padding. */
static __always_inline void digest_to_message(struct stream *s, v4 mid_abef,
					      v4 mid_cdgh)
{
	v4 abef = s->abef + mid_abef, cdgh = s->cdgh + mid_cdgh;

	s->m[0] = swap_pairs(unpack_high(abef, cdgh));	/* A B C D */
	s->m[1] = swap_pairs(unpack_low(abef, cdgh));	/* E F G H */
	s->m[2] = v4set(0x80000000, 0, 0, 0);
	s->m[3] = v4set(0, 0, 0, MINE_HASH_SIZE * 8);
	s->abef = v4set(sha256_iv[5], sha256_iv[4], sha256_iv[1], sha256_iv[0]);
	s->cdgh = v4set(sha256_iv[7], sha256_iv[6], sha256_iv[3], sha256_iv[2]);
}

struct shani_work {
	v4 abef, cdgh;		/* state after rounds 0..1 of the second block */
	v4 mid_abef, mid_cdgh;	/* midstate */
	v4 m0;			/* message words 0..2; word 3 is the nonce's */
};

/* The first SHA-256's second block for one nonce, from round 2 on. */
static __always_inline void first_block(struct stream *s, const struct shani_work *j,
					const u32 *k, u32 nonce)
{
	v4 kw;

	s->m[0] = set_lane3(j->m0, mine_swab32(nonce));
	s->m[1] = v4set(0x80000000, 0, 0, 0);
	s->m[2] = v4set(0, 0, 0, 0);
	s->m[3] = v4set(0, 0, 0, MINE_HEADER_SIZE * 8);
	/* rounds 2..3 (0..1 are the job's), after which CDGH is ABEF */
	kw = high(s->m[0] + kv(k, 0));
	s->cdgh = j->abef;
	s->abef = rnds2(j->cdgh, j->abef, kw);
}

/* The byte-swapped top hash words for nonces @nx and @ny. */
static __always_inline void two_nonces(const struct shani_work *j, u32 nx, u32 ny,
				       u32 *topx, u32 *topy)
{
	const u32 *k = mine_sha256_k.w;
	struct stream x, y;
	union v4u ux, uy;

	mine_hide(k);
	first_block(&x, j, k, nx);
	first_block(&y, j, k, ny);
	rounds(&x, &y, k, 4, 64);

	digest_to_message(&x, j->mid_abef, j->mid_cdgh);
	digest_to_message(&y, j->mid_abef, j->mid_cdgh);
	rounds(&x, &y, k, 0, 60);
	/* rounds 60..61 give F, which rounds 62..63 would shift into H */
	ux.v = rnds2(x.cdgh, x.abef, sched4(&x, 60) + kv(k, 60));
	uy.v = rnds2(y.cdgh, y.abef, sched4(&y, 60) + kv(k, 60));
	*topx = mine_swab32(ux.w[0] + sha256_iv[7]);
	*topy = mine_swab32(uy.w[0] + sha256_iv[7]);
}

static u32 scan_sha_ni(const struct mine_work *work, u32 first, u32 count,
		       u32 *cand, u32 max_cand, u32 *ncand)
{
	const u32 *s = work->s2, *m = work->midstate;
	const u32 t7 = work->target[7];
	struct shani_work j = {
		.abef = v4set(s[5], s[4], s[1], s[0]),
		.cdgh = v4set(s[7], s[6], s[3], s[2]),
		.mid_abef = v4set(m[5], m[4], m[1], m[0]),
		.mid_cdgh = v4set(m[7], m[6], m[3], m[2]),
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

const struct mine_backend mine_backend_sha_ni = {
	.name = "sha-ni",
	.lanes = 2,
	.simd = true,
	.section = 32,
	.scan = scan_sha_ni,
};
