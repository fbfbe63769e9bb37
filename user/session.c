// SPDX-License-Identifier: GPL-2.0
/*
 * One Stratum session with a trusted node: configure (version rolling),
 * subscribe (resuming the last session), authorize, suggest_difficulty;
 * then jobs, difficulty, extranonce and version-mask changes, reconnect
 * requests and pings from the pool, and the answers to our shares.
 * Every line is validated by stratum.c first; a pool that sends too many
 * bad lines counts as failed.
 */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "micromine.h"
#include "run.h"

#define ROLL_MASK	0x1fffe000	/* the version bits BIP 320 leaves to miners */
#define SESSION_TIMEOUT	30		/* seconds to look up, to shake hands, to subscribe and authorize */
#define NO_CONFIGURE_FOR 3600		/* seconds a node goes without mining.configure */

static struct mm_node *node(struct run *r)
{
	return &r->conf.nodes[r->node];
}

static void send_line(struct run *r, char *line)
{
	if (!line || conn_send(&r->conn, line))
		mm_err("node %s: out of memory for a request", node(r)->name);
	free(line);
}

/* A new connection's session: nothing of the one before. */
static void session_reset(struct session *sess, time_t now)
{
	memset(sess, 0, sizeof(*sess));
	sess->difficulty = STM_DEFAULT_DIFFICULTY;
	sess->id_subscribe = sess->id_authorize = sess->id_configure = -1;
	sess->id_xn_subscribe = -1;
	sess->last_rx = now;
}

/* Connect to the current node (or where its client.reconnect pointed). */
void session_start(struct run *r)
{
	struct mm_node *n = node(r);
	struct conn_target t = {
		.tls = n->tls,
		.ca_file = n->ca_file,
		.pin = n->pinned ? n->fingerprint : NULL,
		.spki = n->spki,
		.nspki = n->nspki,
		.insecure = r->conf.insecure,
		.max_line = r->conf.max_line,
		.connect_timeout = r->conf.connect_timeout,
	};
	char why[256];

	/* a redirect is the asking node's: another node has its own address */
	if (r->redirect_node != r->node)
		r->redirect_host[0] = r->redirect_port[0] = 0;
	t.host = r->redirect_host[0] ? r->redirect_host : n->host;
	t.port = r->redirect_port[0] ? r->redirect_port : n->port;
	mm_info("node %s: connecting to %s:%s%s", n->name, t.host, t.port, n->tls ? " (TLS)" : "");
	session_reset(&r->sess, run_now());
	r->sess.first_seq = r->pool_seq + 1;
	if (conn_open(&r->conn, &t, why, sizeof(why))) {
		mm_warn("node %s: %s", n->name, why);
		r->state = SESSION_NONE;
		run_fail_node(r, why, false);
		return;
	}
	r->state = SESSION_CONNECTING;
	r->state_dirty = true;
}

/*
 * suggest-difficulty auto: one share per share-interval at the module's
 * hash rate (difficulty 1: 2^32 hashes a share), to two significant digits
 * (it goes out plainly: 0.0012, not 0.00123456789); 0 while the rate is
 * not known.
 */
static double auto_difficulty(const struct run *r)
{
	double d = (double)r->rate * r->conf.share_interval / 4294967296.0, unit;

	if (d < STM_MIN_DIFFICULTY)
		return 0;
	unit = pow(10, floor(log10(d)) - 1);
	return round(d / unit) * unit;
}

