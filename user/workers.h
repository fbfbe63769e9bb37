/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_WORKERS_H
#define MICROMINE_WORKERS_H

#include <sys/types.h>

int mm_workers_list(pid_t *pids, int max);
int mm_workers_make_idle(void);

#endif
