// SPDX-License-Identifier: GPL-2.0
/*
 * micromine selftest: the module finds the known answers (real blocks and
 * a pool share), with every backend, and the tool agrees on each hash.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "micromine.h"
#include "sha256d.h"
#include "sha256d-kat.h"

static const char usage[] =
	"Usage: micromine selftest [--backend NAME] [--force] [--json]\n"
	"\n"
	"Submit the known answers (the genesis block, block 125552 and a pool\n"
	"share) as jobs, with every backend in turn, and check that the module\n"
	"finds each one's nonce and hash.  It replaces the running job, so it\n"
	"refuses while one runs unless --force; the backend is set back after.\n"
	"\n"
	"  -b, --backend NAME   only this backend\n"
	"  -f, --force          even if a job runs (it is dropped)\n"
	"  -j, --json           one JSON object (fields in micromine(8))\n";

struct wait {
	uint32_t job;
	bool exhausted;
	int shares;
	struct mm_share share;
};

static int on_event(uint8_t cmd, struct nlattr **tb, struct nlmsghdr *nlh, void *arg)
{
	struct wait *w = arg;
	struct mm_share s;

	(void)nlh;
	if (cmd == MICROMINE_CMD_SHARE_FOUND) {
		mm_share_parse(tb, &s);
		if (s.job_id == w->job && w->shares++ == 0)
			w->share = s;
	} else if (cmd == MICROMINE_CMD_JOB_EXHAUSTED && tb[MICROMINE_A_JOB_JOB_ID] &&
		   nla_get_u32(tb[MICROMINE_A_JOB_JOB_ID]) == w->job) {
		w->exhausted = true;
	}
	return 0;
}

/* One known answer as a job; NULL if it was found right, else why not. */
static const char *check(struct mm_genl *g, struct mm_genl *ev, const struct mine_kat *k,
			 uint32_t id)
{
	struct mm_job job = { .id = id, .clean = true };
	struct wait w = { .job = id };
	uint32_t nonce = mine_get_le32(k->header + 76);
	uint8_t hash[MINE_HASH_SIZE];
	time_t end = time(NULL) + 120;
	int i;

	memcpy(job.header, k->header, MINE_HEADER_SIZE);
	/* the target is the hash itself: exactly that nonce meets it */
	for (i = 0; i < MINE_HASH_SIZE; i++)
		job.target[i] = k->hash[MINE_HASH_SIZE - 1 - i];
	job.nonce_start = nonce - 100;
	job.nonce_count = 200;
	if (mm_job_submit(g, &job, NULL))
		return g->error;
	while (!w.exhausted && time(NULL) < end)
		if (mm_genl_events(ev, 500, on_event, &w) == -ENOBUFS)
			return "events lost";
	if (!w.exhausted)
		return "the job did not end within 120 s";
	if (w.shares != 1)
		return w.shares ? "more than one share" : "no share";
	if (w.share.nonce != nonce)
		return "the wrong nonce";
	mine_sha256d(k->header, MINE_HEADER_SIZE, hash);
	if (memcmp(w.share.hash, hash, MINE_HASH_SIZE))
		return "a wrong hash";
	return NULL;
}

int cmd_selftest(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "force", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	static const struct mm_cmdline cl = { "selftest", usage, "b:fjh", opts };
	const char *only = NULL;
	bool force = false, json = false;
	struct mm_genl g, ev;
	struct mm_config c;
	struct mm_stats s;
	json_t *results;
	int opt, ret, b, passed = 0, run = 0;
	const struct mine_kat *k;

	while ((opt = mm_getopt(argc, argv, &cl, &ret)) > 0) {
		switch (opt) {
		case 'b':
			only = optarg;
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
	ret = mm_connect_state(&g, "selftest", &c, &s);
	if (ret)
		return ret;
	if (!c.enabled || (s.has_job && !force)) {
		fprintf(stderr, c.enabled ? "%s: job %u runs; selftest would drop it (--force)\n" :
			"%s: the miner is paused (micromine set enabled on)\n", prog, s.job_id);
		mm_genl_close(&g);
		return EXIT_FAIL;
	}
	ret = mm_connect(&ev);
	if (!ret)
		ret = mm_genl_subscribe(&ev) ? EXIT_FAIL : 0;
	if (ret) {
		mm_genl_close(&g);
		return ret;
	}
	mm_start_mining();
	results = json_array();
	for (b = 0; b < c.nbackends; b++) {
		const char *name = c.backends[b];
		int i = 0;

		if (only && strcmp(only, name))
			continue;
		if (mm_backend_set(&g, name)) {
			ret = mm_failed(&g, "selftest", g.err);
			goto out;
		}
		for (k = mine_kats; k->name; k++, i++) {
			const char *why = check(&g, &ev, k, 0x5e1f0000 + 16 * b + i);

			run++;
			passed += !why;
			json_array_append_new(results, json_pack("{s:s,s:s,s:b,s:s?}", "backend", name,
								 "vector", k->name, "ok", !why,
								 "error", why));
			if (!json)
				printf("%-8s %-20s %s%s\n", name, k->name, why ? "FAILED: " : "ok",
				       why ?: "");
		}
	}
	if (only && !run) {
		fprintf(stderr, "%s: no backend '%s' here (micromine status lists them)\n", prog, only);
		ret = EXIT_FAIL;
		goto out;
	}
	ret = passed == run ? EXIT_OK : EXIT_FAIL;
	if (json) {
		if (mm_json_print(json_pack("{s:b,s:i,s:i,s:o}", "passed", passed == run,
					    "run", run, "ok", passed, "results", results)))
			ret = EXIT_FAIL;
		results = NULL;
	} else {
		printf("selftest: %d of %d passed\n", passed, run);
	}
out:
	json_decref(results);
	mm_job_flush(&g);
	mm_backend_set(&g, c.backend);
	mm_genl_close(&ev);
	mm_genl_close(&g);
	return ret;
}
