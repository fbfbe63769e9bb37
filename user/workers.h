/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_WORKERS_H
#define MICROMINE_WORKERS_H

#include <stdbool.h>
#include <sys/types.h>

int mm_workers_list(pid_t *pids, int max);
int mm_workers_make_idle(void);
int mm_workers_watch_cpus(void);
bool mm_workers_cpu_online(int fd);

#endif
