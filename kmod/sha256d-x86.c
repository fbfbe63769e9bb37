// SPDX-License-Identifier: GPL-2.0
/* The backends on x86-64, in order of preference. */

#include "sha256d.h"

const struct mine_backend *const mine_backends[] = {
	&mine_backend_avx512,
	&mine_backend_sha_ni,
	&mine_backend_avx2,
	&mine_backend_generic,
	NULL,
};
