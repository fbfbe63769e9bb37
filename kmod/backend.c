// SPDX-License-Identifier: GPL-2.0
/*
 * The hash backends in the module: each one this CPU can run must pass
 * the known-answer tests at load to be offered (one that fails is said so
 * and left out; the generic one, which every other falls back to, must
 * pass), and is timed.  The default is the first offered in the
 * architecture's order of preference (sha256d-<arch>.c), unless another
 * is at least 3 times as fast here: timing alone would follow the noise
 * of a machine busy loading everything else at boot, the order alone would
 * keep a backend some CPU runs very badly (an emulated or microcoded
 * instruction, say).  The margin is wider than what emulators make of the
 * order (under QEMU, SHA-NI runs at 40-60 % of AVX2's speed and arm64's
 * crypto extension at 60 % of NEON's: with 1.5, loads beside other work
 * chose one or the other), so that a choice does not flip with the load.
 * On the CPUs measured so far each backend is slower than those before it
 * in the order, so the timing only ever confirms it there.
 */

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/sched.h>

#include "backend.h"
#include "sha256d-kat.h"

#define MINE_MAX_BACKENDS	8
/*
 * Each offered backend is timed RATE_ROUNDS times on RATE_CHUNK nonces,
 * the backends taking turns, and the shortest time counts: a round that
 * another task, an interrupt or the emulator's host took the CPU from
 * only takes longer.
 */
#define RATE_CHUNK		256
#define RATE_ROUNDS		12
/* how much faster a backend must be to beat the order: 3 times */
#define RATE_BEATS_NUM		3
#define RATE_BEATS_DEN		1

struct mine_backend_info mine_backend_infos[MINE_MAX_BACKENDS];
unsigned int mine_backend_count;

/* One timed round of @b on @work: ns for RATE_CHUNK nonces. */
static u64 time_round(const struct mine_backend *b, const struct mine_work *work, u32 first)
{
	struct mine_found found[1];
	u64 start;
	u32 nf;

	start = ktime_get_ns();
	mine_scan(work, b, first, RATE_CHUNK, found, 1, &nf);
	return ktime_get_ns() - start;
}

static void measure(void)
{
	static const u8 header[MINE_HEADER_SIZE] = { 1 };
	static const u8 target[MINE_HASH_SIZE];
	u64 best[MINE_MAX_BACKENDS] = {};
	struct mine_work *work;
	unsigned int i, round;

	work = kmalloc(sizeof(*work), GFP_KERNEL);
	if (!work)
		return;
	mine_work_prepare(work, header, target);
	for (round = 0; round < RATE_ROUNDS; round++) {
		for (i = 0; i < mine_backend_count; i++) {
			const struct mine_backend_info *info = &mine_backend_infos[i];
			u64 ns;

			if (!mine_backend_offered(info))
				continue;
			ns = time_round(info->backend, work, round * RATE_CHUNK) ?: 1;
			if (!best[i] || ns < best[i])
				best[i] = ns;
			cond_resched();
		}
	}
	for (i = 0; i < mine_backend_count; i++)
		if (best[i])
			mine_backend_infos[i].rate = div64_u64((u64)RATE_CHUNK * NSEC_PER_SEC,
							       best[i]);
	kfree(work);
}

/**
 * mine_backends_init() - test and time every backend this CPU can run
 *
 * Return: 0, -EINVAL if the generic backend fails its self-test (it is
 * what every other falls back to), or -ENOMEM.
 */
int mine_backends_init(void)
{
	struct mine_found *found;
	unsigned int i;

	found = kcalloc(MINE_SELFTEST_FOUND, sizeof(*found), GFP_KERNEL);
	if (!found)
		return -ENOMEM;
	for (i = 0; mine_backends[i].backend && i < MINE_MAX_BACKENDS; i++) {
		struct mine_backend_info *info = &mine_backend_infos[i];
		const struct mine_backend *b = mine_backends[i].backend;

		info->backend = b;
		info->usable = mine_backends[i].usable();
		if (!info->usable)
			continue;
		info->error = mine_selftest(b, found, &info->what);
		if (info->error && b == &mine_backend_generic) {
			pr_err("micromine: backend %s failed its self-test on %s: %s; not loading\n",
			       b->name, info->what, info->error);
			kfree(found);
			return -EINVAL;
		}
		if (info->error)
			pr_err("micromine: backend %s failed its self-test on %s: %s; not offered\n",
			       b->name, info->what, info->error);
	}
	mine_backend_count = i;
	kfree(found);
	measure();
	return 0;
}

/**
 * mine_backend_best() - the default backend (see the top of this file)
 *
 * Return: that backend; the generic one if no other is offered.
 */
const struct mine_backend *mine_backend_best(void)
{
	const struct mine_backend_info *first = NULL, *fastest = NULL;
	unsigned int i;

	for (i = 0; i < mine_backend_count; i++) {
		const struct mine_backend_info *info = &mine_backend_infos[i];

		if (!mine_backend_offered(info))
			continue;
		if (!first)
			first = info;
		if (!fastest || info->rate > fastest->rate)
			fastest = info;
	}
	if (!first)
		return &mine_backend_generic;
	if (fastest->rate * RATE_BEATS_DEN >= first->rate * RATE_BEATS_NUM)
		return fastest->backend;
	return first->backend;
}

/**
 * mine_backend_info_of() - what the module knows of a backend
 * @b: the backend
 *
 * Return: its info, or NULL if it is not one of this architecture's.
 */
const struct mine_backend_info *mine_backend_info_of(const struct mine_backend *b)
{
	unsigned int i;

	for (i = 0; i < mine_backend_count; i++)
		if (mine_backend_infos[i].backend == b)
			return &mine_backend_infos[i];
	return NULL;
}

/**
 * mine_backend_available() - a backend by name, if it is offered
 * @name: the backend's name
 *
 * Return: the backend, or NULL if there is none of that name, this CPU
 * cannot run it or it failed its self-test.
 */
const struct mine_backend *mine_backend_available(const char *name)
{
	unsigned int i;

	for (i = 0; i < mine_backend_count; i++)
		if (mine_backend_offered(&mine_backend_infos[i]) &&
		    !strcmp(mine_backend_infos[i].backend->name, name))
			return mine_backend_infos[i].backend;
	return NULL;
}
