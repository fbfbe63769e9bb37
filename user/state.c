// SPDX-License-Identifier: GPL-2.0
/*
 * What `micromine status` shows of the pool side while `micromine run`
 * runs: a small JSON file (by default /run/micromine/pool.json), written
 * atomically when something changed, at most once a second.  Field names
 * are part of the documented --json output of status.
 */

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "log.h"
#include "run.h"

/* A time of run_now()'s clock as UTC wall time; null for 0 (never). */
static json_t *iso_time(time_t t)
{
	char buf[32];
	struct tm tm;

	if (!t)
		return json_null();
	t = time(NULL) - (run_now() - t);
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

static json_t *state_json(struct run *r)
{
	const struct counters *c = &r->count;
	const struct mm_node *n = &r->conf.nodes[r->node];
	bool connected = r->state == SESSION_MINING;
	json_t *o, *by;
	int i;

	by = json_object();
	for (i = 1; i < 7; i++) {
		char code[4];

		snprintf(code, sizeof(code), "%d", 19 + i);
		json_object_set_new(by, code, json_integer(c->rejected_by[i]));
	}
	json_object_set_new(by, "other", json_integer(c->rejected_by[0]));
	o = json_pack("{s:i,s:s,s:s,s:b,s:o,s:f,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o,s:I,s:I,s:I}",
		      "pid", (int)getpid(), "node", n->name, "url", n->url, "connected", connected,
		      "connected_since", iso_time(connected ? r->sess.connected_at : 0),
		      "difficulty", r->sess.difficulty, "worker", n->user,
		      "found", (json_int_t)c->found,
		      "accepted", (json_int_t)c->fate[FATE_ACCEPTED],
		      "rejected", (json_int_t)c->fate[FATE_REJECTED],
		      "stale", (json_int_t)c->fate[FATE_STALE],
		      "duplicate", (json_int_t)c->fate[FATE_DUPLICATE],
		      "invalid", (json_int_t)c->fate[FATE_INVALID],
		      "dropped", (json_int_t)c->fate[FATE_DROPPED],
		      "pending", (json_int_t)r->store.n,
		      "rejected_by_code", by, "last_share", iso_time(r->last_share),
		      "connects", (json_int_t)c->connects, "failures", (json_int_t)c->failures,
		      "bad_lines", (json_int_t)c->garbage);
	return o;
}

/**
 * state_write() - update the status file
 * @r: the run
 * @force: now, even if nothing changed or it was written less than 1 s ago
 */
void state_write(struct run *r, bool force)
{
	static bool warned;
	time_t now = run_now();
	char tmp[4096], dir[4096];
	json_t *o;

	if (!force && (!r->state_dirty || now == r->state_written))
		return;
	snprintf(dir, sizeof(dir), "%s", r->conf.state);
	mkdir(dirname(dir), 0755);
	snprintf(tmp, sizeof(tmp), "%s.tmp", r->conf.state);
	o = state_json(r);
	/* (anyone's to read, whatever the umask: no secret is in it) */
	if (!o || json_dump_file(o, tmp, JSON_COMPACT) || chmod(tmp, 0644) ||
	    rename(tmp, r->conf.state)) {
		if (!warned)
			mm_warn("cannot write %s: %s (micromine status will not show the pool)",
				r->conf.state, strerror(errno));
		warned = true;
	}
	json_decref(o);
	r->state_dirty = false;
	r->state_written = now;
}

void state_remove(struct run *r)
{
	unlink(r->conf.state);
}

/* The last word: where every share went. */
void state_summary(struct run *r)
{
	const struct counters *c = &r->count;

	mm_info("shares found %llu: accepted %llu, rejected %llu, stale %llu, duplicate %llu, invalid %llu, dropped %llu, pending %d",
		(unsigned long long)c->found, (unsigned long long)c->fate[FATE_ACCEPTED],
		(unsigned long long)c->fate[FATE_REJECTED], (unsigned long long)c->fate[FATE_STALE],
		(unsigned long long)c->fate[FATE_DUPLICATE], (unsigned long long)c->fate[FATE_INVALID],
		(unsigned long long)c->fate[FATE_DROPPED], r->store.n);
}
