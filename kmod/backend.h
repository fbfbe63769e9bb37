/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_BACKEND_H
#define MICROMINE_BACKEND_H

#include "sha256d.h"

/**
 * struct mine_backend_info - what the module knows of a backend
 * @backend: the backend
 * @usable: this CPU can run it
 * @error: why its known-answer test failed, NULL if it passed or did not
 *	run (not @usable)
 * @what: the data the test failed on
 * @rate: nonces per second it did on one CPU when the module loaded
 */
struct mine_backend_info {
	const struct mine_backend *backend;
	bool usable;
	const char *error;
	const char *what;
	u64 rate;
};

extern struct mine_backend_info mine_backend_infos[];
extern unsigned int mine_backend_count;

int mine_backends_init(void);
const struct mine_backend *mine_backend_best(void);
const struct mine_backend *mine_backend_available(const char *name);

#endif
