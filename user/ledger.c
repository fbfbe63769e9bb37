// SPDX-License-Identifier: GPL-2.0
/*
 * Where each share ended: the one place that counts a share's fate and
 * says it.  Every share the module found (or the share-store file brought
 * back) ends here exactly once: answered by the pool, void before it
 * went out, or dropped.
 */

#include "log.h"
#include "run.h"

static const char *const fate_names[FATE_COUNT] = {
	[FATE_ACCEPTED] = "accepted",
	[FATE_REJECTED] = "rejected",
	[FATE_STALE] = "stale",
	[FATE_DUPLICATE] = "duplicate",
	[FATE_INVALID] = "invalid",
	[FATE_DROPPED] = "dropped",
};

/**
 * fate() - a share's end: count it, say it
 * @r: the run
 * @s: the share
 * @f: where it ended
 * @code: the pool's error code, or 0
 * @why: the reason, or NULL
 */
void fate(struct run *r, const struct share *s, enum share_fate f, int code, const char *why)
{
	static const int levels[FATE_COUNT] = {
		[FATE_ACCEPTED] = MM_LOG_INFO, [FATE_REJECTED] = MM_LOG_WARN,
		[FATE_STALE] = MM_LOG_INFO, [FATE_DUPLICATE] = MM_LOG_WARN,
		[FATE_INVALID] = MM_LOG_ERR, [FATE_DROPPED] = MM_LOG_WARN,
	};

	r->count.fate[f]++;
	if (f == FATE_REJECTED)
		r->count.rejected_by[code >= 20 && code <= 25 ? code - 19 : 0]++;
	r->state_dirty = true;
	mm_log(levels[f], "share %s: job %s, nonce %08x, version %08x, difficulty %g%s%s%s",
	       fate_names[f], s->job_id[0] ? s->job_id : "?", s->nonce, s->version, s->difficulty,
	       why ? " (" : "", why ? why : "", why ? ")" : "");
}
