// SPDX-License-Identifier: GPL-2.0
/*
 * Shares: every nonce a worker finds is announced at once (netlink
 * multicast) and kept in a bounded queue until userspace has it: it reads
 * shares with share-get and then acknowledges them by sequence number
 * (share-ack), so that a reader that dies or truncates a reply loses
 * nothing.  Nothing disappears uncounted: a share the full queue cannot
 * keep is counted as an overflow (its event was still sent).
 *
 * The queue's lock is a raw spinlock held for a copy of one share at most:
 * the workers (SCHED_IDLE) take it, see job.c.  A share is queued under
 * the jobs' lock too (taken first), so that its place in the queue follows
 * the number of its event.
 */

#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "netlink.h"
#include "share.h"
#include "stats.h"

static uint share_queue_len = 1024;
module_param(share_queue_len, uint, 0444);
MODULE_PARM_DESC(share_queue_len, "Shares kept until read, 16-65536 (default: 1024)");

static struct {
	raw_spinlock_t lock;	/* protects all below */
	struct mine_share *ring;
	unsigned int cap;
	unsigned int head;	/* oldest */
	unsigned int count;
	u64 next_seq;
} shares;

int mine_shares_init(void)
{
	if (share_queue_len < 16 || share_queue_len > 65536) {
		pr_err("micromine: module parameter: share_queue_len must be 16 to 65536\n");
		return -EINVAL;
	}
	raw_spin_lock_init(&shares.lock);
	shares.cap = share_queue_len;
	shares.ring = kvcalloc(shares.cap, sizeof(*shares.ring), GFP_KERNEL);
	return shares.ring ? 0 : -ENOMEM;
}

void mine_shares_exit(void)
{
	/* the workers and netlink are gone: what is queued goes with the module */
	if (shares.count)
		pr_warn("micromine: unloaded with %u found share%s never read by userspace\n",
			shares.count, shares.count == 1 ? "" : "s");
	kvfree(shares.ring);
}

/**
 * struct report - a share being reported, for queue()
 * @s: the share
 * @kept: whether the queue had room for it
 */
struct report {
	struct mine_share s;
	bool kept;
};

/* Under the jobs' lock (mine_job_found()): number the share and queue it. */
static void queue(void *arg, u64 time_ns, bool stale, u64 event_seq)
{
	struct report *r = arg;

	r->s.time_ns = time_ns;
	r->s.stale = stale;
	r->s.event_seq = event_seq;
	raw_spin_lock(&shares.lock);
	r->s.seq = shares.next_seq++;
	if (shares.count < shares.cap) {
		shares.ring[(shares.head + shares.count) % shares.cap] = r->s;
		WRITE_ONCE(shares.count, shares.count + 1);
		r->kept = true;
	}
	raw_spin_unlock(&shares.lock);
}

/**
 * mine_share_report() - a worker found a share: count, keep and announce it
 * @job: its job
 * @version: the version it was found with
 * @found: the nonce and hash
 * @cpu: the worker's CPU
 *
 * Context: the worker of @cpu.
 */
void mine_share_report(const struct mine_job *job, u32 version,
		       const struct mine_found *found, unsigned int cpu)
{
	struct mine_cpu_stats *st;
	struct report r = {
		.s = {
			.job_id = job->id,
			.nonce = found->nonce,
			.version = version,
			.cpu = cpu,
		},
	};

	memcpy(r.s.hash, found->hash, sizeof(r.s.hash));
	mine_job_found(job, queue, &r);
	if (!r.kept)
		atomic64_inc(&mine_stats.queue_overflows);
	if (r.s.stale)
		atomic64_inc(&mine_stats.stale_shares);
	st = mine_stats_write_begin();
	u64_stats_inc(&st->shares);
	mine_stats_write_end(st);
	mine_nl_notify_share(&r.s);
}

/* Index in the ring of the oldest share numbered @seq or later, or count. */
static unsigned int find(u64 seq)
{
	unsigned int lo = 0, hi = shares.count;

	/* numbered in the order they were queued; overflows leave gaps */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (shares.ring[(shares.head + mid) % shares.cap].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/**
 * mine_share_peek() - the oldest queued share numbered @seq or later
 * @seq: a sequence number
 * @share: set to a copy of it
 *
 * Return: false if there is none.
 */
bool mine_share_peek(u64 seq, struct mine_share *share)
{
	unsigned int i;
	bool any;

	raw_spin_lock(&shares.lock);
	i = find(seq);
	any = i < shares.count;
	if (any)
		*share = shares.ring[(shares.head + i) % shares.cap];
	raw_spin_unlock(&shares.lock);
	return any;
}

/**
 * mine_share_ack() - userspace has every share numbered up to @seq: they
 *	leave the queue
 * @seq: a sequence number
 *
 * Return: how many left the queue.
 */
unsigned int mine_share_ack(u64 seq)
{
	unsigned int n;

	raw_spin_lock(&shares.lock);
	n = seq == U64_MAX ? shares.count : find(seq + 1);
	shares.head = (shares.head + n) % shares.cap;
	WRITE_ONCE(shares.count, shares.count - n);
	raw_spin_unlock(&shares.lock);
	return n;
}

/**
 * mine_shares_queued() - shares waiting to be read
 *
 * Return: their number.
 */
unsigned int mine_shares_queued(void)
{
	return READ_ONCE(shares.count);
}

/**
 * mine_shares_capacity() - room in the queue
 *
 * Return: the share_queue_len module parameter.
 */
unsigned int mine_shares_capacity(void)
{
	return shares.cap;
}

/**
 * mine_shares_show() - the queued shares, for debugfs
 * @m: where to print
 *
 * One share is copied under the lock at a time and printed after it.
 */
void mine_shares_show(struct seq_file *m)
{
	unsigned int count, cap;
	struct mine_share s;
	u64 next;

	raw_spin_lock(&shares.lock);
	count = shares.count;
	cap = shares.cap;
	next = shares.next_seq;
	raw_spin_unlock(&shares.lock);
	seq_printf(m, "%u of %u queued, next seq %llu\n", count, cap, next);

	for (next = 0; mine_share_peek(next, &s); next = s.seq + 1) {
		seq_printf(m, "seq=%llu job=%u nonce=%08x version=%08x cpu=%u%s sha256=%*phN\n",
			   s.seq, s.job_id, s.nonce, s.version, s.cpu,
			   s.stale ? " stale" : "", MINE_HASH_SIZE, s.hash);
		if (seq_has_overflowed(m))
			break;
	}
}
