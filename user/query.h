/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The family's operations as C calls: settings, statistics, jobs, shares.
 */
#ifndef MICROMINE_QUERY_H
#define MICROMINE_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "genl.h"

#define MM_MAX_BACKENDS	8

struct mm_config {
	bool enabled;
	uint8_t duty_cycle;
	char cpus[MICROMINE_CPULIST_LEN + 1];
	char backend[MICROMINE_BACKEND_NAME_LEN + 1];
	uint32_t chunk_min;
	uint32_t chunk_max;
	uint32_t share_queue_len;
	char backends[MM_MAX_BACKENDS][MICROMINE_BACKEND_NAME_LEN + 1];
	int nbackends;
};

struct mm_stats {
	uint64_t hashes, hashrate, shares, stale_shares, jobs, jobs_exhausted;
	uint64_t queue_overflows, mining_ns, paused_ns, slices, version_rolls, uptime_ns;
	uint32_t shares_queued;
	bool has_job;
	uint32_t job_id;
};

struct mm_cpu_stats {
	uint32_t cpu;
	uint64_t hashes, hashrate, shares, mining_ns, paused_ns, slices, version_rolls;
	uint64_t last_slice_ns;
	uint32_t job_id;
	bool active;
};

struct mm_job {
	uint32_t id;
	uint8_t header[MICROMINE_HEADER_SIZE];
	uint8_t target[MICROMINE_HASH_SIZE];	/* little-endian integer */
	uint32_t version_mask;
	uint32_t nonce_start;
	uint64_t nonce_count;			/* 0: all from nonce_start */
	bool clean;
};

/* where job-submit put a job: see the spec's position and event-seq */
struct mm_job_placed {
	uint32_t position;
	uint64_t event_seq;
};

struct mm_share {
	uint32_t job_id, nonce, version, cpu;
	uint64_t time_ns, seq, event_seq;
	bool stale;
	uint8_t hash[MICROMINE_HASH_SIZE];	/* as SHA-256 produces it */
};

int mm_config_get(struct mm_genl *g, struct mm_config *c);
int mm_stats_get(struct mm_genl *g, struct mm_stats *s);
int mm_cpu_stats_get(struct mm_genl *g, struct mm_cpu_stats *cpus, int max);
int mm_job_submit(struct mm_genl *g, const struct mm_job *job, struct mm_job_placed *placed);
int mm_job_flush(struct mm_genl *g);
int mm_backend_set(struct mm_genl *g, const char *name);
int mm_shares_get(struct mm_genl *g, struct mm_share **shares, size_t *n);
int mm_shares_ack(struct mm_genl *g, uint64_t seq);
void mm_share_parse(struct nlattr **tb, struct mm_share *s);

#endif