/* The connection is up (and trusted): open the session. */
static void session_opened(struct run *r)
{
	double suggest;
	bool resume = r->session_node == r->node && r->sub.session[0];

	mm_info("node %s: connected, %s", node(r)->name,
		resume ? "resuming the last session" : "new session");
	r->state = SESSION_SUBSCRIBING;
	r->sess.last_rx = run_now();
	if (mm_node_rolls(&r->conf, node(r)) && r->no_configure[r->node] <= run_now()) {
		r->sess.id_configure = r->next_id++;
		send_line(r, stm_configure(r->sess.id_configure, ROLL_MASK));
	}
	r->sess.id_subscribe = r->next_id++;
	send_line(r, stm_subscribe(r->sess.id_subscribe, MM_AGENT, resume ? r->sub.session : NULL));
	/*
	 * Before authorizing: pools that serve other miners send the first
	 * job with authorize's answer, at their default difficulty (16384 on
	 * one), and the next one a minute later.
	 */
	suggest = mm_node_suggest(&r->conf, node(r));
	if (suggest == MM_SUGGEST_AUTO) {
		suggest = auto_difficulty(r);
		r->sess.suggested = suggest;
	}
	if (suggest > 0)
		send_line(r, stm_suggest_difficulty(r->next_id++, suggest));
	r->sess.id_authorize = r->next_id++;
	send_line(r, stm_authorize(r->sess.id_authorize, node(r)->user, node(r)->password));
}

/**
 * session_end() - close the connection
 * @r: the run
 * @why: for the log
 * @failed: a failure of the node (counts towards failing over)
 *
 * Shares awaiting answers wait in the store again (store_unsend()).
 */
void session_end(struct run *r, const char *why, bool failed)
{
	if (r->state == SESSION_NONE)
		return;
	mm_log(failed ? MM_LOG_WARN : MM_LOG_INFO, "node %s: disconnected: %s", node(r)->name, why);
	/*
	 * Some servers hang up on methods they do not know: no configure
	 * there for a while (a glitch at that moment costs version rolling
	 * for an hour, not for good).
	 */
	if (r->state == SESSION_SUBSCRIBING && r->sess.id_configure >= 0 && !r->sess.subscribed &&
	    r->sess.hung_up) {
		mm_info("node %s: hung up before answering: without mining.configure for %d s",
			node(r)->name, NO_CONFIGURE_FOR);
		r->no_configure[r->node] = run_now() + NO_CONFIGURE_FOR;
	}
	if (r->state == SESSION_MINING && r->sess.id_xn_subscribe >= 0 && !r->sess.xn_answered &&
	    r->sess.hung_up) {
		mm_info("node %s: hung up before answering: without mining.extranonce.subscribe for %d s",
			node(r)->name, NO_CONFIGURE_FOR);
		r->no_xn_subscribe[r->node] = run_now() + NO_CONFIGURE_FOR;
	}
	if (r->state == SESSION_MINING)
		r->pool_lost = run_now();
	conn_close(&r->conn);
	r->state = SESSION_NONE;
	r->sess.authorized = false;
	store_unsend(r, "no answer before the connection ended");
	r->state_dirty = true;
	if (failed)
		run_fail_node(r, why, false);
	else if (!r->reconnect_at)
		r->reconnect_at = run_now() + r->conf.backoff_min;
}

/*
 * End the session once the line being handled is done (the connection's
 * buffers are in use until then).
 */
static void end_later(struct run *r, const char *why, bool failed, bool skip)
{
	if (r->sess.end_why[0])
		return;
	snprintf(r->sess.end_why, sizeof(r->sess.end_why), "%s", why);
	r->sess.end_failed = failed;
	r->sess.end_skip = skip;
}

/* The pool keeps sending what we cannot use: give up on it. */
static void garbage(struct run *r, const char *why)
{
	r->count.garbage++;
	mm_warn("node %s: refused a line: %s", node(r)->name, why);
	if (++r->sess.garbage == MAX_GARBAGE)
		end_later(r, "it keeps sending bad lines", false, true);
}

