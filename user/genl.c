// SPDX-License-Identifier: GPL-2.0
/*
 * The micromine generic netlink family from userspace (libnl-genl).
 *
 * Errors come back as the kernel's extended ack: its message, and the
 * attribute it rejected or found missing, named here with the spec's
 * attribute names.  Replies are parsed with a policy per attribute set,
 * so that a short or odd attribute is rejected rather than read.
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <netlink/genl/ctrl.h>
#include <linux/netlink.h>

#include "genl.h"

/* The spec's attribute sets: names by attribute number, and policies. */
struct attr_set {
	const char *const *names;
	int max;
	struct nla_policy *policy;
};

static const char *const job_names[] = {
	[MICROMINE_A_JOB_JOB_ID] = "job-id",
	[MICROMINE_A_JOB_HEADER] = "header",
	[MICROMINE_A_JOB_TARGET] = "target",
	[MICROMINE_A_JOB_VERSION_MASK] = "version-mask",
	[MICROMINE_A_JOB_NONCE_START] = "nonce-start",
	[MICROMINE_A_JOB_NONCE_COUNT] = "nonce-count",
	[MICROMINE_A_JOB_CLEAN] = "clean",
	[MICROMINE_A_JOB_POSITION] = "position",
	[MICROMINE_A_JOB_PAD] = "pad",
	[MICROMINE_A_JOB_EVENT_SEQ] = "event-seq",
};

static struct nla_policy job_policy[MICROMINE_A_JOB_MAX + 1] = {
	[MICROMINE_A_JOB_JOB_ID] = { .type = NLA_U32 },
	[MICROMINE_A_JOB_POSITION] = { .type = NLA_U32 },
	[MICROMINE_A_JOB_EVENT_SEQ] = { .type = NLA_U64 },
};

static const char *const config_names[] = {
	[MICROMINE_A_CONFIG_ENABLED] = "enabled",
	[MICROMINE_A_CONFIG_CPUS] = "cpus",
	[MICROMINE_A_CONFIG_DUTY_CYCLE] = "duty-cycle",
	[MICROMINE_A_CONFIG_BACKEND] = "backend",
	[MICROMINE_A_CONFIG_CHUNK_MIN] = "chunk-min",
	[MICROMINE_A_CONFIG_CHUNK_MAX] = "chunk-max",
	[MICROMINE_A_CONFIG_BACKENDS] = "backends",
	[MICROMINE_A_CONFIG_SHARE_QUEUE_LEN] = "share-queue-len",
	[MICROMINE_A_CONFIG_EVENT_SEQ] = "event-seq",
	[MICROMINE_A_CONFIG_PAD] = "pad",
};

static struct nla_policy config_policy[MICROMINE_A_CONFIG_MAX + 1] = {
	[MICROMINE_A_CONFIG_ENABLED] = { .type = NLA_U8 },
	[MICROMINE_A_CONFIG_CPUS] = { .type = NLA_STRING },
	[MICROMINE_A_CONFIG_DUTY_CYCLE] = { .type = NLA_U8 },
	[MICROMINE_A_CONFIG_BACKEND] = { .type = NLA_STRING },
	[MICROMINE_A_CONFIG_CHUNK_MIN] = { .type = NLA_U32 },
	[MICROMINE_A_CONFIG_CHUNK_MAX] = { .type = NLA_U32 },
	[MICROMINE_A_CONFIG_BACKENDS] = { .type = NLA_STRING },
	[MICROMINE_A_CONFIG_SHARE_QUEUE_LEN] = { .type = NLA_U32 },
	[MICROMINE_A_CONFIG_EVENT_SEQ] = { .type = NLA_U64 },
};

