// SPDX-License-Identifier: GPL-2.0
/*
 * The module's worker threads ("micromine/<cpu>") seen from userspace.
 *
 * Kernels that do not export sched_setattr_nocheck() (5.10) let the
 * module make its workers no lower than nice 19; the tool then makes them
 * SCHED_IDLE, which root may do to kernel threads with sched_setscheduler.
 * The module starts a worker on each CPU that comes online, so the tool
 * listens to the kernel's uevents for CPUs coming online too.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

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

/**
 * mm_workers_watch_cpus() - hear of CPUs coming online
 *
 * The kernel's uevents, read from their netlink group directly: libudev
 * would only parse the same strings, and has no static library.
 *
 * Return: a non-blocking socket for mm_workers_cpu_online(), or -errno.
 */
int mm_workers_watch_cpus(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		int err = errno;

		close(fd);
		return -err;
	}
	return fd;
}

/* Whether a uevent ("<action>@<devpath>\0<key>=<value>\0...") is a CPU's online. */
static bool cpu_online(const char *ev)
{
	const char *p;

	if (strncmp(ev, "online@", 7) && strncmp(ev, "add@", 4))
		return false;
	p = strchr(ev, '@') + 1;
	if (strncmp(p, "/devices/system/cpu/cpu", 23))
		return false;
	for (p += 23; isdigit((unsigned char)*p); p++)
		;
	return *p == 0 && p > strchr(ev, '@') + 24;
}

/**
 * mm_workers_cpu_online() - read the uevents that came
 * @fd: from mm_workers_watch_cpus()
 *
 * Return: true if a CPU came online among them, or if uevents were lost.
 */
bool mm_workers_cpu_online(int fd)
{
	struct sockaddr_nl from;
	char buf[8192];
	bool online = false;
	socklen_t len;
	ssize_t n;

	for (;;) {
		len = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &len);
		if (n < 0 && errno == ENOBUFS) {
			online = true;
			continue;
		}
		if (n < 0)
			return online;
		/* only the kernel's own, not a process's on the same group */
		if (from.nl_pid)
			continue;
		buf[n] = 0;
		online |= cpu_online(buf);
	}
}
