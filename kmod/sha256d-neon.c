// SPDX-License-Identifier: GPL-2.0
/*
 * NEON backend: four nonces at a time, for arm64 cores without the SHA-256
 * instructions (e.g. Cortex-A72 without the Crypto Extensions) and for
 * 32-bit ARM (Cortex-A7, A9, A15: routers, set-top boxes).  Runs only
 * between kernel_neon_begin() and kernel_neon_end() in the kernel.
 */

#define LANES 4
#define SCAN scan_neon
#include "sha256d-lanes.h"

const struct mine_backend mine_backend_neon = {
	.name = "neon",
	.lanes = LANES,
	.simd = true,
	.section = 4,
	.scan = scan_neon,
};