static const char *const stats_names[] = {
	[MICROMINE_A_STATS_CPU] = "cpu",
	[MICROMINE_A_STATS_HASHES] = "hashes",
	[MICROMINE_A_STATS_HASHRATE] = "hashrate",
	[MICROMINE_A_STATS_SHARES] = "shares",
	[MICROMINE_A_STATS_STALE_SHARES] = "stale-shares",
	[MICROMINE_A_STATS_JOBS] = "jobs",
	[MICROMINE_A_STATS_JOBS_EXHAUSTED] = "jobs-exhausted",
	[MICROMINE_A_STATS_QUEUE_OVERFLOWS] = "queue-overflows",
	[MICROMINE_A_STATS_SHARES_QUEUED] = "shares-queued",
	[MICROMINE_A_STATS_MINING_NS] = "mining-ns",
	[MICROMINE_A_STATS_PAUSED_NS] = "paused-ns",
	[MICROMINE_A_STATS_SLICES] = "slices",
	[MICROMINE_A_STATS_VERSION_ROLLS] = "version-rolls",
	[MICROMINE_A_STATS_LAST_SLICE_NS] = "last-slice-ns",
	[MICROMINE_A_STATS_JOB_ID] = "job-id",
	[MICROMINE_A_STATS_ACTIVE] = "active",
	[MICROMINE_A_STATS_UPTIME_NS] = "uptime-ns",
	[MICROMINE_A_STATS_PAD] = "pad",
};

static struct nla_policy stats_policy[MICROMINE_A_STATS_MAX + 1] = {
	[MICROMINE_A_STATS_CPU] = { .type = NLA_U32 },
	[MICROMINE_A_STATS_HASHES] = { .type = NLA_U64 },
	[MICROMINE_A_STATS_HASHRATE] = { .type = NLA_U64 },
	[MICROMINE_A_STATS_SHARES] = { .type = NLA_U64 },
	[MICROMINE_A_STATS_STALE_SHARES] = { .type = NLA_U64 },
	[MICROMINE_A_STATS_JOBS] = { .type = NLA_U64 },
	[MICROMINE_A_STATS_JOBS_EXHAUSTED] = { .type = NLA_U64 },
	[MICROMINE_A_STATS_QUEUE_OVERFLOWS] = { .type = NLA_U64 },
	[MICROMINE_A_STATS_SHARES_QUEUED] = { .type = NLA_U32 },
	[MICROMINE_A_STATS_MINING_NS] = { .type = NLA_U64 },
	[MICROMINE_A_STATS_PAUSED_NS] = { .type = NLA_U64 },
	[MICROMINE_A_STATS_SLICES] = { .type = NLA_U64 },
	[MICROMINE_A_STATS_VERSION_ROLLS] = { .type = NLA_U64 },
	[MICROMINE_A_STATS_LAST_SLICE_NS] = { .type = NLA_U64 },
	[MICROMINE_A_STATS_JOB_ID] = { .type = NLA_U32 },
	[MICROMINE_A_STATS_ACTIVE] = { .type = NLA_U8 },
	[MICROMINE_A_STATS_UPTIME_NS] = { .type = NLA_U64 },
};

static const char *const share_names[] = {
	[MICROMINE_A_SHARE_JOB_ID] = "job-id",
	[MICROMINE_A_SHARE_NONCE] = "nonce",
	[MICROMINE_A_SHARE_VERSION] = "version",
	[MICROMINE_A_SHARE_HASH] = "hash",
	[MICROMINE_A_SHARE_CPU] = "cpu",
	[MICROMINE_A_SHARE_TIME_NS] = "time-ns",
	[MICROMINE_A_SHARE_STALE] = "stale",
	[MICROMINE_A_SHARE_SEQ] = "seq",
	[MICROMINE_A_SHARE_PAD] = "pad",
	[MICROMINE_A_SHARE_EVENT_SEQ] = "event-seq",
};

