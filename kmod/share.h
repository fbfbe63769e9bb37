/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_SHARE_H
#define MICROMINE_SHARE_H

#include "job.h"

/**
 * struct mine_share - a nonce whose hash met its job's target
 * @seq: sequence number, in the order they were found
 * @event_seq: the number of its share-found event (see mine_nl_event_seq())
 * @time_ns: when, CLOCK_REALTIME
 * @job_id: the job's id
 * @nonce: the nonce
 * @version: the header's version field it was found with
 * @cpu: the CPU that found it
 * @stale: its job had been dropped
 * @hash: the SHA-256d, as SHA-256 produces it
 */
struct mine_share {
	u64 seq;
	u64 event_seq;
	u64 time_ns;
	u32 job_id;
	u32 nonce;
	u32 version;
	u32 cpu;
	bool stale;
	u8 hash[MINE_HASH_SIZE];
};

int mine_shares_init(void);
void mine_shares_exit(void);
void mine_share_report(const struct mine_job *job, u32 version,
		       const struct mine_found *found, unsigned int cpu);
bool mine_share_peek(u64 seq, struct mine_share *share);
unsigned int mine_share_ack(u64 seq);
unsigned int mine_shares_queued(void);
unsigned int mine_shares_capacity(void);

struct seq_file;
void mine_shares_show(struct seq_file *m);

#endif
