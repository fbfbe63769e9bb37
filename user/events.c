// SPDX-License-Identifier: GPL-2.0
/*
 * micromine events: follow the module's announcements, one line each.
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "micromine.h"

static const char usage[] =
	"Usage: micromine events [--json] [--count N] [--timeout SECONDS]\n"
	"\n"
	"Follow the module's events, one line each: share-found, job-started,\n"
	"job-exhausted, paused, resumed, each with its event number, in the\n"
	"order of the changes they report; and overrun if events were lost\n"
	"because this reader fell behind (the shares are still queued:\n"
	"share-get).  Needs CAP_NET_ADMIN, as taking shares does.\n"
	"\n"
	"  -j, --json         one JSON object per line (fields in micromine(8))\n"
	"  -n, --count N      exit 0 after N events\n"
	"  -t, --timeout S    exit 5 after S seconds, unless --count came first\n";

/**
 * struct event - an event read, to be printed in the module's order
 * @cmd: what it is
 * @seq: its event number
 * @id: the job's id (job events)
 * @share: the share (share-found)
 */
struct event {
	uint8_t cmd;
	uint64_t seq;
	uint32_t id;
	struct mm_share share;
};

/**
 * struct state - what cmd_events() keeps
 * @json: print JSON
 * @seen: events printed
 * @count: stop after this many (0: never)
 * @v: the events of one read
 * @n: how many
 */
struct state {
	bool json;
	uint32_t seen;
	uint32_t count;
	struct event v[128];
	int n;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_share(const struct mm_share *s, bool json)
{
	char hash[2 * MICROMINE_HASH_SIZE + 1];

	mm_hex_encode(s->hash, MICROMINE_HASH_SIZE, true, hash);
	if (json) {
		mm_json_print(json_pack("{s:s,s:i,s:I,s:I,s:s,s:i,s:I,s:I,s:b,s:I}",
					"event", "share-found", "job_id", (int)s->job_id,
					"nonce", (json_int_t)s->nonce,
					"version", (json_int_t)s->version, "hash", hash,
					"cpu", (int)s->cpu, "time_ns", (json_int_t)s->time_ns,
					"seq", (json_int_t)s->seq, "stale", s->stale,
					"event_seq", (json_int_t)s->event_seq));
		return;
	}
	printf("share-found job %u nonce %u version %08x hash %s cpu %u seq %llu%s event %llu\n",
	       s->job_id, s->nonce, s->version, hash, s->cpu, (unsigned long long)s->seq,
	       s->stale ? " stale" : "", (unsigned long long)s->event_seq);
}

static void print_event(const struct event *e, bool json)
{
	const char *name = mm_cmd_name(e->cmd);

	switch (e->cmd) {
	case MICROMINE_CMD_SHARE_FOUND:
		print_share(&e->share, json);
		break;
	case MICROMINE_CMD_JOB_STARTED:
	case MICROMINE_CMD_JOB_EXHAUSTED:
		if (json)
			mm_json_print(json_pack("{s:s,s:I,s:I}", "event", name, "job_id",
						(json_int_t)e->id, "event_seq", (json_int_t)e->seq));
		else
			printf("%s job %u event %llu\n", name, e->id, (unsigned long long)e->seq);
		break;
	default:
		if (json)
			mm_json_print(json_pack("{s:s,s:I}", "event", name,
						"event_seq", (json_int_t)e->seq));
		else
			printf("%s event %llu\n", name, (unsigned long long)e->seq);
	}
}

static int by_seq(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Print the events read, in the order of the changes they report. */
static void flush_events(struct state *st)
{
	int i;

	qsort(st->v, st->n, sizeof(st->v[0]), by_seq);
	for (i = 0; i < st->n && (!st->count || st->seen < st->count); i++) {
		print_event(&st->v[i], st->json);
		st->seen++;
	}
	fflush(stdout);
	st->n = 0;
}

static int on_event(uint8_t cmd, struct nlattr **tb, struct nlmsghdr *nlh, void *arg)
{
	struct state *st = arg;
	struct event *e;

	(void)nlh;
	if (st->n == (int)(sizeof(st->v) / sizeof(st->v[0])))
		flush_events(st);
	e = &st->v[st->n++];
	memset(e, 0, sizeof(*e));
	e->cmd = cmd;
	switch (cmd) {
	case MICROMINE_CMD_SHARE_FOUND:
		mm_share_parse(tb, &e->share);
		e->seq = e->share.event_seq;
		break;
	case MICROMINE_CMD_JOB_STARTED:
	case MICROMINE_CMD_JOB_EXHAUSTED:
		e->id = tb[MICROMINE_A_JOB_JOB_ID] ? nla_get_u32(tb[MICROMINE_A_JOB_JOB_ID]) : 0;
		e->seq = tb[MICROMINE_A_JOB_EVENT_SEQ] ?
			 nla_get_u64(tb[MICROMINE_A_JOB_EVENT_SEQ]) : 0;
		break;
	default:
		e->seq = tb[MICROMINE_A_CONFIG_EVENT_SEQ] ?
			 nla_get_u64(tb[MICROMINE_A_CONFIG_EVENT_SEQ]) : 0;
	}
	return 0;
}

int cmd_events(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	static const struct mm_cmdline cl = { "events", usage, "jn:t:h", opts };
	struct state st = { 0 };
	double timeout = -1, end = 0;
	struct mm_genl g;
	int opt, ret;
	char *p;

	while ((opt = mm_getopt(argc, argv, &cl, &ret)) > 0) {
		switch (opt) {
		case 'j':
			st.json = true;
			break;
		case 'n':
			if (mm_parse_u32(optarg, &st.count) || !st.count)
				return mm_usage_error(usage, "--count wants a positive number");
			break;
		case 't':
			timeout = strtod(optarg, &p);
			if (*p || timeout <= 0)
				return mm_usage_error(usage, "--timeout wants a positive number of seconds");
			break;
		}
	}
	if (opt < 0)
		return ret;
	ret = mm_connect(&g);
	if (ret)
		return ret;
	ret = mm_genl_subscribe(&g);
	if (ret) {
		ret = mm_failed(&g, "events", ret);
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (timeout > 0)
		end = mm_now() + timeout;
	while (!stop && (!st.count || st.seen < st.count)) {
		int wait = -1;

		if (timeout > 0) {
			double left = end - mm_now();

			if (left <= 0) {
				ret = EXIT_TIMEOUT;
				goto out;
			}
			wait = left * 1000 + 1;
		}
		ret = mm_genl_events(&g, wait < 0 || wait > 500 ? 500 : wait, on_event, &st);
		flush_events(&st);
		if (ret == -ENOBUFS) {
			if (st.json)
				mm_json_print(json_pack("{s:s}", "event", "overrun"));
			else
				puts("overrun");
			fflush(stdout);
		} else if (ret < 0 && ret != -EINTR) {
			ret = mm_failed(&g, "events", ret);
			goto out;
		}
	}
	ret = EXIT_OK;
out:
	mm_genl_close(&g);
	return ret;
}
