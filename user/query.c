// SPDX-License-Identifier: GPL-2.0
/*
 * The family's operations as C calls (see query.h).  Replies have been
 * checked against a policy in genl.c: the attributes read here have the
 * right size.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"

static uint64_t u64_of(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static uint32_t u32_of(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static void string_of(struct nlattr *a, char *buf, size_t size)
{
	snprintf(buf, size, "%s", a ? nla_get_string(a) : "");
}

static int on_config(uint8_t cmd, struct nlattr **tb, struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct mm_config *c = arg;
	struct nlattr *a;
	int rem;

	(void)cmd;
	c->enabled = tb[MICROMINE_A_CONFIG_ENABLED] &&
		     nla_get_u8(tb[MICROMINE_A_CONFIG_ENABLED]);
	c->duty_cycle = tb[MICROMINE_A_CONFIG_DUTY_CYCLE] ?
			nla_get_u8(tb[MICROMINE_A_CONFIG_DUTY_CYCLE]) : 0;
	string_of(tb[MICROMINE_A_CONFIG_CPUS], c->cpus, sizeof(c->cpus));
	string_of(tb[MICROMINE_A_CONFIG_BACKEND], c->backend, sizeof(c->backend));
	c->chunk_min = u32_of(tb[MICROMINE_A_CONFIG_CHUNK_MIN]);
	c->chunk_max = u32_of(tb[MICROMINE_A_CONFIG_CHUNK_MAX]);
	c->share_queue_len = u32_of(tb[MICROMINE_A_CONFIG_SHARE_QUEUE_LEN]);
	c->nbackends = 0;
	/* the backends attribute repeats */
	nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), rem)
		if (nla_type(a) == MICROMINE_A_CONFIG_BACKENDS && c->nbackends < MM_MAX_BACKENDS)
			string_of(a, c->backends[c->nbackends++], sizeof(c->backends[0]));
	return 0;
}

/**
 * mm_config_get() - the module's settings (config-get)
 * @g: the socket
 * @c: filled in
 *
 * Return: 0 or -errno.
 */
int mm_config_get(struct mm_genl *g, struct mm_config *c)
{
	struct nl_msg *msg = mm_genl_msg(g, MICROMINE_CMD_CONFIG_GET, 0);

	memset(c, 0, sizeof(*c));
	return msg ? mm_genl_run(g, msg, on_config, c) : -ENOMEM;
}

static int on_stats(uint8_t cmd, struct nlattr **tb, struct nlmsghdr *nlh, void *arg)
{
	struct mm_stats *s = arg;

	(void)cmd;
	(void)nlh;
	s->hashes = u64_of(tb[MICROMINE_A_STATS_HASHES]);
	s->hashrate = u64_of(tb[MICROMINE_A_STATS_HASHRATE]);
	s->shares = u64_of(tb[MICROMINE_A_STATS_SHARES]);
	s->stale_shares = u64_of(tb[MICROMINE_A_STATS_STALE_SHARES]);
	s->jobs = u64_of(tb[MICROMINE_A_STATS_JOBS]);
	s->jobs_exhausted = u64_of(tb[MICROMINE_A_STATS_JOBS_EXHAUSTED]);
	s->queue_overflows = u64_of(tb[MICROMINE_A_STATS_QUEUE_OVERFLOWS]);
	s->shares_queued = u32_of(tb[MICROMINE_A_STATS_SHARES_QUEUED]);
	s->mining_ns = u64_of(tb[MICROMINE_A_STATS_MINING_NS]);
	s->paused_ns = u64_of(tb[MICROMINE_A_STATS_PAUSED_NS]);
	s->slices = u64_of(tb[MICROMINE_A_STATS_SLICES]);
	s->version_rolls = u64_of(tb[MICROMINE_A_STATS_VERSION_ROLLS]);
	s->uptime_ns = u64_of(tb[MICROMINE_A_STATS_UPTIME_NS]);
	s->has_job = tb[MICROMINE_A_STATS_JOB_ID] != NULL;
	s->job_id = u32_of(tb[MICROMINE_A_STATS_JOB_ID]);
	return 0;
}

/**
 * mm_stats_get() - the machine's counters (stats-get)
 * @g: the socket
 * @s: filled in
 *
 * Return: 0 or -errno.
 */
