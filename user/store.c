// SPDX-License-Identifier: GPL-2.0
/*
 * The shares between the module and the pool's answer (struct store):
 * miner.c puts each checked share in, session_pump() (session.c) sends
 * what a session may take and voids what no session will, the pool's
 * answer takes it out.  Those waiting are bounded by share-store-max and
 * kept in the share-store file if one is set, so that they survive a
 * restart.  The store never calls the session: a share's path goes one
 * way.
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

/* The shares waiting for a session (not sent): share-store-max at most. */
static int waiting(const struct store *st)
{
	return st->n - st->sent;
}

/*
 * The shares in the share-store file: those that wait (kept), not those
 * on their way out now; a change of them makes it dirty, nothing else
 * (a rewrite per share found would wear out flash).
 */
static bool in_file(const struct share *s)
{
	return s->kept && !s->id;
}

/**
 * store_take() - a share leaves the store
 * @r: the run
 * @i: its index
 *
 * Return: the share, for fate().
 */
struct share store_take(struct run *r, int i)
{
	struct store *st = &r->store;
	struct share s = st->shares[i];

	memmove(st->shares + i, st->shares + i + 1, (st->n - i - 1) * sizeof(*st->shares));
	st->n--;
	if (s.id)
		st->sent--;
	if (in_file(&s))
		st->dirty = true;
	r->state_dirty = true;
	return s;
}

/**
 * store_limit() - keep no more than share-store-max shares waiting
 * @r: the run
 *
 * The oldest waiting go, each counted as dropped; after a reload that
 * lowered share-store-max, at once.  (One pass, however many go.)  The
 * array shrinks again after a burst.
 */
void store_limit(struct run *r)
{
	struct store *st = &r->store;
	int over = waiting(st) - r->conf.store_max, i, kept = 0;

	for (i = 0; i < st->n; i++) {
		struct share *s = &st->shares[i];

		if (over > 0 && !s->id) {
			over--;
			if (in_file(s))
				st->dirty = true;
			r->state_dirty = true;
			fate(r, s, FATE_DROPPED, 0, "the share store is full: the oldest goes");
			continue;
		}
		st->shares[kept++] = *s;
	}
	st->n = kept;
	if (st->cap > 64 && st->n < st->cap / 4) {
		struct share *a = reallocarray(st->shares, st->cap / 2, sizeof(*a));

		if (a) {
			st->shares = a;
			st->cap /= 2;
		}
	}
}

/**
 * store_keep() - a share waits, and says why (once)
 * @r: the run
 * @s: a share in the store, not sent
 * @why: why no session takes it now
 */
void store_keep(struct run *r, struct share *s, const char *why)
{
	if (s->kept)
		return;
	mm_info("share kept: job %s, nonce %08x (%s)", s->job_id, s->nonce, why);
	s->kept = true;
	r->store.dirty = true;
}

/**
 * store_put() - a checked share, on its way to a pool
 * @r: the run
 * @share: the share
 * @why: why no session takes it now (logged: "share kept"), or NULL
 *
 * session_pump() sends it when a session may; until then it waits here,
 * and in the share-store file.
 */
void store_put(struct run *r, const struct share *share, const char *why)
{
	struct store *st = &r->store;
	struct share *s;

	if (st->n == st->cap) {
		int cap = st->cap ? 2 * st->cap : 64;
		struct share *a = reallocarray(st->shares, cap, sizeof(*a));

		if (!a) {
			fate(r, share, FATE_DROPPED, 0, "out of memory");
			return;
		}
		st->shares = a;
		st->cap = cap;
	}
	s = &st->shares[st->n++];
	*s = *share;
	s->id = 0;
	s->kept = false;
	r->state_dirty = true;
	/* (one the session takes now is not bounded: session_pump() limits) */
	if (why) {
		store_keep(r, s, why);
		store_limit(r);
	}
}

/**
 * store_sent() - the share a mining.submit sent
 * @r: the run
 * @id: the request's id
 *
 * Return: its index, or -1 if no share in the store was sent with it.
 */
int store_sent(struct run *r, int64_t id)
{
	int i;

	for (i = 0; i < r->store.n; i++)
		if (r->store.shares[i].id == id)
			return i;
	return -1;
}

/**
 * store_unsend() - the connection ended: its unanswered shares wait again
 * @r: the run
 * @why: for the log
 *
 * They go out again with the next session that takes them: the pool may
 * or may not have counted them, and says so (22, duplicate) if it did.
 */
void store_unsend(struct run *r, const char *why)
{
	struct store *st = &r->store;
	int i;

	for (i = 0; i < st->n; i++) {
		struct share *s = &st->shares[i];

		if (!s->id) {
			store_keep(r, s, "no pool connected");
			continue;
		}
		s->id = 0;
		s->sent_before = true;
		s->kept = false;
		store_keep(r, s, why);
	}
	st->sent = 0;
	store_limit(r);
}

/* At the end. */
void store_free(struct store *st)
{
	free(st->shares);
	memset(st, 0, sizeof(*st));
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
	s->slot = -1;		/* its pool job is no longer known */
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
	r->store.dirty = true;
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
	struct store *st = &r->store;
	json_t *o, *a;
	int i, ret;

	if (!path || !*path) {
		st->dirty = false;
		return;
	}
	a = json_array();
	for (i = 0; a && i < st->n; i++) {
		int n = st->shares[i].node;

		if (!in_file(&st->shares[i]))
			continue;
		json_array_append_new(a, share_json(&st->shares[i], n >= 0 && n < r->conf.nnodes ?
						    r->conf.nodes[n].name : ""));
	}
	o = json_pack("{s:o,s:o}", "session", session_json(r), "shares", a);
	ret = o ? write_synced(o, path) : -ENOMEM;
	if (ret)
		mm_err("share-store %s: cannot write it: %s (tried again in %d s)", path,
		       strerror(-ret), STORE_WRITE_EVERY);
	else
		st->dirty = false;
	json_decref(o);
	st->written = run_now();
}

/**
 * store_tick() - write the share-store file if it changed
 * @r: the run
 * @now: the time
 * @force: whatever the time since the last write (at the end)
 */
void store_tick(struct run *r, time_t now, bool force)
{
	if (r->store.dirty && (force || now - r->store.written >= STORE_WRITE_EVERY))
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
		store_put(r, &s, "kept by the previous run");
	}
	json_decref(o);
	mm_info("share-store %s: %d share%s from the previous run%s", path, r->store.n,
		r->store.n == 1 ? "" : "s", r->session_node >= 0 ? ", and its session" : "");
	return 0;
}
