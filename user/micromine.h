/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The micromine tool: subcommands and their shared conventions.
 */
#ifndef MICROMINE_TOOL_H
#define MICROMINE_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "genl.h"
#include "hex.h"
#include "query.h"

#define MICROMINE_TOOL_VERSION "0.1.0"
#define MM_AGENT "micromine/" MICROMINE_TOOL_VERSION	/* to pools */

/* Exit codes, documented in micromine(8). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the operation failed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NO_MODULE = 3,	/* micromine.ko is not loaded */
	EXIT_PERM = 4,		/* needs CAP_NET_ADMIN */
	EXIT_TIMEOUT = 5,	/* events: --timeout came before --count */
};

extern const char *prog;

struct option;

/**
 * struct mm_cmdline - what mm_getopt() needs to know of a subcommand
 * @name: as typed, e.g. "job submit"
 * @usage: its usage text
 * @shortopts: for getopt_long(), with 'h' for --help
 * @longopts: for getopt_long()
 */
struct mm_cmdline {
	const char *name;
	const char *usage;
	const char *shortopts;
	const struct option *longopts;
};

int mm_dispatch(int argc, char *argv[]);

/* the subcommands, one file each */
int cmd_status(int argc, char *argv[]);
int cmd_stats(int argc, char *argv[]);
int cmd_top(int argc, char *argv[]);
int cmd_set(int argc, char *argv[]);
int cmd_job(int argc, char *argv[]);
int cmd_events(int argc, char *argv[]);
int cmd_bench(int argc, char *argv[]);
int cmd_selftest(int argc, char *argv[]);
int cmd_run(int argc, char *argv[]);

/* util.c */
int mm_connect(struct mm_genl *g);
int mm_connect_state(struct mm_genl *g, const char *what, struct mm_config *c,
		     struct mm_stats *s);
int mm_failed(struct mm_genl *g, const char *what, int err);
int mm_getopt(int argc, char *argv[], const struct mm_cmdline *cl, int *rc);
int mm_usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool mm_wants_help(int argc, char *argv[]);
int mm_parse_u32(const char *s, uint32_t *v);
int mm_parse_u64(const char *s, uint64_t *v);
int mm_json_print(json_t *obj);
void mm_format_rate(double per_s, char *buf, size_t size);
void mm_format_duration(uint64_t ns, char *buf, size_t size);
int mm_start_mining(void);
double mm_now(void);
const char *mm_pool_state_path(void);

#endif
