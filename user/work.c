// SPDX-License-Identifier: GPL-2.0
/*
 * From a pool's job to block headers (REFERENCE: coinbase = coinb1 ||
 * extranonce1 || extranonce2 || coinb2; merkle root = SHA-256d up the
 * branch; header fields little-endian), and the targets shares are held
 * to.  Hashes and targets are 256-bit little-endian integers, as SHA-256
 * produces them and as the module takes them.  SHA-256 is OpenSSL's, so
 * that shares are checked by other code than the module's.
 */

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/sha.h>

#include "work.h"

void work_sha256d(const void *data, size_t len, uint8_t out[WORK_HASH_SIZE])
{
	uint8_t once[SHA256_DIGEST_LENGTH];

	SHA256(data, len, once);
	SHA256(once, sizeof(once), out);
}

/**
 * work_merkle_root() - the merkle root of a job with our extranonces
 * @job: the job
 * @xn1: extranonce1, from the pool
 * @xn1_len: its length
 * @xn2: extranonce2, ours
 * @xn2_len: its length
 * @root: the root, as the header holds it
 *
 * Return: 0 or -ENOMEM.
 */
int work_merkle_root(const struct stm_job *job, const uint8_t *xn1, size_t xn1_len,
		     const uint8_t *xn2, size_t xn2_len, uint8_t root[WORK_HASH_SIZE])
{
	size_t len = job->coinb1_len + xn1_len + xn2_len + job->coinb2_len, off = 0;
	uint8_t *coinbase = malloc(len), pair[2 * WORK_HASH_SIZE];
	unsigned int i;

	if (!coinbase)
		return -ENOMEM;
	memcpy(coinbase, job->coinb1, job->coinb1_len);
	off += job->coinb1_len;
	memcpy(coinbase + off, xn1, xn1_len);
	off += xn1_len;
	memcpy(coinbase + off, xn2, xn2_len);
	off += xn2_len;
	memcpy(coinbase + off, job->coinb2, job->coinb2_len);
	work_sha256d(coinbase, len, root);
	free(coinbase);
	for (i = 0; i < job->nbranches; i++) {
		memcpy(pair, root, WORK_HASH_SIZE);
		memcpy(pair + WORK_HASH_SIZE, job->branches[i], WORK_HASH_SIZE);
		work_sha256d(pair, sizeof(pair), root);
	}
	return 0;
}

/* header fields are little-endian */
void work_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/**
 * work_header() - the 80-byte block header
 * @job: the job: prevhash, ntime and nbits
 * @root: the merkle root
 * @version: the version (the job's, or rolled within the pool's mask)
 * @nonce: the nonce
 * @header: the header
 */
void work_header(const struct stm_job *job, const uint8_t root[WORK_HASH_SIZE],
		 uint32_t version, uint32_t nonce, uint8_t header[WORK_HEADER_SIZE])
{
	work_put_le32(header, version);
	memcpy(header + 4, job->prevhash, 32);
	memcpy(header + 36, root, 32);
	work_put_le32(header + 68, job->ntime);
	work_put_le32(header + 72, job->nbits);
	work_put_le32(header + 76, nonce);
}

uint32_t work_get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* @m << @shift into a little-endian integer of @size bytes (zero elsewhere) */
static void put_shifted(uint64_t m, int shift, uint8_t *target, size_t size)
{
	int i, bit;

	memset(target, 0, size);
	for (i = 0; i < 64; i++) {
		if (!(m >> i & 1))
			continue;
		bit = i + shift;
		if (bit >= 0 && bit < (int)size * 8)
			target[bit / 8] |= 1 << (bit % 8);
	}
}

/**
 * work_target() - the target of a share difficulty: 0xffff * 2^208 / d
 * @difficulty: the pool's difficulty, > 0
 * @target: the target, rounded down, which is exact for the integer hashes
 *	compared with it; all ones where it would exceed 2^256 - 1
 *
 * The difficulty is a double, m * 2^k with a 53-bit integer m, so the target
 * is the integer division 0xffff * 2^(208 - k) / m, done in full here: no
 * floating-point rounding can make a share we send miss the pool's target.
 */
void work_target(double difficulty, uint8_t target[WORK_HASH_SIZE])
{
	uint8_t n[64] = { 0 };
	uint64_t m, rem = 0;
	int k, s, i;

	m = (uint64_t)ldexp(frexp(difficulty, &k), 53);
	s = 208 - (k - 53);
	if (!(difficulty > 0) || !m || s >= 400) {
		memset(target, 0xff, WORK_HASH_SIZE);
		return;
	}
	/* s < 0 (a difficulty above 2^260) leaves 0xffff / m, which is 0 */
	put_shifted(0xffff, s > 0 ? s : 0, n, sizeof(n));
	for (i = sizeof(n) - 1; i >= 0; i--) {
		uint64_t cur = rem << 8 | n[i];

		n[i] = cur / m;
		rem = cur % m;
	}
	for (i = WORK_HASH_SIZE; i < (int)sizeof(n); i++)
		if (n[i]) {
			memset(target, 0xff, WORK_HASH_SIZE);
			return;
		}
	memcpy(target, n, WORK_HASH_SIZE);
}

/**
 * work_target_nbits() - the block target of a compact nbits
 * @nbits: mantissa (23 bits) * 256^(exponent - 3)
 * @target: the target
 */
void work_target_nbits(uint32_t nbits, uint8_t target[WORK_HASH_SIZE])
{
	put_shifted(nbits & 0x7fffff, 8 * ((int)(nbits >> 24) - 3), target, WORK_HASH_SIZE);
}

/* hash <= target, both little-endian integers */
bool work_meets(const uint8_t hash[WORK_HASH_SIZE], const uint8_t target[WORK_HASH_SIZE])
{
	int i;

	for (i = WORK_HASH_SIZE - 1; i >= 0; i--)
		if (hash[i] != target[i])
			return hash[i] < target[i];
	return true;
}

/* The difficulty a hash meets: 0xffff * 2^208 / hash. */
double work_difficulty(const uint8_t hash[WORK_HASH_SIZE])
{
	double h = 0;
	int i;

	for (i = WORK_HASH_SIZE - 1; i >= 0; i--)
		h = h * 256 + hash[i];
	return h ? ldexp(65535.0, 208) / h : INFINITY;
}

/* Extranonce2 number @n: big-endian, so that its hex reads as the number. */
void work_xn2(uint64_t n, uint8_t *xn2, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		xn2[len - 1 - i] = i < 8 ? n >> (8 * i) : 0;
}
