// SPDX-License-Identifier: GPL-2.0
/* The backends on architectures without a vector backend of their own. */

#include "sha256d.h"

const struct mine_backend_entry mine_backends[] = {
	{ &mine_backend_generic, mine_cpu_any },
	{ NULL, NULL },
};
