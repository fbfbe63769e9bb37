/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/micromine.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_MICROMINE_H
#define _UAPI_LINUX_MICROMINE_H

/**
 * DOC: micromine - SHA-256d mining with the idle CPU time of a machine:
 * submit block headers as jobs, configure the miner, read its statistics,
 * and collect the shares it finds. The family exists in the initial network
 * namespace only; the miner is one machine-wide resource. Operations that
 * change state, taking shares and listening to events need CAP_NET_ADMIN;
 * reading statistics and the configuration does not. Every event carries an
 * event-seq, numbered when the change it reports was made: events are sent
 * after that and may arrive in another order, so listeners order them by it
 * (job-submit's reply carries one too).
 */

#define MICROMINE_FAMILY_NAME		"micromine"
#define MICROMINE_FAMILY_VERSION	1

/**
 * MICROMINE_HEADER_SIZE - Size of a serialized block header.
 */
#define MICROMINE_HEADER_SIZE		80
/**
 * MICROMINE_HASH_SIZE - Size of a SHA-256d hash and of a target.
 */
#define MICROMINE_HASH_SIZE		32
/**
 * MICROMINE_BACKEND_NAME_LEN - Longest name of a hash backend (without its
 * terminating NUL).
 */
#define MICROMINE_BACKEND_NAME_LEN	15
/**
 * MICROMINE_CPULIST_LEN - Longest CPU list such as "0-3,8" (without its
 * terminating NUL).
 */
#define MICROMINE_CPULIST_LEN		1023
/**
 * MICROMINE_CHUNK_MIN - Smallest limit on the nonces a worker takes at a
 * time.
 */
#define MICROMINE_CHUNK_MIN		64
/**
 * MICROMINE_CHUNK_MAX - Largest limit on the nonces a worker takes at a
 * time.
 */
#define MICROMINE_CHUNK_MAX		1073741824

/**
 * enum micromine_a_job - A job is one block header to search, with the
 * target its hashes must meet.
 * @MICROMINE_A_JOB_JOB_ID: Chosen by the submitter; shares and events carry
 *	it. Several jobs may share an id.
 * @MICROMINE_A_JOB_HEADER: The 80-byte serialized block header, version
 *	first (little-endian), nonce last; the nonce bytes are ignored.
 * @MICROMINE_A_JOB_TARGET: The share target as a little-endian 256-bit
 *	integer: a hash meets it if, read the same way, it is at or below it.
 *	Display order, as block explorers show targets, is this reversed.
 * @MICROMINE_A_JOB_VERSION_MASK: Version bits the miner may roll (BIP 310)
 *	once the nonces of the header are used up: the job then continues with
 *	each combination of these bits, flipped against the header's version. 0:
 *	no rolling.
 * @MICROMINE_A_JOB_NONCE_START: First nonce to try (default 0).
 * @MICROMINE_A_JOB_NONCE_COUNT: Nonces to try from nonce-start, per version
 *	(default up to 2^32).
 * @MICROMINE_A_JOB_CLEAN: Drop every other job at once and start this one;
 *	shares of the dropped jobs found after this are marked stale.
 * @MICROMINE_A_JOB_POSITION: Where the job went, 0 for running now, n for
 *	n-th in the queue.
 * @MICROMINE_A_JOB_PAD: padding for 64-bit attributes
 * @MICROMINE_A_JOB_EVENT_SEQ: The number of the change an event reports (or
 *	job-submit's reply): one counter for every event of the family, taken
 *	when the change was made. A higher number is a later change. Numbers have
 *	gaps (a submission that queues its job takes one and sends no event;
 *	nobody may have listened): never wait for a missing one.
 * @__MICROMINE_A_JOB_MAX: one past the last attribute
 * @MICROMINE_A_JOB_MAX: the last attribute
 */
enum micromine_a_job {
	MICROMINE_A_JOB_JOB_ID = 1,
	MICROMINE_A_JOB_HEADER,
	MICROMINE_A_JOB_TARGET,
	MICROMINE_A_JOB_VERSION_MASK,
	MICROMINE_A_JOB_NONCE_START,
	MICROMINE_A_JOB_NONCE_COUNT,
	MICROMINE_A_JOB_CLEAN,
	MICROMINE_A_JOB_POSITION,
	MICROMINE_A_JOB_PAD,
	MICROMINE_A_JOB_EVENT_SEQ,

