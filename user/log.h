/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Logging for `micromine run`: levels, to stderr with a time stamp or to
 * syslog.
 */
#ifndef MICROMINE_LOG_H
#define MICROMINE_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* the levels are syslog's */
#define MM_LOG_ERR	LOG_ERR
#define MM_LOG_WARN	LOG_WARNING
#define MM_LOG_INFO	LOG_INFO
#define MM_LOG_DEBUG	LOG_DEBUG

void mm_log_setup(int level, bool use_syslog);
int mm_log_level_parse(const char *name);
const char *mm_log_level_name(int level);
void mm_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define mm_err(...)	mm_log(MM_LOG_ERR, __VA_ARGS__)
#define mm_warn(...)	mm_log(MM_LOG_WARN, __VA_ARGS__)
#define mm_info(...)	mm_log(MM_LOG_INFO, __VA_ARGS__)
#define mm_debug(...)	mm_log(MM_LOG_DEBUG, __VA_ARGS__)

#endif
