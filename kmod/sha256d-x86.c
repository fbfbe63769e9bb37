// SPDX-License-Identifier: GPL-2.0
/*
 * The backends on x86-64, in order of preference, and whether this CPU
 * runs each (the CPU's features and what the OS saves on a switch).
 */

#include "sha256d.h"

const struct mine_backend_entry mine_backends[] = {
	{ &mine_backend_avx512, mine_cpu_avx512 },
	{ &mine_backend_sha_ni, mine_cpu_sha_ni },
	{ &mine_backend_avx2, mine_cpu_avx2 },
	{ &mine_backend_generic, mine_cpu_any },
	{ NULL, NULL },
};
