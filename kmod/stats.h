/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_STATS_H
#define MICROMINE_STATS_H

#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>

/**
 * struct mine_rate - a rate (events per second) as a decaying average,
 *	brought up to date whenever it is read
 * @lock: serializes readers
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
 * @mining_ns: CPU time spent hashing
 * @paused_ns: time spent sleeping for the duty cycle
 * @slices: units of work done
 * @rolls: moves to another version of a job
 * @last_slice_ns: length of the latest slice
 * @job_id: the job it works on
 * @active: mining now
 * @syncp: consistent 64-bit reads on 32-bit machines
 * @rate: @hashes per second
 */
struct mine_cpu_stats {
	u64 hashes;
	u64 shares;
	u64 mining_ns;
	u64 paused_ns;
	u64 slices;
	u64 rolls;
	u64 last_slice_ns;
	u32 job_id;
	bool active;
	struct u64_stats_sync syncp;
	struct mine_rate rate;
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
void mine_stats_read(int cpu, struct mine_cpu_stats *out);
void mine_stats_sum(struct mine_cpu_stats *out);
u64 mine_stats_hashrate(int cpu);

#endif
