// SPDX-License-Identifier: GPL-2.0
/*
 * Shares no pool can take now (disconnected, or mined for another node):
 * kept in memory, bounded, and in the share-store file if one is set, so
 * that they survive a restart.  When a session with the same extranonce1
 * is mining again they are sent if their block is still the pool's; else
 * they are stale.  And the one place that counts where each share ended.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <jansson.h>

#include "log.h"
#include "micromine.h"
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

/**
 * store_limit() - keep no more than share-store-max shares
 * @r: the run
 * @room: and room for this many more
 *
 * The oldest go, each counted as dropped and logged; after a reload that
 * lowered share-store-max, at once.
 */
void store_limit(struct run *r, int room)
{
	int over = r->nstore + room - r->conf.store_max, i;

	if (over <= 0)
		return;
	if (over > r->nstore)
		over = r->nstore;
	for (i = 0; i < over; i++)
		fate(r, &r->store[i], FATE_DROPPED, 0, "the share store is full: the oldest goes");
	memmove(r->store, r->store + over, (r->nstore - over) * sizeof(*r->store));
	r->nstore -= over;
	r->state_dirty = true;
}

/**
 * store_share() - keep a share until a pool takes it
 * @r: the run
 * @share: the share
 * @why: why it is not sent now
 */
void store_share(struct run *r, const struct share *share, const char *why)
{
	/* (@share may be in the store itself, which may move below) */
	struct share copy = *share, *s = &copy;

	store_limit(r, 1);
	/* the array as large as share-store-max, which a reload may raise */
	if (r->store_cap < r->conf.store_max) {
		struct share *a = reallocarray(r->store, r->conf.store_max, sizeof(*a));

		if (!a) {
			fate(r, s, FATE_DROPPED, 0, "out of memory");
			return;
		}
		r->store = a;
		r->store_cap = r->conf.store_max;
	}
	r->store[r->nstore++] = *s;
	mm_info("share kept: job %s, nonce %08x (%s)", s->job_id, s->nonce, why);
	r->state_dirty = true;
	store_save(r);
}

/* Mining for a node again, with its newest job: send or void its kept shares. */
void store_release(struct run *r)
{
	const struct pool_job *now = &r->pool_jobs[r->pool_slot];
	int i, kept = 0, n = r->nstore;

	if (!n || r->state != SESSION_MINING || r->pool_slot < 0)
		return;
	for (i = 0; i < n; i++) {
		struct share *s = &r->store[i];

		if (s->node != r->node) {
			/* its node may come back in time (share-max-age) */
			if (time(NULL) - s->found > r->conf.store_max_age)
				fate(r, s, FATE_STALE, 0, "its node did not come back in time");
			else
				r->store[kept++] = *s;
		} else if (memcmp(s->prevhash, now->job.prevhash, sizeof(s->prevhash))) {
			fate(r, s, FATE_STALE, 0, "a new block came while it was kept");
		} else if (s->xn1_len != r->sub.xn1_len || memcmp(s->xn1, r->sub.xn1, s->xn1_len)) {
			fate(r, s, FATE_STALE, 0, "the pool did not resume its session");
		} else if (s->rolling && (!r->sess.version_mask ||
					  s->version_bits & ~r->sess.version_mask)) {
			fate(r, s, FATE_STALE, 0, "this session may not roll its version bits");
		} else {
			mm_info("sending a kept share: job %s, nonce %08x", s->job_id, s->nonce);
			r->nstore = kept;	/* session_submit may store it again */
			session_submit(r, s);
			kept = r->nstore;
			continue;
		}
	}
	r->nstore = kept;
	store_save(r);
}

static json_t *share_json(const struct share *s, const char *node)
{
	char xn1[2 * STM_MAX_XN1 + 1], xn2[2 * STM_MAX_XN2 + 1], prev[65];

	mm_hex_encode(s->xn1, s->xn1_len, false, xn1);
	mm_hex_encode(s->xn2, s->xn2_len, false, xn2);
	mm_hex_encode(s->prevhash, sizeof(s->prevhash), false, prev);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:b,s:f,s:I,s:b}", "node", node,
			 "extranonce1", xn1, "job_id", s->job_id, "prevhash", prev,
			 "extranonce2", xn2, "ntime", (json_int_t)s->ntime,
			 "nonce", (json_int_t)s->nonce, "version", (json_int_t)s->version,
			 "version_bits", (json_int_t)s->version_bits, "rolling", s->rolling,
			 "difficulty", s->difficulty, "found", (json_int_t)s->found,
			 "sent_before", s->sent_before);
}

