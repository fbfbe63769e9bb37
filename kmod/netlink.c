// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "micromine", as specified in
 * Documentation/netlink/specs/micromine.yaml.  The operations and their
 * policies are written out here rather than generated, so that they build
 * on 5.10 and 6.1 as well; the tests check them against the spec.
 *
 * The family exists in the initial network namespace only (the miner is
 * one machine-wide resource): other namespaces do not see it.  Its
 * operations serialize on the locks of what they touch, not on genetlink's
 * mutex (parallel_ops): a slow one then holds up no other family.
 */

#include <linux/ktime.h>
#include <linux/rwsem.h>
#include <net/genetlink.h>
#include <uapi/linux/micromine.h>

#include "backend.h"
#include "compat.h"
#include "config.h"
#include "job.h"
#include "netlink.h"
#include "share.h"
#include "stats.h"

/* not const: the policy's pointer to them is not before 6.12 */
static struct netlink_range_validation nonce_count_range = {
	.min = 1,
	.max = 1ULL << 32,
};

static struct netlink_range_validation chunk_range = {
	.min = MICROMINE_CHUNK_MIN,
	.max = MICROMINE_CHUNK_MAX,
};

static const struct nla_policy job_submit_policy[MICROMINE_A_JOB_CLEAN + 1] = {
	[MICROMINE_A_JOB_JOB_ID] = { .type = NLA_U32 },
	[MICROMINE_A_JOB_HEADER] = NLA_POLICY_EXACT_LEN(MICROMINE_HEADER_SIZE),
	[MICROMINE_A_JOB_TARGET] = NLA_POLICY_EXACT_LEN(MICROMINE_HASH_SIZE),
	[MICROMINE_A_JOB_VERSION_MASK] = { .type = NLA_U32 },
	[MICROMINE_A_JOB_NONCE_START] = { .type = NLA_U32 },
	[MICROMINE_A_JOB_NONCE_COUNT] = NLA_POLICY_FULL_RANGE(NLA_U64, &nonce_count_range),
	[MICROMINE_A_JOB_CLEAN] = { .type = NLA_FLAG },
};

