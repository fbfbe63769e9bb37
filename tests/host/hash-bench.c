// SPDX-License-Identifier: GPL-2.0
/*
 * Hash rate of each backend usable here, on one core, against OpenSSL's
 * low-level SHA256_Init/Update/Final doing SHA-256d (two hashes per nonce,
 * no midstate) measured in the same run.  The two alternate in short
 * rounds and each round's ratio is taken against the reference rounds
 * around it, so that a noisy machine affects both alike.
 *
 * Usage: hash-bench [-b backend] [-r rounds] [-t seconds per round]
 * Prints a table and, per backend,
 *   bench hash backend=<name> nonces_per_s=<n> ratio_openssl=<r> [cycles_per_nonce=<c>]
 */

#define OPENSSL_SUPPRESS_DEPRECATED
#include <linux/perf_event.h>
#include <openssl/sha.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sha256d.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cycles_open(void)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_HARDWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_HW_CPU_CYCLES;
	a.disabled = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	return syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static u64 cycles_read(int fd)
{
	u64 v = 0;

	if (fd < 0 || read(fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

/* OpenSSL's SHA-256d of the header with each nonce, for @secs seconds. */
static double openssl_rate(double secs)
{
	u8 header[80], h[32];
	SHA256_CTX c;
	u64 n = 0;
	double t0 = now(), t;
	int i;

	for (i = 0; i < 80; i++)
		header[i] = i * 7;
	do {
		for (i = 0; i < 4096; i++, n++) {
			mine_put_le32((u32)n, header + 76);
			SHA256_Init(&c);
			SHA256_Update(&c, header, 80);
			SHA256_Final(h, &c);
			SHA256_Init(&c);
			SHA256_Update(&c, h, 32);
			SHA256_Final(h, &c);
		}
		t = now() - t0;
	} while (t < secs);
	if (h[0] == 0x5a && h[1] == 0xa5)	/* keep the work observable */
		fputc(' ', stderr);
	return n / t;
}

/* The backend's rate over @secs seconds (a target nothing meets). */
static double backend_rate(const struct mine_backend *b, double secs, int fd,
			   u64 *cycles)
{
	u8 header[80], target[32];
	struct mine_found found[4];
	struct mine_work w;
	u32 nf, first = 0;
	u64 n = 0, c0;
	double t0, t;
	int i;

	for (i = 0; i < 80; i++)
		header[i] = i * 13;
	memset(target, 0, sizeof(target));
	mine_work_prepare(&w, header, target);
	c0 = cycles_read(fd);
	t0 = now();
	do {
		n += mine_scan(&w, b, first, 1 << 16, found, 4, &nf);
		first += 1 << 16;
		t = now() - t0;
	} while (t < secs);
	*cycles += cycles_read(fd) - c0;
	return n / t;
}

int main(int argc, char *argv[])
{
	const char *only = NULL;
	int rounds = 3, opt, i, r, fd;
	double secs = 0.5;
	cpu_set_t cpus;

	while ((opt = getopt(argc, argv, "b:r:t:h")) != -1) {
		switch (opt) {
		case 'b':
			only = optarg;
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 't':
			secs = atof(optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-b backend] [-r rounds] [-t seconds]\n", argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (rounds < 1 || secs <= 0) {
		fprintf(stderr, "%s: rounds and seconds must be positive\n", argv[0]);
		return 2;
	}

	/* one core, the one we start on */
	CPU_ZERO(&cpus);
	CPU_SET(sched_getcpu(), &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	fd = cycles_open();
	if (fd >= 0)
		ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);

	printf("%-10s %14s %14s %10s %12s\n", "backend", "nonces/s", "openssl/s", "ratio",
	       "cycles/nonce");
	for (i = 0; mine_backends[i].backend; i++) {
		const struct mine_backend *b = mine_backends[i].backend;
		double rate = 0, ref, ratio = 0, before, after;
		u64 cycles = 0, nonces = 0;
		char cyc[32];

		if (only && strcmp(only, b->name))
			continue;
		if (!mine_backends[i].usable()) {
			printf("%-10s %14s\n", b->name, "not usable on this CPU");
			continue;
		}
		before = openssl_rate(secs / 2);
		ref = before;
		for (r = 0; r < rounds; r++) {
			double x = backend_rate(b, secs, fd, &cycles);

			after = openssl_rate(secs / 2);
			ratio += x / ((before + after) / 2);
			rate += x;
			ref += after;
			nonces += x * secs;
			before = after;
		}
		rate /= rounds;
		ratio /= rounds;
		ref /= rounds + 1;
		if (cycles && nonces)
			snprintf(cyc, sizeof(cyc), "%.0f", (double)cycles / nonces);
		else
			snprintf(cyc, sizeof(cyc), "n/a");
		printf("%-10s %14.0f %14.0f %10.2f %12s\n", b->name, rate, ref, ratio, cyc);
		printf("bench hash backend=%s nonces_per_s=%.0f ratio_openssl=%.2f%s%s\n",
		       b->name, rate, ratio, cycles ? " cycles_per_nonce=" : "",
		       cycles ? cyc : "");
		fflush(stdout);
	}
	if (fd < 0)
		printf("# cycles per nonce: no hardware cycle counter here (perf_event_open failed)\n");
	return 0;
}
