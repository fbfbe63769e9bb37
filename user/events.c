// SPDX-License-Identifier: GPL-2.0
/*
 * micromine events: follow the module's announcements, one line each.
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "micromine.h"

static const char usage[] =
	"Usage: micromine events [--json] [--count N] [--timeout SECONDS]\n"
	"\n"
	"Follow the module's events, one line each: share-found, job-started,\n"
	"job-exhausted, paused, resumed; and overrun if events were lost because\n"
	"this reader fell behind (the shares are still queued: share-get).\n"
	"\n"
	"  -j, --json         one JSON object per line (fields in micromine(8))\n"
	"  -n, --count N      exit 0 after N events\n"
	"  -t, --timeout S    exit 5 after S seconds, unless --count came first\n";

struct state {
	bool json;
	uint32_t seen;
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
		mm_json_print(json_pack("{s:s,s:i,s:I,s:I,s:s,s:i,s:I,s:I,s:b}",
					"event", "share-found", "job_id", (int)s->job_id,
					"nonce", (json_int_t)s->nonce,
					"version", (json_int_t)s->version, "hash", hash,
					"cpu", (int)s->cpu, "time_ns", (json_int_t)s->time_ns,
					"seq", (json_int_t)s->seq, "stale", s->stale));
		return;
	}
	printf("share-found job %u nonce %u version %08x hash %s cpu %u seq %llu%s\n",
	       s->job_id, s->nonce, s->version, hash, s->cpu, (unsigned long long)s->seq,
	       s->stale ? " stale" : "");
}

static int on_event(uint8_t cmd, struct nlattr **tb, struct nlmsghdr *nlh, void *arg)
{
	struct state *st = arg;
	const char *name = mm_cmd_name(cmd);
	struct mm_share s;

	(void)nlh;
	switch (cmd) {
	case MICROMINE_CMD_SHARE_FOUND:
		mm_share_parse(tb, &s);
		print_share(&s, st->json);
		break;
	case MICROMINE_CMD_JOB_STARTED:
	case MICROMINE_CMD_JOB_EXHAUSTED:
		if (st->json)
			mm_json_print(json_pack("{s:s,s:I}", "event", name, "job_id", (json_int_t)
						(tb[MICROMINE_A_JOB_JOB_ID] ?
						 nla_get_u32(tb[MICROMINE_A_JOB_JOB_ID]) : 0)));
		else
			printf("%s job %u\n", name, tb[MICROMINE_A_JOB_JOB_ID] ?
			       nla_get_u32(tb[MICROMINE_A_JOB_JOB_ID]) : 0);
		break;
	default:
		if (st->json)
			mm_json_print(json_pack("{s:s}", "event", name));
		else
			printf("%s\n", name);
	}
	fflush(stdout);
	st->seen++;
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
	uint32_t count = 0;
	struct mm_genl g;
	int opt, ret;
	char *p;

	while ((opt = mm_getopt(argc, argv, &cl, &ret)) > 0) {
		switch (opt) {
		case 'j':
			st.json = true;
			break;
		case 'n':
			if (mm_parse_u32(optarg, &count) || !count)
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
	while (!stop && (!count || st.seen < count)) {
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
