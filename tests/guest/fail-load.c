// SPDX-License-Identifier: GPL-2.0
/*
 * fail-load: load a module with one of the load's allocations failing, on
 * a kernel with fault injection (the 6.12-debug row's failslab): the n-th
 * allocation this thread makes from the load's start fails
 * (/proc/thread-self/fail-nth), so that a test can walk through the error
 * paths of the module's init.  One process for every n, as starting a
 * program costs a second on the debug kernel.
 *
 * Usage: fail-load <module.ko> count
 *	load it failing nothing, unload it; print how many allocations the
 *	load made
 *   fail-load <module.ko> <from> <to>
 *	for each n from <from> to <to>, a load with the n-th allocation
 *	failing; a load that got over it must show its sysfs directory and
 *	is unloaded; after each, nothing of the module may be left.  Prints
 *	"failed F loaded L dirty D broken B" and, for each n that left
 *	something (D) or did not work (B), a line "n <n>: ...".
 *   fail-load <module.ko> init
 *	the same for the allocations of the module's init function alone:
 *	the first is found by bisection, the kernel telling whether init was
 *	called (initcall_debug must be on: /dev/kmsg says "calling
 *	mine_init"); they end once init got over OVER_IN_A_ROW failures in
 *	a row (some of its allocations are optional).  Prints "from N0 to
 *	N1" before the counts.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* more allocations than any load makes: counts down without failing */
#define COUNT_FROM	1000000
/*
 * init's allocations end where this many failures in a row were got over
 * (debugfs's, which come last and are optional, or none of init's); and
 * there are no more than MAX_INIT
 */
#define OVER_IN_A_ROW	6
#define MAX_INIT	2000

static int nth = -1, kmsg = -1;

/*
 * What the kernel said of the module's init since the last look: 0 not
 * called, 1 called and failed, 2 called and succeeded.
 */
static int init_said(void)
{
	char rec[1024];
	int said = 0;
	ssize_t len;

	while ((len = read(kmsg, rec, sizeof(rec) - 1)) > 0 || (len < 0 && errno == EPIPE)) {
		if (len <= 0)
			continue;
		rec[len] = 0;
		if (strstr(rec, "calling  mine_init"))
			said = said > 1 ? said : 1;
		if (strstr(rec, "initcall mine_init") && strstr(rec, "returned 0 "))
			said = 2;
	}
	return said;
}

/* Load @ko with the @n-th allocation failing (0: none); the count left. */
static int load(int ko, long n, long *left)
{
	char buf[32];
	int ret, err;

	snprintf(buf, sizeof(buf), "%ld", n ? n : COUNT_FROM);
	if (pwrite(nth, buf, strlen(buf), 0) < 0) {
		perror("fail-nth");
		exit(2);
	}
	ret = syscall(SYS_finit_module, ko, "", 0);
	err = errno;
	memset(buf, 0, sizeof(buf));
	*left = pread(nth, buf, sizeof(buf) - 1, 0) > 0 ? strtol(buf, NULL, 10) : -1;
	/* no failure may stay pending for this thread */
	if (pwrite(nth, "0", 1, 0) < 0)
		exit(2);
	return ret ? -err : 0;
}

static int unload(void)
{
	return syscall(SYS_delete_module, "micromine", O_NONBLOCK);
}

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

static int anything_left(void)
{
	return exists("/sys/module/micromine") || exists("/sys/kernel/micromine") ||
	       exists("/sys/kernel/debug/micromine");
}

int main(int argc, char *argv[])
{
	long n, from, to, left, failed = 0, loaded = 0, dirty = 0, broken = 0, over = 0;
	int ko, ret;

	if (argc < 3 || (strcmp(argv[2], "count") && strcmp(argv[2], "init") && argc != 4)) {
		fprintf(stderr, "usage: fail-load <module.ko> count | init | <from> <to>\n");
		return 2;
	}
	ko = open(argv[1], O_RDONLY | O_CLOEXEC);
	nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (ko < 0 || nth < 0) {
		perror(ko < 0 ? argv[1] : "/proc/thread-self/fail-nth");
		return 2;
	}
	if (!strcmp(argv[2], "init")) {
		long lo = 1, hi;

		kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (kmsg < 0 || lseek(kmsg, 0, SEEK_END) < 0) {
			perror("/dev/kmsg");
			return 2;
		}
		if (load(ko, 0, &left) || init_said() != 2) {
			fprintf(stderr, "fail-load: no clean load, or no initcall_debug\n");
			return 1;
		}
		unload();
		hi = COUNT_FROM - left;
		/* the first allocation whose failure lets init be called */
		while (lo < hi) {
			long mid = lo + (hi - lo) / 2;

			if (!load(ko, mid, &left))
				unload();
			if (init_said())
				hi = mid;
			else
				lo = mid + 1;
			if (anything_left())
				unload();
		}
		from = lo;
		to = lo + MAX_INIT;
	} else if (!strcmp(argv[2], "count")) {
		ret = load(ko, 0, &left);
		if (ret) {
			fprintf(stderr, "fail-load: the load failed (%s)\n", strerror(-ret));
			return 1;
		}
		unload();
		printf("%ld\n", COUNT_FROM - left);
		return 0;
	} else {
		from = strtol(argv[2], NULL, 10);
		to = strtol(argv[3], NULL, 10);
	}
	for (n = from; n <= to; n++) {
		ret = load(ko, n, &left);
		/* init's own allocations: until it gets over many in a row */
		if (kmsg >= 0 && (over = init_said() == 2 ? over + 1 : 0) == OVER_IN_A_ROW)
			to = n;
		if (!ret) {
			loaded++;
			if (!exists("/sys/kernel/micromine")) {
				broken++;
				printf("n %ld: loaded without its sysfs directory\n", n);
			}
			if (unload()) {
				broken++;
				printf("n %ld: does not unload (%s)\n", n, strerror(errno));
			}
		} else {
			failed++;
		}
		if (anything_left()) {
			dirty++;
			printf("n %ld: %s, and something of it is left\n", n,
			       ret ? strerror(-ret) : "loaded");
			unload();
		}
	}
	if (kmsg >= 0)
		printf("from %ld to %ld\n", from, to);
	printf("failed %ld loaded %ld dirty %ld broken %ld\n", failed, loaded, dirty, broken);
	return 0;
}