	__MICROMINE_A_JOB_MAX,
	MICROMINE_A_JOB_MAX = (__MICROMINE_A_JOB_MAX - 1)
};

/**
 * enum micromine_a_config - The miner's settings.
 * @MICROMINE_A_CONFIG_ENABLED: 1 to mine, 0 to pause every worker.
 * @MICROMINE_A_CONFIG_CPUS: The CPUs allowed to mine, as a CPU list
 *	("0-3,6").
 * @MICROMINE_A_CONFIG_DUTY_CYCLE: Percent of each 20 ms period a worker may
 *	mine, like BOINC's CPU usage limit: it sleeps the rest.
 * @MICROMINE_A_CONFIG_BACKEND: The hash backend, one of backends.
 * @MICROMINE_A_CONFIG_CHUNK_MIN: Fewest nonces a worker takes from a job at
 *	a time.
 * @MICROMINE_A_CONFIG_CHUNK_MAX: Most nonces a worker takes from a job at a
 *	time; between the two limits it takes about 4 ms worth.
 * @MICROMINE_A_CONFIG_BACKENDS: The hash backends this CPU can run (config-
 *	get only).
 * @MICROMINE_A_CONFIG_SHARE_QUEUE_LEN: Room in the share queue (config-get
 *	only; a module parameter).
 * @MICROMINE_A_CONFIG_EVENT_SEQ: The number of the change an event reports
 *	(or job-submit's reply): one counter for every event of the family, taken
 *	when the change was made. A higher number is a later change. Numbers have
 *	gaps (a submission that queues its job takes one and sends no event;
 *	nobody may have listened): never wait for a missing one.
 * @MICROMINE_A_CONFIG_PAD: padding for 64-bit attributes
 * @__MICROMINE_A_CONFIG_MAX: one past the last attribute
 * @MICROMINE_A_CONFIG_MAX: the last attribute
 */
enum micromine_a_config {
	MICROMINE_A_CONFIG_ENABLED = 1,
	MICROMINE_A_CONFIG_CPUS,
	MICROMINE_A_CONFIG_DUTY_CYCLE,
	MICROMINE_A_CONFIG_BACKEND,
	MICROMINE_A_CONFIG_CHUNK_MIN,
	MICROMINE_A_CONFIG_CHUNK_MAX,
	MICROMINE_A_CONFIG_BACKENDS,
	MICROMINE_A_CONFIG_SHARE_QUEUE_LEN,
	MICROMINE_A_CONFIG_EVENT_SEQ,
	MICROMINE_A_CONFIG_PAD,

	__MICROMINE_A_CONFIG_MAX,
	MICROMINE_A_CONFIG_MAX = (__MICROMINE_A_CONFIG_MAX - 1)
};

/**
 * enum micromine_a_stats - Counters since the module loaded, for the
 * machine or for one CPU.
 * @MICROMINE_A_STATS_CPU: The CPU (per-CPU dump only).
 * @MICROMINE_A_STATS_HASHES: Nonces hashed.
 * @MICROMINE_A_STATS_HASHRATE: Nonces per second, decaying average over
 *	about 10 s.
 * @MICROMINE_A_STATS_SHARES: Shares found.
 * @MICROMINE_A_STATS_STALE_SHARES: Shares of jobs already dropped when they
 *	were found.
 * @MICROMINE_A_STATS_JOBS: Jobs submitted.
 * @MICROMINE_A_STATS_JOBS_EXHAUSTED: Jobs whose nonces (and versions) were
 *	all tried.
 * @MICROMINE_A_STATS_QUEUE_OVERFLOWS: Shares announced but not kept because
 *	the share queue was full (its events were still sent).
 * @MICROMINE_A_STATS_SHARES_QUEUED: Shares waiting to be read with share-
 *	get.
 * @MICROMINE_A_STATS_MINING_NS: CPU time the workers spent mining (hashing,
 *	and the little they do between slices).
 * @MICROMINE_A_STATS_PAUSED_NS: Time spent paused by the duty cycle.
 * @MICROMINE_A_STATS_SLICES: Units of work between two checks for other
 *	work.
 * @MICROMINE_A_STATS_VERSION_ROLLS: Times a worker moved to another version
 *	of a job.
 * @MICROMINE_A_STATS_LAST_SLICE_NS: Length of the latest slice (per-CPU
 *	dump only).
 * @MICROMINE_A_STATS_JOB_ID: The job running now, machine-wide or on this
 *	CPU.
 * @MICROMINE_A_STATS_ACTIVE: 1 if mining now (per-CPU dump only).
 * @MICROMINE_A_STATS_UPTIME_NS: Time since the module loaded.
 * @MICROMINE_A_STATS_PAD: padding for 64-bit attributes
 * @__MICROMINE_A_STATS_MAX: one past the last attribute
 * @MICROMINE_A_STATS_MAX: the last attribute
 */
