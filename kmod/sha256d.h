/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hashing core: SHA-256d nonce search over an 80-byte block header.
 *
 * Freestanding: the same files build into micromine.ko and into the host
 * test and benchmark programs (see shim.h).  Byte orders follow Bitcoin:
 * the header is the serialized 80 bytes (nonce little-endian in bytes
 * 76..79), a hash and a target are compared as little-endian 256-bit
 * integers.
 */
#ifndef MICROMINE_SHA256D_H
#define MICROMINE_SHA256D_H

#include "shim.h"

#define MINE_HEADER_SIZE	80
#define MINE_HASH_SIZE		32

/**
 * struct mine_work - a block header prepared for the nonce search
 * @header: the serialized header, with the version in use; the nonce bytes
 *	(76..79) are not used by the search
 * @target: the share target as a little-endian 256-bit integer in words;
 *	@target[7] is the most significant
 * @midstate: SHA-256 state after the header's first 64 bytes
 * @w: message words 0..2 of the second block (end of the merkle root,
 *	time, bits)
 * @s2: state after rounds 0..1 of the second block (for two-round units)
 * @s3: state after rounds 0..2 of the second block
 * @a4: the nonce-independent part of @a after round 3
 * @e4: the nonce-independent part of @e after round 3
 * @w16: message word 16 (independent of the nonce)
 * @w17: message word 17 (independent of the nonce)
 * @p18: message word 18 without its nonce term
 * @p19: message word 19 without its nonce term
 *
 * Everything but @header and @target is derived by mine_work_prepare() and
 * mine_work_set_version(): the part of the work that does not change from
 * one nonce to the next is done once.
 */
struct mine_work {
	u8 header[MINE_HEADER_SIZE];
	u32 target[8];
	u32 midstate[8];
	u32 w[3];
	u32 s2[8];
	u32 s3[8];
	u32 a4;
	u32 e4;
	u32 w16;
	u32 w17;
	u32 p18;
	u32 p19;
};

/**
 * struct mine_found - a nonce whose hash meets the target
 * @nonce: the nonce
 * @hash: its SHA-256d, in the byte order SHA-256 produces (display order
 *	reverses it)
 */
struct mine_found {
	u32 nonce;
	u8 hash[MINE_HASH_SIZE];
};

/**
 * struct mine_backend - one implementation of the nonce search
 * @name: its name in sysfs, netlink and the tool ("generic", "sha-ni", ...)
 * @lanes: nonces it hashes at once
 * @simd: uses vector registers: the kernel must wrap calls to @scan in
 *	kernel_fpu_begin()/kernel_neon_begin() and keep them short
 * @section: for @simd, the most nonces mine_scan() hashes in one vector
 *	section (preemption, and on x86 softirqs, off): about 10 us of work
 *	on the slowest CPU the backend runs on (Documentation/performance.rst)
 * @scan: hash the nonces @first .. @first + @count - 1 and store in @cand
 *	those whose hash may meet the target (its most significant 32 bits at
 *	or below the target's), at most @max_cand (at least 1), their number
 *	in *@ncand.  Returns the number of nonces tried, which is @count
 *	unless @cand filled up: then the nonces from the return value on were
 *	not tried.
 *
 * mine_scan() turns candidates into verified results; backends only need
 * to be fast and never miss a candidate.
 */
struct mine_backend {
	const char *name;
	unsigned int lanes;
	bool simd;
	u32 section;
	u32 (*scan)(const struct mine_work *work, u32 first, u32 count,
		    u32 *cand, u32 max_cand, u32 *ncand);
};

void mine_sha256_transform(u32 state[8], const u8 block[64]);
void mine_sha256d(const u8 *data, size_t len, u8 out[MINE_HASH_SIZE]);

void mine_work_prepare(struct mine_work *work, const u8 header[MINE_HEADER_SIZE],
		       const u8 target[MINE_HASH_SIZE]);
void mine_work_set_version(struct mine_work *work, u32 version);
u32 mine_work_version(const struct mine_work *work);
void mine_work_hash(const struct mine_work *work, u32 nonce, u8 hash[MINE_HASH_SIZE]);
bool mine_hash_meets(const u8 hash[MINE_HASH_SIZE], const u32 target[8]);

u32 mine_version_roll(u32 version, u32 mask, u32 index);
u64 mine_version_rolls(u32 mask);

u32 mine_scan_timed(const struct mine_work *work, const struct mine_backend *backend,
		    u32 first, u32 count, struct mine_found *found, u32 max_found,
		    u32 *nfound, u64 *section_ns);

/* mine_scan_timed() without the timing */
static inline u32 mine_scan(const struct mine_work *work, const struct mine_backend *backend,
			    u32 first, u32 count, struct mine_found *found, u32 max_found,
			    u32 *nfound)
{
	return mine_scan_timed(work, backend, first, count, found, max_found, nfound, NULL);
}

/**
 * mine_take_candidates() - store a batch's candidates, for a backend's scan
 * @hit: for each of @lanes nonces, nonzero if it is a candidate
 * @lanes: the batch's size
 * @first: the scan's first nonce
 * @n: the batch's first nonce, counted from @first
 * @count: the scan's number of nonces; lanes past it are ignored
 * @cand: the scan's candidates
 * @max_cand: room in @cand
 * @nc: candidates stored so far, updated
 * @tried: set when @cand fills up: the nonces done, counted from @first
 *
 * Return: false if @cand filled up before every candidate was stored.
 */
static inline bool mine_take_candidates(const u32 *hit, unsigned int lanes, u32 first,
					u64 n, u32 count, u32 *cand, u32 max_cand,
					u32 *nc, u32 *tried)
{
	unsigned int i;

	for (i = 0; i < lanes && n + i < count; i++) {
		if (!hit[i])
			continue;
		if (*nc == max_cand) {
			*tried = n + i;
			return false;
		}
		cand[(*nc)++] = first + (u32)n + i;
	}
	return true;
}

/**
 * struct mine_backend_entry - a backend in its architecture's list
 * @backend: the backend
 * @usable: whether this CPU can run it.  Here, not in struct mine_backend:
 *	the lists (sha256d-<arch>.c) are built without the vector flags the
 *	backends' own files have, and this runs outside a vector section.
 */
struct mine_backend_entry {
	const struct mine_backend *backend;
	bool (*usable)(void);
};

/*
 * The backends.  Which exist depends on the architecture; mine_backends[]
 * (sha256d-<arch>.c) lists them in order of preference, ending with an
 * entry without backend.
 */
extern const struct mine_backend_entry mine_backends[];
const struct mine_backend *mine_backend_find(const char *name);
bool mine_backend_usable(const struct mine_backend *backend);
bool mine_cpu_any(void);

extern const struct mine_backend mine_backend_generic;
extern const struct mine_backend mine_backend_sha_ni;
extern const struct mine_backend mine_backend_avx2;
extern const struct mine_backend mine_backend_avx512;
extern const struct mine_backend mine_backend_neon;
extern const struct mine_backend mine_backend_arm_ce;

#endif /* MICROMINE_SHA256D_H */
