// SPDX-License-Identifier: GPL-2.0
/*
 * The mining engine of micromine.ko at work: real blocks solved as jobs,
 * every share of a range found exactly once (against the same range
 * searched in userspace) with each backend, version rolling, clean job
 * switches, stale shares, hash rates, pause, duty cycle, CPU mask, CPU
 * hotplug, SCHED_IDLE under load, the suspend freezer, a share queue too
 * small, unloading while mining.  Runs in the test guests as root.
 *
 * Times are checked with wide margins only: the guests are emulated.
 */

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mmtest.h"
#include "workers.h"

static const struct {
	const char *name, *header, *hash;
	uint32_t nonce, bits;
} blocks[] = {
	{ "genesis",
	  "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd"
	  "7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c",
	  "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
	  2083236893U, 0x1d00ffff },
	{ "block 125552",
	  "0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2"
	  "fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695",
	  "00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d",
	  2504433986U, 0x1a44b9f2 },
	{ "mainnet pool share",
	  "040000204595850c738349a3fa5274a511b72ec265a4f23d5243050000000000000000005bdc1968"
	  "499c3393873edf8e07a1c3a50a97fc3a9d1a376bbf77087dd63778ebb52570643aae0517d19e020a",
	  "00000000005fe144efbc66241c0094b8fdc2702b7729226fdfed70ca8094c0b5",
	  0x0a029ed1, 0 },
};

static void module_loaded(void)
{
	char cmd[4096];

	if (access("/sys/kernel/micromine", F_OK)) {
		snprintf(cmd, sizeof(cmd), "insmod %s", getenv("MM_KO"));
		if (system(cmd))
			fprintf(stderr, "# insmod failed\n");
	}
}

static int online_cpus(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN);
}

static uint32_t rnd32(void)
{
	static uint64_t s = 0x6d6963726f6d696eULL;

	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return s;
}

static void random_header(uint8_t header[80])
{
	int i;

	for (i = 0; i < 80; i++)
		header[i] = rnd32();
}

/* the compact "bits" form of a block target, as a little-endian integer */
static void target_from_bits(uint32_t bits, uint8_t target[32])
{
	int exp = bits >> 24, i;

	memset(target, 0, 32);
	for (i = 0; i < 3; i++)
		if (exp - 3 + i >= 0 && exp - 3 + i < 32)
			target[exp - 3 + i] = (bits & 0x7fffff) >> (8 * i);
}

FIXTURE(engine) {
	struct mm_genl g;
	struct mm_genl ev;
	struct mmt_events e;
};

FIXTURE_SETUP(engine)
{
	module_loaded();
	memset(&self->e, 0, sizeof(self->e));
	ASSERT_EQ(0, mm_genl_open(&self->g));
	ASSERT_EQ(0, mm_genl_open(&self->ev));
	ASSERT_EQ(0, mm_genl_subscribe(&self->ev));
	ASSERT_EQ(0, mmt_reset(&self->g));
}

FIXTURE_TEARDOWN(engine)
{
	mm_job_flush(&self->g);
	mmt_set_enabled(&self->g, true);
	mmt_set_u8(&self->g, MICROMINE_A_CONFIG_DUTY_CYCLE, 100);
	mmt_set_str(&self->g, MICROMINE_A_CONFIG_CPUS, mmt_possible_cpus());
	mmt_events_free(&self->e);
	mm_genl_close(&self->ev);
	mm_genl_close(&self->g);
}

/* Shares of job @id among the events. */
static size_t shares_of(const struct mmt_events *e, uint32_t id, struct mm_share **out)
{
	size_t i, n = 0;

	*out = malloc((e->nshares + 1) * sizeof(**out));
	for (i = 0; i < e->nshares; i++)
		if (e->shares[i].job_id == id)
			(*out)[n++] = e->shares[i];
	return n;
}

/*
 * Wait for job @id to be used up and for its last events, then check its
 * shares by event against @want (what userspace found in the same range);
 * the job's shares are left in @got, for the caller to free.
 */
static size_t events_match(struct __test_metadata *_metadata, FIXTURE_DATA(engine) *self,
			   uint32_t id, const struct mm_share *want, size_t nwant,
			   struct mm_share **got)
{
	char why[128];
	size_t ngot;

	ASSERT_TRUE(mmt_wait_exhausted(&self->ev, &self->e, id, 250000));
	mmt_events_poll(&self->ev, &self->e, 300);
	EXPECT_EQ(0, self->e.overruns);
	ngot = shares_of(&self->e, id, got);
	EXPECT_EQ(0, mmt_match(want, nwant, *got, ngot, why, sizeof(why)))
		TH_LOG("events: %s (%zu wanted, %zu got)", why, nwant, ngot);
	return ngot;
}

/*
 * Run @job to its end and check that its shares, by event and by
 * share-get, are exactly those found in userspace for the same range.
 */
