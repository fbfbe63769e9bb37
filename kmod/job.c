// SPDX-License-Identifier: GPL-2.0
/*
 * Jobs: the one running now and a short queue behind it.  Workers take
 * ranges of the running job without a lock (an atomic cursor), give back
 * what they could not finish, and the worker that finishes the last range
 * reports the job exhausted and starts the next one.  Switching jobs bumps
 * a generation counter the workers compare after every slice.
 *
 * The locks are raw spinlocks held for a bounded handful of instructions
 * (never across an allocation, a free, a netlink message or a print): the
 * workers are SCHED_IDLE, and on PREEMPT_RT a sleeping lock's holder that
 * a busy CPU preempts would stall the submitter waiting behind it under
 * these locks, which every share and job switch takes.  (The workers still
 * take sleeping locks elsewhere, briefly and never with the submitter
 * waiting: wait queues, and the allocation and multicast of an event.)
 * Each event is numbered under the lock of the change it reports, so that
 * listeners can put events sent after unlocking back in order.
 */

#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <uapi/linux/micromine.h>

#include "job.h"
#include "netlink.h"
#include "stats.h"
#include "worker.h"

/* More indexes than will ever be searched (146 years at 1 GH/s). */
#define MINE_TOTAL_MAX		BIT_ULL(62)

static struct {
	raw_spinlock_t lock;	/* protects all but @running's readers */
	struct mine_job __rcu *running;
	struct list_head queue;
	unsigned int queued;
	atomic_t gen;
} jobs;

void mine_jobs_init(void)
{
	raw_spin_lock_init(&jobs.lock);
	INIT_LIST_HEAD(&jobs.queue);
}

/*
 * Another job runs now (@running is set): a new generation.  Released
 * after @running, and read with acquire (mine_job_get()), so that a worker
 * that sees the new generation also sees the new job: on a weakly ordered
 * CPU it could otherwise pair the new generation with the old job and
 * mine dropped work until the next switch.
 */
static void next_generation(void)
{
	atomic_inc_return_release(&jobs.gen);
}

static struct mine_job *job_alloc(const struct mine_job_desc *d)
{
	struct mine_job *job;

	job = kzalloc(struct_size(job, leftovers, nr_cpu_ids), GFP_KERNEL);
	if (!job)
		return NULL;
	INIT_LIST_HEAD(&job->node);
	refcount_set(&job->ref, 1);
	raw_spin_lock_init(&job->lock);
	job->id = d->id;
	job->version_mask = d->version_mask;
	job->nonce_start = d->nonce_start;
	job->nonce_count = d->nonce_count;
	if (check_mul_overflow(d->nonce_count, mine_version_rolls(d->version_mask),
			       &job->total) || job->total > MINE_TOTAL_MAX)
		job->total = MINE_TOTAL_MAX;
	mine_work_prepare(&job->work, d->header, d->target);
	return job;
}

/**
 * mine_job_put() - drop a reference to a job
 * @job: the job
 */
void mine_job_put(struct mine_job *job)
{
	if (refcount_dec_and_test(&job->ref))
		kfree_rcu(job, rcu);
}

/**
 * mine_job_get() - a reference to the running job
 * @gen: set to the generation it runs in (or a later one)
 *
 * Return: the job, or NULL if none runs.
 */
struct mine_job *mine_job_get(u32 *gen)
{
	struct mine_job *job;

	*gen = atomic_read_acquire(&jobs.gen);
	rcu_read_lock();
	job = rcu_dereference(jobs.running);
	if (job && !refcount_inc_not_zero(&job->ref))
		job = NULL;
	rcu_read_unlock();
	return job;
}

/**
 * mine_job_generation() - changes whenever another job starts running
 *
 * Return: the generation.
 */
u32 mine_job_generation(void)
{
	return atomic_read(&jobs.gen);
}

/* Drop the running job and the queue; their shares become stale. */
static void drop_all(struct list_head *dropped)
{
	struct mine_job *job, *tmp;

	job = rcu_dereference_protected(jobs.running, lockdep_is_held(&jobs.lock));
	if (job)
		list_add(&job->node, dropped);
	list_splice_init(&jobs.queue, dropped);
	WRITE_ONCE(jobs.queued, 0);
	list_for_each_entry_safe(job, tmp, dropped, node)
		job->dropped = true;
	RCU_INIT_POINTER(jobs.running, NULL);
	next_generation();
}

static void put_dropped(struct list_head *dropped)
{
	struct mine_job *job, *tmp;

	list_for_each_entry_safe(job, tmp, dropped, node) {
		list_del_init(&job->node);
		mine_job_put(job);
	}
}

/**
 * mine_job_submit() - add a job
 * @d: the job; its nonce range within 2^32 (netlink.c checks it)
 * @position: set to 0 if it runs now, to n if it is n-th in the queue
 * @event_seq: set to the event number of the submission: every event
 *	numbered higher reports a later change
 * @extack: where to say what is wrong
 *
 * Return: 0, -EINVAL for a nonce range beyond 2^32, -ENOSPC if the queue
 * is full, -ENOMEM.
 */
