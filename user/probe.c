// SPDX-License-Identifier: GPL-2.0
/*
 * The failback probe of `micromine run` (struct probe): while the session
 * mines on a node below the best, a connection of its own checks every
 * failback seconds whether a better node is back, the best first, and
 * hands the session over to the first that takes our worker.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "micromine.h"
#include "run.h"

#define PROBE_TIMEOUT	10	/* seconds for a node to answer the check */

/*
 * The probe's lines: the answer to its subscribe, then to its authorize;
 * a node is back when it takes our worker, not only a connection.
 * Non-zero when the check is over (@r->probe.ok says how).
 */
static int probe_line(void *arg, const char *line, size_t len)
{
	struct run *r = arg;
	const struct mm_node *n = &r->conf.nodes[r->probe.node];
	struct stm_subscription s;
	struct stm_msg m;
	char why[256], *req;

	if (!line)
		return 0;
	if (stm_parse(line, len, &m, why, sizeof(why))) {
		stm_msg_free(&m);
		return 0;
	}
	if (m.type == STM_RESPONSE && m.id == r->probe.id && !r->probe.subscribed) {
		if (m.failed || stm_parse_subscription(m.result, &s, why, sizeof(why))) {
			snprintf(r->probe.why, sizeof(r->probe.why), "mining.subscribe refused");
			stm_msg_free(&m);
			return 1;
		}
		r->probe.subscribed = true;
		r->probe.id = r->next_id++;
		req = stm_authorize(r->probe.id, n->user, n->password);
		if (!req || conn_send(&r->probe.conn, req))
			snprintf(r->probe.why, sizeof(r->probe.why), "out of memory");
		free(req);
	} else if (m.type == STM_RESPONSE && m.id == r->probe.id) {
		r->probe.ok = !m.failed && json_is_true(m.result);
		if (!r->probe.ok)
			snprintf(r->probe.why, sizeof(r->probe.why), "authorization refused%s%s",
				 m.failed ? ": " : "", m.failed ? m.err_msg : "");
		stm_msg_free(&m);
		return 1;
	}
	stm_msg_free(&m);
	return r->probe.why[0] != 0;
}

/*
 * A check is over.  A node that is back takes over; else the next better
 * node is checked at once, and after the last of them the round starts
 * again in failback seconds.
 */
static void probe_done(struct run *r, const char *why)
{
	const char *name = r->conf.nodes[r->probe.node].name;

	conn_close(&r->probe.conn);
	if (r->probe.ok && r->probe.node >= r->node) {
		/* the session moved to it, or above it, meanwhile */
		r->probe.ok = false;
		why = "checked while the session failed over";
	}
	if (!r->probe.ok) {
		mm_debug("node %s is not back yet: %s", name, why);
		if (r->probe.node + 1 < r->node) {
			r->probe.node++;
			r->probe.at = run_now();
		} else {
			r->probe.node = 0;
			r->probe.at = run_now() + r->conf.failback;
		}
		return;
	}
	mm_info("node %s is back: switching to it", name);
	session_end(r, "switching back to a better node", false);
	r->node = r->probe.node;
	r->probe.node = 0;
	r->probe.at = run_now() + r->conf.failback;
	r->failures = r->streak = 0;
	r->reconnect_at = run_now();
}

/**
 * probe_tick() - is a better node than the one in use back?
 * @r: the run
 * @now: the time
 *
 * Every failback seconds while mining on another than the best node, the
 * better nodes are checked, the best first: each with a connection of its
 * own that subscribes and authorizes, and counts as back only if the node
 * takes our worker.
 */
void probe_tick(struct run *r, time_t now)
{
	const struct mm_node *n;
	struct conn_target t;
	char why[256];

	if (r->probe.conn.state != CONN_CLOSED) {
		/* (the session failed over meanwhile: no longer a better node) */
		if (r->probe.node >= r->node) {
			conn_close(&r->probe.conn);
			r->probe.node = 0;
			return;
		}
		if (conn_tick(&r->probe.conn, why, sizeof(why)) < 0)
			probe_done(r, why);
		else if (now - r->probe.started > PROBE_TIMEOUT)
			probe_done(r, "no answer");
		return;
	}
	if (!r->node || r->state != SESSION_MINING)
		return;
	if (!r->probe.at)
		r->probe.at = now + r->conf.failback;
	if (now < r->probe.at)
		return;
	if (r->probe.node >= r->node)
		r->probe.node = 0;
	n = &r->conf.nodes[r->probe.node];
	t = (struct conn_target){
		.host = n->host, .port = n->port, .tls = n->tls, .ca_file = n->ca_file,
		.pin = n->pinned ? n->fingerprint : NULL, .spki = n->spki, .nspki = n->nspki,
		.insecure = r->conf.insecure, .max_line = r->conf.max_line,
		.connect_timeout = r->conf.connect_timeout,
	};
	r->probe.ok = r->probe.subscribed = false;
	r->probe.why[0] = 0;
	r->probe.id = -1;
	r->probe.started = now;
	if (conn_open(&r->probe.conn, &t, why, sizeof(why)))
		probe_done(r, why);
}

/**
 * probe_io() - the probe's connection is ready: go on
 * @r: the run
 * @revents: what poll() said
 */
void probe_io(struct run *r, short revents)
{
	char why[256] = "";
	char *line;
	int ret;

	ret = conn_io(&r->probe.conn, revents, probe_line, r, why, sizeof(why));
	if (ret == 1 && !r->probe.subscribed && !r->probe.why[0]) {
		r->probe.id = r->next_id++;
		line = stm_subscribe(r->probe.id, MM_AGENT, NULL);
		if (!line || conn_send(&r->probe.conn, line))
			ret = -ENOMEM;
		free(line);
	}
	if (r->probe.ok || r->probe.why[0] || ret < 0)
		probe_done(r, r->probe.why[0] ? r->probe.why : why);
}