static void run_and_compare(struct __test_metadata *_metadata, FIXTURE_DATA(engine) *self,
			    const struct mm_job *job, uint64_t rolls, size_t *count)
{
	struct mm_share *want, *got, *queued;
	struct mm_stats before, after;
	size_t nwant, nqueued;
	char why[128];

	nwant = mmt_expected(job->header, job->target, job->version_mask, job->nonce_start,
			     job->nonce_count, rolls, &want);
	ASSERT_EQ(0, mm_stats_get(&self->g, &before));
	ASSERT_EQ(0, mm_job_submit(&self->g, job, NULL)) TH_LOG("%s", self->g.error);
	events_match(_metadata, self, job->id, want, nwant, &got);
	ASSERT_EQ(0, mm_stats_get(&self->g, &after));
	ASSERT_EQ(0, mmt_shares_take(&self->g, &queued, &nqueued));
	EXPECT_EQ(0, mmt_match(want, nwant, queued, nqueued, why, sizeof(why)))
		TH_LOG("share-get: %s (%zu wanted, %zu got)", why, nwant, nqueued);
	EXPECT_EQ(nwant, after.shares - before.shares);
	EXPECT_EQ(0U, after.queue_overflows - before.queue_overflows);
	EXPECT_EQ(rolls * job->nonce_count, after.hashes - before.hashes);
	if (count)
		*count = nwant;
	free(want);
	free(got);
	free(queued);
}

/* The real blocks and pool share, each at its real target. */
TEST_F_TIMEOUT(engine, real_blocks_solved, 300)
{
	unsigned int i;

	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		struct mm_job j = { .id = 100 + i, .clean = true };
		uint8_t want[32], disp[32];
		struct mm_share *got;
		size_t n, k;
		int found = 0;

		mmt_hex(blocks[i].header, j.header, 80);
		if (blocks[i].bits) {
			target_from_bits(blocks[i].bits, j.target);
		} else {
			/* difficulty 512 */
			memset(j.target, 0, 32);
			j.target[24] = 0x80;
			j.target[25] = 0xff;
			j.target[26] = 0x7f;
		}
		j.nonce_start = blocks[i].nonce - 500;
		j.nonce_count = 1000;
		run_and_compare(_metadata, self, &j, 1, NULL);
		mmt_hex(blocks[i].hash, disp, 32);
		for (k = 0; k < 32; k++)
			want[k] = disp[31 - k];
		n = shares_of(&self->e, j.id, &got);
		for (k = 0; k < n; k++)
			found |= got[k].nonce == blocks[i].nonce && !memcmp(got[k].hash, want, 32);
		EXPECT_TRUE(found) TH_LOG("%s: its nonce was not reported", blocks[i].name);
		free(got);
	}
}

/*
 * Whether every worker that last mined job @id did so with backend @name,
 * and at least one did (debugfs "workers": job is the 3rd column, the
 * backend the 9th).
 */
static bool workers_used(uint32_t id, const char *name)
{
	FILE *f = fopen("/sys/kernel/debug/micromine/workers", "r");
	char line[256], backend[32];
	int used = 0, other = 0;
	unsigned int job;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*d %*s %u %*u %*u %*u %*u %*u %31s", &job, backend) == 2 &&
		    job == id) {
			if (strcmp(backend, name))
				other++;
			else
				used++;
		}
	fclose(f);
	return used && !other;
}

/*
 * The wall time each CPU's slices took (debugfs workers, hashing_us: what
 * the duty cycle counts), and their number.  Returns how many CPUs were
 * read.
 */
static int slices_read(unsigned long long *us, unsigned long long *slices, int max)
{
	FILE *f = fopen("/sys/kernel/debug/micromine/workers", "r");
	unsigned long long v, k;
	char line[256];
	int cpu, n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %*s %*u %*u %llu %*u %*u %*u %*s %*u %llu", &cpu, &k, &v) == 3 &&
		    cpu >= 0 && cpu < max) {
			us[cpu] = v;
			slices[cpu] = k;
			n++;
		}
	fclose(f);
	return n;
}

/* Each backend the CPU offers, chosen: the same shares, and it is the one used. */
TEST_F_TIMEOUT(engine, every_backend, 300)
{
	struct mm_config c;
	int i;

	ASSERT_EQ(0, mm_config_get(&self->g, &c));
	for (i = 0; i < c.nbackends; i++) {
		struct mm_job j = { .id = 150 + i, .nonce_count = 1 << 16 };

		ASSERT_EQ(0, mm_backend_set(&self->g, c.backends[i])) TH_LOG("%s", self->g.error);
		random_header(j.header);
		mmt_target_top(j.target, 0x00ffffff);
		run_and_compare(_metadata, self, &j, 1, NULL);
		EXPECT_TRUE(workers_used(j.id, c.backends[i]))
			TH_LOG("the workers did not mine with %s", c.backends[i]);
	}
	ASSERT_EQ(0, mm_backend_set(&self->g, c.backend));
}

/* Hundreds of shares over every CPU: each exactly once. */
TEST_F_TIMEOUT(engine, many_shares_exactly_once, 300)
{
	struct mm_job j = { .id = 200, .nonce_count = 1 << 17 };
	struct nl_msg *msg;
	uint32_t cpus = 0;
	size_t n, i;

	/* small ranges, so that every CPU gets some */
	msg = mm_genl_msg(&self->g, MICROMINE_CMD_CONFIG_SET, 0);
	nla_put_u32(msg, MICROMINE_A_CONFIG_CHUNK_MIN, 256);
	nla_put_u32(msg, MICROMINE_A_CONFIG_CHUNK_MAX, 2048);
	ASSERT_EQ(0, mm_genl_run(&self->g, msg, NULL, NULL));
	random_header(j.header);
	mmt_target_top(j.target, 0x00ffffff);
	run_and_compare(_metadata, self, &j, 1, &n);
	EXPECT_GT(n, 300U);
	for (i = 0; i < self->e.nshares; i++)
		cpus |= 1U << (self->e.shares[i].cpu & 31);
	if (online_cpus() > 1)
		EXPECT_GT(__builtin_popcount(cpus), 1) TH_LOG("one CPU found every share");
}