int mine_job_submit(const struct mine_job_desc *d, u32 *position, u64 *event_seq,
		    struct netlink_ext_ack *extack)
{
	struct mine_job *job;
	LIST_HEAD(dropped);
	bool started = false;

	if ((u64)d->nonce_start + d->nonce_count > (1ULL << 32))
		return -EINVAL;
	job = job_alloc(d);
	if (!job)
		return -ENOMEM;

	raw_spin_lock(&jobs.lock);
	if (d->clean)
		drop_all(&dropped);
	if (rcu_access_pointer(jobs.running) && jobs.queued >= MINE_QUEUE_MAX) {
		raw_spin_unlock(&jobs.lock);
		kfree(job);
		NL_SET_ERR_MSG(extack, "the job queue is full (16 jobs wait)");
		return -ENOSPC;
	}
	if (!rcu_access_pointer(jobs.running)) {
		rcu_assign_pointer(jobs.running, job);
		next_generation();
		*position = 0;
		started = true;
	} else {
		list_add_tail(&job->node, &jobs.queue);
		WRITE_ONCE(jobs.queued, jobs.queued + 1);
		*position = jobs.queued;
	}
	*event_seq = mine_nl_event_seq();
	raw_spin_unlock(&jobs.lock);

	put_dropped(&dropped);
	atomic64_inc(&mine_stats.jobs);
	if (started) {
		mine_nl_notify_job(MICROMINE_CMD_JOB_STARTED, d->id, *event_seq);
		mine_workers_wake(MINE_WAKE_WORK);
	}
	return 0;
}

/**
 * mine_job_flush() - drop every job; their shares found later are stale
 */
void mine_job_flush(void)
{
	LIST_HEAD(dropped);

	raw_spin_lock(&jobs.lock);
	drop_all(&dropped);
	raw_spin_unlock(&jobs.lock);
	put_dropped(&dropped);
}

/*
 * Every index of @job was searched: say so and start the next job.  The
 * next job's id and both events' numbers are taken under the lock: once
 * it is dropped, a clean submission or a flush may free that job.
 */
static void job_exhausted(struct mine_job *job)
{
	u64 seq_exhausted = 0, seq_started = 0;
	struct mine_job *next = NULL;
	u32 next_id = 0;
	bool running;

	raw_spin_lock(&jobs.lock);
	running = rcu_access_pointer(jobs.running) == job;
	if (running) {
		next = list_first_entry_or_null(&jobs.queue, struct mine_job, node);
		if (next) {
			list_del_init(&next->node);
			WRITE_ONCE(jobs.queued, jobs.queued - 1);
			next_id = next->id;
		}
		rcu_assign_pointer(jobs.running, next);
		next_generation();
		seq_exhausted = mine_nl_event_seq();
		if (next)
			seq_started = mine_nl_event_seq();
	}
	raw_spin_unlock(&jobs.lock);
	if (!running)
		return;

	atomic64_inc(&mine_stats.jobs_exhausted);
	mine_nl_notify_job(MICROMINE_CMD_JOB_EXHAUSTED, job->id, seq_exhausted);
	if (next)
		mine_nl_notify_job(MICROMINE_CMD_JOB_STARTED, next_id, seq_started);
	/* the running job's reference; the caller holds its own */
	mine_job_put(job);
	if (next)
		mine_workers_wake(MINE_WAKE_WORK);
}

/* A range of @job is done (or was never had): the last one ends the job. */
static void range_done(struct mine_job *job)
{
	bool exhausted;

	if (!atomic_dec_and_test(&job->inflight))
		return;
	raw_spin_lock(&job->lock);
	exhausted = !job->exhausted && !job->nleft && !atomic_read(&job->inflight) &&
		    atomic64_read(&job->cursor) >= job->total;
	if (exhausted)
		job->exhausted = true;
	raw_spin_unlock(&job->lock);
	if (exhausted)
		job_exhausted(job);
}

/**
 * mine_job_take() - take a range of a job to search
 * @job: the job
 * @want: how many indexes
 * @range: the range taken, given back by mine_job_finish()
 *
 * A range given back by another worker comes first, then a new one.
 *
 * Return: false if there is nothing left to take.
 */
bool mine_job_take(struct mine_job *job, u64 want, struct mine_range *range)
{
	u64 start;

	if (READ_ONCE(job->nleft)) {
		raw_spin_lock(&job->lock);
		if (job->nleft) {
			WRITE_ONCE(job->nleft, job->nleft - 1);
			*range = job->leftovers[job->nleft];
			atomic_inc(&job->inflight);
			raw_spin_unlock(&job->lock);
			return true;
		}
		raw_spin_unlock(&job->lock);
	}
	/* counted before it is taken, so that the job cannot end meanwhile */
	atomic_inc(&job->inflight);
	start = atomic64_fetch_add(want, &job->cursor);
	if (start >= job->total) {
		range_done(job);
		return false;
	}
	range->start = start;
	range->end = min(start + want, job->total);
	return true;
}

