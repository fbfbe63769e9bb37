/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_STATS_H
#define MICROMINE_STATS_H

#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>

/**
 * struct mine_rate - a rate (events per second) as a decaying average,
 *	brought up to date whenever it is read
 * @lock: serializes readers; the count and the time are read under it
 * @last_ns: when it was last brought up to date
 * @last: the event count then
 * @rate: the average, events per second
 */
struct mine_rate {
	spinlock_t lock;	/* serializes readers */
	u64 last_ns;
	u64 last;
	u64 rate;
};

/**
 * struct mine_cpu_stats - what one CPU's worker did
 * @hashes: nonces hashed
 * @shares: shares found
 * @mining_ns: CPU time the worker spent mining (hashing, and the little
 *	it does between slices)
 * @paused_ns: time spent sleeping for the duty cycle
 * @hashing_ns: wall time of the slices, preemption included: what the
 *	duty cycle allows for
 * @slices: units of work done
 * @rolls: moves to another version of a job
 * @last_slice_ns: wall time of the latest slice, preemption included (a
 *	u32: loads of it do not tear on 32-bit; kept to 4.29 s at most)
 * @section_max_ns: the longest vector section (preemption off), likewise
 * @job_id: the job it works on
 * @active: mining now
 * @syncp: consistent 64-bit reads on 32-bit machines
 * @rate: @hashes per second
 *
 * Only the CPU's worker writes them, with preemption disabled (see
 * mine_stats_write_begin()); anyone may read them (mine_stats_read()).
 */
struct mine_cpu_stats {
	u64_stats_t hashes;
	u64_stats_t shares;
	u64_stats_t mining_ns;
	u64_stats_t paused_ns;
	u64_stats_t hashing_ns;
	u64_stats_t slices;
	u64_stats_t rolls;
	u32 last_slice_ns;
	u32 section_max_ns;
	u32 job_id;
	bool active;
	struct u64_stats_sync syncp;
	struct mine_rate rate;
};

/**
 * struct mine_counts - a copy of the counters of a CPU, or their sum
 * @hashes: see struct mine_cpu_stats
 * @shares: see struct mine_cpu_stats
 * @mining_ns: see struct mine_cpu_stats
 * @paused_ns: see struct mine_cpu_stats
 * @hashing_ns: see struct mine_cpu_stats
 * @slices: see struct mine_cpu_stats
 * @rolls: see struct mine_cpu_stats
 * @last_slice_ns: see struct mine_cpu_stats (not summed)
 * @section_max_ns: see struct mine_cpu_stats (the largest, summed)
 * @job_id: see struct mine_cpu_stats (not summed)
 * @active: see struct mine_cpu_stats (not summed)
 */
struct mine_counts {
	u64 hashes;
	u64 shares;
	u64 mining_ns;
	u64 paused_ns;
	u64 hashing_ns;
	u64 slices;
	u64 rolls;
	u64 last_slice_ns;
	u64 section_max_ns;
	u32 job_id;
	bool active;
};

/**
 * struct mine_stats - counters of the whole machine
 * @jobs: jobs submitted
 * @jobs_exhausted: jobs whose nonces were all tried
 * @stale_shares: shares of dropped jobs
 * @queue_overflows: shares the share queue had no room for
 * @load_ns: when the module loaded
 * @rate: hashes per second, all CPUs
 */
struct mine_stats {
	atomic64_t jobs;
	atomic64_t jobs_exhausted;
	atomic64_t stale_shares;
	atomic64_t queue_overflows;
	u64 load_ns;
	struct mine_rate rate;
};

DECLARE_PER_CPU(struct mine_cpu_stats, mine_cpu_stats);
extern struct mine_stats mine_stats;

void mine_stats_init(void);
void mine_stats_read(int cpu, struct mine_counts *out);
void mine_stats_sum(struct mine_counts *out);
u64 mine_stats_hashrate(int cpu);

/**
 * mine_stats_write_begin() - start changing this CPU's counters
 *
 * Context: the CPU's worker.  Preemption stays disabled until
 * mine_stats_write_end(): on 32-bit SMP a reader on this CPU would
 * otherwise spin on the sequence count of a preempted writer
 * (u64_stats_sync.h, rule 2).
 *
 * Return: this CPU's counters.
 */
static inline struct mine_cpu_stats *mine_stats_write_begin(void)
{
	struct mine_cpu_stats *st;

	preempt_disable();
	st = this_cpu_ptr(&mine_cpu_stats);
	u64_stats_update_begin(&st->syncp);
	return st;
}

/**
 * mine_stats_write_end() - done changing this CPU's counters
 * @st: what mine_stats_write_begin() gave
 */
static inline void mine_stats_write_end(struct mine_cpu_stats *st)
{
	u64_stats_update_end(&st->syncp);
	preempt_enable();
}

/*
 * Add @v to a counter: u64_stats_add() takes an unsigned long, and 5.10
 * has no u64_stats_set().  On 32-bit, a time of more than 4.3 s is added
 * in parts (the callers add slices and pauses of seconds at most).
 */
static inline void mine_stats_add(u64_stats_t *c, u64 v)
{
	while (BITS_PER_LONG == 32 && upper_32_bits(v)) {
		u64_stats_add(c, ULONG_MAX);
		v -= ULONG_MAX;
	}
	u64_stats_add(c, (unsigned long)v);
}

#endif
