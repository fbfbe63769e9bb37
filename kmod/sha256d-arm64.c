// SPDX-License-Identifier: GPL-2.0
/*
 * The backends on little-endian arm64, in order of preference, and
 * whether this CPU runs each.  Big-endian arm64 builds sha256d-other.c:
 * the vector backends number lanes as little-endian registers do.
 */

#include "sha256d.h"

const struct mine_backend_entry mine_backends[] = {
	{ &mine_backend_arm_ce, mine_cpu_arm_ce },
	{ &mine_backend_neon, mine_cpu_neon },
	{ &mine_backend_generic, mine_cpu_any },
	{ NULL, NULL },
};
