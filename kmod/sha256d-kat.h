/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_SHA256D_KAT_H
#define MICROMINE_SHA256D_KAT_H

#include "sha256d.h"

/**
 * struct mine_kat - a known answer: a real header and its hash
 * @name: what it is
 * @header: the serialized header, with the nonce that gives @hash
 * @hash: the SHA-256d in display order (most significant byte first)
 */
struct mine_kat {
	const char *name;
	u8 header[MINE_HEADER_SIZE];
	u8 hash[MINE_HASH_SIZE];
};

/* the known answers, ending with an entry without name */
extern const struct mine_kat mine_kats[];

/* Room for results mine_selftest() needs from its caller. */
#define MINE_SELFTEST_FOUND	40

const char *mine_selftest(const struct mine_backend *b, struct mine_found *found,
			  const char **what);

#endif