/* After the nonces of a version, the next version within the mask. */
TEST_F_TIMEOUT(engine, version_rolling, 300)
{
	struct mm_job j = { .id = 300, .nonce_start = 1000, .nonce_count = 4096,
			     .version_mask = 0x00006000 };
	struct mm_stats before, after;
	uint32_t versions = 0;
	int ncpu = online_cpus();
	size_t i;

	random_header(j.header);
	mmt_target_top(j.target, 0x03ffffff);
	ASSERT_EQ(0, mm_stats_get(&self->g, &before));
	run_and_compare(_metadata, self, &j, 4, NULL);
	ASSERT_EQ(0, mm_stats_get(&self->g, &after));
	/*
	 * A worker counts a roll when it moves on to another version of the
	 * job, not when it starts on one: each worker that mined touched its
	 * versions in order, so the four versions give at least four minus
	 * the workers, at most three per worker.
	 */
	EXPECT_GE(after.version_rolls - before.version_rolls,
		  (uint64_t)(ncpu < 4 ? 4 - ncpu : 0));
	EXPECT_LE(after.version_rolls - before.version_rolls, 3U * ncpu);
	for (i = 0; i < self->e.nshares; i++)
		versions |= 1U << ((self->e.shares[i].version >> 13) & 3);
	EXPECT_EQ(0xfU, versions) TH_LOG("shares came from versions %x", versions);
}

/*
 * A clean job replaces a running one at once; what the old one finds
 * after is marked stale, and no share is lost uncounted.
 */
