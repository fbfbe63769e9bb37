// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics: per-CPU counters that only their worker writes (no shared
 * cache line while hashing), machine-wide event counters, and hash rates
 * computed when read.
 */

#include <linux/ktime.h>
#include <linux/math64.h>

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

/* Bring @r up to date with the event count @count and return it. */
static u64 rate_update(struct mine_rate *r, u64 count)
{
	u64 now = ktime_get_ns(), dt, inst, keep, rate;

	spin_lock(&r->lock);
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
 * @out: the copy (its lock and rate are not copied)
 */
void mine_stats_read(int cpu, struct mine_cpu_stats *out)
{
	struct mine_cpu_stats *s = per_cpu_ptr(&mine_cpu_stats, cpu);
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		out->hashes = s->hashes;
		out->shares = s->shares;
		out->mining_ns = s->mining_ns;
		out->paused_ns = s->paused_ns;
		out->slices = s->slices;
		out->rolls = s->rolls;
		out->last_slice_ns = s->last_slice_ns;
		out->job_id = READ_ONCE(s->job_id);
		out->active = READ_ONCE(s->active);
	} while (u64_stats_fetch_retry(&s->syncp, start));
}

/**
 * mine_stats_sum() - the counters of every CPU added up
 * @out: the sums (job_id, active and last_slice_ns are not summed)
 */
void mine_stats_sum(struct mine_cpu_stats *out)
{
	struct mine_cpu_stats s;
	int cpu;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		mine_stats_read(cpu, &s);
		out->hashes += s.hashes;
		out->shares += s.shares;
		out->mining_ns += s.mining_ns;
		out->paused_ns += s.paused_ns;
		out->slices += s.slices;
		out->rolls += s.rolls;
	}
}

/**
 * mine_stats_hashrate() - nonces per second, averaged over about 10 s
 * @cpu: a CPU, or -1 for the whole machine
 *
 * Return: the rate.
 */
u64 mine_stats_hashrate(int cpu)
{
	struct mine_cpu_stats s;

	if (cpu < 0) {
		mine_stats_sum(&s);
		return rate_update(&mine_stats.rate, s.hashes);
	}
	mine_stats_read(cpu, &s);
	return rate_update(&per_cpu_ptr(&mine_cpu_stats, cpu)->rate, s.hashes);
}