static void start_mining(struct run *r)
{
	r->state = SESSION_MINING;
	r->pool_lost = 0;
	r->sess.connected_at = run_now();
	r->count.connects++;
	r->failures = 0;
	r->streak = 0;
	r->state_dirty = true;
	mm_info("node %s: authorized as %s, mining", node(r)->name, node(r)->user);
	/*
	 * Pools that move miners between servers change extranonce1 then.
	 * Sent once mining: a server that hangs up on it before answering
	 * (some do on methods they do not know) goes without it for a while.
	 */
	if (r->conf.xn_subscribe && r->no_xn_subscribe[r->node] <= run_now()) {
		r->sess.id_xn_subscribe = r->next_id++;
		send_line(r, stm_extranonce_subscribe(r->sess.id_xn_subscribe));
	}
	/* a job of this session came before the answer: mine it (else wait) */
	if (r->sess.got_job && r->pool_slot >= 0 && r->pool_jobs[r->pool_slot].valid)
		miner_new_job(r, r->pool_slot, true);
}

static void subscribed(struct run *r, struct stm_msg *m)
{
	struct stm_subscription s;
	char why[256];
	bool same;

	if (m->failed || stm_parse_subscription(m->result, &s, why, sizeof(why))) {
		if (m->failed)
			snprintf(why, sizeof(why), "mining.subscribe refused: %s", m->err_msg);
		end_later(r, why, true, false);
		return;
	}
	same = r->session_node == r->node && s.xn1_len == r->sub.xn1_len &&
	       !memcmp(s.xn1, r->sub.xn1, s.xn1_len) && s.xn2_size == r->sub.xn2_size;
	if (!same) {
		int i;

		/* other extranonces: the old jobs and their shares are void here */
		r->epoch++;
		for (i = 0; i < POOL_JOBS; i++)
			r->pool_jobs[i].valid = false;
	}
	r->sess.subscribed = true;
	mm_info("node %s: subscribed (extranonce2 %d bytes)%s", node(r)->name, s.xn2_size,
		same ? ", session resumed" : "");
	r->sub = s;
	r->session_node = r->node;
	store_save(r);
}

static void answered(struct run *r, struct stm_msg *m)
{
	char why[256];
	int i;

	if (m->id == r->sess.id_configure) {
		if (m->failed || stm_parse_configure(m->result, &r->sess.version_mask, why, sizeof(why))) {
			r->sess.version_mask = 0;
			mm_info("node %s: no version rolling (%s)", node(r)->name,
				m->failed ? m->err_msg : why);
		} else {
			r->sess.version_mask &= ROLL_MASK;
			r->sess.rolling_agreed = true;
			mm_info("node %s: version rolling, mask %08x", node(r)->name, r->sess.version_mask);
		}
		return;
	}
	if (m->id == r->sess.id_subscribe) {
		subscribed(r, m);
		return;
	}
	if (m->id == r->sess.id_xn_subscribe) {
		r->sess.xn_answered = true;
		/* many pools do not know it: that is no failure */
		if (m->failed || !json_is_true(m->result))
			mm_debug("node %s: no mining.extranonce.subscribe here", node(r)->name);
		else
			mm_debug("node %s: it may change extranonce1 (mining.set_extranonce)",
				 node(r)->name);
		return;
	}
	if (m->id == r->sess.id_authorize) {
		if (!m->failed && json_is_true(m->result)) {
			r->sess.authorized = true;
			start_mining(r);
		} else {
			snprintf(why, sizeof(why), "authorization of %s refused%s%s", node(r)->user,
				 m->failed ? ": " : "", m->failed ? m->err_msg : "");
			end_later(r, why, true, false);
		}
		return;
	}
	i = m->id > 0 ? store_sent(r, m->id) : -1;
	if (i >= 0) {
		struct share s = store_take(r, i);

		if (!m->failed && json_is_true(m->result))
			fate(r, &s, FATE_ACCEPTED, 0, NULL);
		else if (m->err_code == 21)
			fate(r, &s, FATE_STALE, 21, m->err_msg);
		else if (m->err_code == 22 && s.sent_before)
			/* pools keep only shares they accepted: its lost answer was yes */
			fate(r, &s, FATE_ACCEPTED, 0, "the pool had it: it accepted it before");
		else if (m->err_code == 22)
			fate(r, &s, FATE_DUPLICATE, 22, m->err_msg);
		else
			fate(r, &s, FATE_REJECTED, m->err_code, m->failed ? m->err_msg : "false");
		return;
	}
	if (m->failed)
		mm_info("node %s: request %lld failed: %s", node(r)->name, (long long)m->id, m->err_msg);
}