static const struct nla_policy config_set_policy[MICROMINE_A_CONFIG_CHUNK_MAX + 1] = {
	[MICROMINE_A_CONFIG_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
	[MICROMINE_A_CONFIG_CPUS] = { .type = NLA_NUL_STRING, .len = MICROMINE_CPULIST_LEN },
	[MICROMINE_A_CONFIG_DUTY_CYCLE] = NLA_POLICY_RANGE(NLA_U8, 1, 100),
	[MICROMINE_A_CONFIG_BACKEND] = { .type = NLA_NUL_STRING,
					 .len = MICROMINE_BACKEND_NAME_LEN },
	[MICROMINE_A_CONFIG_CHUNK_MIN] = NLA_POLICY_FULL_RANGE(NLA_U32, &chunk_range),
	[MICROMINE_A_CONFIG_CHUNK_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &chunk_range),
};

/*
 * For the operations that take no attribute: without a policy genetlink
 * would ignore what is sent, with this one it rejects it.
 */
static const struct nla_policy no_attrs_policy[2] = {
	[1] = { .type = NLA_REJECT },
};

static const struct nla_policy share_ack_policy[MICROMINE_A_SHARE_SEQ + 1] = {
	[MICROMINE_A_SHARE_SEQ] = { .type = NLA_U64 },
};

static struct genl_family mine_family;

/* events are sent only while the family is registered */
static DECLARE_RWSEM(events_sem);
static bool events_ready;
static atomic64_t event_seq;

/**
 * mine_nl_event_seq() - the number of a change an event will report
 *
 * Context: under the lock of the change, so that numbers follow the
 * order of the changes; events are sent after unlocking, and listeners
 * put them back in order by it.
 * Return: the number, one more than the last one given.
 */
u64 mine_nl_event_seq(void)
{
	return atomic64_inc_return(&event_seq);
}

static int job_submit_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct mine_job_desc d = {};
	struct sk_buff *msg;
	u64 event_seq;
	void *hdr;
	u32 position;
	int ret;

	if (!a[MICROMINE_A_JOB_HEADER]) {
		NL_SET_ERR_MSG(info->extack, "job-submit needs a header");
		mine_attr_missing(info->extack, MICROMINE_A_JOB_HEADER);
		return -EINVAL;
	}
	if (!a[MICROMINE_A_JOB_TARGET]) {
		NL_SET_ERR_MSG(info->extack, "job-submit needs a target");
		mine_attr_missing(info->extack, MICROMINE_A_JOB_TARGET);
		return -EINVAL;
	}
	d.header = nla_data(a[MICROMINE_A_JOB_HEADER]);
	d.target = nla_data(a[MICROMINE_A_JOB_TARGET]);
	if (a[MICROMINE_A_JOB_JOB_ID])
		d.id = nla_get_u32(a[MICROMINE_A_JOB_JOB_ID]);
	if (a[MICROMINE_A_JOB_VERSION_MASK])
		d.version_mask = nla_get_u32(a[MICROMINE_A_JOB_VERSION_MASK]);
	if (a[MICROMINE_A_JOB_NONCE_START])
		d.nonce_start = nla_get_u32(a[MICROMINE_A_JOB_NONCE_START]);
	if (a[MICROMINE_A_JOB_NONCE_COUNT])
		d.nonce_count = nla_get_u64(a[MICROMINE_A_JOB_NONCE_COUNT]);
	else
		d.nonce_count = (1ULL << 32) - d.nonce_start;
	d.clean = nla_get_flag(a[MICROMINE_A_JOB_CLEAN]);
	if ((u64)d.nonce_start + d.nonce_count > (1ULL << 32)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[MICROMINE_A_JOB_NONCE_COUNT] ?:
				    a[MICROMINE_A_JOB_NONCE_START],
				    "nonce-start + nonce-count is beyond 2^32");
		return -EINVAL;
	}

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = mine_job_submit(&d, &position, &event_seq, info->extack);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	hdr = genlmsg_put_reply(msg, info, &mine_family, 0, MICROMINE_CMD_JOB_SUBMIT);
	if (!hdr || nla_put_u32(msg, MICROMINE_A_JOB_JOB_ID, d.id) ||
	    nla_put_u32(msg, MICROMINE_A_JOB_POSITION, position) ||
	    nla_put_u64_64bit(msg, MICROMINE_A_JOB_EVENT_SEQ, event_seq, MICROMINE_A_JOB_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int job_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	mine_job_flush();
	return 0;
}

static int put_config(struct sk_buff *msg)
{
	const struct mine_config *c;
	struct nlattr *cpus;
	unsigned int i;
	int len, ret = 0;

	rcu_read_lock();
	c = rcu_dereference(mine_config);
	/*
	 * The CPU list, printed straight into the message; no longer than
	 * the spec's bound, which mine_config_change() keeps every list to.
	 */
	len = snprintf(NULL, 0, "%*pbl", cpumask_pr_args(&c->cpus)) + 1;
	if (WARN_ON_ONCE(len > MICROMINE_CPULIST_LEN + 1)) {
		rcu_read_unlock();
		return -EMSGSIZE;
	}
	cpus = nla_reserve(msg, MICROMINE_A_CONFIG_CPUS, len);
	if (!cpus || nla_put_u8(msg, MICROMINE_A_CONFIG_ENABLED, c->enabled) ||
	    nla_put_u8(msg, MICROMINE_A_CONFIG_DUTY_CYCLE, c->duty_cycle) ||
	    nla_put_string(msg, MICROMINE_A_CONFIG_BACKEND, c->backend->name) ||
	    nla_put_u32(msg, MICROMINE_A_CONFIG_CHUNK_MIN, c->chunk_min) ||
	    nla_put_u32(msg, MICROMINE_A_CONFIG_CHUNK_MAX, c->chunk_max))
		ret = -EMSGSIZE;
	else
		snprintf(nla_data(cpus), len, "%*pbl", cpumask_pr_args(&c->cpus));
	rcu_read_unlock();
	if (ret)
		return ret;

	for (i = 0; i < mine_backend_count; i++)
		if (mine_backend_offered(&mine_backend_infos[i]) &&
		    nla_put_string(msg, MICROMINE_A_CONFIG_BACKENDS,
				   mine_backend_infos[i].backend->name))
			return -EMSGSIZE;
	if (nla_put_u32(msg, MICROMINE_A_CONFIG_SHARE_QUEUE_LEN, mine_shares_capacity()))
		return -EMSGSIZE;
	return 0;
}

static int config_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &mine_family, 0, MICROMINE_CMD_CONFIG_GET);
	if (!hdr || put_config(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct mine_config_change ch = {};

	if (a[MICROMINE_A_CONFIG_ENABLED]) {
		ch.set |= MINE_SET_ENABLED;
		ch.enabled = nla_get_u8(a[MICROMINE_A_CONFIG_ENABLED]);
	}
	if (a[MICROMINE_A_CONFIG_DUTY_CYCLE]) {
		ch.set |= MINE_SET_DUTY_CYCLE;
		ch.duty_cycle = nla_get_u8(a[MICROMINE_A_CONFIG_DUTY_CYCLE]);
	}
	if (a[MICROMINE_A_CONFIG_BACKEND]) {
		ch.set |= MINE_SET_BACKEND;
		ch.backend = nla_data(a[MICROMINE_A_CONFIG_BACKEND]);
	}
	if (a[MICROMINE_A_CONFIG_CHUNK_MIN]) {
		ch.set |= MINE_SET_CHUNK_MIN;
		ch.chunk_min = nla_get_u32(a[MICROMINE_A_CONFIG_CHUNK_MIN]);
	}
	if (a[MICROMINE_A_CONFIG_CHUNK_MAX]) {
		ch.set |= MINE_SET_CHUNK_MAX;
		ch.chunk_max = nla_get_u32(a[MICROMINE_A_CONFIG_CHUNK_MAX]);
	}
	if (a[MICROMINE_A_CONFIG_CPUS]) {
		ch.set |= MINE_SET_CPUS;
		ch.cpus = nla_data(a[MICROMINE_A_CONFIG_CPUS]);
	}
	if (!ch.set)
		return 0;
	return mine_config_change(&ch, info->extack);
}

static int put_u64(struct sk_buff *msg, int attr, u64 v, int pad)
{
	return nla_put_u64_64bit(msg, attr, v, pad);
}

static int stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	const int pad = MICROMINE_A_STATS_PAD;
	struct mine_counts sum;
	struct sk_buff *msg;
	void *hdr;
	u32 job_id;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &mine_family, 0, MICROMINE_CMD_STATS_GET);
	if (!hdr)
		goto nospace;
	mine_stats_sum(&sum);
	if (put_u64(msg, MICROMINE_A_STATS_HASHES, sum.hashes, pad) ||
	    put_u64(msg, MICROMINE_A_STATS_HASHRATE, mine_stats_hashrate(-1), pad) ||
	    put_u64(msg, MICROMINE_A_STATS_SHARES, sum.shares, pad) ||
	    put_u64(msg, MICROMINE_A_STATS_STALE_SHARES,
		    atomic64_read(&mine_stats.stale_shares), pad) ||
	    put_u64(msg, MICROMINE_A_STATS_JOBS, atomic64_read(&mine_stats.jobs), pad) ||
	    put_u64(msg, MICROMINE_A_STATS_JOBS_EXHAUSTED,
		    atomic64_read(&mine_stats.jobs_exhausted), pad) ||
	    put_u64(msg, MICROMINE_A_STATS_QUEUE_OVERFLOWS,
		    atomic64_read(&mine_stats.queue_overflows), pad) ||
	    nla_put_u32(msg, MICROMINE_A_STATS_SHARES_QUEUED, mine_shares_queued()) ||
	    put_u64(msg, MICROMINE_A_STATS_MINING_NS, sum.mining_ns, pad) ||
	    put_u64(msg, MICROMINE_A_STATS_PAUSED_NS, sum.paused_ns, pad) ||
	    put_u64(msg, MICROMINE_A_STATS_SLICES, sum.slices, pad) ||
	    put_u64(msg, MICROMINE_A_STATS_VERSION_ROLLS, sum.rolls, pad) ||
	    put_u64(msg, MICROMINE_A_STATS_UPTIME_NS, ktime_get_ns() - mine_stats.load_ns, pad))
		goto nospace;
	if (mine_job_current_id(&job_id) && nla_put_u32(msg, MICROMINE_A_STATS_JOB_ID, job_id))
		goto nospace;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int put_cpu_stats(struct sk_buff *skb, struct netlink_callback *cb, int cpu)
{
	const int pad = MICROMINE_A_STATS_PAD;
	struct mine_counts s;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &mine_family, NLM_F_MULTI, MICROMINE_CMD_STATS_GET);
	if (!hdr)
		return -EMSGSIZE;
	mine_stats_read(cpu, &s);
	if (nla_put_u32(skb, MICROMINE_A_STATS_CPU, cpu) ||
	    put_u64(skb, MICROMINE_A_STATS_HASHES, s.hashes, pad) ||
	    put_u64(skb, MICROMINE_A_STATS_HASHRATE, mine_stats_hashrate(cpu), pad) ||
	    put_u64(skb, MICROMINE_A_STATS_SHARES, s.shares, pad) ||
	    put_u64(skb, MICROMINE_A_STATS_MINING_NS, s.mining_ns, pad) ||
	    put_u64(skb, MICROMINE_A_STATS_PAUSED_NS, s.paused_ns, pad) ||
	    put_u64(skb, MICROMINE_A_STATS_SLICES, s.slices, pad) ||
	    put_u64(skb, MICROMINE_A_STATS_VERSION_ROLLS, s.rolls, pad) ||
	    put_u64(skb, MICROMINE_A_STATS_LAST_SLICE_NS, s.last_slice_ns, pad) ||
	    nla_put_u32(skb, MICROMINE_A_STATS_JOB_ID, s.job_id) ||
	    nla_put_u8(skb, MICROMINE_A_STATS_ACTIVE, s.active)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* One message per possible CPU; cb->args[0] is the next CPU. */
static int stats_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	int cpu;

	for (cpu = cb->args[0]; cpu < nr_cpu_ids; cpu++) {
		if (!cpu_possible(cpu))
			continue;
		if (put_cpu_stats(skb, cb, cpu))
			break;
	}
	cb->args[0] = cpu;
	return skb->len;
}