static struct nla_policy share_policy[MICROMINE_A_SHARE_MAX + 1] = {
	[MICROMINE_A_SHARE_JOB_ID] = { .type = NLA_U32 },
	[MICROMINE_A_SHARE_NONCE] = { .type = NLA_U32 },
	[MICROMINE_A_SHARE_VERSION] = { .type = NLA_U32 },
	[MICROMINE_A_SHARE_HASH] = { .minlen = MICROMINE_HASH_SIZE,
				     .maxlen = MICROMINE_HASH_SIZE },
	[MICROMINE_A_SHARE_CPU] = { .type = NLA_U32 },
	[MICROMINE_A_SHARE_TIME_NS] = { .type = NLA_U64 },
	[MICROMINE_A_SHARE_STALE] = { .type = NLA_FLAG },
	[MICROMINE_A_SHARE_SEQ] = { .type = NLA_U64 },
	[MICROMINE_A_SHARE_EVENT_SEQ] = { .type = NLA_U64 },
};

static const struct attr_set sets[] = {
	{ job_names, MICROMINE_A_JOB_MAX, job_policy },
	{ config_names, MICROMINE_A_CONFIG_MAX, config_policy },
	{ stats_names, MICROMINE_A_STATS_MAX, stats_policy },
	{ share_names, MICROMINE_A_SHARE_MAX, share_policy },
};

static const char *const cmd_names[] = {
	[MICROMINE_CMD_JOB_SUBMIT] = "job-submit",
	[MICROMINE_CMD_JOB_FLUSH] = "job-flush",
	[MICROMINE_CMD_CONFIG_GET] = "config-get",
	[MICROMINE_CMD_CONFIG_SET] = "config-set",
	[MICROMINE_CMD_STATS_GET] = "stats-get",
	[MICROMINE_CMD_SHARE_GET] = "share-get",
	[MICROMINE_CMD_SHARE_FOUND] = "share-found",
	[MICROMINE_CMD_JOB_STARTED] = "job-started",
	[MICROMINE_CMD_JOB_EXHAUSTED] = "job-exhausted",
	[MICROMINE_CMD_PAUSED] = "paused",
	[MICROMINE_CMD_RESUMED] = "resumed",
	[MICROMINE_CMD_SHARE_ACK] = "share-ack",
};

/* The attribute set of a command's messages. */
static const struct attr_set *set_of(uint8_t cmd)
{
	switch (cmd) {
	case MICROMINE_CMD_JOB_SUBMIT:
	case MICROMINE_CMD_JOB_FLUSH:
	case MICROMINE_CMD_JOB_STARTED:
	case MICROMINE_CMD_JOB_EXHAUSTED:
		return &sets[0];
	case MICROMINE_CMD_CONFIG_GET:
	case MICROMINE_CMD_CONFIG_SET:
	case MICROMINE_CMD_PAUSED:
	case MICROMINE_CMD_RESUMED:
		return &sets[1];
	case MICROMINE_CMD_STATS_GET:
		return &sets[2];
	case MICROMINE_CMD_SHARE_GET:
	case MICROMINE_CMD_SHARE_FOUND:
	case MICROMINE_CMD_SHARE_ACK:
		return &sets[3];
	}
	return NULL;
}

/**
 * mm_cmd_name() - a command's name in the spec
 * @cmd: the command
 *
 * Return: its name, or "unknown".
 */
const char *mm_cmd_name(uint8_t cmd)
{
	if (cmd < sizeof(cmd_names) / sizeof(cmd_names[0]) && cmd_names[cmd])
		return cmd_names[cmd];
	return "unknown";
}

/**
 * mm_attr_name() - an attribute's name in the spec
 * @cmd: a command whose attribute set holds it
 * @type: the attribute number
 *
 * Return: its name, or "unknown".
 */
const char *mm_attr_name(uint8_t cmd, int type)
{
	const struct attr_set *s = set_of(cmd);

	if (s && type > 0 && type <= s->max && s->names[type])
		return s->names[type];
	return "unknown";
}

struct request {
	struct mm_genl *g;
	mm_genl_cb cb;
	void *arg;
	int ret;
	int done;	/* the ack, the end of a dump or an error came */
};

