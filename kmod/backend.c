// SPDX-License-Identifier: GPL-2.0
/*
 * The hash backends in the module: each one this CPU can run passes the
 * known-answer tests before the module loads (otherwise it refuses to),
 * and is timed so that the fastest is the default.
 */

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/sched.h>

#include "backend.h"
#include "sha256d-kat.h"

#define MINE_MAX_BACKENDS	8
/* nonces per timed call, and how long to time each backend */
#define RATE_CHUNK		512
#define RATE_NS			(2 * NSEC_PER_MSEC)

struct mine_backend_info mine_backend_infos[MINE_MAX_BACKENDS];
unsigned int mine_backend_count;

static u64 measure(const struct mine_backend *b)
{
	static const u8 header[MINE_HEADER_SIZE] = { 1 };
	static const u8 target[MINE_HASH_SIZE];
	struct mine_found found[1];
	struct mine_work *work;
	u64 start, ns, n = 0;
	u32 nf;

	work = kmalloc(sizeof(*work), GFP_KERNEL);
	if (!work)
		return 0;
	mine_work_prepare(work, header, target);
	start = ktime_get_ns();
	do {
		n += mine_scan(work, b, n, RATE_CHUNK, found, 1, &nf);
		cond_resched();
		ns = ktime_get_ns() - start;
	} while (ns < RATE_NS);
	kfree(work);
	return div64_u64(n * NSEC_PER_SEC, ns);
}

/**
 * mine_backends_init() - test and time every backend this CPU can run
 *
 * Return: 0, or -EINVAL if a backend gives a wrong answer.
 */
int mine_backends_init(void)
{
	struct mine_found *found;
	unsigned int i;

	found = kcalloc(MINE_SELFTEST_FOUND, sizeof(*found), GFP_KERNEL);
	if (!found)
		return -ENOMEM;
	for (i = 0; mine_backends[i] && i < MINE_MAX_BACKENDS; i++) {
		struct mine_backend_info *info = &mine_backend_infos[i];
		const struct mine_backend *b = mine_backends[i];

		info->backend = b;
		info->usable = b->usable();
		if (!info->usable)
			continue;
		info->error = mine_selftest(b, found, &info->what);
		if (info->error) {
			pr_err("micromine: backend %s failed its self-test on %s: %s; not loading\n",
			       b->name, info->what, info->error);
			kfree(found);
			return -EINVAL;
		}
		info->rate = measure(b);
	}
	mine_backend_count = i;
	kfree(found);
	return 0;
}

/**
 * mine_backend_best() - the fastest backend that passed its self-test
 *
 * Return: that backend, or the generic one if none was timed.
 */
const struct mine_backend *mine_backend_best(void)
{
	const struct mine_backend_info *best = NULL;
	unsigned int i;

	for (i = 0; i < mine_backend_count; i++) {
		const struct mine_backend_info *info = &mine_backend_infos[i];

		if (info->usable && (!best || info->rate > best->rate))
			best = info;
	}
	return best ? best->backend : &mine_backend_generic;
}

/**
 * mine_backend_available() - a backend by name, if this CPU runs it
 * @name: the backend's name
 *
 * Return: the backend, or NULL if there is none of that name or this CPU
 * cannot run it.
 */
const struct mine_backend *mine_backend_available(const char *name)
{
	unsigned int i;

	for (i = 0; i < mine_backend_count; i++)
		if (mine_backend_infos[i].usable &&
		    !strcmp(mine_backend_infos[i].backend->name, name))
			return mine_backend_infos[i].backend;
	return NULL;
}