enum micromine_a_stats {
	MICROMINE_A_STATS_CPU = 1,
	MICROMINE_A_STATS_HASHES,
	MICROMINE_A_STATS_HASHRATE,
	MICROMINE_A_STATS_SHARES,
	MICROMINE_A_STATS_STALE_SHARES,
	MICROMINE_A_STATS_JOBS,
	MICROMINE_A_STATS_JOBS_EXHAUSTED,
	MICROMINE_A_STATS_QUEUE_OVERFLOWS,
	MICROMINE_A_STATS_SHARES_QUEUED,
	MICROMINE_A_STATS_MINING_NS,
	MICROMINE_A_STATS_PAUSED_NS,
	MICROMINE_A_STATS_SLICES,
	MICROMINE_A_STATS_VERSION_ROLLS,
	MICROMINE_A_STATS_LAST_SLICE_NS,
	MICROMINE_A_STATS_JOB_ID,
	MICROMINE_A_STATS_ACTIVE,
	MICROMINE_A_STATS_UPTIME_NS,
	MICROMINE_A_STATS_PAD,

	__MICROMINE_A_STATS_MAX,
	MICROMINE_A_STATS_MAX = (__MICROMINE_A_STATS_MAX - 1)
};

/**
 * enum micromine_a_share - A nonce whose hash met the job's target.
 * @MICROMINE_A_SHARE_JOB_ID: job-id
 * @MICROMINE_A_SHARE_NONCE: nonce
 * @MICROMINE_A_SHARE_VERSION: The header's version field with which the
 *	nonce was found.
 * @MICROMINE_A_SHARE_HASH: The SHA-256d as SHA-256 produces it (display
 *	order reversed).
 * @MICROMINE_A_SHARE_CPU: cpu
 * @MICROMINE_A_SHARE_TIME_NS: When it was found, CLOCK_REALTIME.
 * @MICROMINE_A_SHARE_STALE: Its job had been dropped when it was found.
 * @MICROMINE_A_SHARE_SEQ: Sequence number of the share, the same in the
 *	event and in share-get; share-ack takes it.
 * @MICROMINE_A_SHARE_PAD: padding for 64-bit attributes
 * @MICROMINE_A_SHARE_EVENT_SEQ: The number of the change an event reports
 *	(or job-submit's reply): one counter for every event of the family, taken
 *	when the change was made. A higher number is a later change. Numbers have
 *	gaps (a submission that queues its job takes one and sends no event;
 *	nobody may have listened): never wait for a missing one.
 * @__MICROMINE_A_SHARE_MAX: one past the last attribute
 * @MICROMINE_A_SHARE_MAX: the last attribute
 */
enum micromine_a_share {
	MICROMINE_A_SHARE_JOB_ID = 1,
	MICROMINE_A_SHARE_NONCE,
	MICROMINE_A_SHARE_VERSION,
	MICROMINE_A_SHARE_HASH,
	MICROMINE_A_SHARE_CPU,
	MICROMINE_A_SHARE_TIME_NS,
	MICROMINE_A_SHARE_STALE,
	MICROMINE_A_SHARE_SEQ,
	MICROMINE_A_SHARE_PAD,
	MICROMINE_A_SHARE_EVENT_SEQ,

