// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 AVX2 backend: eight nonces at a time in 256-bit registers.
 * Built with -mavx2 (see Kbuild); runs only between kernel_fpu_begin() and
 * kernel_fpu_end() in the kernel.
 */

#define LANES 8
#define SCAN scan_avx2
#include "sha256d-lanes.h"

const struct mine_backend mine_backend_avx2 = {
	.name = "avx2",
	.lanes = LANES,
	.simd = true,
	.section = 32,
	.scan = scan_avx2,
};
