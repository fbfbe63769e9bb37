// SPDX-License-Identifier: GPL-2.0
/*
 * micromine status: the miner at a glance, and the pool while
 * `micromine run` mines for one.
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "micromine.h"

static const char usage[] =
	"Usage: micromine status [--json]\n"
	"\n"
	"The miner's state (mining, idle or paused), backend, CPUs, duty cycle,\n"
	"hash rate, hashes, shares, stale shares, jobs, the running job and the\n"
	"module's uptime; and, while `micromine run` runs, the pool it mines for.\n"
	"\n"
	"  -j, --json   one JSON object (fields in micromine(8))\n";

static const char *state_of(const struct mm_config *c, const struct mm_stats *s)
{
	if (!c->enabled)
		return "paused";
	return s->has_job ? "mining" : "idle";
}

/* The pool side, as `micromine run` last wrote it; NULL if it does not run. */
static json_t *pool_state(void)
{
	json_error_t err;
	json_t *o = json_load_file(mm_pool_state_path(), 0, &err);
	json_int_t pid = json_integer_value(json_object_get(o, "pid"));

	/* left behind by a run that was killed: not a pool anyone mines for */
	if (o && pid > 0 && kill(pid, 0) && errno == ESRCH) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int print_json(const struct mm_config *c, const struct mm_stats *s)
{
	json_t *o = json_pack("{s:s,s:b,s:s,s:[],s:s,s:i,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
			      "state", state_of(c, s), "enabled", c->enabled,
			      "backend", c->backend, "backends", "cpus", c->cpus,
			      "duty_cycle", (int)c->duty_cycle,
			      "hashrate", (json_int_t)s->hashrate,
			      "hashes", (json_int_t)s->hashes,
			      "shares", (json_int_t)s->shares,
			      "stale_shares", (json_int_t)s->stale_shares,
			      "jobs", (json_int_t)s->jobs,
			      "jobs_exhausted", (json_int_t)s->jobs_exhausted,
			      "queue_overflows", (json_int_t)s->queue_overflows,
			      "shares_queued", (json_int_t)s->shares_queued,
			      "uptime_ns", (json_int_t)s->uptime_ns);
	json_t *backends, *pool;
	int i;

	if (!o)
		return EXIT_FAIL;
	backends = json_object_get(o, "backends");
	for (i = 0; i < c->nbackends; i++)
		json_array_append_new(backends, json_string(c->backends[i]));
	json_object_set_new(o, "job_id", s->has_job ? json_integer(s->job_id) : json_null());
	pool = pool_state();
	json_object_set_new(o, "pool", pool ? pool : json_null());
	return mm_json_print(o);
}

static void print_pool(void)
{
	json_t *pool = pool_state();
	const char *node, *since;

	if (!pool)
		return;
	node = json_string_value(json_object_get(pool, "node"));
	since = json_string_value(json_object_get(pool, "connected_since"));
	printf("pool:       %s, %s%s\n", node ? node : "none",
	       json_is_true(json_object_get(pool, "connected")) ? "connected since " :
	       "not connected", json_is_true(json_object_get(pool, "connected")) && since ?
	       since : "");
	printf("            difficulty %g, accepted %lld, rejected %lld, stale %lld, last share %s\n",
	       json_number_value(json_object_get(pool, "difficulty")),
	       json_integer_value(json_object_get(pool, "accepted")),
	       json_integer_value(json_object_get(pool, "rejected")),
	       json_integer_value(json_object_get(pool, "stale")),
	       json_string_value(json_object_get(pool, "last_share")) ?: "never");
	json_decref(pool);
}

int cmd_status(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	static const struct mm_cmdline cl = { "status", usage, "jh", opts };
	struct mm_config c;
	struct mm_stats s;
	struct mm_genl g;
	char rate[32], up[32];
	bool json = false;
	int opt, ret;

	while ((opt = mm_getopt(argc, argv, &cl, &ret)) > 0) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		}
	}
	if (opt < 0)
		return ret;
	ret = mm_connect_state(&g, "status", &c, &s);
	if (ret)
		return ret;
	mm_genl_close(&g);
	if (json)
		return print_json(&c, &s);

	mm_format_rate(s.hashrate, rate, sizeof(rate));
	mm_format_duration(s.uptime_ns, up, sizeof(up));
	printf("micromine:  %s, backend %s, CPUs %s, duty cycle %u%%\n", state_of(&c, &s),
	       c.backend, c.cpus, c.duty_cycle);
	printf("hash rate:  %s, %llu hashes\n", rate, (unsigned long long)s.hashes);
	printf("shares:     %llu found, %llu stale, %u waiting to be read, %llu overflowed\n",
	       (unsigned long long)s.shares, (unsigned long long)s.stale_shares,
	       s.shares_queued, (unsigned long long)s.queue_overflows);
	if (s.has_job)
		printf("job:        %u running; %llu submitted, %llu exhausted\n", s.job_id,
		       (unsigned long long)s.jobs, (unsigned long long)s.jobs_exhausted);
	else
		printf("job:        none; %llu submitted, %llu exhausted\n",
		       (unsigned long long)s.jobs, (unsigned long long)s.jobs_exhausted);
	printf("uptime:     %s\n", up);
	print_pool();
	return EXIT_OK;
}