TEST_F_TIMEOUT(engine, clean_switch, 300)
{
	struct mm_job a = { .id = 400 }, b = { .id = 401, .clean = true };
	struct mm_stats before, after;
	struct mm_share *s;
	size_t n, i, consumed = 0, stale = 0, late_a = 0;
	uint64_t t;

	random_header(a.header);
	mmt_target_top(a.target, 0x000fffff);
	random_header(b.header);
	ASSERT_EQ(0, mm_stats_get(&self->g, &before));
	ASSERT_EQ(0, mm_job_submit(&self->g, &a, NULL));
	for (t = mmt_now_ms(); mmt_now_ms() - t < 1500;) {
		ASSERT_EQ(0, mmt_shares_take(&self->g, &s, &n));
		for (i = 0; i < n; i++)
			stale += s[i].stale;
		consumed += n;
		free(s);
		mmt_events_poll(&self->ev, &self->e, 50);
	}
	EXPECT_GT(consumed, 0U) TH_LOG("job A found nothing to switch away from");
	ASSERT_EQ(0, mm_job_submit(&self->g, &b, NULL));
	/* shares of A still in flight arrive now, stale or not */
	mmt_events_poll(&self->ev, &self->e, 500);
	ASSERT_EQ(0, mmt_shares_take(&self->g, &s, &n));
	for (i = 0; i < n; i++)
		stale += s[i].stale;
	consumed += n;
	free(s);
	/* and then no more */
	mmt_events_poll(&self->ev, &self->e, 500);
	ASSERT_EQ(0, mmt_shares_take(&self->g, &s, &n));
	for (i = 0; i < n; i++)
		late_a += s[i].job_id == a.id;
	consumed += n;
	free(s);
	EXPECT_EQ(0U, late_a) TH_LOG("job A still mined a second after the clean job");
	mmt_events_poll(&self->ev, &self->e, 200);
	for (i = 0; i < self->e.nstarted; i++)
		if (self->e.started[i] == b.id)
			break;
	EXPECT_LT(i, self->e.nstarted) TH_LOG("no job-started for the clean job");
	EXPECT_EQ(0, self->e.overruns);

	ASSERT_EQ(0, mm_stats_get(&self->g, &after));
	/* found = read + lost to a full queue; stale ones counted as read */
	EXPECT_EQ(after.shares - before.shares,
		  consumed + (after.queue_overflows - before.queue_overflows));
	EXPECT_EQ(0U, after.queue_overflows - before.queue_overflows);
	EXPECT_EQ(after.stale_shares - before.stale_shares, stale);
	TH_LOG("%zu shares read, %zu of them stale", consumed, stale);
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Two hundred clean jobs in a row, each replacing the last while the
 * workers are in the middle of their slices: a share found for a job
 * after it was replaced is marked stale, one found before is not, by the
 * share's time against the replacing submission's, with no slack: the
 * module reads a share's time and its job's state under the lock the job
 * is dropped under, and both clocks are CLOCK_REALTIME.
 */
TEST_F_TIMEOUT(engine, stale_marking, 300)
{
	enum { JOBS = 200, FIRST = 1300 };
	uint64_t from[JOBS], to[JOBS];
	struct mm_job j = { .clean = true };
	struct mm_stats before, after;
	size_t i, nstale = 0, late = 0, early = 0, n;
	struct mm_share *s;

	/* a share every 1024 nonces: a few in the rest of a 500 us slice */
	mmt_target_top(j.target, 0x003fffff);
	ASSERT_EQ(0, mm_stats_get(&self->g, &before));
	for (i = 0; i <= JOBS; i++) {
		if (i)
			from[i - 1] = realtime_ns();
		if (i < JOBS) {
			j.id = FIRST + i;
			random_header(j.header);
			ASSERT_EQ(0, mm_job_submit(&self->g, &j, NULL));
		} else {
			ASSERT_EQ(0, mm_job_flush(&self->g));
		}
		if (i)
			to[i - 1] = realtime_ns();
		mmt_events_poll(&self->ev, &self->e, 20);
		/* keep the share queue from overflowing */
		ASSERT_EQ(0, mmt_shares_take(&self->g, &s, &n));
		free(s);
	}
	mmt_events_poll(&self->ev, &self->e, 300);
	ASSERT_EQ(0, mm_stats_get(&self->g, &after));
	EXPECT_EQ(0, self->e.overruns);
	for (i = 0; i < self->e.nshares; i++) {
		const struct mm_share *sh = &self->e.shares[i];
		size_t k = sh->job_id - FIRST;

		if (sh->job_id < FIRST || k >= JOBS)
			continue;
		nstale += sh->stale;
		if (sh->stale && sh->time_ns < from[k])
			early++;
		if (!sh->stale && sh->time_ns > to[k])
			late++;
	}
	TH_LOG("%zu shares, %zu of them stale", self->e.nshares, nstale);
	EXPECT_EQ(0U, early) TH_LOG("shares marked stale before their job was replaced");
	EXPECT_EQ(0U, late) TH_LOG("shares not marked stale after their job was replaced");
	EXPECT_GT(nstale, 0U) TH_LOG("no share found after its job was replaced");
	EXPECT_EQ(after.stale_shares - before.stale_shares, nstale);
}

static bool all_idle(struct mm_genl *g)
{
	struct mm_cpu_stats cpus[256];
	int n = mm_cpu_stats_get(g, cpus, 256), i;

	for (i = 0; i < n; i++)
		if (cpus[i].active)
			return false;
	return n > 0;
}

/* a job nobody can solve, over all nonces: mining until told otherwise */
static void start_long_job(struct __test_metadata *_metadata, struct mm_genl *g, uint32_t id)
{
	struct mm_job j = { .id = id, .clean = true };

	random_header(j.header);
	ASSERT_EQ(0, mm_job_submit(g, &j, NULL));
	usleep(300000);
}

/*
 * What a read of a hash rate should give @dt_s after the read before it
 * left @before_rate, with @hashes counted in between: the average moves
 * towards their rate, the old one weighing exp(-dt / 10 s).
 */
static double rate_after(uint64_t before_rate, uint64_t hashes, double dt_s)
{
	double keep = exp(-dt_s / 10);

	return before_rate * keep + hashes / dt_s * (1 - keep);
}

/*
 * The hash rates (machine and per CPU) are the hashes' rates, averaged
 * over about ten seconds: two reads two seconds apart give the average
 * the first read left, moved towards the rate in between.
 */
TEST_F_TIMEOUT(engine, hashrate, 300)
{
	struct mm_cpu_stats c0[256], c1[256];
	struct mm_stats a, b;
	uint64_t t0, t1;
	double dt, want;
	int n, i;

	start_long_job(_metadata, &self->g, 550);
	ASSERT_EQ(0, mm_stats_get(&self->g, &a));
	n = mm_cpu_stats_get(&self->g, c0, 256);
	t0 = mmt_now_ms();
	sleep(2);
	ASSERT_EQ(0, mm_stats_get(&self->g, &b));
	ASSERT_EQ(n, mm_cpu_stats_get(&self->g, c1, 256));
	t1 = mmt_now_ms();
	dt = (t1 - t0) / 1000.0;
	want = rate_after(a.hashrate, b.hashes - a.hashes, dt);
	TH_LOG("hashrate %llu, %.0f wanted (%llu before, %.0f hashes/s in between)",
	       (unsigned long long)b.hashrate, want, (unsigned long long)a.hashrate,
	       (b.hashes - a.hashes) / dt);
	EXPECT_GT(b.hashes, a.hashes);
	EXPECT_GT(b.hashrate, want * 0.9);
	EXPECT_LT(b.hashrate, want * 1.1);
	for (i = 0; i < n; i++) {
		want = rate_after(c0[i].hashrate, c1[i].hashes - c0[i].hashes, dt);
		EXPECT_GE(c1[i].hashrate, want * 0.9) TH_LOG("cpu %u: %llu, %.0f wanted",
			c1[i].cpu, (unsigned long long)c1[i].hashrate, want);
		EXPECT_LE(c1[i].hashrate, want * 1.1 + 1) TH_LOG("cpu %u: %llu, %.0f wanted",
			c1[i].cpu, (unsigned long long)c1[i].hashrate, want);
	}
}

TEST_F_TIMEOUT(engine, pause_and_resume, 300)
{
	struct mm_stats s1, s2, s3;
	uint64_t t;

	start_long_job(_metadata, &self->g, 500);
	ASSERT_EQ(0, mmt_set_enabled(&self->g, false));
	t = mmt_now_ms();
	while (!all_idle(&self->g) && mmt_now_ms() - t < 5000)
		usleep(1000);
	TH_LOG("every worker stopped %llu ms after the pause (emulated)",
	       (unsigned long long)(mmt_now_ms() - t));
	EXPECT_TRUE(all_idle(&self->g));
	ASSERT_EQ(0, mm_stats_get(&self->g, &s1));
	usleep(300000);
	ASSERT_EQ(0, mm_stats_get(&self->g, &s2));
	EXPECT_EQ(s1.hashes, s2.hashes) TH_LOG("mining went on while paused");
	ASSERT_EQ(0, mmt_set_enabled(&self->g, true));
	usleep(300000);
	ASSERT_EQ(0, mm_stats_get(&self->g, &s3));
	EXPECT_GT(s3.hashes, s2.hashes);
	mmt_events_poll(&self->ev, &self->e, 200);
	EXPECT_EQ(1, self->e.paused);
	EXPECT_EQ(1, self->e.resumed);
}

/* CPU time of task @pid in ns, as the scheduler counts it; 0 if unknown. */
static uint64_t cpu_time_ns(pid_t pid)
{
	unsigned long long ns = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns;
}

/*
 * At a duty cycle of 25 % each worker mines about a quarter of its time,
 * by the module's count and by the scheduler's, which sees whether the
 * worker really leaves the CPU for the rest (a worker that waits on the
 * CPU runs all the time).
 */
TEST_F_TIMEOUT(engine, duty_cycle, 300)
{
	struct mm_cpu_stats c0[256], c1[256];
	uint64_t run0[256], t0, wall;
	pid_t pids[256];
	int n, i, np;

	start_long_job(_metadata, &self->g, 600);
	ASSERT_EQ(0, mmt_set_u8(&self->g, MICROMINE_A_CONFIG_DUTY_CYCLE, 25));
	usleep(300000);
	np = mm_workers_list(pids, 256);
	ASSERT_EQ(np, online_cpus()) TH_LOG("a CPU is offline");
	n = mm_cpu_stats_get(&self->g, c0, 256);
	t0 = mmt_now_ms();
	for (i = 0; i < np; i++)
		run0[i] = cpu_time_ns(pids[i]);
	sleep(2);
	wall = mmt_now_ms() - t0;
	for (i = 0; i < np; i++) {
		double share;

		ASSERT_NE(0U, run0[i]) TH_LOG("no /proc/%d/schedstat", pids[i]);
		share = (cpu_time_ns(pids[i]) - run0[i]) / (wall * 1e6);
		TH_LOG("worker %d ran %.0f%% of the time, as the scheduler counts", pids[i],
		       share * 100);
		/* it also counts the worker's time between slices, a few % */
		EXPECT_GT(share, 0.10);
		EXPECT_LT(share, 0.55);
	}
	ASSERT_EQ(n, mm_cpu_stats_get(&self->g, c1, 256));
	for (i = 0; i < n; i++) {
		uint64_t mined = c1[i].mining_ns - c0[i].mining_ns;
		uint64_t paused = c1[i].paused_ns - c0[i].paused_ns;
		double share = mined + paused ? (double)mined / (mined + paused) : 0;

		if (!mined && !paused)
			continue;	/* an offline CPU */
		TH_LOG("cpu %u mined %.0f%% of its time", c1[i].cpu, share * 100);
		EXPECT_GT(share, 0.10);
		EXPECT_LT(share, 0.45);
	}
}

/*
 * At a duty cycle of 1 % a worker mines 200 us of each 20 ms: its slices
 * are sized by what is left of that, not the usual 500 us, and a new job
 * does not cut its sleep short (clean jobs come every 50 ms here, as from
 * a busy pool: each used to start a period anew).  Measured by the slices'
 * own wall time (what the duty cycle counts), their mean length, the
 * hashes done per slice time against those at 100 % just before (that
 * time not counted short), and the scheduler's count of the workers' time
 * (which also counts their wakeups, slow under emulation, and a worker
 * left waiting on the CPU).  The slices' time also counts the emulator's
 * stalls (a busy host deschedules the guest's CPU now and then, 100 times
 * a slice's length): each measure is taken over three windows of a
 * second, and the best of them judged; a worker that mines too much does
 * so in every window.
 */
#define WINDOWS 3
TEST_F_TIMEOUT(engine, duty_cycle_one_percent, 300)
{
	unsigned long long h[WINDOWS + 1][256] = { { 0 } }, k[WINDOWS + 1][256] = { { 0 } };
	unsigned long long full_us = 0, low_us;
	double speed_full, speed, best_speed = 1e300;
	uint64_t run0[256], t0, t[WINDOWS + 1], wall;
	uint64_t hashes[WINDOWS + 1], full;
	struct mm_stats a, b;
	pid_t pids[256];
	struct mm_job j;
	int i, w, np, n = 0;

	start_long_job(_metadata, &self->g, 650);
	/* the rate at 100 %, per second of slice time */
	ASSERT_EQ(0, mm_stats_get(&self->g, &a));
	ASSERT_LT(0, slices_read(h[0], k[0], 256)) TH_LOG("no debugfs workers");
	sleep(1);
	ASSERT_EQ(0, mm_stats_get(&self->g, &b));
	slices_read(h[1], k[1], 256);
	for (i = 0; i < 256; i++)
		full_us += h[1][i] - h[0][i];
	full = b.hashes - a.hashes;
	ASSERT_GT(full, 0U);
	ASSERT_GT(full_us, 0U);
	speed_full = (double)full / full_us;

	ASSERT_EQ(0, mmt_set_u8(&self->g, MICROMINE_A_CONFIG_DUTY_CYCLE, 1));
	usleep(300000);
	np = mm_workers_list(pids, 256);
	ASSERT_EQ(np, online_cpus()) TH_LOG("a CPU is offline");
	for (i = 0; i < np; i++)
		run0[i] = cpu_time_ns(pids[i]);
	t0 = mmt_now_ms();
	for (w = 0; w <= WINDOWS; w++) {
		if (w) {
			while (mmt_now_ms() - t[w - 1] < 1000) {
				memset(&j, 0, sizeof(j));
				j.id = 660 + n++ % 100;
				j.clean = true;
				random_header(j.header);
				ASSERT_EQ(0, mm_job_submit(&self->g, &j, NULL));
				usleep(50000);
			}
		}
		ASSERT_EQ(0, mm_stats_get(&self->g, &b));
		slices_read(h[w], k[w], 256);
		t[w] = mmt_now_ms();
		hashes[w] = b.hashes;
	}
	wall = mmt_now_ms() - t0;
	for (i = 0; i < np; i++) {
		double share = (cpu_time_ns(pids[i]) - run0[i]) / (wall * 1e6);

		TH_LOG("worker %d ran %.1f%% of the time, as the scheduler counts", pids[i],
		       share * 100);
		/* 50 wakeups a second: 2-4 % here, 8 % on the debug kernel */
		EXPECT_LT(share, 0.15);
	}
	for (i = 0; i < 256; i++) {
		double best = 1, most = 0, slice = 1e300;

		if (!k[WINDOWS][i])
			continue;	/* no such CPU */
		for (w = 1; w <= WINDOWS; w++) {
			unsigned long long us = h[w][i] - h[w - 1][i], nk = k[w][i] - k[w - 1][i];
			double share = us / ((t[w] - t[w - 1]) * 1e3);

			best = share < best ? share : best;
			most = share > most ? share : most;
			if (nk && (double)us / nk < slice)
				slice = (double)us / nk;
		}
		TH_LOG("cpu %d hashed %.2f%% to %.2f%% of the time, in slices of %.0f us at best",
		       i, best * 100, most * 100, slice);
		/* it mines, and what one period runs over the next gives back */
		EXPECT_GT(most, 0.002);
		EXPECT_LT(best, 0.02);
		/* 200 us at most (500 us slices: 2.5 %) */
		EXPECT_LT(slice, 400);
	}
	for (w = 1; w <= WINDOWS; w++) {
		low_us = 0;
		for (i = 0; i < 256; i++)
			low_us += h[w][i] - h[w - 1][i];
		if (!low_us || hashes[w] == hashes[w - 1])
			continue;
		speed = (double)(hashes[w] - hashes[w - 1]) / low_us;
		best_speed = speed < best_speed ? speed : best_speed;
	}
	TH_LOG("at 1 %% the hashes per slice time are %.2f times those at 100 %% at most "
	       "(%llu in %llu us there)", best_speed / speed_full,
	       (unsigned long long)full, full_us);
	ASSERT_LT(best_speed, 1e300) TH_LOG("no hashes at 1 %%");
	/* a busy host's emulator gives a guest at 1 % more speed: 1.5 times seen */
	EXPECT_LT(best_speed, 2.5 * speed_full);
}
#undef WINDOWS

TEST_F_TIMEOUT(engine, cpu_mask, 300)
{
	struct mm_cpu_stats a[256], b[256];
	int n;

	if (online_cpus() < 2)
		SKIP(return, "one CPU");
	start_long_job(_metadata, &self->g, 700);
	ASSERT_EQ(0, mmt_set_str(&self->g, MICROMINE_A_CONFIG_CPUS, "0"));
	usleep(300000);
	n = mm_cpu_stats_get(&self->g, a, 256);
	usleep(500000);
	ASSERT_EQ(n, mm_cpu_stats_get(&self->g, b, 256));
	ASSERT_GE(n, 2);
	EXPECT_GT(b[0].hashes, a[0].hashes);
	EXPECT_EQ(a[1].hashes, b[1].hashes) TH_LOG("CPU 1 mined outside the mask");
}

/*
 * The nonces the workers search in about @s seconds here, from the rate
 * of half a second's mining (emulated s390x and riscv64 hash 20 times
 * slower than emulated x86-64 with SHA-NI), within [@min, @max].
 */
static uint32_t nonces_in(struct __test_metadata *_metadata, FIXTURE_DATA(engine) *self,
			  double s, uint32_t min, uint32_t max)
{
	struct mm_stats a, b;
	uint64_t t0;
	double n;

	start_long_job(_metadata, &self->g, 790);
	t0 = mmt_now_ms();
	if (mm_stats_get(&self->g, &a)) {
		mm_job_flush(&self->g);
		return max;
	}
	usleep(500000);
	n = mm_stats_get(&self->g, &b) ? max :
	    (double)(b.hashes - a.hashes) * s * 1000 / (mmt_now_ms() - t0 + 1);
	mm_job_flush(&self->g);
	return n < min ? min : n > max ? max : (uint32_t)n;
}

/*
 * A CPU goes offline in the middle of a job (seconds long here): nothing
 * lost, nothing twice, and the job still ends.
 */
TEST_F_TIMEOUT(engine, cpu_hotplug, 300)
{
	const char *online = "/sys/devices/system/cpu/cpu1/online";
	struct mm_job j = { .id = 800 };
	struct mm_share *want, *got;
	struct mm_cpu_stats cpus[256];
	struct nl_msg *msg;
	uint64_t t0, t1;
	size_t nwant;

	if (access(online, W_OK))
		SKIP(return, "CPU 1 cannot go offline here");
	msg = mm_genl_msg(&self->g, MICROMINE_CMD_CONFIG_SET, 0);
	nla_put_u32(msg, MICROMINE_A_CONFIG_CHUNK_MIN, 1024);
	nla_put_u32(msg, MICROMINE_A_CONFIG_CHUNK_MAX, 65536);
	ASSERT_EQ(0, mm_genl_run(&self->g, msg, NULL, NULL));
	/* (8 s of mining, to outlast the hotplug: 1-2 s here) */
	j.nonce_count = nonces_in(_metadata, self, 8, 1 << 18, 1 << 22);
	random_header(j.header);
	mmt_target_top(j.target, 0x0000ffff);
	nwant = mmt_expected(j.header, j.target, 0, 0, j.nonce_count, 1, &want);
	t0 = mmt_now_ms();
	ASSERT_EQ(0, mm_job_submit(&self->g, &j, NULL));
	mmt_events_poll(&self->ev, &self->e, 300);
	ASSERT_GE(mm_cpu_stats_get(&self->g, cpus, 256), 2);
	EXPECT_GT(cpus[1].hashes, 0U) TH_LOG("CPU 1 had not mined yet");
	ASSERT_EQ(0, mmt_write(online, "0"));
	mmt_events_poll(&self->ev, &self->e, 500);
	ASSERT_EQ(0, mmt_write(online, "1"));
	t1 = mmt_now_ms();
	TH_LOG("%llu nonces; CPU 1 offline and back %llu ms after the job came",
	       (unsigned long long)j.nonce_count,
	       (unsigned long long)(t1 - t0));
	EXPECT_FALSE(mmt_wait_exhausted(&self->ev, &self->e, j.id, 0))
		TH_LOG("the job ended before the hotplug was over");
	events_match(_metadata, self, j.id, want, nwant, &got);
	free(want);
	free(got);
}

static int policy_of(pid_t pid)
{
	char path[64], line[256];
	int policy = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/sched", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "policy : %d", &policy) == 1)
			break;
	fclose(f);
	return policy;
}

/* Workers are SCHED_IDLE: busy foreground programs leave them nothing. */
TEST_F_TIMEOUT(engine, sched_idle_under_load, 300)
{
	struct mm_cpu_stats a[256], b[256];
	pid_t pids[256], busy[256];
	struct utsname u;
	int n, i, ncpu = online_cpus();

	n = mm_workers_list(pids, 256);
	ASSERT_GE(n, ncpu);
	for (i = 0; i < n; i++) {
		int policy = policy_of(pids[i]);

		if (policy == SCHED_IDLE)
			continue;
		/* only kernels that keep SCHED_IDLE from modules: nice 19 */
		uname(&u);
		ASSERT_EQ(0, strncmp(u.release, "5.10", 4)) TH_LOG("worker %d: policy %d",
								   pids[i], policy);
		EXPECT_EQ(19, getpriority(PRIO_PROCESS, pids[i]));
	}
	/* what the micromine tool does there */
	ASSERT_LE(0, mm_workers_make_idle());
	for (i = 0; i < n; i++)
		EXPECT_EQ(SCHED_IDLE, policy_of(pids[i])) TH_LOG("worker %d", pids[i]);

	start_long_job(_metadata, &self->g, 900);
	ncpu = mmt_busy_cpus(busy);
	usleep(500000);
	n = mm_cpu_stats_get(&self->g, a, 256);
	sleep(2);
	mm_cpu_stats_get(&self->g, b, 256);
	mmt_stop(busy, ncpu);
	for (i = 0; i < n; i++) {
		uint64_t mined = b[i].mining_ns - a[i].mining_ns;

		TH_LOG("cpu %u mined %llu ms of 2000 beside a busy loop", b[i].cpu,
		       (unsigned long long)(mined / 1000000));
		EXPECT_LT(mined, 200000000ULL);
	}
}

static bool supports(const char *path, const char *word)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return strstr(buf, word) != NULL;
}

