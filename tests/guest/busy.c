// SPDX-License-Identifier: GPL-2.0
/*
 * busy: a foreground program that wants every CPU, to show that the miner
 * takes none of its time.  One process per online CPU, pinned to it, does
 * integer work for the given seconds; prints the work done per second in
 * all (a figure to compare with itself, with and without the miner).
 *
 * Usage: busy SECONDS
 */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* xorshift rounds until @seconds are up, checked every 2^20 rounds */
static uint64_t work(double seconds)
{
	double end = now() + seconds;
	uint64_t x = 88172645463325252ull, rounds = 0;
	int i;

	do {
		for (i = 0; i < 1 << 20; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		rounds += 1 << 20;
	} while (now() < end);
	return rounds + (x & 1);	/* keeps the loop from being optimised out */
}

int main(int argc, char *argv[])
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	double seconds = argc == 2 ? atof(argv[1]) : 0, t0;
	uint64_t total = 0, v;
	int fd[2], i;

	if (seconds <= 0 || cpus < 1 || pipe(fd)) {
		fprintf(stderr, "usage: busy SECONDS\n");
		return 2;
	}
	t0 = now();
	for (i = 0; i < cpus; i++) {
		if (fork() == 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(i, &set);
			sched_setaffinity(0, sizeof(set), &set);
			v = work(seconds);
			if (write(fd[1], &v, sizeof(v)) != sizeof(v))
				_exit(1);
			_exit(0);
		}
	}
	close(fd[1]);
	while (read(fd[0], &v, sizeof(v)) == sizeof(v))
		total += v;
	while (wait(NULL) > 0)
		;
	printf("%.0f\n", total / (now() - t0));
	return 0;
}