static int share_parse(json_t *o, struct share *s, const char **node)
{
	const char *xn1, *xn2, *prev, *job;
	json_int_t ntime, nonce, version, bits, found;
	int rolling, sent_before = 0;

	memset(s, 0, sizeof(*s));
	if (json_unpack(o, "{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:b,s:F,s:I,s?b}", "node", node,
			"extranonce1", &xn1, "job_id", &job, "prevhash", &prev,
			"extranonce2", &xn2, "ntime", &ntime, "nonce", &nonce,
			"version", &version, "version_bits", &bits, "rolling", &rolling,
			"difficulty", &s->difficulty, "found", &found, "sent_before", &sent_before))
		return -EINVAL;
	if (mm_hex_to_bytes(xn1, s->xn1, sizeof(s->xn1), &s->xn1_len) ||
	    mm_hex_to_bytes(xn2, s->xn2, sizeof(s->xn2), &s->xn2_len) ||
	    mm_hex_decode(prev, s->prevhash, sizeof(s->prevhash), false) ||
	    strlen(job) > STM_MAX_JOB_ID)
		return -EINVAL;
	strcpy(s->job_id, job);
	s->ntime = ntime;
	s->nonce = nonce;
	s->version = version;
	s->version_bits = bits;
	s->rolling = rolling;
	s->found = found;
	s->sent_before = sent_before;
	return 0;
}

/* The session, so that a restarted run resumes it and can send its shares. */
static json_t *session_json(struct run *r)
{
	char xn1[2 * STM_MAX_XN1 + 1];

	if (r->session_node < 0 || !r->sub.session[0])
		return json_null();
	mm_hex_encode(r->sub.xn1, r->sub.xn1_len, false, xn1);
	return json_pack("{s:s,s:s,s:s,s:i}", "node", r->conf.nodes[r->session_node].name,
			 "id", r->sub.session, "extranonce1", xn1, "extranonce2_size",
			 r->sub.xn2_size);
}

static void session_parse(struct run *r, json_t *o)
{
	const char *node, *id, *xn1;
	struct stm_subscription s = { 0 };
	int n;

	if (json_unpack(o, "{s:s,s:s,s:s,s:i}", "node", &node, "id", &id, "extranonce1", &xn1,
			"extranonce2_size", &s.xn2_size) ||
	    strlen(id) > STM_MAX_SESSION || s.xn2_size < 0 || s.xn2_size > STM_MAX_XN2 ||
	    mm_hex_to_bytes(xn1, s.xn1, sizeof(s.xn1), &s.xn1_len))
		return;
	for (n = 0; n < r->conf.nnodes && strcmp(r->conf.nodes[n].name, node); n++)
		;
	if (n == r->conf.nnodes)
		return;
	strcpy(s.session, id);
	r->sub = s;
	r->session_node = n;
}

/**
 * store_save() - the kept shares or the session changed
 * @r: the run
 *
 * The file is written by store_tick(), at most every STORE_WRITE_EVERY
 * seconds and at the end: on flash, a write per share found (thousands an
 * hour at a low difficulty with no pool) would wear it out.
 */
void store_save(struct run *r)
{
	r->store_dirty = true;
}

