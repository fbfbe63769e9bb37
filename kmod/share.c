// SPDX-License-Identifier: GPL-2.0
/*
 * Shares: every nonce a worker finds is announced at once (netlink
 * multicast) and kept in a bounded queue until userspace reads it with
 * share-get.  Nothing disappears uncounted: a share the full queue cannot
 * keep is counted as an overflow (its event was still sent).
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
	spinlock_t lock;	/* protects all below */
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
	spin_lock_init(&shares.lock);
	shares.cap = share_queue_len;
	shares.ring = kvcalloc(shares.cap, sizeof(*shares.ring), GFP_KERNEL);
	return shares.ring ? 0 : -ENOMEM;
}

void mine_shares_exit(void)
{
	/* the workers are stopped: what is still queued goes with the module */
	if (shares.count)
		pr_warn("micromine: unloaded with %u found share%s never read by userspace\n",
			shares.count, shares.count == 1 ? "" : "s");
	kvfree(shares.ring);
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
	struct mine_share s = {
		.job_id = job->id,
		.nonce = found->nonce,
		.version = version,
		.cpu = cpu,
	};
	bool kept = false;

	s.time_ns = mine_job_found_at(job, &s.stale);
	memcpy(s.hash, found->hash, sizeof(s.hash));
	spin_lock(&shares.lock);
	s.seq = shares.next_seq++;
	if (shares.count < shares.cap) {
		shares.ring[(shares.head + shares.count) % shares.cap] = s;
		shares.count++;
		kept = true;
	}
	spin_unlock(&shares.lock);

	if (!kept)
		atomic64_inc(&mine_stats.queue_overflows);
	if (s.stale)
		atomic64_inc(&mine_stats.stale_shares);
	st = per_cpu_ptr(&mine_cpu_stats, cpu);
	u64_stats_update_begin(&st->syncp);
	st->shares++;
	u64_stats_update_end(&st->syncp);
	mine_nl_notify_share(&s);
}

/**
 * mine_share_peek() - the oldest queued share
 * @share: set to a copy of it
 *
 * Return: false if the queue is empty.
 */
bool mine_share_peek(struct mine_share *share)
{
	bool any;

	spin_lock(&shares.lock);
	any = shares.count != 0;
	if (any)
		*share = shares.ring[shares.head];
	spin_unlock(&shares.lock);
	return any;
}

/**
 * mine_share_pop() - remove the oldest queued share, if it is still @seq
 * @seq: the sequence number mine_share_peek() gave
 */
void mine_share_pop(u64 seq)
{
	spin_lock(&shares.lock);
	if (shares.count && shares.ring[shares.head].seq == seq) {
		shares.head = (shares.head + 1) % shares.cap;
		shares.count--;
	}
	spin_unlock(&shares.lock);
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
 */
void mine_shares_show(struct seq_file *m)
{
	unsigned int i;

	spin_lock(&shares.lock);
	seq_printf(m, "%u of %u queued, next seq %llu\n", shares.count, shares.cap,
		   shares.next_seq);
	for (i = 0; i < shares.count; i++) {
		const struct mine_share *s = &shares.ring[(shares.head + i) % shares.cap];

		seq_printf(m, "seq=%llu job=%u nonce=%08x version=%08x cpu=%u%s sha256=%*phN\n",
			   s->seq, s->job_id, s->nonce, s->version, s->cpu,
			   s->stale ? " stale" : "", MINE_HASH_SIZE, s->hash);
	}
	spin_unlock(&shares.lock);
}
