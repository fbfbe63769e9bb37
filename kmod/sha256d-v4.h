/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 128-bit vectors for the backends with SHA-256 instructions (SHA-NI,
 * ARMv8 CE), which both hash two nonces at a time.
 */
#ifndef MICROMINE_SHA256D_V4_H
#define MICROMINE_SHA256D_V4_H

#include "sha256d.h"
#include "sha256d-consts.h"

typedef u32 v4 __attribute__((vector_size(16)));

union v4u {
	v4 v;
	u32 w[4];
};

static inline v4 v4set(u32 a, u32 b, u32 c, u32 d)
{
	union v4u u = { .w = { a, b, c, d } };

	return u.v;
}

/* the round constants t..t+3, t a multiple of 4 */
static __always_inline v4 kv(const u32 *k, int t)
{
	return *(const v4 *)(k + t);
}

#endif