static void notified(struct run *r, struct stm_msg *m)
{
	struct pool_job *pj, xn2;
	int slot, i;

	if (!r->sess.subscribed) {
		garbage(r, "mining.notify before the subscription");
		return;
	}
	slot = (r->pool_slot + 1) % POOL_JOBS;
	pj = &r->pool_jobs[slot];
	/*
	 * A job the pool sends again (a resumed session: the same extranonce1)
	 * keeps the extranonce2 values it had: not the same work twice.
	 */
	xn2 = (struct pool_job){ 0 };
	for (i = 0; i < POOL_JOBS; i++)
		if (r->pool_jobs[i].xn2_started && r->pool_jobs[i].epoch == r->epoch &&
		    !strcmp(r->pool_jobs[i].job.id, m->job.id))
			xn2 = r->pool_jobs[i];
	stm_job_free(&pj->job);
	if (stm_job_copy(&pj->job, &m->job)) {
		mm_err("out of memory for a job");
		pj->valid = false;
		return;
	}
	pj->xn2_started = xn2.xn2_started;
	pj->xn2_first = xn2.xn2_first;
	pj->xn2_used_up = xn2.xn2_used_up;
	pj->epoch = r->epoch;
	if (m->job.clean)
		for (i = 0; i < POOL_JOBS; i++)
			r->pool_jobs[i].valid = false;
	pj->valid = true;
	pj->seq = ++r->pool_seq;
	r->sess.garbage = 0;		/* bad lines count until the next good job */
	r->sess.got_job = true;
	if (r->sess.next_difficulty > 0) {
		r->sess.difficulty = r->sess.next_difficulty;
		r->sess.next_difficulty = 0;
	}
	pj->difficulty = r->sess.difficulty;
	r->pool_slot = slot;
	mm_info("node %s: job %s%s, difficulty %g", node(r)->name, m->job.id,
		m->job.clean ? " (clean)" : "", pj->difficulty);
	if (r->state == SESSION_MINING) {
		/* (a job sent again whose extranonce2 values are used up) */
		if (miner_new_job(r, slot, true) == -ENOSPC && m->job.clean)
			miner_flush(r);
	}
	r->state_dirty = true;
}

/*
 * mining.set_version_mask: the bits this session may roll from now on, in
 * the module's running job too (it is given the pool job again); shares
 * rolled outside them are stale (miner.c).  Only where mining.configure
 * agreed to version rolling: no node rolls what it did not agree to.
 */
static void version_mask_set(struct run *r, uint32_t mask)
{
	if (!r->sess.rolling_agreed) {
		mm_info("node %s: ignored mining.set_version_mask: version rolling was not agreed",
			node(r)->name);
		return;
	}
	mask &= ROLL_MASK;
	if (mask == r->sess.version_mask)
		return;
	r->sess.version_mask = mask;
	mm_info("node %s: version mask %08x, from now on", node(r)->name, mask);
	/* (its extranonce2 values used up: nothing more to mine with it) */
	if (r->state == SESSION_MINING && r->sess.got_job && r->pool_slot >= 0 &&
	    r->pool_jobs[r->pool_slot].valid && miner_new_job(r, r->pool_slot, true) == -ENOSPC)
		miner_flush(r);
}

