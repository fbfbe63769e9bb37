/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_BACKEND_H
#define MICROMINE_BACKEND_H

#include "sha256d.h"

/**
 * struct mine_backend_info - what the module knows of a backend
 * @backend: the backend
 * @usable: this CPU can run it
 * @error: why its known-answer test failed, NULL if it passed or did not
 *	run (not @usable); a backend that failed is not offered
 * @what: the data the test failed on
 * @rate: nonces per second it did on one CPU when the module loaded (the
 *	best of several short runs)
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
const struct mine_backend_info *mine_backend_info_of(const struct mine_backend *b);

/**
 * mine_backend_offered() - whether a backend may be chosen
 * @info: the backend's info
 *
 * Return: true if this CPU runs it and it passed its self-test.
 */
static inline bool mine_backend_offered(const struct mine_backend_info *info)
{
	return info->usable && !info->error;
}

#endif
