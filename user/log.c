// SPDX-License-Identifier: GPL-2.0
/*
 * Logging for `micromine run`.  On stderr each line carries the time and
 * the level, for a terminal or a service manager's journal; with syslog,
 * the daemon facility and the level.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "log.h"

static int log_level = MM_LOG_INFO;
static bool log_syslog;

static const struct {
	const char *name;
	int level;
} levels[] = {
	{ "error", MM_LOG_ERR },
	{ "warning", MM_LOG_WARN },
	{ "info", MM_LOG_INFO },
	{ "debug", MM_LOG_DEBUG },
};

/**
 * mm_log_setup() - where logs go, and from which level on
 * @level: the least important level logged
 * @use_syslog: syslog rather than stderr
 */
void mm_log_setup(int level, bool use_syslog)
{
	if (use_syslog && !log_syslog)
		openlog("micromine", LOG_PID, LOG_DAEMON);
	else if (!use_syslog && log_syslog)
		closelog();
	log_syslog = use_syslog;
	log_level = level;
}

/* "error", "warning" (or "warn"), "info", "debug": the level, or -1 */
int mm_log_level_parse(const char *name)
{
	size_t i;

	if (!strcasecmp(name, "warn"))
		return MM_LOG_WARN;
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (!strcasecmp(name, levels[i].name))
			return levels[i].level;
	return -1;
}

/* the name of a level, for showing settings */
const char *mm_log_level_name(int level)
{
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (levels[i].level == level)
			return levels[i].name;
	return "?";
}

/*
 * Control characters (a pool's job ids and messages may carry escape
 * sequences and newlines, for a terminal or for forged log lines) are
 * written as \xNN, and a backslash as \\: one log line stays one line
 * of what was said.
 */
static void escape(const char *in, char *out, size_t size)
{
	size_t o = 0;

	for (; *in && o + 5 < size; in++) {
		unsigned char c = *in;

		if (c < 0x20 || c == 0x7f)
			o += snprintf(out + o, size - o, "\\x%02x", c);
		else if (c == '\\')
			o += snprintf(out + o, size - o, "\\\\");
		else
			out[o++] = c;
	}
	out[o] = 0;
}

void mm_log(int level, const char *fmt, ...)
{
	char stamp[32], raw[1024], msg[4 * sizeof(raw)];
	struct timespec now;
	const char *name = "";
	struct tm tm;
	va_list ap;
	size_t i;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	escape(raw, msg, sizeof(msg));
	if (log_syslog) {
		syslog(level, "%s", msg);
		return;
	}
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (levels[i].level == level)
			name = levels[i].name;
	clock_gettime(CLOCK_REALTIME, &now);
	localtime_r(&now.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%F %T", &tm);
	fprintf(stderr, "%s.%03ld %-7s %s\n", stamp, now.tv_nsec / 1000000, name, msg);
}