/*
 * How long everything freezable stayed frozen in the freeze just logged
 * to @kmsg (opened at its end before it): from the kernel's "Waiting for"
 * line of pm_test to its "OOM killer enabled." at the thaw, by the
 * kernel's clock.  Microseconds, or -1 if the log does not say.
 */
static long long frozen_us(int kmsg)
{
	unsigned long long usec, from = 0;
	char rec[1024];
	ssize_t len;
	int off;

	while ((len = read(kmsg, rec, sizeof(rec) - 1)) > 0 || (len < 0 && errno == EPIPE)) {
		if (len < 0)
			continue;	/* records overwritten before they were read */
		rec[len] = 0;
		off = 0;
		if (sscanf(rec, "%*u,%*u,%llu,%*[^;];%n", &usec, &off) != 1 || !off)
			continue;
		if (strstr(rec + off, "suspend debug: Waiting for"))
			from = usec;
		else if (from && !strncmp(rec + off, "OOM killer enabled.", 19))
			return usec - from;
	}
	return -1;
}

/*
 * Suspend's freezer: no mining from before it to after it, mining again
 * after it.  The PM notifier pauses the workers before the freezer and
 * resumes them after the thaw, so over a window around the freeze they
 * can only have mined while not frozen, a tenth of a second of slack per
 * CPU for the clocks; a worker mining through the freeze (one CPU is the
 * pm_test delay's busy wait) would mine about all of it.
 */
