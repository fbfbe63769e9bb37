// SPDX-License-Identifier: GPL-2.0
/*
 * Portable C backend: one nonce at a time, for any architecture; the
 * reference the vector backends are measured against.
 */

#define LANES 1
#define SCAN scan_generic
#include "sha256d-lanes.h"

const struct mine_backend mine_backend_generic = {
	.name = "generic",
	.lanes = LANES,
	.simd = false,
	.scan = scan_generic,
};