/**
 * mine_job_finish() - give a range back, done or not
 * @job: its job
 * @rest: the part not searched, may be NULL or empty; others search it
 */
void mine_job_finish(struct mine_job *job, const struct mine_range *rest)
{
	if (rest && rest->start < rest->end) {
		raw_spin_lock(&job->lock);
		job->leftovers[job->nleft] = *rest;
		WRITE_ONCE(job->nleft, job->nleft + 1);
		raw_spin_unlock(&job->lock);
		/* those at work take it before new ranges; the idle may too */
		mine_workers_wake(MINE_WAKE_WORK);
	}
	range_done(job);
}

/**
 * mine_job_found() - record a share of @job in the order of the jobs'
 *	changes
 * @job: the share's job
 * @record: called under the jobs' lock with the share's time
 *	(CLOCK_REALTIME, ns), whether @job had been dropped by then, and the
 *	number of its event; it must take no lock but the shares' queue's
 * @arg: passed to @record
 *
 * All three are taken under the lock a job is dropped under, so that they
 * agree: a share is stale exactly when its time and its event come after
 * the submission or flush that dropped its job.  Read one after the other,
 * a worker (the lowest priority there is) preempted between them could
 * give a time well before that submission with a job already dropped.
 * The share is queued under the same lock, so that its place in the queue
 * follows its event's number too.
 */
void mine_job_found(const struct mine_job *job,
		    void (*record)(void *arg, u64 time_ns, bool stale, u64 event_seq), void *arg)
{
	raw_spin_lock(&jobs.lock);
	record(arg, ktime_get_real_ns(), job->dropped, mine_nl_event_seq());
	raw_spin_unlock(&jobs.lock);
}

/**
 * mine_job_current_id() - the id of the running job
 * @id: set to it
 *
 * Return: false if no job runs.
 */
bool mine_job_current_id(u32 *id)
{
	struct mine_job *job;
	bool running;

	rcu_read_lock();
	job = rcu_dereference(jobs.running);
	running = !!job;
	if (job)
		*id = job->id;
	rcu_read_unlock();
	return running;
}

/**
 * mine_job_queued() - how many jobs wait behind the running one
 *
 * Return: their number.
 */
unsigned int mine_job_queued(void)
{
	return READ_ONCE(jobs.queued);
}

static void show_job(struct seq_file *m, const char *what, struct mine_job *job)
{
	int i;

	seq_printf(m, "%s id=%u version=%08x mask=%08x nonces=%u+%llu\n", what, job->id,
		   mine_work_version(&job->work), job->version_mask, job->nonce_start,
		   job->nonce_count);
	/* %*ph prints at most 64 bytes */
	seq_printf(m, "  header=%*phN%*phN\n  target=", 64, job->work.header,
		   MINE_HEADER_SIZE - 64, job->work.header + 64);
	for (i = 7; i >= 0; i--)
		seq_printf(m, "%08x", job->work.target[i]);
	seq_puts(m, " (display order)\n");
}

/**
 * mine_jobs_show() - the jobs, for debugfs
 * @m: where to print
 *
 * The jobs are referenced under the lock and printed after it.
 */
void mine_jobs_show(struct seq_file *m)
{
	struct mine_job *list[MINE_QUEUE_MAX + 1], *job;
	unsigned int n = 0, nleft, i;
	bool running;
	s64 cursor;
	int inflight;

	raw_spin_lock(&jobs.lock);
	job = rcu_dereference_protected(jobs.running, lockdep_is_held(&jobs.lock));
	running = !!job;
	if (job)
		list[n++] = job;
	list_for_each_entry(job, &jobs.queue, node)
		if (n < ARRAY_SIZE(list))
			list[n++] = job;
	for (i = 0; i < n; i++)
		refcount_inc(&list[i]->ref);
	raw_spin_unlock(&jobs.lock);

	if (!running)
		seq_puts(m, "no job running\n");
	for (i = 0; i < n; i++) {
		job = list[i];
		show_job(m, running && !i ? "running" : "queued", job);
		if (running && !i) {
			raw_spin_lock(&job->lock);
			nleft = job->nleft;
			raw_spin_unlock(&job->lock);
			cursor = atomic64_read(&job->cursor);
			inflight = atomic_read(&job->inflight);
			seq_printf(m, "  cursor=%lld of %llu inflight=%d leftovers=%u\n",
				   (long long)cursor, job->total, inflight, nleft);
		}
		mine_job_put(job);
	}
}

/**
 * mine_jobs_exit() - free every job; the workers are gone
 */
void mine_jobs_exit(void)
{
	LIST_HEAD(dropped);

	raw_spin_lock(&jobs.lock);
	drop_all(&dropped);
	raw_spin_unlock(&jobs.lock);
	put_dropped(&dropped);
}
