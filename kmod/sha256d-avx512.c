// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 AVX-512 backend: sixteen nonces at a time in 512-bit registers,
 * with native rotates and three-input logic.  Built with -mavx512f (see
 * Kbuild); runs only between kernel_fpu_begin() and kernel_fpu_end() in
 * the kernel.
 */

#define LANES 16
#define SCAN scan_avx512
#include "sha256d-lanes.h"

const struct mine_backend mine_backend_avx512 = {
	.name = "avx512",
	.lanes = LANES,
	.simd = true,
	.section = 64,
	.scan = scan_avx512,
};
