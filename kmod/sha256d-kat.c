// SPDX-License-Identifier: GPL-2.0
/*
 * Known-answer tests of the hashing core, run by the module at load time
 * (it refuses to load if one fails) and by the host tests.  The headers
 * are real Bitcoin blocks and a real pool share.
 */

#include "sha256d.h"
#include "sha256d-kat.h"

/*
 * Header bytes, then the hash in display order (reversed when compared);
 * the list ends with an empty entry.
 */
const struct mine_kat mine_kats[] = {
	{
		.name = "genesis block",
		.header = {
			0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3b, 0xa3, 0xed, 0xfd,
			0x7a, 0x7b, 0x12, 0xb2, 0x7a, 0xc7, 0x2c, 0x3e, 0x67, 0x76,
			0x8f, 0x61, 0x7f, 0xc8, 0x1b, 0xc3, 0x88, 0x8a, 0x51, 0x32,
			0x3a, 0x9f, 0xb8, 0xaa, 0x4b, 0x1e, 0x5e, 0x4a, 0x29, 0xab,
			0x5f, 0x49, 0xff, 0xff, 0x00, 0x1d, 0x1d, 0xac, 0x2b, 0x7c,
		},
		.hash = {
			0x00, 0x00, 0x00, 0x00, 0x00, 0x19, 0xd6, 0x68, 0x9c, 0x08,
			0x5a, 0xe1, 0x65, 0x83, 0x1e, 0x93, 0x4f, 0xf7, 0x63, 0xae,
			0x46, 0xa2, 0xa6, 0xc1, 0x72, 0xb3, 0xf1, 0xb6, 0x0a, 0x8c,
			0xe2, 0x6f,
		},
	},
	{
		.name = "block 125552",
		.header = {
			0x01, 0x00, 0x00, 0x00, 0x81, 0xcd, 0x02, 0xab, 0x7e, 0x56,
			0x9e, 0x8b, 0xcd, 0x93, 0x17, 0xe2, 0xfe, 0x99, 0xf2, 0xde,
			0x44, 0xd4, 0x9a, 0xb2, 0xb8, 0x85, 0x1b, 0xa4, 0xa3, 0x08,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe3, 0x20, 0xb6, 0xc2,
			0xff, 0xfc, 0x8d, 0x75, 0x04, 0x23, 0xdb, 0x8b, 0x1e, 0xb9,
			0x42, 0xae, 0x71, 0x0e, 0x95, 0x1e, 0xd7, 0x97, 0xf7, 0xaf,
			0xfc, 0x88, 0x92, 0xb0, 0xf1, 0xfc, 0x12, 0x2b, 0xc7, 0xf5,
			0xd7, 0x4d, 0xf2, 0xb9, 0x44, 0x1a, 0x42, 0xa1, 0x46, 0x95,
		},
		.hash = {
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1e, 0x8d,
			0x68, 0x29, 0xa8, 0xa2, 0x1a, 0xdc, 0x5d, 0x38, 0xd0, 0xa4,
			0x73, 0xb1, 0x44, 0xb6, 0x76, 0x57, 0x98, 0xe6, 0x1f, 0x98,
			0xbd, 0x1d,
		},
	},
	{
		.name = "mainnet pool share",
		.header = {
			0x04, 0x00, 0x00, 0x20, 0x45, 0x95, 0x85, 0x0c, 0x73, 0x83,
			0x49, 0xa3, 0xfa, 0x52, 0x74, 0xa5, 0x11, 0xb7, 0x2e, 0xc2,
			0x65, 0xa4, 0xf2, 0x3d, 0x52, 0x43, 0x05, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5b, 0xdc, 0x19, 0x68,
			0x49, 0x9c, 0x33, 0x93, 0x87, 0x3e, 0xdf, 0x8e, 0x07, 0xa1,
			0xc3, 0xa5, 0x0a, 0x97, 0xfc, 0x3a, 0x9d, 0x1a, 0x37, 0x6b,
			0xbf, 0x77, 0x08, 0x7d, 0xd6, 0x37, 0x78, 0xeb, 0xb5, 0x25,
			0x70, 0x64, 0x3a, 0xae, 0x05, 0x17, 0xd1, 0x9e, 0x02, 0x0a,
		},
		.hash = {
			0x00, 0x00, 0x00, 0x00, 0x00, 0x5f, 0xe1, 0x44, 0xef, 0xbc,
			0x66, 0x24, 0x1c, 0x00, 0x94, 0xb8, 0xfd, 0xc2, 0x70, 0x2b,
			0x77, 0x29, 0x22, 0x6f, 0xdf, 0xed, 0x70, 0xca, 0x80, 0x94,
			0xc0, 0xb5,
		},
	},
	{ }
};

#define KAT_RADIUS	48

static void reverse(u8 *dst, const u8 *src, int n)
{
	int i;

	for (i = 0; i < n; i++)
		dst[i] = src[n - 1 - i];
}

/* @target = @hash (a little-endian integer) + @delta, @delta 0 or -1 */
static void target_from_hash(u8 target[MINE_HASH_SIZE], const u8 hash[MINE_HASH_SIZE],
			     int delta)
{
	int i;

	memcpy(target, hash, MINE_HASH_SIZE);
	if (!delta)
		return;
	for (i = 0; i < MINE_HASH_SIZE && target[i]-- == 0; i++)
		;
}