int mm_stats_get(struct mm_genl *g, struct mm_stats *s)
{
	struct nl_msg *msg = mm_genl_msg(g, MICROMINE_CMD_STATS_GET, 0);

	memset(s, 0, sizeof(*s));
	return msg ? mm_genl_run(g, msg, on_stats, s) : -ENOMEM;
}

struct cpus_arg {
	struct mm_cpu_stats *cpus;
	int max;
	int n;
};

static int on_cpu(uint8_t cmd, struct nlattr **tb, struct nlmsghdr *nlh, void *arg)
{
	struct cpus_arg *c = arg;
	struct mm_cpu_stats *s;

	(void)cmd;
	(void)nlh;
	if (!tb[MICROMINE_A_STATS_CPU])
		return 0;
	if (c->n++ >= c->max)
		return 0;
	s = &c->cpus[c->n - 1];
	s->cpu = u32_of(tb[MICROMINE_A_STATS_CPU]);
	s->hashes = u64_of(tb[MICROMINE_A_STATS_HASHES]);
	s->hashrate = u64_of(tb[MICROMINE_A_STATS_HASHRATE]);
	s->shares = u64_of(tb[MICROMINE_A_STATS_SHARES]);
	s->mining_ns = u64_of(tb[MICROMINE_A_STATS_MINING_NS]);
	s->paused_ns = u64_of(tb[MICROMINE_A_STATS_PAUSED_NS]);
	s->slices = u64_of(tb[MICROMINE_A_STATS_SLICES]);
	s->version_rolls = u64_of(tb[MICROMINE_A_STATS_VERSION_ROLLS]);
	s->last_slice_ns = u64_of(tb[MICROMINE_A_STATS_LAST_SLICE_NS]);
	s->job_id = u32_of(tb[MICROMINE_A_STATS_JOB_ID]);
	s->active = tb[MICROMINE_A_STATS_ACTIVE] && nla_get_u8(tb[MICROMINE_A_STATS_ACTIVE]);
	return 0;
}

/**
 * mm_cpu_stats_get() - each CPU's counters (the stats-get dump)
 * @g: the socket
 * @cpus: filled in
 * @max: room in @cpus
 *
 * Return: the number of CPUs (may exceed @max), or -errno.
 */
int mm_cpu_stats_get(struct mm_genl *g, struct mm_cpu_stats *cpus, int max)
{
	struct nl_msg *msg = mm_genl_msg(g, MICROMINE_CMD_STATS_GET, NLM_F_DUMP);
	struct cpus_arg c = { cpus, max, 0 };
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = mm_genl_run(g, msg, on_cpu, &c);
	return ret ? ret : c.n;
}

static int on_placed(uint8_t cmd, struct nlattr **tb, struct nlmsghdr *nlh, void *arg)
{
	struct mm_job_placed *p = arg;

	(void)cmd;
	(void)nlh;
	p->position = u32_of(tb[MICROMINE_A_JOB_POSITION]);
	p->event_seq = u64_of(tb[MICROMINE_A_JOB_EVENT_SEQ]);
	return 0;
}

/**
 * mm_job_submit() - submit a job (job-submit)
 * @g: the socket
 * @job: the job
 * @placed: set to where it went and the event number of the submission;
 *	may be NULL
 *
 * Return: 0 or -errno.
 */
int mm_job_submit(struct mm_genl *g, const struct mm_job *job, struct mm_job_placed *placed)
{
	struct nl_msg *msg = mm_genl_msg(g, MICROMINE_CMD_JOB_SUBMIT, 0);
	struct mm_job_placed p = { 0 };
	int ret;

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, MICROMINE_A_JOB_JOB_ID, job->id) ||
	    nla_put(msg, MICROMINE_A_JOB_HEADER, MICROMINE_HEADER_SIZE, job->header) ||
	    nla_put(msg, MICROMINE_A_JOB_TARGET, MICROMINE_HASH_SIZE, job->target) ||
	    (job->version_mask &&
	     nla_put_u32(msg, MICROMINE_A_JOB_VERSION_MASK, job->version_mask)) ||
	    (job->nonce_start && nla_put_u32(msg, MICROMINE_A_JOB_NONCE_START, job->nonce_start)) ||
	    (job->nonce_count && nla_put_u64(msg, MICROMINE_A_JOB_NONCE_COUNT, job->nonce_count)) ||
	    (job->clean && nla_put_flag(msg, MICROMINE_A_JOB_CLEAN))) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = mm_genl_run(g, msg, on_placed, &p);
	if (placed)
		*placed = p;
	return ret;
}

