// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics: per-CPU counters that only their worker writes (no shared
 * cache line while hashing), machine-wide event counters, and hash rates
 * computed when read.
 */

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>

#include "stats.h"

DEFINE_PER_CPU(struct mine_cpu_stats, mine_cpu_stats);
struct mine_stats mine_stats;

/* A rate is averaged over about this long ... */
#define RATE_TAU_MS		10000
/* ... and not brought up to date more often than this. */
#define RATE_MIN_NS		(200 * NSEC_PER_MSEC)
/* exp(-1 ms / RATE_TAU_MS) in 0.32 fixed point */
#define RATE_DECAY_1MS		4294537821ULL

static void rate_init(struct mine_rate *r)
{
	spin_lock_init(&r->lock);
	r->last_ns = ktime_get_ns();
}

/* exp(-@ms / RATE_TAU_MS) in 0.32 fixed point */
static u64 decay(u64 ms)
{
	u64 result = 1ULL << 32, base = RATE_DECAY_1MS;

	if (ms > 20 * RATE_TAU_MS)
		return 0;
	for (; ms; ms >>= 1) {
		if (ms & 1)
			result = mul_u64_u64_shr(result, base, 32);
		base = mul_u64_u64_shr(base, base, 32);
	}
	return result;
}

/* Hashes of one CPU, or (@cpu < 0) of all. */
static u64 hashes_of(int cpu)
{
	struct mine_counts s;

	if (cpu < 0)
		mine_stats_sum(&s);
	else
		mine_stats_read(cpu, &s);
	return s.hashes;
}

/*
 * Bring @r up to date with the hashes of @cpu (see hashes_of()), and
 * return it.  The count and the time are both read under the lock: read
 * before it, a reader preempted in between could bring @r up to date with
 * a count older than another reader's (count - last wraps to ~2^64, and
 * the division below faults) or a time older than @r->last_ns.  The
 * counters only grow, and the clock only goes forward, so neither can
 * happen under the lock; they are still rejected rather than trusted.
 */
static u64 rate_update(struct mine_rate *r, int cpu)
{
	u64 now, count, dt, inst, keep, rate;

	spin_lock(&r->lock);
	count = hashes_of(cpu);
	now = ktime_get_ns();
	if (count < r->last || now < r->last_ns) {
		r->last = count;
		r->last_ns = now;
	}
	dt = now - r->last_ns;
	if (dt >= RATE_MIN_NS) {
		inst = mul_u64_u64_div_u64(count - r->last, NSEC_PER_SEC, dt);
		keep = decay(div_u64(dt, NSEC_PER_MSEC));
		r->rate = mul_u64_u64_shr(r->rate, keep, 32) +
			  mul_u64_u64_shr(inst, (1ULL << 32) - keep, 32);
		r->last_ns = now;
		r->last = count;
	}
	rate = r->rate;
	spin_unlock(&r->lock);
	return rate;
}

void mine_stats_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct mine_cpu_stats *s = per_cpu_ptr(&mine_cpu_stats, cpu);

		u64_stats_init(&s->syncp);
		rate_init(&s->rate);
	}
	rate_init(&mine_stats.rate);
	mine_stats.load_ns = ktime_get_ns();
}

/**
 * mine_stats_read() - a consistent copy of one CPU's counters
 * @cpu: the CPU
 * @out: the copy
 */
void mine_stats_read(int cpu, struct mine_counts *out)
{
	struct mine_cpu_stats *s = per_cpu_ptr(&mine_cpu_stats, cpu);
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		out->hashes = u64_stats_read(&s->hashes);
		out->shares = u64_stats_read(&s->shares);
		out->mining_ns = u64_stats_read(&s->mining_ns);
		out->paused_ns = u64_stats_read(&s->paused_ns);
		out->hashing_ns = u64_stats_read(&s->hashing_ns);
		out->slices = u64_stats_read(&s->slices);
		out->rolls = u64_stats_read(&s->rolls);
	} while (u64_stats_fetch_retry(&s->syncp, start));
	out->last_slice_ns = READ_ONCE(s->last_slice_ns);
	out->section_max_ns = READ_ONCE(s->section_max_ns);
	out->job_id = READ_ONCE(s->job_id);
	out->active = READ_ONCE(s->active);
}

/**
 * mine_stats_sum() - the counters of every CPU added up
 * @out: the sums (job_id, active and last_slice_ns are not summed;
 *	section_max_ns is the largest)
 */
void mine_stats_sum(struct mine_counts *out)
{
	struct mine_counts s;
	int cpu;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		mine_stats_read(cpu, &s);
		out->hashes += s.hashes;
		out->shares += s.shares;
		out->mining_ns += s.mining_ns;
		out->paused_ns += s.paused_ns;
		out->hashing_ns += s.hashing_ns;
		out->slices += s.slices;
		out->rolls += s.rolls;
		out->section_max_ns = max(out->section_max_ns, s.section_max_ns);
	}
}

/**
 * mine_stats_hashrate() - nonces per second, averaged over about 10 s
 * @cpu: a CPU, or -1 for the whole machine
 *
 * Context: process; may sleep on PREEMPT_RT.
 * Return: the rate.
 */
u64 mine_stats_hashrate(int cpu)
{
	struct mine_rate *r = cpu < 0 ? &mine_stats.rate : &per_cpu_ptr(&mine_cpu_stats, cpu)->rate;

	return rate_update(r, cpu);
}