static void reconnect_asked(struct run *r, struct stm_msg *m)
{
	const char *host = m->host[0] ? m->host : node(r)->host;
	char port[6];

	snprintf(port, sizeof(port), "%d", m->port);
	if (strcmp(host, node(r)->host) && !r->conf.allow_redirect) {
		mm_warn("node %s: ignored client.reconnect to another host (%s): allow-redirect is off",
			node(r)->name, m->host);
		return;
	}
	snprintf(r->redirect_host, sizeof(r->redirect_host), "%s",
		 strcmp(host, node(r)->host) ? host : "");
	snprintf(r->redirect_port, sizeof(r->redirect_port), "%s", m->port ? port : "");
	r->redirect_node = r->node;
	r->reconnect_at = run_now() + m->wait;
	mm_info("node %s: the pool asks to reconnect%s%s%s in %d s", node(r)->name,
		m->host[0] || m->port ? " to " : "", m->host, m->port ? port : "", m->wait);
	end_later(r, "client.reconnect", false, false);
}

/* conn_io()'s callback: one line from the pool */
static int session_line(void *arg, const char *line, size_t len)
{
	struct run *r = arg;
	struct stm_msg m;
	char why[256];
	int i;

	r->sess.last_rx = run_now();
	if (!line) {
		snprintf(why, sizeof(why), "a line longer than %d bytes (max-line): skipped",
			 r->conf.max_line);
		garbage(r, why);
		return r->sess.end_why[0] ? -ECONNABORTED : 0;
	}
	if (stm_parse(line, len, &m, why, sizeof(why))) {
		stm_msg_free(&m);
		garbage(r, why);
		return r->sess.end_why[0] ? -ECONNABORTED : 0;
	}
	switch (m.type) {
	case STM_RESPONSE:
		answered(r, &m);
		break;
	case STM_NOTIFY:
		notified(r, &m);
		break;
	case STM_SET_DIFFICULTY:
		mm_info("node %s: difficulty %g from the next job", node(r)->name, m.difficulty);
		r->sess.next_difficulty = m.difficulty;
		break;
	case STM_SET_EXTRANONCE:
		if (!r->sess.subscribed) {
			garbage(r, "mining.set_extranonce before the subscription");
			break;
		}
		mm_info("node %s: new extranonce (extranonce2 %d bytes)", node(r)->name, m.xn2_size);
		memcpy(r->sub.xn1, m.xn1, m.xn1_len);
		r->sub.xn1_len = m.xn1_len;
		r->sub.xn2_size = m.xn2_size;
		r->epoch++;
		store_save(r);		/* the session a restart resumes has it */
		/* another extranonce1: the jobs' extranonce2 spaces are new */
		for (i = 0; i < POOL_JOBS; i++)
			r->pool_jobs[i].xn2_started = false;
		/* what the module mines has the old one: the pool job again */
		if (r->state == SESSION_MINING && r->sess.got_job && r->pool_slot >= 0 &&
		    r->pool_jobs[r->pool_slot].valid)
			miner_new_job(r, r->pool_slot, true);
		break;
	case STM_SET_VERSION_MASK:
		version_mask_set(r, m.version_mask);
		break;
	case STM_RECONNECT:
		reconnect_asked(r, &m);
		break;
	case STM_PING:
		if (m.req_id)
			send_line(r, stm_answer(m.req_id, json_string("pong")));
		break;
	case STM_GET_VERSION:
		if (m.req_id)
			send_line(r, stm_answer(m.req_id, json_string(MM_AGENT)));
		break;
	case STM_SHOW_MESSAGE:
		mm_info("node %s says: %s", node(r)->name, m.text);
		break;
	case STM_UNKNOWN:
		mm_debug("node %s: ignored unknown method %s", node(r)->name, m.method);
		break;
	}
	stm_msg_free(&m);
	return r->sess.end_why[0] ? -ECONNABORTED : 0;
}

/**
 * session_io() - the connection is ready: go on
 * @r: the run
 * @revents: what poll() said
 */
