// SPDX-License-Identifier: GPL-2.0
/*
 * Hashing core: the textbook SHA-256 every result is verified with, the
 * per-header precomputation the backends share, version rolling, and the
 * search that turns a backend's candidates into verified results.
 */

#include "sha256d.h"
#include "sha256d-consts.h"

/* SHA-256's round constants */
const union mine_sha256_k mine_sha256_k = { .w = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
} };

/* the same, sixteen copies of each, for the vector backends' lanes */
#define K16(k)	{ .w = { [0 ... 15] = (k) } }
const union mine_sha256_k16 mine_sha256_k16[64] = {
	K16(0x428a2f98), K16(0x71374491), K16(0xb5c0fbcf), K16(0xe9b5dba5),
	K16(0x3956c25b), K16(0x59f111f1), K16(0x923f82a4), K16(0xab1c5ed5),
	K16(0xd807aa98), K16(0x12835b01), K16(0x243185be), K16(0x550c7dc3),
	K16(0x72be5d74), K16(0x80deb1fe), K16(0x9bdc06a7), K16(0xc19bf174),
	K16(0xe49b69c1), K16(0xefbe4786), K16(0x0fc19dc6), K16(0x240ca1cc),
	K16(0x2de92c6f), K16(0x4a7484aa), K16(0x5cb0a9dc), K16(0x76f988da),
	K16(0x983e5152), K16(0xa831c66d), K16(0xb00327c8), K16(0xbf597fc7),
	K16(0xc6e00bf3), K16(0xd5a79147), K16(0x06ca6351), K16(0x14292967),
	K16(0x27b70a85), K16(0x2e1b2138), K16(0x4d2c6dfc), K16(0x53380d13),
	K16(0x650a7354), K16(0x766a0abb), K16(0x81c2c92e), K16(0x92722c85),
	K16(0xa2bfe8a1), K16(0xa81a664b), K16(0xc24b8b70), K16(0xc76c51a3),
	K16(0xd192e819), K16(0xd6990624), K16(0xf40e3585), K16(0x106aa070),
	K16(0x19a4c116), K16(0x1e376c08), K16(0x2748774c), K16(0x34b0bcb5),
	K16(0x391c0cb3), K16(0x4ed8aa4a), K16(0x5b9cca4f), K16(0x682e6ff3),
	K16(0x748f82ee), K16(0x78a5636f), K16(0x84c87814), K16(0x8cc70208),
	K16(0x90befffa), K16(0xa4506ceb), K16(0xbef9a3f7), K16(0xc67178f2),
};

static inline u32 ror(u32 x, unsigned int n)
{
	return x >> n | x << (32 - n);
}

static inline u32 bs0(u32 a)
{
	return ror(a, 2) ^ ror(a, 13) ^ ror(a, 22);
}

static inline u32 bs1(u32 e)
{
	return ror(e, 6) ^ ror(e, 11) ^ ror(e, 25);
}

static inline u32 ss0(u32 w)
{
	return ror(w, 7) ^ ror(w, 18) ^ w >> 3;
}

static inline u32 ss1(u32 w)
{
	return ror(w, 17) ^ ror(w, 19) ^ w >> 10;
}

static inline u32 ch(u32 e, u32 f, u32 g)
{
	return g ^ (e & (f ^ g));
}

static inline u32 maj(u32 a, u32 b, u32 c)
{
	return (a & b) | (c & (a | b));
}

/* Rounds @from .. @to - 1 on state @s with message schedule @w. */
static void sha256_rounds(u32 s[8], const u32 w[64], int from, int to)
{
	u32 t1, t2;
	int i;

	for (i = from; i < to; i++) {
		t1 = s[7] + bs1(s[4]) + ch(s[4], s[5], s[6]) + mine_sha256_k.w[i] + w[i];
		t2 = bs0(s[0]) + maj(s[0], s[1], s[2]);
		s[7] = s[6];
		s[6] = s[5];
		s[5] = s[4];
		s[4] = s[3] + t1;
		s[3] = s[2];
		s[2] = s[1];
		s[1] = s[0];
		s[0] = t1 + t2;
	}
}

static void sha256_schedule(u32 w[64], const u8 block[64])
{
	int i;

	for (i = 0; i < 16; i++)
		w[i] = mine_get_be32(block + 4 * i);
	for (i = 16; i < 64; i++)
		w[i] = ss1(w[i - 2]) + w[i - 7] + ss0(w[i - 15]) + w[i - 16];
}

/**
 * mine_sha256_transform() - one SHA-256 compression, the textbook way
 * @state: the chaining state, updated
 * @block: 64 bytes of message
 */
