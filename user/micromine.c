// SPDX-License-Identifier: GPL-2.0
/*
 * micromine: control and observe the micromine kernel module, and mine
 * for trusted nodes.  A table dispatches the subcommands, one file each.
 */

#include <stdio.h>
#include <string.h>

#include "micromine.h"

const char *prog = "micromine";

struct subcommand {
	const char *name;
	int (*main)(int argc, char *argv[]);
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "status", cmd_status, "the miner at a glance (and the pool, while run runs)" },
	{ "stats", cmd_stats, "the counters, for the machine or per CPU" },
	{ "top", cmd_top, "a refreshing view of each CPU's hash rate and shares" },
	{ "set", cmd_set, "change settings: enabled, cpus, duty-cycle, backend, ..." },
	{ "job", cmd_job, "submit a job, or flush them all" },
	{ "events", cmd_events, "follow the module's events" },
	{ "bench", cmd_bench, "measure the module's hash rate here" },
	{ "selftest", cmd_selftest, "check that the module finds known answers" },
	{ "run", cmd_run, "mine for trusted nodes (Stratum pools) until stopped" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s <command> [<args>]\n       %s --version\n\nCommands:\n",
		prog, prog);
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(f, "\n'%s <command> --help' describes a command; micromine(8) all of them.\n",
		prog);
}

/**
 * mm_dispatch() - run the command line's subcommand
 * @argc: as main() has it
 * @argv: as main() has it
 *
 * Return: the exit code.
 */
int mm_dispatch(int argc, char *argv[])
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("micromine %s\n", MICROMINE_TOOL_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].main(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