static int on_done(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;

	(void)msg;
	r->done = 1;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct request *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *tb[MM_ATTR_MAX + 1];
	const struct attr_set *s = set_of(gnlh->cmd);
	int ret;

	if (!s || !genlmsg_valid_hdr(nlh, 0)) {
		r->ret = r->ret ?: -EPROTO;
		return NL_OK;
	}
	memset(tb, 0, sizeof(tb));
	ret = genlmsg_parse(nlh, 0, tb, s->max, s->policy);
	if (ret < 0) {
		snprintf(r->g->error, sizeof(r->g->error),
			 "malformed %s message from the kernel", mm_cmd_name(gnlh->cmd));
		r->ret = r->ret ?: -EPROTO;
		return NL_OK;
	}
	if (r->cb && !r->ret) {
		/* a failing callback ends the request, after its ack */
		ret = r->cb(gnlh->cmd, tb, nlh, r->arg);
		if (ret)
			r->ret = ret;
	}
	return NL_OK;
}

/* The attribute of the last request at byte @offs, or NULL. */
static struct nlattr *attr_at(struct mm_genl *g, uint32_t offs)
{
	struct nlmsghdr *nlh;

	if (!g->last)
		return NULL;
	nlh = nlmsg_hdr(g->last);
	if (offs < NLMSG_HDRLEN + GENL_HDRLEN || offs + NLA_HDRLEN > nlh->nlmsg_len)
		return NULL;
	return (struct nlattr *)((char *)nlh + offs);
}

static int on_error(struct sockaddr_nl *nla __attribute__((unused)), struct nlmsgerr *e,
		    void *arg)
{
	struct request *r = arg;
	struct mm_genl *g = r->g;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1], *bad;
	uint8_t cmd = g->last ? ((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(g->last)))->cmd : 0;
	const char *msg = NULL;
	char what[128] = "";
	int offs;

	r->done = 1;
	r->ret = e->error ? e->error : -EIO;
	memset(tb, 0, sizeof(tb));
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		/* the TLVs follow the error and, unless capped, the request */
		offs = NLMSG_HDRLEN + sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			offs += e->msg.nlmsg_len - sizeof(e->msg);
		if (offs < (int)nlh->nlmsg_len)
			nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + offs),
				  nlh->nlmsg_len - offs, NULL);
	}
	if (tb[NLMSGERR_ATTR_MSG])
		msg = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) == 4) {
		bad = attr_at(g, nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
		if (bad)
			snprintf(what, sizeof(what), " (attribute %s)",
				 mm_attr_name(cmd, nla_type(bad)));
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE] && nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) == 4)
		snprintf(what, sizeof(what), " (missing attribute %s)",
			 mm_attr_name(cmd, nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE])));
	snprintf(g->error, sizeof(g->error), "%s%s", msg && *msg ? msg : strerror(-r->ret),
		 what);
	return NL_STOP;
}

static int set_option(struct nl_sock *sock, int option)
{
	int one = 1;

	return setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, option, &one, sizeof(one));
}

/* A connected generic netlink socket in @g, nothing else set up yet. */
static int connect_sock(struct mm_genl *g)
{
	memset(g, 0, sizeof(*g));
	g->sock = nl_socket_alloc();
	if (!g->sock)
		return -ENOMEM;
	if (genl_connect(g->sock) < 0) {
		int err = errno;

		nl_socket_free(g->sock);
		g->sock = NULL;
		return -err ?: -EIO;
	}
	return 0;
}

/**
 * mm_genl_open() - connect to the family
 * @g: filled in
 *
 * Return: 0, -ENOENT if the family does not exist (the module is not
 * loaded, or this network namespace does not see it), -errno else.
 */