void mine_sha256_transform(u32 state[8], const u8 block[64])
{
	u32 w[64], s[8];
	int i;

	sha256_schedule(w, block);
	memcpy(s, state, sizeof(s));
	sha256_rounds(s, w, 0, 64);
	for (i = 0; i < 8; i++)
		state[i] += s[i];
}

static void sha256(const u8 *data, size_t len, u8 out[MINE_HASH_SIZE])
{
	u8 block[64];
	u32 state[8];
	size_t left = len;
	int i;

	memcpy(state, sha256_iv, sizeof(state));
	for (; left >= 64; left -= 64, data += 64)
		mine_sha256_transform(state, data);
	memset(block, 0, sizeof(block));
	memcpy(block, data, left);
	block[left] = 0x80;
	if (left >= 56) {
		mine_sha256_transform(state, block);
		memset(block, 0, sizeof(block));
	}
	mine_put_be32((u32)((u64)len >> 29), block + 56);
	mine_put_be32((u32)(len << 3), block + 60);
	mine_sha256_transform(state, block);
	for (i = 0; i < 8; i++)
		mine_put_be32(state[i], out + 4 * i);
}

/**
 * mine_sha256d() - SHA-256 applied twice
 * @data: message
 * @len: its length in bytes
 * @out: the hash, as SHA-256 produces it
 */
void mine_sha256d(const u8 *data, size_t len, u8 out[MINE_HASH_SIZE])
{
	u8 first[MINE_HASH_SIZE];

	sha256(data, len, first);
	sha256(first, sizeof(first), out);
}

/**
 * mine_hash_meets() - whether a hash is at or below a target
 * @hash: SHA-256d output, read as a little-endian 256-bit integer
 * @target: the target in words, @target[7] most significant
 *
 * Return: true if @hash <= @target.
 */
bool mine_hash_meets(const u8 hash[MINE_HASH_SIZE], const u32 target[8])
{
	int i;

	for (i = 7; i >= 0; i--) {
		u32 h = mine_get_le32(hash + 4 * i);

		if (h != target[i])
			return h < target[i];
	}
	return true;
}

/**
 * mine_work_prepare() - prepare a header and a target for mine_scan()
 * @work: filled in
 * @header: the serialized 80-byte header (its nonce is not used)
 * @target: the 32-byte target as a little-endian 256-bit integer
 */
void mine_work_prepare(struct mine_work *work, const u8 header[MINE_HEADER_SIZE],
		       const u8 target[MINE_HASH_SIZE])
{
	int i;

	memcpy(work->header, header, MINE_HEADER_SIZE);
	for (i = 0; i < 8; i++)
		work->target[i] = mine_get_le32(target + 4 * i);
	mine_work_set_version(work, mine_work_version(work));
}

/**
 * mine_work_version() - the version field of the header in use
 * @work: prepared work
 *
 * Return: the version, as a number.
 */
u32 mine_work_version(const struct mine_work *work)
{
	return mine_get_le32(work->header);
}

/**
 * mine_work_set_version() - switch to another version, as version rolling
 *	(BIP 310) does, and redo everything that depends on it
 * @work: prepared work
 * @version: the new version field
 */
void mine_work_set_version(struct mine_work *work, u32 version)
{
	u32 w[64], s[8], t1;
	u8 block[64];
	int i;

	mine_put_le32(version, work->header);
	memcpy(work->midstate, sha256_iv, sizeof(work->midstate));
	mine_sha256_transform(work->midstate, work->header);

	/* the second block: header bytes 64..79 and the padding of 80 bytes */
	memset(block, 0, sizeof(block));
	memcpy(block, work->header + 64, 16);
	block[16] = 0x80;
	mine_put_be32(MINE_HEADER_SIZE * 8, block + 60);
	sha256_schedule(w, block);
	for (i = 0; i < 3; i++)
		work->w[i] = w[i];

	memcpy(s, work->midstate, sizeof(s));
	sha256_rounds(s, w, 0, 2);
	memcpy(work->s2, s, sizeof(s));
	sha256_rounds(s, w, 2, 3);
	memcpy(work->s3, s, sizeof(s));
	t1 = s[7] + bs1(s[4]) + ch(s[4], s[5], s[6]) + mine_sha256_k.w[3];
	work->e4 = s[3] + t1;
	work->a4 = t1 + bs0(s[0]) + maj(s[0], s[1], s[2]);

	/* message words that do not depend on word 3, the nonce */
	work->w16 = w[16];
	work->w17 = w[17];
	work->p18 = ss1(w[16]) + w[11] + w[2];
	work->p19 = ss1(w[17]) + w[12] + ss0(w[4]);
}

