/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_SHA256D_KAT_H
#define MICROMINE_SHA256D_KAT_H

#include "sha256d.h"

/* Room for results mine_selftest() needs from its caller. */
#define MINE_SELFTEST_FOUND	40

const char *mine_selftest(const struct mine_backend *b, struct mine_found *found,
			  const char **what);

#endif