TEST_F_TIMEOUT(engine, suspend_freezer, 300)
{
	static const char delay_param[] = "/sys/module/suspend/parameters/pm_test_delay";
	struct mm_stats a, b, c;
	uint64_t t0 = 0, t1 = 0;
	long long frozen = -1, thawed_ns;
	int ncpu = online_cpus(), tries, kmsg, ret = 0;

	if (access("/sys/power/pm_test", W_OK) || !supports("/sys/power/state", "freeze"))
		SKIP(return, "no suspend test mode here");
	/* a 2 s freeze where its length can be set (else 5 s) */
	if (mmt_read_ll(delay_param) > 0)
		mmt_write(delay_param, "2");
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, kmsg);
	start_long_job(_metadata, &self->g, 1000);
	ASSERT_EQ(0, mmt_write("/sys/power/pm_test", "freezer"));
	/*
	 * Under heavy emulation the kernel's busy-wait delay can be much
	 * shorter than asked: a freeze under a second is tried again, so
	 * that a worker mining through it would stand out.
	 */
	for (tries = 0; tries < 3 && frozen < 1000000; tries++) {
		lseek(kmsg, 0, SEEK_END);
		ret = mm_stats_get(&self->g, &a);
		if (ret)
			break;
		t0 = mmt_now_ms();
		/* fails (EBUSY, "Freezing of tasks failed") if the freezer cannot freeze */
		EXPECT_EQ(0, mmt_write("/sys/power/state", "freeze"));
		t1 = mmt_now_ms();
		ret = mm_stats_get(&self->g, &b);
		if (ret)
			break;
		frozen = frozen_us(kmsg);
		TH_LOG("mined %llu ms on %d CPUs over %llu ms, %lld ms of it frozen",
		       (unsigned long long)((b.mining_ns - a.mining_ns) / 1000000), ncpu,
		       (unsigned long long)(t1 - t0), frozen / 1000);
	}
	mmt_write("/sys/power/pm_test", "none");
	close(kmsg);
	ASSERT_EQ(0, ret);
	ASSERT_LT(0, frozen) TH_LOG("the kernel log does not say how long the freeze was");
	thawed_ns = (long long)(t1 - t0) * 1000000 - frozen * 1000;
	if (thawed_ns < 0)
		thawed_ns = 0;
	EXPECT_LT(b.mining_ns - a.mining_ns, ncpu * (thawed_ns + 100000000ULL));
	usleep(500000);
	ASSERT_EQ(0, mm_stats_get(&self->g, &c));
	EXPECT_GT(c.hashes, b.hashes) TH_LOG("no mining after the thaw");
}

