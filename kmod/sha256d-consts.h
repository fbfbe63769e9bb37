/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-256's initial state, as a static table so that the backends can
 * fold it into their code; the round constants are in sha256d.c.
 */
#ifndef MICROMINE_SHA256D_CONSTS_H
#define MICROMINE_SHA256D_CONSTS_H

#include "shim.h"

static const u32 sha256_iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/*
 * The round constants: as a list, and sixteen copies of each for the
 * vector backends' lanes.  The vector members only align the tables.
 */
typedef u32 mine_align16 __attribute__((vector_size(16)));
typedef u32 mine_align64 __attribute__((vector_size(64)));

union mine_sha256_k {
	u32 w[64];
	mine_align16 align;
};

union mine_sha256_k16 {
	u32 w[16];
	mine_align64 align;
};

extern const union mine_sha256_k mine_sha256_k;
extern const union mine_sha256_k16 mine_sha256_k16[64];

#endif