static int put_share(struct sk_buff *skb, const struct mine_share *s, bool event)
{
	const int pad = MICROMINE_A_SHARE_PAD;

	if (nla_put_u32(skb, MICROMINE_A_SHARE_JOB_ID, s->job_id) ||
	    nla_put_u32(skb, MICROMINE_A_SHARE_NONCE, s->nonce) ||
	    nla_put_u32(skb, MICROMINE_A_SHARE_VERSION, s->version) ||
	    nla_put(skb, MICROMINE_A_SHARE_HASH, MICROMINE_HASH_SIZE, s->hash) ||
	    nla_put_u32(skb, MICROMINE_A_SHARE_CPU, s->cpu) ||
	    put_u64(skb, MICROMINE_A_SHARE_TIME_NS, s->time_ns, pad) ||
	    (s->stale && nla_put_flag(skb, MICROMINE_A_SHARE_STALE)) ||
	    put_u64(skb, MICROMINE_A_SHARE_SEQ, s->seq, pad) ||
	    (event && put_u64(skb, MICROMINE_A_SHARE_EVENT_SEQ, s->event_seq, pad)))
		return -EMSGSIZE;
	return 0;
}

/*
 * The queued shares, oldest first; they stay queued until share-ack.
 * cb->args[0] and [1] hold the sequence number to go on from, in two
 * halves (an args[] is a long: 32 bits on 32-bit machines).
 */
