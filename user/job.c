// SPDX-License-Identifier: GPL-2.0
/*
 * micromine job submit|flush: raw job control, for tests and for other
 * front ends than `micromine run`.
 */

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "micromine.h"

static const char usage[] =
	"Usage: micromine job submit --header HEX --target HEX [--id N] [--clean]\n"
	"                            [--version-mask HEX] [--nonce-start N] [--nonce-count N]\n"
	"                            [--json]\n"
	"       micromine job flush\n"
	"\n"
	"submit: a job for the module.  --header is the serialized 80-byte block\n"
	"header (160 hex digits, as block explorers give it raw); --target the\n"
	"256-bit share target in display order (64 hex digits, most significant\n"
	"first).  --clean drops every other job first.  Numbers are decimal or\n"
	"0x-hex; the version mask is hex.\n"
	"flush: drop every job.\n";

static int submit(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "header", required_argument, NULL, 'H' },
		{ "target", required_argument, NULL, 'T' },
		{ "id", required_argument, NULL, 'i' },
		{ "clean", no_argument, NULL, 'c' },
		{ "version-mask", required_argument, NULL, 'm' },
		{ "nonce-start", required_argument, NULL, 's' },
		{ "nonce-count", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	static const struct mm_cmdline cl = { "job submit", usage, "H:T:i:cm:s:n:jh", opts };
	struct mm_job job = { 0 };
	bool header = false, target = false, json = false;
	struct mm_genl g;
	struct mm_job_placed placed;
	int opt, ret;

	while ((opt = mm_getopt(argc, argv, &cl, &ret)) > 0) {
		switch (opt) {
		case 'H':
			if (mm_hex_decode(optarg, job.header, sizeof(job.header), false))
				return mm_usage_error(usage, "--header wants 160 hex digits");
			header = true;
			break;
		case 'T':
			if (mm_hex_decode(optarg, job.target, sizeof(job.target), true))
				return mm_usage_error(usage, "--target wants 64 hex digits");
			target = true;
			break;
		case 'i':
			if (mm_parse_u32(optarg, &job.id))
				return mm_usage_error(usage, "--id wants a number below 2^32");
			break;
		case 'c':
			job.clean = true;
			break;
		case 'm': {
			uint8_t m[4];

			if (mm_hex_decode(optarg, m, 4, true))
				return mm_usage_error(usage, "--version-mask wants 8 hex digits");
			job.version_mask = m[0] | m[1] << 8 | m[2] << 16 | (uint32_t)m[3] << 24;
			break;
		}
		case 's':
			if (mm_parse_u32(optarg, &job.nonce_start))
				return mm_usage_error(usage, "--nonce-start wants a number below 2^32");
			break;
		case 'n':
			if (mm_parse_u64(optarg, &job.nonce_count) || !job.nonce_count)
				return mm_usage_error(usage, "--nonce-count wants a positive number");
			break;
		case 'j':
			json = true;
			break;
		}
	}
	if (opt < 0)
		return ret;
	if (!header || !target)
		return mm_usage_error(usage, "job submit needs --header and --target");
	ret = mm_connect(&g);
	if (ret)
		return ret;
	ret = mm_job_submit(&g, &job, &placed);
	if (ret) {
		ret = mm_failed(&g, "job submit", ret);
	} else {
		mm_start_mining();
		if (json)
			ret = mm_json_print(json_pack("{s:i,s:i,s:I}", "job_id", (int)job.id,
						      "position", (int)placed.position,
						      "event_seq", (json_int_t)placed.event_seq));
		else if (placed.position)
			printf("job %u waits, position %u\n", job.id, placed.position);
		else
			printf("job %u runs\n", job.id);
	}
	mm_genl_close(&g);
	return ret;
}

static int flush(int argc, char *argv[])
{
	struct mm_genl g;
	int ret;

	if (argc > 1)
		return mm_usage_error(usage, "job flush takes no argument '%s'", argv[1]);
	ret = mm_connect(&g);
	if (ret)
		return ret;
	ret = mm_job_flush(&g);
	if (ret)
		ret = mm_failed(&g, "job flush", ret);
	mm_genl_close(&g);
	return ret;
}

int cmd_job(int argc, char *argv[])
{
	if (argc < 2)
		return mm_usage_error(usage, "job wants submit or flush");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "submit"))
		return submit(argc - 1, argv + 1);
	if (!strcmp(argv[1], "flush")) {
		if (mm_wants_help(argc - 1, argv + 1)) {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		return flush(argc - 1, argv + 1);
	}
	return mm_usage_error(usage, "no job command '%s'", argv[1]);
}
