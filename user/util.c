// SPDX-License-Identifier: GPL-2.0
/*
 * What the subcommands share: connecting, reporting errors with the right
 * exit code, hex in display order, numbers, JSON output.
 */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "micromine.h"
#include "workers.h"

/**
 * mm_connect() - open the family, or say why not
 * @g: the socket
 *
 * Return: 0, or the exit code to leave with.
 */
int mm_connect(struct mm_genl *g)
{
	int ret = mm_genl_open(g);

	if (!ret)
		return 0;
	if (ret == -ENOENT) {
		fprintf(stderr, "%s: the micromine module is not loaded (modprobe micromine)\n", prog);
		return EXIT_NO_MODULE;
	}
	fprintf(stderr, "%s: cannot open generic netlink: %s\n", prog, strerror(-ret));
	return EXIT_FAIL;
}

/**
 * mm_failed() - report a failed operation
 * @g: the socket, with the kernel's explanation
 * @what: what was being done
 * @err: the negative errno
 *
 * Return: the exit code to leave with.
 */
int mm_failed(struct mm_genl *g, const char *what, int err)
{
	if (err == -EPERM) {
		fprintf(stderr, "%s: %s needs CAP_NET_ADMIN (run it as root)\n", prog, what);
		return EXIT_PERM;
	}
	if (err == -ENOENT) {
		fprintf(stderr, "%s: the micromine module is not loaded (modprobe micromine)\n", prog);
		return EXIT_NO_MODULE;
	}
	fprintf(stderr, "%s: %s: %s\n", prog, what, g && g->error[0] ? g->error : strerror(-err));
	return EXIT_FAIL;
}

/**
 * mm_usage_error() - a bad command line: say what, then the usage
 * @usage: the subcommand's usage text
 * @fmt: what is wrong
 *
 * Return: EXIT_USAGE.
 */
int mm_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage);
	return EXIT_USAGE;
}

/**
 * mm_getopt() - the next option, with the conventions all subcommands share
 * @argc: the subcommand's arguments
 * @argv: the subcommand's arguments
 * @cl: its name, usage and options
 * @rc: where the exit code goes when the command ends here
 *
 * -h/--help prints the usage and ends the command; an unknown option or a
 * missing value ends it with a usage error, and so does any argument left
 * once the options are done.
 *
 * Return: the next option, 0 when the options are done, or -1 when the
 * command ends with *@rc.
 */
int mm_getopt(int argc, char *argv[], const struct mm_cmdline *cl, int *rc)
{
	int opt = getopt_long(argc, argv, cl->shortopts, cl->longopts, NULL);

	switch (opt) {
	case 'h':
		fputs(cl->usage, stdout);
		*rc = EXIT_OK;
		return -1;
	case '?':
	case ':':
		fputs(cl->usage, stderr);
		*rc = EXIT_USAGE;
		return -1;
	case -1:
		if (optind >= argc)
			return 0;
		*rc = mm_usage_error(cl->usage, "%s takes no argument '%s'", cl->name,
				     argv[optind]);
		return -1;
	}
	return opt;
}

/**
 * mm_connect_state() - connect and read the settings and the totals
 * @g: the socket, open on success
 * @what: the subcommand, for messages
 * @c: the settings
 * @s: the totals
 *
 * Return: 0, or the exit code to leave with (@g is closed then).
 */
int mm_connect_state(struct mm_genl *g, const char *what, struct mm_config *c,
		     struct mm_stats *s)
{
	int ret = mm_connect(g);

	if (ret)
		return ret;
	ret = mm_config_get(g, c);
	if (!ret)
		ret = mm_stats_get(g, s);
	if (!ret)
		return 0;
	ret = mm_failed(g, what, ret);
	mm_genl_close(g);
	return ret;
}

bool mm_wants_help(int argc, char *argv[])
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

/* Decimal, or hex with 0x. */
int mm_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

int mm_parse_u32(const char *s, uint32_t *v)
{
	uint64_t x;

	if (mm_parse_u64(s, &x) || x > UINT32_MAX)
		return -EINVAL;
	*v = x;
	return 0;
}

/**
 * mm_json_print() - print a JSON object on one line, and free it
 * @obj: the object
 *
 * Return: EXIT_OK, or EXIT_FAIL if it could not be printed.
 */
int mm_json_print(json_t *obj)
{
	int ret;

	if (!obj)
		return EXIT_FAIL;
	ret = json_dumpf(obj, stdout, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(obj);
	if (ret)
		return EXIT_FAIL;
	putchar('\n');
	fflush(stdout);
	return EXIT_OK;
}

void mm_format_rate(double per_s, char *buf, size_t size)
{
	static const char *const unit[] = { "H/s", "kH/s", "MH/s", "GH/s", "TH/s" };
	int i = 0;

	while (per_s >= 1000 && i < 4) {
		per_s /= 1000;
		i++;
	}
	snprintf(buf, size, i ? "%.2f %s" : "%.0f %s", per_s, unit[i]);
}

void mm_format_duration(uint64_t ns, char *buf, size_t size)
{
	uint64_t s = ns / 1000000000ULL;

	if (s >= 86400)
		snprintf(buf, size, "%llud %02lluh %02llum", (unsigned long long)(s / 86400),
			 (unsigned long long)(s % 86400 / 3600), (unsigned long long)(s % 3600 / 60));
	else if (s >= 3600)
		snprintf(buf, size, "%lluh %02llum", (unsigned long long)(s / 3600),
			 (unsigned long long)(s % 3600 / 60));
	else
		snprintf(buf, size, "%llum %02llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
}

/**
 * mm_start_mining() - what the tool does before the module mines for it:
 *	make the workers SCHED_IDLE where the kernel would not let the
 *	module do it (see user/workers.c)
 *
 * Return: 0, or -errno from sched_setscheduler.
 */
int mm_start_mining(void)
{
	int ret;

	ret = mm_workers_make_idle();
	if (ret > 0)
		fprintf(stderr, "%s: made %d worker thread%s SCHED_IDLE\n", prog, ret,
			ret == 1 ? "" : "s");
	return ret < 0 ? ret : 0;
}

/**
 * mm_now() - monotonic time in seconds, for rates and timeouts
 *
 * Return: seconds since an arbitrary point.
 */
double mm_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* where `micromine run` keeps its view of the pool for `micromine status` */
const char *mm_pool_state_path(void)
{
	const char *p = getenv("MICROMINE_STATE");

	return p && *p ? p : "/run/micromine/pool.json";
}