int mm_genl_open(struct mm_genl *g)
{
	int ret = connect_sock(g);

	if (ret)
		return ret;
	/* the kernel's error messages, and requests not echoed in errors */
	set_option(g->sock, NETLINK_EXT_ACK);
	set_option(g->sock, NETLINK_CAP_ACK);
	g->family = genl_ctrl_resolve(g->sock, MICROMINE_FAMILY_NAME);
	if (g->family < 0) {
		ret = -ENOENT;
		goto fail;
	}
	g->events = genl_ctrl_resolve_grp(g->sock, MICROMINE_FAMILY_NAME,
					  MICROMINE_MCGRP_EVENTS);
	if (g->events < 0) {
		ret = -ENOENT;
		goto fail;
	}
	return 0;

fail:
	mm_genl_close(g);
	return ret;
}

void mm_genl_close(struct mm_genl *g)
{
	nlmsg_free(g->last);
	g->last = NULL;
	if (g->sock)
		nl_socket_free(g->sock);
	g->sock = NULL;
}

/**
 * mm_genl_msg() - a new request
 * @g: the socket
 * @cmd: the command
 * @flags: 0, or NLM_F_DUMP
 *
 * Return: the message, to fill with nla_put_*() and pass to
 * mm_genl_run(), or NULL.
 */
