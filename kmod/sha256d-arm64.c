// SPDX-License-Identifier: GPL-2.0
/* The backends on arm64, in order of preference. */

#include "sha256d.h"

const struct mine_backend *const mine_backends[] = {
	&mine_backend_arm_ce,
	&mine_backend_neon,
	&mine_backend_generic,
	NULL,
};