/**
 * mm_job_flush() - drop every job (job-flush)
 * @g: the socket
 *
 * Return: 0 or -errno.
 */
int mm_job_flush(struct mm_genl *g)
{
	struct nl_msg *msg = mm_genl_msg(g, MICROMINE_CMD_JOB_FLUSH, 0);

	return msg ? mm_genl_run(g, msg, NULL, NULL) : -ENOMEM;
}

/**
 * mm_backend_set() - choose the module's hash backend
 * @g: the socket
 * @name: the backend's name
 *
 * Return: 0 or -errno.
 */
int mm_backend_set(struct mm_genl *g, const char *name)
{
	struct nl_msg *msg = mm_genl_msg(g, MICROMINE_CMD_CONFIG_SET, 0);

	if (!msg || nla_put_string(msg, MICROMINE_A_CONFIG_BACKEND, name))
		return -ENOMEM;
	return mm_genl_run(g, msg, NULL, NULL);
}

/**
 * mm_share_parse() - a share from the attributes of share-found/share-get
 * @tb: the attributes
 * @s: filled in
 */
void mm_share_parse(struct nlattr **tb, struct mm_share *s)
{
	memset(s, 0, sizeof(*s));
	s->job_id = u32_of(tb[MICROMINE_A_SHARE_JOB_ID]);
	s->nonce = u32_of(tb[MICROMINE_A_SHARE_NONCE]);
	s->version = u32_of(tb[MICROMINE_A_SHARE_VERSION]);
	s->cpu = u32_of(tb[MICROMINE_A_SHARE_CPU]);
	s->time_ns = u64_of(tb[MICROMINE_A_SHARE_TIME_NS]);
	s->seq = u64_of(tb[MICROMINE_A_SHARE_SEQ]);
	s->event_seq = u64_of(tb[MICROMINE_A_SHARE_EVENT_SEQ]);
	s->stale = tb[MICROMINE_A_SHARE_STALE] != NULL;
	if (tb[MICROMINE_A_SHARE_HASH])
		memcpy(s->hash, nla_data(tb[MICROMINE_A_SHARE_HASH]), MICROMINE_HASH_SIZE);
}

struct shares_arg {
	struct mm_share *v;
	size_t n, cap;
};

static int on_share(uint8_t cmd, struct nlattr **tb, struct nlmsghdr *nlh, void *arg)
{
	struct shares_arg *a = arg;

	(void)cmd;
	(void)nlh;
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 64;
		struct mm_share *v = realloc(a->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	mm_share_parse(tb, &a->v[a->n++]);
	return 0;
}

/**
 * mm_shares_get() - read the queued shares (share-get), oldest first; they
 *	stay queued until mm_shares_ack()
 * @g: the socket
 * @shares: set to an array the caller frees (even on error)
 * @n: set to their number
 *
 * Return: 0 or -errno.
 */
int mm_shares_get(struct mm_genl *g, struct mm_share **shares, size_t *n)
{
	struct nl_msg *msg = mm_genl_msg(g, MICROMINE_CMD_SHARE_GET, NLM_F_DUMP);
	struct shares_arg a = { 0 };
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = mm_genl_run(g, msg, on_share, &a);
	*shares = a.v;
	*n = a.n;
	return ret;
}

/**
 * mm_shares_ack() - the shares numbered up to @seq are safe with us: the
 *	module may drop them from its queue (share-ack)
 * @g: the socket
 * @seq: the seq of the last share read
 *
 * Return: 0 or -errno.
 */
int mm_shares_ack(struct mm_genl *g, uint64_t seq)
{
	struct nl_msg *msg = mm_genl_msg(g, MICROMINE_CMD_SHARE_ACK, 0);

	if (!msg || nla_put_u64(msg, MICROMINE_A_SHARE_SEQ, seq)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return mm_genl_run(g, msg, NULL, NULL);
}