/* The directory of @path into @dir ("." for a path without one). */
static const char *dir_of(const char *path, char *dir, size_t size)
{
	char *slash;

	snprintf(dir, size, "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		return ".";
	*(slash == dir ? slash + 1 : slash) = 0;
	return dir;
}

/* Write @o to @path: a new file, synced, renamed over the old one. */
static int write_synced(json_t *o, const char *path)
{
	char tmp[4096], dir[4096];
	int fd, ret = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	if (json_dumpfd(o, fd, JSON_COMPACT) || fsync(fd))
		ret = errno ? -errno : -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return ret;
	}
	/* the rename itself, on disk */
	fd = open(dir_of(path, dir, sizeof(dir)), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

/* Write the kept shares and the session to the share-store file. */
static void store_write(struct run *r)
{
	const char *path = r->conf.share_store;
	json_t *o, *a;
	int i, ret;

	if (!path || !*path) {
		r->store_dirty = false;
		return;
	}
	a = json_array();
	for (i = 0; a && i < r->nstore; i++) {
		int n = r->store[i].node;

		json_array_append_new(a, share_json(&r->store[i], n >= 0 && n < r->conf.nnodes ?
						    r->conf.nodes[n].name : ""));
	}
	o = json_pack("{s:o,s:o}", "session", session_json(r), "shares", a);
	ret = o ? write_synced(o, path) : -ENOMEM;
	if (ret)
		mm_err("share-store %s: cannot write it: %s (tried again in %d s)", path,
		       strerror(-ret), STORE_WRITE_EVERY);
	else
		r->store_dirty = false;
	json_decref(o);
	r->store_written = run_now();
}

/**
 * store_tick() - write the share-store file if it changed
 * @r: the run
 * @now: the time
 * @force: whatever the time since the last write (at the end)
 */
void store_tick(struct run *r, time_t now, bool force)
{
	if (r->store_dirty && (force || now - r->store_written >= STORE_WRITE_EVERY))
		store_write(r);
}

/**
 * store_path_safe() - may the share store be kept at @path?
 * @path: the share-store file
 *
 * Nobody but us (and our own group) may write it or its directory: they
 * could replace it (by a link, say) between our checks and writes.
 *
 * Return: 0, or a negative errno (logged).
 */
int store_path_safe(const char *path)
{
	char buf[4096];
	const char *dir = dir_of(path, buf, sizeof(buf));
	struct stat st;

	if (stat(dir, &st)) {
		int ret = -errno;

		mm_err("share-store %s: its directory: %s", path, strerror(-ret));
		return ret;
	}
	if (st.st_mode & S_IWOTH || (st.st_mode & S_IWGRP && st.st_gid != getegid()) ||
	    (st.st_uid && st.st_uid != geteuid())) {
		mm_err("share-store %s: others can write its directory %s: refused", path, dir);
		return -EPERM;
	}
	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISREG(st.st_mode) || st.st_mode & S_IWOTH ||
	    (st.st_mode & S_IWGRP && st.st_gid != getegid()) || st.st_uid != geteuid()) {
		mm_err("share-store %s: not a file of ours that only we can write: refused", path);
		return -EPERM;
	}
	return 0;
}

/**
 * store_load() - at the start: the session and the shares a previous run kept
 * @r: the run
 *
 * Return: 0, or -EPERM if others could write the share store.
 */
int store_load(struct run *r)
{
	const char *path = r->conf.share_store, *node;
	json_error_t err;
	struct share s;
	json_t *o, *a, *e;
	size_t i;
	int n;

	if (!path || !*path)
		return 0;
	if (store_path_safe(path))
		return -EPERM;
	if (access(path, F_OK))
		return 0;
	o = json_load_file(path, 0, &err);
	a = json_object_get(o, "shares");
	if (!json_is_array(a)) {
		char bad[4096];

		/* kept for a human to look at: this run writes a new one */
		snprintf(bad, sizeof(bad), "%s.bad", path);
		mm_err("share-store %s: not a share store (%s): moved to %s", path,
		       o ? "no shares array" : err.text, bad);
		if (rename(path, bad))
			mm_err("share-store %s: cannot move it: %s", path, strerror(errno));
		json_decref(o);
		return 0;
	}
	session_parse(r, json_object_get(o, "session"));
	json_array_foreach(a, i, e) {
		r->count.found++;
		if (share_parse(e, &s, &node)) {
			fate(r, &s, FATE_DROPPED, 0, "not readable in the share store");
			continue;
		}
		for (n = 0; n < r->conf.nnodes && strcmp(r->conf.nodes[n].name, node); n++)
			;
		s.node = n;
		if (n == r->conf.nnodes) {
			fate(r, &s, FATE_STALE, 0, "its node is no longer configured");
			continue;
		}
		store_share(r, &s, "kept by the previous run");
	}
	json_decref(o);
	mm_info("share-store %s: %d share%s from the previous run%s", path, r->nstore,
		r->nstore == 1 ? "" : "s", r->session_node >= 0 ? ", and its session" : "");
	return 0;
}
