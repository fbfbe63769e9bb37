// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 NEON backend: four nonces at a time, for cores without the SHA-256
 * instructions (e.g. Cortex-A72 without the Crypto Extensions).  Runs only
 * between kernel_neon_begin() and kernel_neon_end() in the kernel.
 */

#define LANES 4
#define SCAN scan_neon
#include "sha256d-lanes.h"

const struct mine_backend mine_backend_neon = {
	.name = "neon",
	.lanes = LANES,
	.simd = true,
	.usable = mine_cpu_neon,
	.scan = scan_neon,
};
