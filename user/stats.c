// SPDX-License-Identifier: GPL-2.0
/*
 * micromine stats: the counters, for the machine or per CPU.
 */

#include <getopt.h>
#include <stdio.h>

#include "micromine.h"

static const char usage[] =
	"Usage: micromine stats [--per-cpu] [--json]\n"
	"\n"
	"The miner's counters since the module loaded.\n"
	"\n"
	"  -c, --per-cpu   one line (or JSON object) per CPU\n"
	"  -j, --json      JSON (fields in micromine(8))\n";

static json_t *cpu_json(const struct mm_cpu_stats *c)
{
	return json_pack("{s:i,s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:i}",
			 "cpu", (int)c->cpu, "active", c->active,
			 "hashrate", (json_int_t)c->hashrate, "hashes", (json_int_t)c->hashes,
			 "shares", (json_int_t)c->shares, "mining_ns", (json_int_t)c->mining_ns,
			 "paused_ns", (json_int_t)c->paused_ns, "slices", (json_int_t)c->slices,
			 "version_rolls", (json_int_t)c->version_rolls,
			 "last_slice_ns", (json_int_t)c->last_slice_ns, "job_id", (int)c->job_id);
}

static int per_cpu(struct mm_genl *g, bool json)
{
	struct mm_cpu_stats cpus[1024];
	json_t *arr;
	char rate[32];
	int n, i;

	n = mm_cpu_stats_get(g, cpus, 1024);
	if (n < 0)
		return mm_failed(g, "stats", n);
	if (n > 1024)
		n = 1024;
	if (json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, cpu_json(&cpus[i]));
		return mm_json_print(json_pack("{s:o}", "cpus", arr));
	}
	printf("%4s %-6s %12s %14s %8s %10s %10s %10s %10s\n", "cpu", "active", "hashrate",
	       "hashes", "shares", "mining_s", "paused_s", "slices", "job");
	for (i = 0; i < n; i++) {
		mm_format_rate(cpus[i].hashrate, rate, sizeof(rate));
		printf("%4u %-6s %12s %14llu %8llu %10.1f %10.1f %10llu %10u\n", cpus[i].cpu,
		       cpus[i].active ? "yes" : "no", rate, (unsigned long long)cpus[i].hashes,
		       (unsigned long long)cpus[i].shares, cpus[i].mining_ns / 1e9,
		       cpus[i].paused_ns / 1e9, (unsigned long long)cpus[i].slices,
		       cpus[i].job_id);
	}
	return EXIT_OK;
}

static int global(struct mm_genl *g, bool json)
{
	struct mm_stats s;
	char rate[32];
	int ret;

	ret = mm_stats_get(g, &s);
	if (ret)
		return mm_failed(g, "stats", ret);
	if (json)
		return mm_json_print(json_pack(
			"{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}",
			"hashrate", (json_int_t)s.hashrate, "hashes", (json_int_t)s.hashes,
			"shares", (json_int_t)s.shares, "stale_shares", (json_int_t)s.stale_shares,
			"jobs", (json_int_t)s.jobs, "jobs_exhausted", (json_int_t)s.jobs_exhausted,
			"queue_overflows", (json_int_t)s.queue_overflows,
			"shares_queued", (json_int_t)s.shares_queued,
			"mining_ns", (json_int_t)s.mining_ns, "paused_ns", (json_int_t)s.paused_ns,
			"slices", (json_int_t)s.slices, "version_rolls", (json_int_t)s.version_rolls,
			"uptime_ns", (json_int_t)s.uptime_ns,
			"job_id", s.has_job ? json_integer(s.job_id) : json_null()));
	mm_format_rate(s.hashrate, rate, sizeof(rate));
	printf("hashrate         %s\n", rate);
	printf("hashes           %llu\n", (unsigned long long)s.hashes);
	printf("shares           %llu\n", (unsigned long long)s.shares);
	printf("stale_shares     %llu\n", (unsigned long long)s.stale_shares);
	printf("jobs             %llu\n", (unsigned long long)s.jobs);
	printf("jobs_exhausted   %llu\n", (unsigned long long)s.jobs_exhausted);
	printf("queue_overflows  %llu\n", (unsigned long long)s.queue_overflows);
	printf("shares_queued    %u\n", s.shares_queued);
	printf("mining_s         %.1f\n", s.mining_ns / 1e9);
	printf("paused_s         %.1f\n", s.paused_ns / 1e9);
	printf("slices           %llu\n", (unsigned long long)s.slices);
	printf("version_rolls    %llu\n", (unsigned long long)s.version_rolls);
	return EXIT_OK;
}

int cmd_stats(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "per-cpu", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	static const struct mm_cmdline cl = { "stats", usage, "cjh", opts };
	bool json = false, cpus = false;
	struct mm_genl g;
	int opt, ret;

	while ((opt = mm_getopt(argc, argv, &cl, &ret)) > 0) {
		switch (opt) {
		case 'c':
			cpus = true;
			break;
		case 'j':
			json = true;
			break;
		}
	}
	if (opt < 0)
		return ret;
	ret = mm_connect(&g);
	if (ret)
		return ret;
	ret = cpus ? per_cpu(&g, json) : global(&g, json);
	mm_genl_close(&g);
	return ret;
}
