// SPDX-License-Identifier: GPL-2.0
/*
 * The module under concurrent and preempted callers: readers of the hash
 * rates racing each other, job-submit and share-get beside CPUs kept busy
 * by the foreground, jobs exhausting while clean jobs and flushes drop
 * them, with every event numbered and sorted back into a history that
 * could have happened.  Each test makes its race likely; the debug kernel
 * (KASAN, lockdep, PREEMPT_RT) is the judge of what cannot be seen here.
 * Runs in the test guests as root.
 */

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mmtest.h"

static void module_loaded(void)
{
	if (system("grep -q '^micromine ' /proc/modules || insmod \"$MM_KO\""))
		ksft_exit_fail_msg("cannot load micromine.ko ($MM_KO)\n");
}

static int online_cpus(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN);
}

static uint32_t seed = 0x2545f491;

static uint32_t rnd32(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

/* a job no nonce solves (target 0), over @count nonces (0: all) */
static void unsolvable(struct mm_job *j, uint32_t id, uint64_t count, bool clean)
{
	int i;

	memset(j, 0, sizeof(*j));
	j->id = id;
	j->nonce_count = count;
	j->clean = clean;
	for (i = 0; i < 80; i++)
		j->header[i] = rnd32();
}

FIXTURE(race) {
	struct mm_genl g;
};

FIXTURE_SETUP(race)
{
	module_loaded();
	ASSERT_EQ(0, mm_genl_open(&self->g));
	ASSERT_EQ(0, mmt_reset(&self->g));
}

FIXTURE_TEARDOWN(race)
{
	mm_job_flush(&self->g);
	mm_genl_close(&self->g);
}

/* One reader's findings, sent to its parent through a pipe. */
struct reading {
	uint64_t reads, zero, huge, min, max;
};

static uint64_t sysfs_hashrate(void)
{
	long long v = mmt_read_ll("/sys/kernel/micromine/hashrate");

	return v < 0 ? 0 : v;
}

/*
 * Hash-rate readers at once, more of them than CPUs and beside the
 * workers, so that many are preempted in the middle of a read: sysfs
 * hashrate, stats-get and the per-CPU dump.  Read apart from their lock,
 * a count older than another reader's made count - last wrap to ~2^64
 * (a divide error on x86-64) and a time older than the last reset the
 * rate to 0.  Every reading must be a rate the CPUs could have had.
 */
TEST_F_TIMEOUT(race, hashrate_readers, 120)
{
	const int nreaders = 4 * online_cpus() + 2;
	/* far more than an emulated (or any) CPU hashes */
	const uint64_t limit = 1ULL << 40;
	struct reading total = { .min = UINT64_MAX };
	struct mm_job j;
	int fds[2], i, status;
	pid_t pid;

	unsolvable(&j, 700, 0, true);
	ASSERT_EQ(0, mm_job_submit(&self->g, &j, NULL));
	sleep(1);	/* the ten-second averages leave 0 */
	ASSERT_NE(0U, sysfs_hashrate());
	ASSERT_EQ(0, pipe(fds));
	for (i = 0; i < nreaders; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			struct reading r = { .min = UINT64_MAX };
			struct mm_cpu_stats cpus[64];
			uint64_t end = mmt_now_ms() + 4000, v;
			struct mm_stats s;
			struct mm_genl g;
			int k, n;

			close(fds[0]);
			if (mm_genl_open(&g))
				_exit(1);
			while (mmt_now_ms() < end) {
				uint64_t got[3] = { sysfs_hashrate(), 0, 0 };

				got[1] = mm_stats_get(&g, &s) ? 0 : s.hashrate;
				n = mm_cpu_stats_get(&g, cpus, 64);
				for (k = 0; k < n; k++)
					got[2] += cpus[k].hashrate;
				for (k = 0; k < 3; k++) {
					v = got[k];
					r.reads++;
					r.zero += !v;
					r.huge += v >= limit;
					r.min = v < r.min ? v : r.min;
					r.max = v > r.max ? v : r.max;
				}
			}
			mm_genl_close(&g);
			_exit(write(fds[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
		}
	}
	close(fds[1]);
	for (i = 0; i < nreaders; i++) {
		struct reading r;

		ASSERT_EQ((ssize_t)sizeof(r), read(fds[0], &r, sizeof(r)));
		total.reads += r.reads;
		total.zero += r.zero;
		total.huge += r.huge;
		total.min = r.min < total.min ? r.min : total.min;
		total.max = r.max > total.max ? r.max : total.max;
	}
	close(fds[0]);
	while (wait(&status) > 0)
		EXPECT_EQ(0, WEXITSTATUS(status));
	TH_LOG("%d readers, %llu readings from %llu to %llu nonces/s", nreaders,
	       (unsigned long long)total.reads, (unsigned long long)total.min,
	       (unsigned long long)total.max);
	EXPECT_EQ(0U, total.zero) TH_LOG("a rate was reset to 0 while mining");
	EXPECT_EQ(0U, total.huge) TH_LOG("a rate came from a wrapped count");
}

/*
 * The locks the workers take are never held by a worker a busy CPU keeps
 * from running.  With a foreground loop on every CPU and the workers
 * (SCHED_IDLE) finding a share with every nonce, job-submit and share-get
 * answer as soon as the scheduler runs their caller.  On PREEMPT_RT a
 * sleeping lock's holder can be preempted, and priority inheritance does
 * not lift a SCHED_IDLE task: a submitter waited seconds behind it.
 */
TEST_F_TIMEOUT(race, calls_beside_busy_cpus, 120)
{
	uint64_t worst = 0, t, end;
	pid_t busy[64];
	struct mm_share *s;
	struct mm_job j;
	int nbusy, calls = 0, slow = 0;
	size_t n;

	unsolvable(&j, 800, 0, true);
	memset(j.target, 0xff, sizeof(j.target));	/* every nonce a share */
	ASSERT_EQ(0, mm_job_submit(&self->g, &j, NULL));
	usleep(300000);
	nbusy = mmt_busy_cpus(busy);
	usleep(300000);
	for (end = mmt_now_ms() + 6000; mmt_now_ms() < end; calls++) {
		t = mmt_now_ms();
		j.id = 801 + calls % 100;
		if (mm_job_submit(&self->g, &j, NULL) == 0 &&
		    mmt_shares_take(&self->g, &s, &n) == 0)
			free(s);
		t = mmt_now_ms() - t;
		worst = t > worst ? t : worst;
		slow += t >= 1500;
		usleep(20000);
	}
	mmt_stop(busy, nbusy);
	TH_LOG("%d job-submit and share-get pairs beside %d busy CPUs: the slowest took %llu ms, %d of them 1.5 s or more",
	       calls, nbusy, (unsigned long long)worst, slow);
	/*
	 * A lock held by a starved worker stalls call after call; a host
	 * that did not run the emulated CPU for a while (seen: 2.8 s once
	 * in 30 runs of the debug row) stalls one.
	 */
	EXPECT_LE(slow, 1);
	EXPECT_LT(worst, 5000U);
}

/* The events of one history, as they came. */
struct history {
	struct ev {
		uint8_t cmd;
		uint32_t id;
		uint64_t seq;
	} *v;
	size_t n, cap;
};

static int record(uint8_t cmd, struct nlattr **tb, struct nlmsghdr *nlh, void *arg)
{
	struct history *h = arg;
	struct ev *e;

	(void)nlh;
	if (cmd != MICROMINE_CMD_JOB_STARTED && cmd != MICROMINE_CMD_JOB_EXHAUSTED)
		return 0;
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 1024;
		h->v = realloc(h->v, h->cap * sizeof(*h->v));
		if (!h->v)
			return -ENOMEM;
	}
	e = &h->v[h->n++];
	e->cmd = cmd;
	e->id = tb[MICROMINE_A_JOB_JOB_ID] ? nla_get_u32(tb[MICROMINE_A_JOB_JOB_ID]) : 0;
	e->seq = tb[MICROMINE_A_JOB_EVENT_SEQ] ? nla_get_u64(tb[MICROMINE_A_JOB_EVENT_SEQ]) : 0;
	return 0;
}

static int by_seq(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Short jobs exhausting one after the other while another process drops
 * them with clean jobs and flushes.  The worker that ends a job starts the
 * next one and announces both: reading the next one's id after unlocking
 * read freed memory once a clean job had dropped it (KASAN's to see).
 * Every event is numbered under the lock of its change: sorted by number
 * they tell a history that could have happened, whatever order they came
 * in: a job ends only while it is the one running (the last one started),
 * and starts and ends at most once.
 */
TEST_F_TIMEOUT(race, events_in_order, 180)
{
	struct history h = { 0 };
	struct mm_genl ev;
	struct mm_job j;
	uint32_t next = 10000, running = 0;
	uint64_t end, late = 0, prev = 0;
	size_t i, bad = 0, dup = 0;
	int status, ret, overruns = 0;
	pid_t dropper;

	ASSERT_EQ(0, mm_genl_open(&ev));
	ASSERT_EQ(0, mm_genl_subscribe(&ev));
	dropper = fork();
	ASSERT_LE(0, dropper);
	if (!dropper) {
		struct mm_genl g;
		uint32_t id = 1;

		if (mm_genl_open(&g))
			_exit(1);
		for (end = mmt_now_ms() + 5000; mmt_now_ms() < end; id++) {
			usleep(rnd32() % 30000);
			if (id % 4) {
				unsolvable(&j, id, 4096, true);
				mm_job_submit(&g, &j, NULL);
			} else {
				mm_job_flush(&g);
			}
		}
		mm_genl_close(&g);
		_exit(0);
	}
	for (end = mmt_now_ms() + 5000; mmt_now_ms() < end;) {
		/* keep the queue full of short jobs */
		do {
			unsolvable(&j, next, 2048 + rnd32() % 4096, false);
			ret = mm_job_submit(&self->g, &j, NULL);
			next += !ret;
		} while (!ret);
		/* each read takes one event: read all there are */
		while ((ret = mm_genl_events(&ev, 2, record, &h)) == 1)
			;
		overruns += ret == -ENOBUFS;
	}
	waitpid(dropper, &status, 0);
	EXPECT_EQ(0, WEXITSTATUS(status));
	mm_job_flush(&self->g);
	while ((ret = mm_genl_events(&ev, 300, record, &h)) == 1)
		;
	overruns += ret == -ENOBUFS;
	mm_genl_close(&ev);
	ASSERT_EQ(0, overruns) TH_LOG("events were lost: the history has holes");

	ASSERT_GT(h.n, 20U) TH_LOG("too few job events to tell anything");
	for (i = 0; i < h.n; i++) {
		late += h.v[i].seq < prev;
		prev = h.v[i].seq > prev ? h.v[i].seq : prev;
		EXPECT_NE(0U, h.v[i].seq) TH_LOG("an event without its number");
	}
	qsort(h.v, h.n, sizeof(*h.v), by_seq);
	for (i = 0; i < h.n; i++) {
		const struct ev *e = &h.v[i];
		size_t k;

		dup += i && e->seq == h.v[i - 1].seq;
		if (e->cmd == MICROMINE_CMD_JOB_STARTED) {
			for (k = 0; k < i; k++)
				dup += h.v[k].cmd == e->cmd && h.v[k].id == e->id;
			running = e->id;
		} else {
			if (e->id != running) {
				bad++;
				TH_LOG("event %llu: job %u exhausted while job %u ran",
				       (unsigned long long)e->seq, e->id, running);
			}
			running = 0;
		}
	}
	TH_LOG("%zu job events, %llu of them came after a higher-numbered one", h.n,
	       (unsigned long long)late);
	EXPECT_EQ(0U, bad);
	EXPECT_EQ(0U, dup) TH_LOG("an event number or a job start came twice");
	free(h.v);
}

TEST_HARNESS_MAIN