struct nl_msg *mm_genl_msg(struct mm_genl *g, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0, flags, cmd,
			 MICROMINE_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * mm_genl_run() - send a request and take its replies
 * @g: the socket
 * @msg: the request, from mm_genl_msg(); mm_genl_run() owns it now
 * @cb: called for each reply, may be NULL; a non-zero return ends the
 *	request with that value
 * @arg: passed to @cb
 *
 * Return: 0, or -errno with the kernel's explanation in @g->error.
 */
int mm_genl_run(struct mm_genl *g, struct nl_msg *msg, mm_genl_cb cb, void *arg)
{
	struct request r = { .g = g, .cb = cb, .arg = arg };
	struct nl_cb *c;
	int ret;

	g->error[0] = 0;
	nlmsg_free(g->last);
	g->last = msg;
	c = nl_cb_alloc(NL_CB_DEFAULT);
	if (!c)
		return g->err = -ENOMEM;
	nl_cb_set(c, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &r);
	nl_cb_set(c, NL_CB_ACK, NL_CB_CUSTOM, on_done, &r);
	nl_cb_set(c, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &r);
	nl_cb_err(c, NL_CB_CUSTOM, on_error, &r);
	ret = nl_send_auto(g->sock, msg);
	/* replies come before the ack: read on until it (or an error) */
	while (ret >= 0 && !r.done)
		ret = nl_recvmsgs(g->sock, c);
	nl_cb_put(c);
	if (!r.ret && ret < 0) {
		r.ret = -EIO;
		snprintf(g->error, sizeof(g->error), "netlink: %s", nl_geterror(ret));
	}
	if (r.ret && !g->error[0])
		snprintf(g->error, sizeof(g->error), "%s", strerror(-r.ret));
	return g->err = r.ret;
}

/* events come with sequence number 0: there is nothing to check */
static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/* Callbacks for unsolicited messages (events, notifications): @fn each. */
static struct nl_cb *notice_cb(nl_recvmsg_msg_cb_t fn, void *arg)
{
	struct nl_cb *c = nl_cb_alloc(NL_CB_DEFAULT);

	if (c) {
		nl_cb_set(c, NL_CB_VALID, NL_CB_CUSTOM, fn, arg);
		nl_cb_set(c, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	}
	return c;
}

/* nl_recvmsgs()'s failure as an errno: -ENOBUFS when messages were lost. */
static int notice_err(int ret)
{
	return ret == -NLE_NOMEM ? -ENOBUFS : -EIO;
}

/**
 * mm_genl_subscribe() - receive the family's events on this socket
 * @g: the socket; use it for events only from now on
 *
 * Return: 0, -EPERM without CAP_NET_ADMIN (the reason in @g->error), or
 * another -errno.
 */
int mm_genl_subscribe(struct mm_genl *g)
{
	int ret;

	nl_socket_disable_seq_check(g->sock);
	/* room for bursts of shares before the kernel has to drop events */
	nl_socket_set_buffer_size(g->sock, 1 << 20, 0);
	/* the group is for CAP_NET_ADMIN only, like share-get */
	ret = nl_socket_add_membership(g->sock, g->events);
	if (ret == -NLE_PERM) {
		snprintf(g->error, sizeof(g->error),
			 "listening to the events needs CAP_NET_ADMIN (run as root)");
		return g->err = -EPERM;
	}
	return ret < 0 ? -EIO : 0;
}

/**
 * mm_genl_events() - wait for events and pass them to @cb
 * @g: a subscribed socket
 * @timeout_ms: how long to wait, -1 for ever
 * @cb: called for each event
 * @arg: passed to @cb
 *
 * Return: 1 if events were read, 0 on timeout, -ENOBUFS if the kernel
 * dropped events because the socket was full (shares are still in the
 * queue for share-get), other -errno, or @cb's non-zero return.
 */
int mm_genl_events(struct mm_genl *g, int timeout_ms, mm_genl_cb cb, void *arg)
{
	struct request r = { .g = g, .cb = cb, .arg = arg };
	struct pollfd pfd = { .fd = nl_socket_get_fd(g->sock), .events = POLLIN };
	struct nl_cb *c;
	int ret;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret <= 0)
		return ret < 0 ? -errno : 0;
	c = notice_cb(on_valid, &r);
	if (!c)
		return -ENOMEM;
	ret = nl_recvmsgs(g->sock, c);
	nl_cb_put(c);
	if (r.ret)
		return r.ret;
	return ret < 0 ? notice_err(ret) : 1;
}

/**
 * mm_genl_watch() - hear of the family coming and going
 * @g: filled in: a socket on nlctrl's notifications, for
 *	mm_genl_family_news() only
 *
 * The kernel's generic netlink controller tells every listener when a
 * family is registered (module loaded) or unregistered (unloaded), so
 * that a long-running tool need not find out through a failed request.
 * Joining its group needs no privilege.
 *
 * Return: 0 or -errno.
 */
int mm_genl_watch(struct mm_genl *g)
{
	int ret = connect_sock(g), grp;

	if (ret)
		return ret;
	grp = genl_ctrl_resolve_grp(g->sock, "nlctrl", "notify");
	if (grp < 0 || nl_socket_add_membership(g->sock, grp) < 0) {
		mm_genl_close(g);
		return -ENOENT;
	}
	g->family = GENL_ID_CTRL;
	nl_socket_set_nonblocking(g->sock);
	return 0;
}

static int on_ctrl(struct nl_msg *msg, void *arg)
{
	struct mm_family_news *news = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (nlh->nlmsg_type != GENL_ID_CTRL || !genlmsg_valid_hdr(nlh, 0) ||
	    genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_NAME] || !tb[CTRL_ATTR_FAMILY_ID] ||
	    strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), MICROMINE_FAMILY_NAME))
		return NL_OK;
	if (gnlh->cmd == CTRL_CMD_NEWFAMILY)
		news->added = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	else if (gnlh->cmd == CTRL_CMD_DELFAMILY)
		news->removed = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return NL_OK;
}

/**
 * mm_genl_family_news() - what happened to the family since the last look
 * @g: a socket from mm_genl_watch()
 * @news: filled in: the ids of the family last registered and last
 *	unregistered in what was pending, 0 for none
 *
 * Return: 0, or -ENOBUFS if notifications were lost (the socket was full:
 * anything may have happened), other -errno.
 */
int mm_genl_family_news(struct mm_genl *g, struct mm_family_news *news)
{
	struct nl_cb *c;
	int ret;

	memset(news, 0, sizeof(*news));
	c = notice_cb(on_ctrl, news);
	if (!c)
		return -ENOMEM;
	do
		ret = nl_recvmsgs(g->sock, c);
	while (ret >= 0);
	nl_cb_put(c);
	return ret == -NLE_AGAIN ? 0 : notice_err(ret);
}