static int share_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	u64 next = (u64)(u32)cb->args[1] << 32 | (u32)cb->args[0];
	struct mine_share s;
	void *hdr;

	while (mine_share_peek(next, &s)) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &mine_family, NLM_F_MULTI, MICROMINE_CMD_SHARE_GET);
		if (!hdr)
			break;
		if (put_share(skb, &s, false)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		next = s.seq + 1;
	}
	cb->args[0] = lower_32_bits(next);
	cb->args[1] = upper_32_bits(next);
	return skb->len;
}

static int share_ack_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (!info->attrs[MICROMINE_A_SHARE_SEQ]) {
		NL_SET_ERR_MSG(info->extack, "share-ack needs the seq of the last share read");
		mine_attr_missing(info->extack, MICROMINE_A_SHARE_SEQ);
		return -EINVAL;
	}
	mine_share_ack(nla_get_u64(info->attrs[MICROMINE_A_SHARE_SEQ]));
	return 0;
}

static const struct genl_ops mine_ops[] = {
	{
		.cmd = MICROMINE_CMD_JOB_SUBMIT,
		.doit = job_submit_doit,
		.policy = job_submit_policy,
		.maxattr = ARRAY_SIZE(job_submit_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MICROMINE_CMD_JOB_FLUSH,
		.doit = job_flush_doit,
		.policy = no_attrs_policy,
		.maxattr = ARRAY_SIZE(no_attrs_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MICROMINE_CMD_CONFIG_GET,
		.doit = config_get_doit,
		.policy = no_attrs_policy,
		.maxattr = ARRAY_SIZE(no_attrs_policy) - 1,
	},
	{
		.cmd = MICROMINE_CMD_CONFIG_SET,
		.doit = config_set_doit,
		.policy = config_set_policy,
		.maxattr = ARRAY_SIZE(config_set_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MICROMINE_CMD_STATS_GET,
		.doit = stats_get_doit,
		.dumpit = stats_get_dumpit,
		.policy = no_attrs_policy,
		.maxattr = ARRAY_SIZE(no_attrs_policy) - 1,
	},
	{
		.cmd = MICROMINE_CMD_SHARE_GET,
		.dumpit = share_get_dumpit,
		.policy = no_attrs_policy,
		.maxattr = ARRAY_SIZE(no_attrs_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MICROMINE_CMD_SHARE_ACK,
		.doit = share_ack_doit,
		.policy = share_ack_policy,
		.maxattr = ARRAY_SIZE(share_ack_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
};

/* share-found tells what share-get does: the same privilege to listen */
static struct genl_multicast_group mine_mcgrps[] __ro_after_init = {
	{ .name = MICROMINE_MCGRP_EVENTS, },
};

static struct genl_family mine_family __ro_after_init = {
	.name = MICROMINE_FAMILY_NAME,
	.version = MICROMINE_FAMILY_VERSION,
	.module = THIS_MODULE,
	.parallel_ops = true,
	.ops = mine_ops,
	.n_ops = ARRAY_SIZE(mine_ops),
	.mcgrps = mine_mcgrps,
	.n_mcgrps = ARRAY_SIZE(mine_mcgrps),
};

/*
 * An event to the events group, if the family is up and someone listens.
 * @size is its attributes' size: the message is no larger, so that a
 * listener's socket holds as many events as it can.
 */
static void notify(u8 cmd, size_t size, int (*fill)(struct sk_buff *skb, const void *arg),
		   const void *arg)
{
	struct sk_buff *skb;
	void *hdr;

	down_read(&events_sem);
	if (!events_ready || !genl_has_listeners(&mine_family, &init_net, 0))
		goto out;
	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		goto out;
	hdr = genlmsg_put(skb, 0, 0, &mine_family, 0, cmd);
	if (!hdr || fill(skb, arg)) {
		nlmsg_free(skb);
		goto out;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&mine_family, skb, 0, 0, GFP_KERNEL);
out:
	up_read(&events_sem);
}

static int fill_share(struct sk_buff *skb, const void *arg)
{
	return put_share(skb, arg, true);
}

/**
 * struct job_event - what a job event tells
 * @id: the job's id
 * @seq: see mine_nl_event_seq()
 */
struct job_event {
	u32 id;
	u64 seq;
};

static int fill_job(struct sk_buff *skb, const void *arg)
{
	const struct job_event *e = arg;

	return nla_put_u32(skb, MICROMINE_A_JOB_JOB_ID, e->id) ||
	       put_u64(skb, MICROMINE_A_JOB_EVENT_SEQ, e->seq, MICROMINE_A_JOB_PAD);
}

/**
 * struct enabled_event - what a paused or resumed event tells
 * @enabled: mining may go on
 * @seq: see mine_nl_event_seq()
 */
struct enabled_event {
	bool enabled;
	u64 seq;
};

static int fill_enabled(struct sk_buff *skb, const void *arg)
{
	const struct enabled_event *e = arg;

	return nla_put_u8(skb, MICROMINE_A_CONFIG_ENABLED, e->enabled) ||
	       put_u64(skb, MICROMINE_A_CONFIG_EVENT_SEQ, e->seq, MICROMINE_A_CONFIG_PAD);
}

/**
 * mine_nl_notify_share() - announce a share (share-found)
 * @s: the share
 */
void mine_nl_notify_share(const struct mine_share *s)
{
	size_t size = 4 * nla_total_size(sizeof(u32)) + nla_total_size(MICROMINE_HASH_SIZE) +
		      3 * nla_total_size_64bit(sizeof(u64)) + nla_total_size(0);

	notify(MICROMINE_CMD_SHARE_FOUND, size, fill_share, s);
}

/**
 * mine_nl_notify_job() - announce that a job started or was exhausted
 * @cmd: MICROMINE_CMD_JOB_STARTED or MICROMINE_CMD_JOB_EXHAUSTED
 * @id: the job's id
 * @seq: the event's number, from mine_nl_event_seq()
 */
void mine_nl_notify_job(u8 cmd, u32 id, u64 seq)
{
	struct job_event e = { .id = id, .seq = seq };

	notify(cmd, nla_total_size(sizeof(u32)) + nla_total_size_64bit(sizeof(u64)),
	       fill_job, &e);
}

/**
 * mine_nl_notify_enabled() - announce that the miner was paused or resumed
 * @enabled: true if it was resumed
 * @seq: the event's number, from mine_nl_event_seq()
 */
void mine_nl_notify_enabled(bool enabled, u64 seq)
{
	struct enabled_event e = { .enabled = enabled, .seq = seq };

	notify(enabled ? MICROMINE_CMD_RESUMED : MICROMINE_CMD_PAUSED,
	       nla_total_size(sizeof(u8)) + nla_total_size_64bit(sizeof(u64)),
	       fill_enabled, &e);
}

int __init mine_netlink_init(void)
{
	int ret;

	mine_genl_strict(&mine_family, MICROMINE_CMD_JOB_SUBMIT);
	if (!mine_mcgrp_admin_only(&mine_mcgrps[0]))
		pr_notice("micromine: this kernel lets anyone listen to the events (shares included): it cannot restrict a multicast group\n");
	ret = genl_register_family(&mine_family);
	if (ret)
		return ret;
	down_write(&events_sem);
	events_ready = true;
	up_write(&events_sem);
	return 0;
}

void mine_netlink_exit(void)
{
	down_write(&events_sem);
	events_ready = false;
	up_write(&events_sem);
	genl_unregister_family(&mine_family);
}