	__MICROMINE_A_SHARE_MAX,
	MICROMINE_A_SHARE_MAX = (__MICROMINE_A_SHARE_MAX - 1)
};

/**
 * enum micromine_cmd - the commands and events of the micromine family
 * @MICROMINE_CMD_JOB_SUBMIT: Submit a job. Without clean it runs after the
 *	jobs before it; at most 16 wait. Needs CAP_NET_ADMIN. Do request: job-id,
 *	header, target, version-mask, nonce-start, nonce-count, clean. Do reply:
 *	job-id, position, event-seq.
 * @MICROMINE_CMD_JOB_FLUSH: Drop every job. Needs CAP_NET_ADMIN.
 * @MICROMINE_CMD_CONFIG_GET: Read the settings. Do reply: enabled, cpus,
 *	duty-cycle, backend, chunk-min, chunk-max, backends, share-queue-len.
 * @MICROMINE_CMD_CONFIG_SET: Change some settings, all or none of them.
 *	Needs CAP_NET_ADMIN. Do request: enabled, cpus, duty-cycle, backend,
 *	chunk-min, chunk-max.
 * @MICROMINE_CMD_STATS_GET: The machine's counters (do) or each CPU's
 *	(dump). Do reply: hashes, hashrate, shares, stale-shares, jobs, jobs-
 *	exhausted, queue-overflows, shares-queued, mining-ns, paused-ns, slices,
 *	version-rolls, job-id, uptime-ns. Dump reply: cpu, hashes, hashrate,
 *	shares, mining-ns, paused-ns, slices, version-rolls, last-slice-ns, job-
 *	id, active.
 * @MICROMINE_CMD_SHARE_GET: Read the queued shares, oldest first. They stay
 *	queued until share-ack: a reader that dies or loses a reply loses no
 *	share. Needs CAP_NET_ADMIN. Dump reply: job-id, nonce, version, hash,
 *	cpu, time-ns, stale, seq.
 * @MICROMINE_CMD_SHARE_FOUND: A share was found. Event on group events,
 *	attributes: job-id, nonce, version, hash, cpu, time-ns, stale, seq,
 *	event-seq.
 * @MICROMINE_CMD_JOB_STARTED: A job started, because it was submitted to an
 *	idle miner or the one before it ended. Event on group events, attributes:
 *	job-id, event-seq.
 * @MICROMINE_CMD_JOB_EXHAUSTED: Every nonce (and version) of a job was
 *	tried. Event on group events, attributes: job-id, event-seq.
 * @MICROMINE_CMD_PAUSED: The miner was disabled. Event on group events,
 *	attributes: enabled, event-seq.
 * @MICROMINE_CMD_RESUMED: The miner was enabled. Event on group events,
 *	attributes: enabled, event-seq.
 * @MICROMINE_CMD_SHARE_ACK: Userspace has every queued share numbered up to
 *	seq: they leave the queue. Needs CAP_NET_ADMIN. Do request: seq.
 * @__MICROMINE_CMD_MAX: one past the last command
 * @MICROMINE_CMD_MAX: the last command
 */
enum micromine_cmd {
	MICROMINE_CMD_JOB_SUBMIT = 1,
	MICROMINE_CMD_JOB_FLUSH,
	MICROMINE_CMD_CONFIG_GET,
	MICROMINE_CMD_CONFIG_SET,
	MICROMINE_CMD_STATS_GET,
	MICROMINE_CMD_SHARE_GET,
	MICROMINE_CMD_SHARE_FOUND,
	MICROMINE_CMD_JOB_STARTED,
	MICROMINE_CMD_JOB_EXHAUSTED,
	MICROMINE_CMD_PAUSED,
	MICROMINE_CMD_RESUMED,
	MICROMINE_CMD_SHARE_ACK,

	__MICROMINE_CMD_MAX,
	MICROMINE_CMD_MAX = (__MICROMINE_CMD_MAX - 1)
};

#define MICROMINE_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_MICROMINE_H */