void session_io(struct run *r, short revents)
{
	char why[256];
	int ret;

	r->sess.end_why[0] = 0;
	ret = conn_io(&r->conn, revents, session_line, r, why, sizeof(why));
	if (r->sess.end_why[0]) {
		snprintf(why, sizeof(why), "%s", r->sess.end_why);
		r->sess.end_why[0] = 0;
		session_end(r, why, r->sess.end_failed);
		if (r->sess.end_skip)
			run_fail_node(r, why, true);
	} else if (ret == 1) {
		session_opened(r);
	} else if (ret < 0) {
		r->sess.hung_up = true;
		session_end(r, why, true);
	}
}

/* mining.submit for @s; 0, or -ENOMEM (it waits for the next try) */
static int submit(struct run *r, struct share *s)
{
	int64_t id = r->next_id++;
	char *line;

	line = stm_submit(id, node(r)->user, s->job_id, s->xn2, s->xn2_len, s->ntime, s->nonce,
			  s->rolling ? &s->version_bits : NULL);
	if (!line || conn_send(&r->conn, line)) {
		free(line);
		return -ENOMEM;
	}
	free(line);
	if (s->kept) {
		mm_info("sending a kept share: job %s, nonce %08x", s->job_id, s->nonce);
		r->store.dirty = true;	/* (it leaves the file) */
	}
	mm_debug("node %s: sent share of job %s, nonce %08x", node(r)->name, s->job_id, s->nonce);
	s->id = id;
	s->sent = run_now();
	r->store.sent++;
	r->last_share = s->sent;
	return 0;
}

/* Why @s can never go out in this session (NULL: it can, now or later). */
static const char *void_here(const struct run *r, const struct share *s)
{
	const struct pool_job *now = &r->pool_jobs[r->pool_slot];
	const struct pool_job *its = s->slot >= 0 ? &r->pool_jobs[s->slot] : NULL;

	if (s->node != r->node)
		/* its node may come back in time (share-max-age) */
		return time(NULL) - s->found > r->conf.store_max_age ?
		       "its node did not come back in time" : NULL;
	/*
	 * One of this session's jobs, which a clean job voided since (one of
	 * an earlier session lived through a reconnection, whose first job
	 * comes clean: its block decides; a job pushed out of the latest
	 * POOL_JOBS may still stand)
	 */
	if (s->pool_seq >= r->sess.first_seq && its && its->seq == s->pool_seq && !its->valid)
		return "its pool job was replaced by a clean job";
	if (memcmp(s->prevhash, now->job.prevhash, sizeof(s->prevhash)))
		return "a new block came before it went out";
	if (s->xn1_len != r->sub.xn1_len || memcmp(s->xn1, r->sub.xn1, s->xn1_len))
		return "the pool did not resume its session";
	if (s->rolling && (!r->sess.rolling_agreed || s->version_bits & ~r->sess.version_mask))
		return "this session may not roll its version bits";
	return NULL;
}

/**
 * session_pump() - send what the store holds for this session
 * @r: the run
 *
 * While the session mines with a job of its node: each waiting share of
 * its node goes out (at most SUBMITTED awaiting answers) or, if no session
 * can take it any more, ends as stale; shares of other nodes wait for
 * theirs up to share-max-age.  The run's loop calls it every turn, after
 * the pool's lines and the module's shares (a clean job voids a share
 * before it goes out).
 */
void session_pump(struct run *r)
{
	struct store *st = &r->store;
	bool stop = false;
	const char *why;
	int i, kept = 0;

	if (r->state != SESSION_MINING || !r->sess.got_job || r->pool_slot < 0) {
		store_limit(r);
		return;
	}
	/* (one pass, however many go: a new block may void thousands kept) */
	for (i = 0; i < st->n; i++) {
		struct share *s = &st->shares[i];

		if (!s->id && !stop) {
			why = void_here(r, s);
			if (why) {
				if (s->kept)
					st->dirty = true;	/* (it leaves the file) */
				r->state_dirty = true;
				fate(r, s, FATE_STALE, 0, why);
				continue;
			}
			if (s->node != r->node || st->sent == SUBMITTED) {
				store_keep(r, s, s->node != r->node ? "mined for another node" :
					   "too many shares awaiting the pool's answer");
			} else if (submit(r, s)) {
				mm_err("node %s: out of memory for a share: it waits",
				       node(r)->name);
				stop = true;
			}
		}
		st->shares[kept++] = *s;
	}
	st->n = kept;
	store_limit(r);
}