/*
 * Unload the module, load it again with @params and open the sockets
 * again (the family's id changes).
 */
static void reload(struct __test_metadata *_metadata, FIXTURE_DATA(engine) *self,
		   const char *params)
{
	char cmd[4096];

	mm_genl_close(&self->ev);
	mm_genl_close(&self->g);
	ASSERT_EQ(0, system("rmmod micromine"));
	EXPECT_NE(0, access("/sys/kernel/micromine", F_OK)) TH_LOG("sysfs left after rmmod");
	snprintf(cmd, sizeof(cmd), "insmod %s %s", getenv("MM_KO"), params);
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(0, mm_genl_open(&self->g));
	ASSERT_EQ(0, mm_genl_open(&self->ev));
	ASSERT_EQ(0, mm_genl_subscribe(&self->ev));
}

/*
 * More shares than the queue holds, none read: the queue keeps the
 * oldest, the others are counted as overflows, and every one of them is
 * still announced by its event.
 */
TEST_F_TIMEOUT(engine, share_queue_overflow, 300)
{
	struct mm_job j = { .id = 1100, .nonce_count = 1 << 15 };
	struct mm_share *want, *got, *queued;
	size_t nwant, ngot, nqueued, i, k;
	struct mm_stats st;

	reload(_metadata, self, "share_queue_len=16");
	random_header(j.header);
	mmt_target_top(j.target, 0x00ffffff);
	nwant = mmt_expected(j.header, j.target, 0, 0, j.nonce_count, 1, &want);
	ASSERT_GT(nwant, 32U);
	ASSERT_EQ(0, mm_job_submit(&self->g, &j, NULL));
	ngot = events_match(_metadata, self, j.id, want, nwant, &got);
	ASSERT_EQ(0, mm_stats_get(&self->g, &st));
	EXPECT_EQ(nwant, st.shares);
	EXPECT_EQ(16U, st.shares_queued);
	EXPECT_EQ(nwant - 16, st.queue_overflows);
	TH_LOG("%llu shares found, %u kept, %llu counted as overflows",
	       (unsigned long long)st.shares, st.shares_queued,
	       (unsigned long long)st.queue_overflows);
	ASSERT_EQ(0, mmt_shares_take(&self->g, &queued, &nqueued));
	ASSERT_EQ(16U, nqueued);
	/* the sixteen announced first (by sequence number), in order */
	for (i = 0; i < nqueued; i++) {
		const struct mm_share *same = NULL;
		size_t before = 0;

		for (k = 0; k < ngot; k++) {
			before += got[k].seq < queued[i].seq;
			if (got[k].seq == queued[i].seq)
				same = &got[k];
		}
		EXPECT_EQ(i, before) TH_LOG("queued share %zu (seq %llu)", i,
					    (unsigned long long)queued[i].seq);
		EXPECT_TRUE(same && same->nonce == queued[i].nonce &&
			    !memcmp(same->hash, queued[i].hash, 32))
			TH_LOG("queued share %zu is not the one announced", i);
	}
	free(want);
	free(got);
	free(queued);
	reload(_metadata, self, "");
}

/* Last: the module goes while it mines. */
TEST_F_TIMEOUT(engine, unload_while_mining, 300)
{
	start_long_job(_metadata, &self->g, 1200);
	reload(_metadata, self, "");
}

TEST_HARNESS_MAIN
