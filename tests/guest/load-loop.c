// SPDX-License-Identifier: GPL-2.0
/*
 * Load and unload a module N times in a row, checking after each load that
 * its sysfs and debugfs directories and its genetlink family exist, and
 * after each unload that none of them is left.  One process does it all:
 * in an emulated guest every program started costs ~0.1 s, more than a
 * load.  Prints "loaded N complete N clean N version V" (the sysfs version
 * after the first load); exits 1 if any step failed.
 *
 * Usage: load-loop <module.ko> <count>
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#define SYSFS	"/sys/kernel/micromine"
#define DEBUGFS	"/sys/kernel/debug/micromine"

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

static bool family(struct nl_sock *sk)
{
	return genl_ctrl_resolve(sk, "micromine") >= 0;
}

int main(int argc, char *argv[])
{
	int n, i, fd, loaded = 0, complete = 0, clean = 0;
	char version[64] = "";
	struct nl_sock *sk;
	FILE *f;

	if (argc != 3 || (n = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: load-loop <module.ko> <count>\n");
		return 2;
	}
	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "load-loop: no generic netlink\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0)) {
			fprintf(stderr, "load-loop: load %d: %s\n", i + 1, strerror(errno));
			break;
		}
		close(fd);
		loaded++;
		if (exists(SYSFS) && exists(DEBUGFS) && family(sk))
			complete++;
		if (!i && (f = fopen(SYSFS "/version", "r"))) {
			if (!fgets(version, sizeof(version), f))
				version[0] = 0;
			version[strcspn(version, "\n")] = 0;
			fclose(f);
		}
		if (syscall(SYS_delete_module, "micromine", O_NONBLOCK)) {
			fprintf(stderr, "load-loop: unload %d: %s\n", i + 1, strerror(errno));
			break;
		}
		if (!exists(SYSFS) && !exists(DEBUGFS) && !family(sk))
			clean++;
	}
	nl_socket_free(sk);
	printf("loaded %d complete %d clean %d version %s\n", loaded, complete, clean, version);
	return loaded == n && complete == n && clean == n ? 0 : 1;
}