/*
 * Connecting: an address that does not take the connection in
 * connect-timeout leaves it to the next; the name lookup and the TLS
 * handshake have SESSION_TIMEOUT each.  0, or the session ended.
 */
static int connecting_tick(struct run *r)
{
	char why[256];
	int ret;

	ret = conn_tick(&r->conn, why, sizeof(why));
	if (ret == 1)
		mm_info("node %s: %s", node(r)->name, why);
	if (ret >= 0 && r->conn.state != CONN_CONNECTING &&
	    conn_stage_age(&r->conn) > SESSION_TIMEOUT) {
		snprintf(why, sizeof(why), "%s: no progress in %d s",
			 r->conn.state == CONN_RESOLVING ? "name lookup" : "TLS handshake",
			 SESSION_TIMEOUT);
		ret = -ETIMEDOUT;
	}
	if (ret >= 0)
		return 0;
	session_end(r, why, true);
	return ret;
}

/*
 * Timers: connecting, a session that does not get going, a silent pool,
 * shares the pool does not answer, keepalive.
 */
void session_tick(struct run *r, time_t now)
{
	time_t quiet;
	char why[128];
	int i;

	if (r->state == SESSION_NONE)
		return;
	if (r->state == SESSION_CONNECTING) {
		connecting_tick(r);
		return;
	}
	/* the opening as a whole has its time from the connection, however chatty the node */
	if (r->state != SESSION_MINING && conn_stage_age(&r->conn) > SESSION_TIMEOUT) {
		snprintf(why, sizeof(why), "not mining %d s after connecting", SESSION_TIMEOUT);
		session_end(r, why, true);
		return;
	}
	/* an unanswered share keeps a slot of the 256: the next session sends it again */
	for (i = 0; i < r->store.n; i++) {
		if (r->store.shares[i].id && now - r->store.shares[i].sent > r->conf.answer_timeout) {
			snprintf(why, sizeof(why), "no answer to a share in %d s (answer-timeout)",
				 r->conf.answer_timeout);
			session_end(r, why, true);
			return;
		}
	}
	if (now - r->sess.last_rx > r->conf.silence) {
		snprintf(why, sizeof(why), "silent for %lld s", (long long)(now - r->sess.last_rx));
		session_end(r, why, true);
		return;
	}
	if (r->state != SESSION_MINING)
		return;
	/* auto: the rate known at last, or changed twofold since the last suggestion */
	if (mm_node_suggest(&r->conf, node(r)) == MM_SUGGEST_AUTO) {
		double d = auto_difficulty(r), was = r->sess.suggested;

		if (d > 0 && (!was || d >= 2 * was || 2 * d <= was)) {
			mm_info("node %s: %llu hashes/s: suggesting difficulty %g, a share every %d s",
				node(r)->name, (unsigned long long)r->rate, d, r->conf.share_interval);
			send_line(r, stm_suggest_difficulty(r->next_id++, d));
			r->sess.suggested = d;
			r->sess.last_suggest = now;
		}
	}
	quiet = r->last_share > r->sess.connected_at ? r->last_share : r->sess.connected_at;
	if (r->sess.last_suggest > quiet)
		quiet = r->sess.last_suggest;
	if (r->conf.keepalive && now - quiet > r->conf.keepalive &&
	    r->sess.difficulty / 2 >= STM_MIN_DIFFICULTY) {
		mm_info("node %s: no share for %d s: asking for difficulty %g", node(r)->name,
			r->conf.keepalive, r->sess.difficulty / 2);
		send_line(r, stm_suggest_difficulty(r->next_id++, r->sess.difficulty / 2));
		r->sess.last_suggest = now;
	}
}
