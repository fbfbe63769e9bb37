// SPDX-License-Identifier: GPL-2.0
/*
 * micromine bench: the module's hash rate on this machine, with a job no
 * nonce can solve, from its counters.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "micromine.h"

static const char usage[] =
	"Usage: micromine bench [--backend NAME] [--seconds N] [--force] [--json]\n"
	"\n"
	"Measure the module's hash rate on every allowed CPU, with a job no nonce\n"
	"solves.  It replaces the running job, so it refuses while one runs\n"
	"unless --force; the backend is set back afterwards.\n"
	"\n"
	"  -b, --backend NAME   measure this backend (default: the one in use)\n"
	"  -s, --seconds N      how long to measure (default 5)\n"
	"  -f, --force          even if a job runs (it is dropped)\n"
	"  -j, --json           one JSON object (fields in micromine(8))\n";

#define MAX_CPUS	1024

int cmd_bench(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "seconds", required_argument, NULL, 's' },
		{ "force", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	static const struct mm_cmdline cl = { "bench", usage, "b:s:fjh", opts };
	static struct mm_cpu_stats a[MAX_CPUS], b[MAX_CPUS];
	const char *backend = NULL;
	bool force = false, json = false;
	struct mm_job job = { .id = 0xbe7c, .clean = true };
	struct mm_config c;
	struct mm_stats s;
	struct mm_genl g;
	uint32_t seconds = 5;
	double t0, t1, total = 0;
	int opt, ret, n, i, active = 0;
	json_t *per_cpu;
	char rate[32], each[32];

	while ((opt = mm_getopt(argc, argv, &cl, &ret)) > 0) {
		switch (opt) {
		case 'b':
			backend = optarg;
			break;
		case 's':
			if (mm_parse_u32(optarg, &seconds) || !seconds || seconds > 3600)
				return mm_usage_error(usage, "--seconds wants 1 to 3600");
			break;
		case 'f':
			force = true;
			break;
		case 'j':
			json = true;
			break;
		}
	}
	if (opt < 0)
		return ret;
	ret = mm_connect_state(&g, "bench", &c, &s);
	if (ret)
		return ret;
	if (!c.enabled) {
		fprintf(stderr, "%s: the miner is paused (micromine set enabled on)\n", prog);
		ret = EXIT_FAIL;
		goto out;
	}
	if (s.has_job && !force) {
		fprintf(stderr, "%s: job %u runs; bench would drop it (--force)\n", prog, s.job_id);
		ret = EXIT_FAIL;
		goto out;
	}
	if (backend) {
		ret = mm_backend_set(&g, backend);
		if (ret) {
			ret = mm_failed(&g, "bench", ret);
			goto out;
		}
	}
	for (i = 0; i < MICROMINE_HEADER_SIZE; i++)
		job.header[i] = rand();
	ret = mm_job_submit(&g, &job, NULL);
	if (ret) {
		ret = mm_failed(&g, "bench", ret);
		goto restore;
	}
	mm_start_mining();
	usleep(500000);
	t0 = mm_now();
	n = mm_cpu_stats_get(&g, a, MAX_CPUS);
	sleep(seconds);
	t1 = mm_now();
	if (n < 0 || mm_cpu_stats_get(&g, b, MAX_CPUS) != n) {
		ret = mm_failed(&g, "bench", n < 0 ? n : -EAGAIN);
		goto restore;
	}
	if (n > MAX_CPUS)
		n = MAX_CPUS;
	per_cpu = json_array();
	for (i = 0; i < n; i++) {
		double r = (b[i].hashes - a[i].hashes) / (t1 - t0);

		total += r;
		active += r > 0;
		json_array_append_new(per_cpu, json_pack("{s:i,s:I}", "cpu", (int)b[i].cpu,
							 "hashrate", (json_int_t)r));
	}
	mm_format_rate(total, rate, sizeof(rate));
	mm_format_rate(active ? total / active : 0, each, sizeof(each));
	if (json)
		ret = mm_json_print(json_pack("{s:s,s:i,s:I,s:i,s:o}", "backend",
					      backend ?: c.backend, "seconds", (int)seconds,
					      "hashrate", (json_int_t)total, "cpus", active,
					      "per_cpu", per_cpu));
	else {
		json_decref(per_cpu);
		printf("%s: %s on %d CPU%s (%s each)\n", backend ?: c.backend, rate, active,
		       active == 1 ? "" : "s", each);
		ret = EXIT_OK;
	}
restore:
	mm_job_flush(&g);
	if (backend)
		mm_backend_set(&g, c.backend);
out:
	mm_genl_close(&g);
	return ret;
}