/**
 * mine_work_hash() - the SHA-256d of the header with a nonce, the slow way
 * @work: prepared work
 * @nonce: the nonce
 * @hash: its hash
 */
void mine_work_hash(const struct mine_work *work, u32 nonce, u8 hash[MINE_HASH_SIZE])
{
	u8 header[MINE_HEADER_SIZE];

	memcpy(header, work->header, sizeof(header));
	mine_put_le32(nonce, header + 76);
	mine_sha256d(header, sizeof(header), hash);
}

/**
 * mine_version_rolls() - how many versions rolling within a mask gives
 * @mask: the bits that may change (BIP 310)
 *
 * Return: 2 to the number of bits in @mask.
 */
u64 mine_version_rolls(u32 mask)
{
	return (u64)1 << mine_popcount32(mask);
}

/**
 * mine_version_roll() - the @index-th version within a mask
 * @version: the job's version
 * @mask: the bits that may change
 * @index: 0 .. mine_version_rolls(@mask) - 1; its bits, lowest first, go
 *	into the bits of @mask, lowest first
 *
 * Return: @version with the bits of @index deposited into the bits of @mask
 * by exclusive or: index 0 is @version itself, and the versions of
 * different indexes differ.
 */
u32 mine_version_roll(u32 version, u32 mask, u32 index)
{
	u32 bits = 0, m = mask;

	while (m && index) {
		u32 low = m & ~(m - 1);

		if (index & 1)
			bits |= low;
		index >>= 1;
		m &= m - 1;
	}
	return version ^ bits;
}

/**
 * mine_scan_timed() - search nonces for hashes at or below the target
 * @work: prepared work
 * @backend: the implementation to use
 * @first: first nonce
 * @count: number of nonces; @first + @count must not exceed 2^32
 * @found: results, verified with the textbook SHA-256d
 * @max_found: room in @found
 * @nfound: number of results stored
 * @section_ns: if not NULL, set to the longest vector section, in ns (0 if
 *	none ran)
 *
 * Every nonce that meets the target is returned: if @found fills up the
 * search stops there, and the return value says where to resume.  In the
 * kernel a vector backend runs with preemption disabled, in sections of
 * at most its @section nonces; where vector registers cannot be used the
 * generic backend searches instead.
 *
 * Return: the number of nonces searched from @first on.
 */
u32 mine_scan_timed(const struct mine_work *work, const struct mine_backend *backend,
		    u32 first, u32 count, struct mine_found *found, u32 max_found,
		    u32 *nfound, u64 *section_ns)
{
	u32 cand[16], done = 0, nf = 0, nc, i, tried, room, n;
	u64 t0, longest = 0;

	if (backend->simd && !mine_simd_usable())
		backend = &mine_backend_generic;
	while (done < count && nf < max_found) {
		room = max_found - nf;
		if (room > 16)
			room = 16;
		n = count - done;
		if (backend->simd) {
			if (n > backend->section)
				n = backend->section;
			mine_simd_begin();
			t0 = section_ns ? mine_clock_ns() : 0;
			tried = backend->scan(work, first + done, n, cand, room, &nc);
			t0 = section_ns ? mine_clock_ns() - t0 : 0;
			mine_simd_end();
			if (t0 > longest)
				longest = t0;
		} else {
			tried = backend->scan(work, first + done, n, cand, room, &nc);
		}
		for (i = 0; i < nc; i++) {
			struct mine_found *f = &found[nf];

			mine_work_hash(work, cand[i], f->hash);
			if (mine_hash_meets(f->hash, work->target)) {
				f->nonce = cand[i];
				nf++;
			}
		}
		done += tried;
		if (!tried)
			break;
	}
	*nfound = nf;
	if (section_ns)
		*section_ns = longest;
	return done;
}

/**
 * mine_backend_find() - a backend by name
 * @name: its name
 *
 * Return: the backend, or NULL if there is none of that name here.
 */
const struct mine_backend *mine_backend_find(const char *name)
{
	int i;

	for (i = 0; mine_backends[i].backend; i++)
		if (!strcmp(mine_backends[i].backend->name, name))
			return mine_backends[i].backend;
	return NULL;
}

/**
 * mine_cpu_any() - for backends every CPU runs (the generic one)
 *
 * Return: true.
 */
bool mine_cpu_any(void)
{
	return true;
}

/**
 * mine_backend_usable() - whether this CPU can run a backend
 * @backend: one of mine_backends[]
 *
 * Return: true if it can.
 */
bool mine_backend_usable(const struct mine_backend *backend)
{
	int i;

	for (i = 0; mine_backends[i].backend; i++)
		if (mine_backends[i].backend == backend)
			return mine_backends[i].usable();
	return false;
}
