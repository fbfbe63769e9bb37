/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_JOB_H
#define MICROMINE_JOB_H

#include <linux/netlink.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>

#include "sha256d.h"

/* Jobs that may wait behind the running one. */
#define MINE_QUEUE_MAX		16

/**
 * struct mine_range - a range of a job's work: indexes, each one a pair of
 *	a version (index / nonce_count) and a nonce (index % nonce_count)
 * @start: first index
 * @end: one past the last
 */
struct mine_range {
	u64 start;
	u64 end;
};

/**
 * struct mine_job - one block header to search
 * @node: in the queue of waiting jobs
 * @rcu: for freeing
 * @ref: references: the job state's, one per worker using it
 * @id: the submitter's id
 * @version_mask: version bits to roll when the nonces run out, 0 for none
 * @nonce_start: first nonce
 * @nonce_count: nonces per version, 1 .. 2^32
 * @total: indexes in all: @nonce_count times the versions
 * @work: the header and target, prepared, with the job's own version
 * @cursor: the next index nobody took
 * @inflight: ranges taken and not finished
 * @lock: protects @leftovers, @nleft and @exhausted; a raw spinlock: the
 *	workers (SCHED_IDLE) take it, and a sleeping lock's holder preempted
 *	by a busy CPU would stall everyone else waiting for it
 * @exhausted: every index was searched; reported
 * @dropped: a clean job or a flush dropped it; its shares are stale
 *	(written and read under the jobs' lock, see mine_job_found())
 * @nleft: ranges in @leftovers (read without the lock as a hint)
 * @leftovers: ranges workers gave back unfinished (a CPU going offline,
 *	a pause); taken before new ones.  At most one per CPU.
 */
struct mine_job {
	struct list_head node;
	struct rcu_head rcu;
	refcount_t ref;
	u32 id;
	u32 version_mask;
	u32 nonce_start;
	u64 nonce_count;
	u64 total;
	struct mine_work work;
	atomic64_t cursor;
	atomic_t inflight;
	raw_spinlock_t lock;		/* protects @leftovers, @nleft, @exhausted */
	bool exhausted;
	bool dropped;
	unsigned int nleft;
	struct mine_range leftovers[];
};

/**
 * struct mine_job_desc - a job as submitted
 * @id: the submitter's id
 * @header: the 80-byte header
 * @target: the 32-byte target, a little-endian integer
 * @version_mask: version bits that may roll
 * @nonce_start: first nonce
 * @nonce_count: nonces per version
 * @clean: drop every other job
 */
struct mine_job_desc {
	u32 id;
	const u8 *header;
	const u8 *target;
	u32 version_mask;
	u32 nonce_start;
	u64 nonce_count;
	bool clean;
};

void mine_jobs_init(void);
void mine_jobs_exit(void);
int mine_job_submit(const struct mine_job_desc *d, u32 *position, u64 *event_seq,
		    struct netlink_ext_ack *extack);
void mine_job_flush(void);
struct mine_job *mine_job_get(u32 *gen);
void mine_job_put(struct mine_job *job);
u32 mine_job_generation(void);
bool mine_job_take(struct mine_job *job, u64 want, struct mine_range *range);
void mine_job_finish(struct mine_job *job, const struct mine_range *rest);
void mine_job_found(const struct mine_job *job,
		    void (*record)(void *arg, u64 time_ns, bool stale, u64 event_seq), void *arg);
bool mine_job_current_id(u32 *id);
unsigned int mine_job_queued(void);

struct seq_file;
void mine_jobs_show(struct seq_file *m);

#endif
