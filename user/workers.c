// SPDX-License-Identifier: GPL-2.0
/*
 * The module's worker threads ("micromine/<cpu>") seen from userspace.
 *
 * Kernels that do not export sched_setattr_nocheck() (5.10) let the
 * module make its workers no lower than nice 19; the tool then makes them
 * SCHED_IDLE, which root may do to kernel threads with sched_setscheduler.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workers.h"

/* Whether /proc/<pid> is a kernel thread named micromine/<digits>. */
static int is_worker(const char *pid)
{
	char path[300], comm[64] = "", *p;
	FILE *f;
	int ppid = -1;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	/* pid (comm) state ppid: kernel threads are children of kthreadd (2) */
	if (fscanf(f, "%*d (%63[^)]) %*c %d", comm, &ppid) != 2)
		ppid = -1;
	fclose(f);
	if (ppid != 2 || strncmp(comm, "micromine/", 10))
		return 0;
	for (p = comm + 10; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return p > comm + 10;
}

/**
 * mm_workers_list() - the process ids of the module's workers
 * @pids: filled with them
 * @max: room in @pids
 *
 * Return: how many there are (may exceed @max), or -errno.
 */
int mm_workers_list(pid_t *pids, int max)
{
	struct dirent *d;
	DIR *proc;
	int n = 0;

	proc = opendir("/proc");
	if (!proc)
		return -errno;
	while ((d = readdir(proc))) {
		if (!isdigit((unsigned char)d->d_name[0]) || !is_worker(d->d_name))
			continue;
		if (n < max)
			pids[n] = atoi(d->d_name);
		n++;
	}
	closedir(proc);
	return n;
}

/**
 * mm_workers_make_idle() - make every worker SCHED_IDLE
 *
 * Return: how many were not and are now, or -errno (-EPERM without
 * CAP_SYS_NICE).
 */
int mm_workers_make_idle(void)
{
	struct sched_param param = { .sched_priority = 0 };
	pid_t pids[4096];
	int n, i, changed = 0;

	n = mm_workers_list(pids, 4096);
	if (n < 0)
		return n;
	for (i = 0; i < n && i < 4096; i++) {
		int policy = sched_getscheduler(pids[i]);

		if (policy < 0 || policy == SCHED_IDLE)
			continue;
		if (sched_setscheduler(pids[i], SCHED_IDLE, &param))
			return -errno;
		changed++;
	}
	return changed;
}
