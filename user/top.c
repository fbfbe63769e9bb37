// SPDX-License-Identifier: GPL-2.0
/*
 * micromine top: a refreshing view of each CPU's hash rate and shares.
 */

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "micromine.h"

static const char usage[] =
	"Usage: micromine top [--interval SECONDS] [--count N]\n"
	"\n"
	"Each CPU's hash rate (over the last interval), hashes and shares,\n"
	"refreshed like top(1); Ctrl-C ends it.\n"
	"\n"
	"  -i, --interval S   seconds between refreshes (default 1)\n"
	"  -n, --count N      stop after N refreshes\n";

#define MAX_CPUS	1024

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int cmd_top(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	static const struct mm_cmdline cl = { "top", usage, "i:n:h", opts };
	static struct mm_cpu_stats prev[MAX_CPUS], cur[MAX_CPUS];
	double interval = 1, t_prev = 0, t;
	uint32_t count = 0, round;
	bool tty = isatty(STDOUT_FILENO);
	struct mm_config c;
	struct mm_stats s;
	struct mm_genl g;
	int opt, ret, n, nprev = 0, i;
	char *end;

	while ((opt = mm_getopt(argc, argv, &cl, &ret)) > 0) {
		switch (opt) {
		case 'i':
			interval = strtod(optarg, &end);
			if (*end || interval < 0.1 || interval > 3600)
				return mm_usage_error(usage, "--interval wants 0.1 to 3600 seconds");
			break;
		case 'n':
			if (mm_parse_u32(optarg, &count) || !count)
				return mm_usage_error(usage, "--count wants a positive number");
			break;
		}
	}
	if (opt < 0)
		return ret;
	ret = mm_connect(&g);
	if (ret)
		return ret;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	for (round = 0; !stop && (!count || round < count); round++) {
		char rate[32], total[32];
		uint64_t sum = 0;

		if (round)
			usleep(interval * 1e6);
		t = mm_now();
		ret = mm_config_get(&g, &c);
		if (!ret)
			ret = mm_stats_get(&g, &s);
		n = ret ? ret : mm_cpu_stats_get(&g, cur, MAX_CPUS);
		if (n < 0) {
			ret = mm_failed(&g, "top", n);
			goto out;
		}
		if (n > MAX_CPUS)
			n = MAX_CPUS;
		if (tty)
			fputs("\033[H\033[2J", stdout);
		for (i = 0; i < n && nprev == n; i++)
			sum += cur[i].hashes - prev[i].hashes;
		mm_format_rate(nprev == n ? sum / (t - t_prev) : s.hashrate, total, sizeof(total));
		printf("micromine: %s, backend %s, CPUs %s, duty cycle %u%%: %s, %llu shares\n\n",
		       c.enabled ? (s.has_job ? "mining" : "idle") : "paused", c.backend, c.cpus,
		       c.duty_cycle, total, (unsigned long long)s.shares);
		printf("%4s %-6s %12s %14s %8s %8s\n", "cpu", "active", "hashrate", "hashes",
		       "shares", "job");
		for (i = 0; i < n; i++) {
			double r = nprev == n ? (cur[i].hashes - prev[i].hashes) / (t - t_prev) :
				   cur[i].hashrate;

			mm_format_rate(r, rate, sizeof(rate));
			printf("%4u %-6s %12s %14llu %8llu %8u\n", cur[i].cpu,
			       cur[i].active ? "yes" : "no", rate,
			       (unsigned long long)cur[i].hashes,
			       (unsigned long long)cur[i].shares, cur[i].job_id);
		}
		if (!tty)
			putchar('\n');
		fflush(stdout);
		for (i = 0; i < n; i++)
			prev[i] = cur[i];
		nprev = n;
		t_prev = t;
	}
	ret = EXIT_OK;
out:
	mm_genl_close(&g);
	return ret;
}
