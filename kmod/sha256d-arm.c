// SPDX-License-Identifier: GPL-2.0
/*
 * The backends on 32-bit ARM with kernel-mode NEON (little-endian), in
 * order of preference, and whether this CPU runs each.
 */

#include "sha256d.h"

const struct mine_backend_entry mine_backends[] = {
	{ &mine_backend_neon, mine_cpu_neon },
	{ &mine_backend_generic, mine_cpu_any },
	{ NULL, NULL },
};
