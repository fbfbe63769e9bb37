/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The nonce search, LANES nonces at a time, written once with GCC vector
 * extensions: sha256d-generic.c (1 lane), sha256d-neon.c (4),
 * sha256d-avx2.c (8) and sha256d-avx512.c (16) instantiate it, and the
 * instruction set comes from each file's compiler flags.
 *
 * Per nonce: rounds 4..63 of the header's second block (rounds 0..2 and
 * the nonce-independent part of round 3 are in struct mine_work), then the
 * second SHA-256 only up to round 60: the hash's most significant word is
 * complete after it.  Nonces whose top word is at or below the target's
 * are candidates; mine_scan() hashes them in full.
 *
 * Rounds up to 23, whose message words are constants, the job's or have
 * known terms, are unrolled with those spelled out; the others run as a
 * loop of eight, which keeps the code small enough for the instruction
 * cache (see Documentation/performance.rst: size costs as much as count).
 *
 * The includer defines LANES and SCAN (the scan function's name).
 */

#include "sha256d.h"
#include "sha256d-consts.h"

#if LANES == 1
typedef u32 vec;
#else
typedef u32 vec __attribute__((vector_size(4 * LANES)));
#endif

union lanes {
	vec v;
	u32 w[LANES];
};

static __always_inline vec vset(u32 x)
{
	union lanes u;
	int i;

	for (i = 0; i < LANES; i++)
		u.w[i] = x;
	return u.v;
}

static __always_inline vec ror(vec x, int n)
{
	return x >> n | x << (32 - n);
}

static __always_inline vec bs0(vec a)
{
	return ror(a, 2) ^ ror(a, 13) ^ ror(a, 22);
}

static __always_inline vec bs1(vec e)
{
	return ror(e, 6) ^ ror(e, 11) ^ ror(e, 25);
}

static __always_inline vec ss0(vec w)
{
	return ror(w, 7) ^ ror(w, 18) ^ w >> 3;
}

static __always_inline vec ss1(vec w)
{
	return ror(w, 17) ^ ror(w, 19) ^ w >> 10;
}

static __always_inline vec ch(vec e, vec f, vec g)
{
	return g ^ (e & (f ^ g));
}

static __always_inline vec bswapv(vec x)
{
	return x >> 24 | (x >> 8 & vset(0xff00)) | (x << 8 & vset(0xff0000)) | x << 24;
}

/*
 * Round constant @t for every lane, from the 16-wide table: read through
 * a pointer the compiler cannot see through, so that it stays a memory
 * operand rather than being rebuilt from immediates in every round.
 */
static __always_inline vec kval(const union mine_sha256_k16 *k, int t)
{
	return *(const vec *)k[t].w;
}

/*
 * One round.  The state rotates through s[]: in round @r (mod 8) A is
 * s[-r & 7], B s[(1 - r) & 7] and so on, so no value moves.
 * Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)), and this round's a ^ b is the
 * next round's b ^ c: it is kept in mx[@r & 1].
 */
static __always_inline void rnd(vec s[8], vec mx[2], int r, vec kw)
{
	vec a = s[-r & 7], b = s[(1 - r) & 7], e = s[(4 - r) & 7];
	vec f = s[(5 - r) & 7], g = s[(6 - r) & 7], h = s[(7 - r) & 7];
	vec t1 = h + bs1(e) + ch(e, f, g) + kw;

	mx[r & 1] = a ^ b;
	s[(3 - r) & 7] += t1;
	s[(7 - r) & 7] = t1 + bs0(a) + (b ^ (mx[r & 1] & mx[(r + 1) & 1]));
}

/* Message word @t (16 or more) in place of word @t - 16 in the window. */
static __always_inline vec sched(vec *w, int t)
{
	w[t & 15] += ss1(w[(t - 2) & 15]) + w[(t - 7) & 15] + ss0(w[(t - 15) & 15]);
	return w[t & 15];
}

/*
 * Word t + @i of the window, -16 <= @i <= 7, for t a multiple of 8 known
 * only at run time: @p is the window's half holding words t..t+7, @q the
 * other half.
 */
static __always_inline vec *wrel(vec *p, vec *q, int i)
{
	if (i >= 0)
		return p + i;
	if (i >= -8)
		return q + i + 8;
	return p + i + 16;
}

/* Rounds t..t+7 with their message schedule, t a multiple of 8. */
static __always_inline void rounds8(vec s[8], vec mx[2], vec *w,
				    const union mine_sha256_k16 *k, int t)
{
	vec *p = w + (t & 8), *q = w + (~t & 8), *x;
	int i;

#pragma GCC unroll 8
	for (i = 0; i < 8; i++) {
		x = wrel(p, q, i);
		*x += ss1(*wrel(p, q, i - 2)) + *wrel(p, q, i - 7) +
		      ss0(*wrel(p, q, i - 15));
		rnd(s, mx, i, kval(k, t + i) + *x);
	}
}

/*
 * Message word @t of the header's second block: the job's, the nonce's,
 * padding (0x80000000, zeros, the length), then the schedule.  The window
 * is hidden from the compiler, so the padding's words are spelled out
 * here: as constants in rounds 4..15, and left out of words 20..23, whose
 * schedule adds zeros (words 5..14) and sigma0 of zero.
 */
static __always_inline vec first_word(vec *w, int t, const struct mine_work *j,
				      vec w3)
{
	switch (t) {
	case 4:
		return vset(0x80000000);
	case 15:
		return vset(MINE_HEADER_SIZE * 8);
	case 16:
		return w[0] = vset(j->w16);
	case 17:
		return w[1] = vset(j->w17);
	case 18:
		return w[2] = vset(j->p18) + ss0(w3);
	case 19:
		return w[3] = vset(j->p19) + w3;
	case 20:
		return w[4] = ss1(w[2]) + vset(0x80000000);
	case 21:
		return w[5] = ss1(w[3]);
	case 22:
		return w[6] = ss1(w[4]) + vset(MINE_HEADER_SIZE * 8);
	case 23:
		return w[7] = ss1(w[5]) + vset(j->w16);
	default:
		return t < 16 ? vset(0) : sched(w, t);
	}
}

/*
 * Message word @t of the second hash: the first hash, padding
 * (0x80000000, zeros, the length), then the schedule.  As in first_word(),
 * the padding is spelled out up to word 23 (words 9..14 are zero, sigma1
 * of word 15 and sigma0 of word 8 are constants).
 */
static __always_inline vec second_word(vec *w, int t)
{
	switch (t) {
	case 8:
		return vset(0x80000000);
	case 15:
		return vset(MINE_HASH_SIZE * 8);
	case 16:
		return w[0] += ss0(w[1]);
	case 17:
		return w[1] += ss1(vset(MINE_HASH_SIZE * 8)) + ss0(w[2]);
	case 18 ... 21:
		return w[t & 15] += ss1(w[(t - 2) & 15]) + ss0(w[(t - 15) & 15]);
	case 22:
		return w[6] += ss1(w[4]) + vset(MINE_HASH_SIZE * 8) + ss0(w[7]);
	case 23:
		return w[7] += ss1(w[5]) + w[0] + ss0(vset(0x80000000));
	default:
		return t < 8 ? w[t] : t < 16 ? vset(0) : sched(w, t);
	}
}

/*
 * The most significant word of SHA-256d(header with nonce), byte-swapped
 * so that it compares as an integer, for the nonces whose big-endian
 * reading (message word 3) is @w3.  The job's words are broadcast from
 * memory at each use rather than kept, broadcast, on the (kernel) stack.
 */
static __always_inline vec top_word(const struct mine_work *j, vec w3)
{
	const union mine_sha256_k16 *k = mine_sha256_k16;
	vec s[8], mx[2], window[16], *w = window;
	int t;

	/*
	 * One message window in memory, used through a pointer: otherwise
	 * the compiler keeps a second, scalarized copy of it on the stack.
	 */
	mine_hide(k);
	if (LANES > 1)
		mine_hide(w);

	/*
	 * first SHA-256, second block, from round 4 on; in the window, words
	 * 0..7 are written before they are read, 8..15 are read from word 24 on
	 */
	for (t = 8; t < 15; t++)
		w[t] = vset(0);
	w[15] = vset(MINE_HEADER_SIZE * 8);
	/* in round 4 A is s[4]; in round 24, the first looped one, s[0] */
	s[4] = vset(j->a4) + w3;
	s[5] = vset(j->s3[0]);
	s[6] = vset(j->s3[1]);
	s[7] = vset(j->s3[2]);
	s[0] = vset(j->e4) + w3;
	s[1] = vset(j->s3[4]);
	s[2] = vset(j->s3[5]);
	s[3] = vset(j->s3[6]);
	mx[1] = s[5] ^ s[6];
#pragma GCC unroll 20
	for (t = 4; t < 24; t++)
		rnd(s, mx, t, kval(k, t) + first_word(w, t, j, w3));
	for (t = 24; t < 64; t += 8)
		rounds8(s, mx, w, k, t);

	/* second SHA-256 of the 32-byte digest, up to round 60 */
#pragma GCC unroll 8
	for (t = 0; t < 8; t++)
		w[t] = vset(j->midstate[t]) + s[t];
	w[8] = vset(0x80000000);
	for (t = 9; t < 15; t++)
		w[t] = vset(0);
	w[15] = vset(MINE_HASH_SIZE * 8);
#pragma GCC unroll 8
	for (t = 0; t < 8; t++)
		s[t] = vset(sha256_iv[t]);
	mx[1] = s[1] ^ s[2];
#pragma GCC unroll 24
	for (t = 0; t < 24; t++)
		rnd(s, mx, t, kval(k, t) + second_word(w, t));
	for (t = 24; t < 56; t += 8)
		rounds8(s, mx, w, k, t);
#pragma GCC unroll 5
	for (t = 56; t < 61; t++)
		rnd(s, mx, t, kval(k, t) + second_word(w, t));

	/* E after round 60, s[(3 - 60) & 7], is H after round 63 */
	return bswapv(s[7] + vset(sha256_iv[7]));
}

static u32 SCAN(const struct mine_work *work, u32 first, u32 count,
		u32 *cand, u32 max_cand, u32 *ncand)
{
	union lanes lane, m;
	vec t7 = vset(work->target[7]);
	u32 nc = 0, any, tried;
	u64 n;
	int i;

	for (i = 0; i < LANES; i++)
		lane.w[i] = i;

	for (n = 0; n < count; n += LANES) {
		const struct mine_work *j = work;
		vec nonce = vset(first + (u32)n) + lane.v;

		if (LANES > 1)
			mine_hide(j);
		m.v = (vec)(top_word(j, bswapv(nonce)) <= t7);
		any = 0;
		for (i = 0; i < LANES; i++)
			any |= m.w[i];
		if (likely(!any))
			continue;
		if (!mine_take_candidates(m.w, LANES, first, n, count, cand, max_cand,
					  &nc, &tried)) {
			*ncand = nc;
			return tried;
		}
	}
	*ncand = nc;
	return count;
}