/* Scan a whole range, as callers do when @found fills up. */
static u32 scan_all(const struct mine_work *work, const struct mine_backend *b,
		    u32 first, u32 count, struct mine_found *found, u32 max_found,
		    u32 chunk)
{
	u32 done = 0, total = 0, nf;

	while (done < count && total < max_found) {
		u32 room = max_found - total;

		if (room > chunk)
			room = chunk;
		done += mine_scan(work, b, first + done, count - done,
				  found + total, room, &nf);
		total += nf;
	}
	return total;
}

static const char *check_reference(void)
{
	u8 hash[MINE_HASH_SIZE], want[MINE_HASH_SIZE];
	const struct mine_kat *k;

	for (k = mine_kats; k->name; k++) {
		mine_sha256d(k->header, MINE_HEADER_SIZE, hash);
		reverse(want, k->hash, MINE_HASH_SIZE);
		if (memcmp(hash, want, MINE_HASH_SIZE))
			return "the reference SHA-256d gives a wrong hash";
	}
	return NULL;
}

static const char *check_kat(const struct mine_backend *b, const struct mine_kat *k,
			     struct mine_found *found)
{
	struct mine_work work;
	u8 hash[MINE_HASH_SIZE], target[MINE_HASH_SIZE];
	u32 nonce = mine_get_le32(k->header + 76), nf;

	reverse(hash, k->hash, MINE_HASH_SIZE);
	target_from_hash(target, hash, 0);
	mine_work_prepare(&work, k->header, target);
	nf = scan_all(&work, b, nonce - KAT_RADIUS, 2 * KAT_RADIUS, found, 4, 4);
	if (nf != 1 || found[0].nonce != nonce)
		return "misses the nonce of a hash equal to the target";
	if (memcmp(found[0].hash, hash, MINE_HASH_SIZE))
		return "reports a wrong hash";

	target_from_hash(target, hash, -1);
	mine_work_prepare(&work, k->header, target);
	nf = scan_all(&work, b, nonce - KAT_RADIUS, 2 * KAT_RADIUS, found, 4, 4);
	if (nf)
		return "finds a hash above the target";
	return NULL;
}

static const char *check_all_ones(const struct mine_backend *b,
				  struct mine_found *found, u32 max)
{
	struct mine_work work;
	u8 target[MINE_HASH_SIZE], hash[MINE_HASH_SIZE];
	u32 i, nf, first = 0xffffffff - 36, count = 37;

	memset(target, 0xff, sizeof(target));
	mine_work_prepare(&work, mine_kats[0].header, target);

	/* every nonce up to 2^32 - 1, in pieces of 5: none lost, none twice */
	nf = scan_all(&work, b, first, count, found, max, 5);
	if (nf != count)
		return "loses results when they fill the buffer";
	for (i = 0; i < count; i++) {
		if (found[i].nonce != first + i)
			return "reports a nonce twice or out of order";
		mine_work_hash(&work, found[i].nonce, hash);
		if (memcmp(found[i].hash, hash, MINE_HASH_SIZE))
			return "reports a wrong hash for an easy target";
	}
	if (mine_scan(&work, b, 7, 0, found, max, &nf) != 0 || nf)
		return "searches an empty range";
	if (mine_scan(&work, b, 7, 1, found, max, &nf) != 1 || nf != 1 ||
	    found[0].nonce != 7)
		return "gets a range of one nonce wrong";
	return NULL;
}

static const char *check_version_roll(const struct mine_backend *b,
				      struct mine_found *found)
{
	const struct mine_kat *k = &mine_kats[2];
	struct mine_work work;
	u8 target[MINE_HASH_SIZE], hash[MINE_HASH_SIZE], header[MINE_HEADER_SIZE];
	u32 nonce = mine_get_le32(k->header + 76), version, nf, i;

	/*
	 * The share's version with bits rolled inside the BIP 310 mask: its
	 * hash is no longer small, so other nonces may meet it as well.
	 */
	version = mine_version_roll(mine_get_le32(k->header), 0x1fffe000, 0x2b5);
	memcpy(header, k->header, sizeof(header));
	mine_put_le32(version, header);
	mine_sha256d(header, sizeof(header), hash);
	target_from_hash(target, hash, 0);
	mine_work_prepare(&work, k->header, target);
	mine_work_set_version(&work, version);
	nf = scan_all(&work, b, nonce - 16, 32, found, MINE_SELFTEST_FOUND, 8);
	for (i = 0; i < nf; i++)
		if (found[i].nonce == nonce && !memcmp(found[i].hash, hash, MINE_HASH_SIZE))
			return NULL;
	return "misses a share with a rolled version";
}

/**
 * mine_selftest() - the known-answer tests for one backend
 * @b: the backend; it must be usable on this CPU
 * @found: scratch space for MINE_SELFTEST_FOUND results
 * @what: set to the name of the failed test's data
 *
 * Return: NULL if every test passed, else what went wrong.
 */
const char *mine_selftest(const struct mine_backend *b, struct mine_found *found,
			  const char **what)
{
	const struct mine_kat *k;
	const char *err;

	*what = "reference";
	err = check_reference();
	if (err)
		return err;
	for (k = mine_kats; k->name; k++) {
		*what = k->name;
		err = check_kat(b, k, found);
		if (err)
			return err;
	}
	*what = "all-ones target";
	err = check_all_ones(b, found, MINE_SELFTEST_FOUND);
	if (err)
		return err;
	*what = mine_kats[2].name;
	return check_version_roll(b, found);
}
