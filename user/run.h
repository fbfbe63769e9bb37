/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `micromine run`: mining for trusted nodes.  One event loop (run.c) over
 * the pool connection (session.c), the module (miner.c), the shares on
 * their way (store.c) and where they ended (ledger.c), the check whether
 * a better node is back (probe.c) and what `micromine status` shows
 * (state.c).  A share goes one way: miner.c -> store.c -> session.c ->
 * ledger.c.
 */
#ifndef MICROMINE_RUN_H
#define MICROMINE_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "conn.h"
#include "genl.h"
#include "query.h"
#include "stratum.h"
#include "work.h"

#define POOL_JOBS	16	/* the pool's latest jobs, kept for their shares */
#define KERNEL_JOBS	64	/* the latest jobs given to the module */
#define SUBMITTED	256	/* shares sent and not yet answered */
#define SEEN		4096	/* recent shares, to know duplicates */
#define MAX_GARBAGE	5	/* bad lines without a good job between: failed */
#define MODULE_RETRY	2	/* s between looks for a module that went away */
#define STORE_WRITE_EVERY 10	/* s between writes of the share-store file, at most */
#define RATE_EVERY	10	/* s between samples of the module's hash rate */

/* Where a share ended up; each found share is counted in exactly one. */
enum share_fate {
	FATE_ACCEPTED,
	FATE_REJECTED,		/* by the pool, for a reason other than the two below */
	FATE_STALE,		/* its job was void, here or at the pool (21) */
	FATE_DUPLICATE,		/* found or sent before (22) */
	FATE_INVALID,		/* failed the check here: never sent */
	FATE_DROPPED,		/* the store was full: the oldest kept share */
	FATE_COUNT,
};

/**
 * struct pool_job - a job of the pool's, while its shares may be sent
 * @job: the job
 * @seq: its number here, to tell a slot's jobs apart
 * @valid: not voided by a clean job
 * @difficulty: the share difficulty it is mined at
 * @xn2_first: the extranonce2 counter (run.next_xn2) when the module got
 *	its first job of it: the counter may not pass this by the
 *	extranonce2 space (a value twice would be the same work twice)
 * @xn2_started: @xn2_first is set (the extranonce it is for is current)
 * @xn2_used_up: its extranonce2 space is used up (logged once)
 * @epoch: the extranonce1 it came with (run.epoch)
 */
struct pool_job {
	struct stm_job job;
	uint64_t seq;
	bool valid;
	double difficulty;
	uint64_t xn2_first;
	bool xn2_started;
	bool xn2_used_up;
	uint64_t epoch;
};

/**
 * struct share - a share on its way to the pool
 * @node: the node it was mined for
 * @epoch: the session it belongs to (extranonce1 changes it)
 * @xn1: extranonce1 of that session
 * @xn1_len: its length
 * @job_id: the pool's job
 * @prevhash: the job's previous block, to see if it is still current
 * @xn2: extranonce2
 * @xn2_len: its length
 * @ntime: the header's time
 * @nonce: the nonce
 * @version: the header's version
 * @version_bits: what mining.submit sends for the version, if rolling
 * @rolling: the session rolls versions: send @version_bits
 * @difficulty: the difficulty it met
 * @found: when the module found it (wall clock)
 * @kernel_seq: the module's number of the share
 * @sent_before: sent on a connection that ended before the pool answered
 * @id: the mining.submit that sent it on this connection, awaiting the
 *	pool's answer (0: not sent)
 * @sent: when
 * @kept: it waited, and said so ("share kept"): its sending is logged too
 * @slot: its pool job's slot in run.pool_jobs (-1: not known, from the
 *	share-store file)
 * @pool_seq: that pool job's number
 */
struct share {
	int node;
	uint64_t epoch;
	uint8_t xn1[STM_MAX_XN1];
	size_t xn1_len;
	char job_id[STM_MAX_JOB_ID + 1];
	uint8_t prevhash[32];
	uint8_t xn2[STM_MAX_XN2];
	size_t xn2_len;
	uint32_t ntime;
	uint32_t nonce;
	uint32_t version;
	uint32_t version_bits;
	bool rolling;
	double difficulty;
	time_t found;
	uint64_t kernel_seq;
	bool sent_before;
	int64_t id;
	time_t sent;
	bool kept;
	int slot;
	uint64_t pool_seq;
};

/**
 * struct kernel_job - a job given to the module, and all its shares need
 * @id: its id there (0: slot unused)
 * @pool_seq: the pool job it comes from
 * @slot: that job's slot in run.pool_jobs
 * @epoch: the session
 * @node: the node
 * @job_id: the pool's job id
 * @xn1: the session's extranonce1
 * @xn1_len: its length
 * @xn2: its extranonce2
 * @xn2_len: its length
 * @header: its header (nonce 0)
 * @target: its share target
 * @version_mask: the bits the module may roll
 * @difficulty: the difficulty of @target
 */
struct kernel_job {
	uint32_t id;
	uint64_t pool_seq;
	int slot;
	uint64_t epoch;
	int node;
	char job_id[STM_MAX_JOB_ID + 1];
	uint8_t xn1[STM_MAX_XN1];
	size_t xn1_len;
	uint8_t xn2[STM_MAX_XN2];
	size_t xn2_len;
	uint8_t header[WORK_HEADER_SIZE];
	uint8_t target[WORK_HASH_SIZE];
	uint32_t version_mask;
	double difficulty;
};

/**
 * struct store - every share from the module's queue to the pool's answer
 * @shares: in the order found: those waiting for a session that takes
 *	them, and those sent on this connection (share.id) awaiting the
 *	pool's answer
 * @n: how many
 * @cap: the room in @shares, grown as needed (share-store-max bounds
 *	those waiting, SUBMITTED those sent)
 * @sent: how many of them are sent
 * @dirty: the share-store file needs writing
 * @written: when it was last written
 *
 * A share enters it once (miner.c, or the file at the start) and leaves it
 * once: answered, void, or dropped, each counted by fate() (ledger.c).
 */
struct store {
	struct share *shares;
	int n;
	int cap;
	int sent;
	bool dirty;
	time_t written;
};

enum session_state {
	SESSION_NONE,		/* not connected */
	SESSION_CONNECTING,	/* TCP/TLS */
	SESSION_SUBSCRIBING,	/* configure, subscribe, authorize sent */
	SESSION_MINING,		/* authorized, jobs flowing */
};

/* Stratum's share difficulty until the pool sets one */
#define STM_DEFAULT_DIFFICULTY	1.0

/**
 * struct session - what one connection to a node agreed and saw
 * @subscribed: the subscription is answered
 * @authorized: mining.authorize said yes
 * @got_job: this session has sent a job: until then a share of an earlier
 *	session's job is kept, as the pool may have voided the job meanwhile
 * @version_mask: granted by this node's mining.configure (0: no rolling),
 *	or set since by mining.set_version_mask
 * @rolling_agreed: mining.configure agreed to version rolling (only then
 *	does mining.set_version_mask count)
 * @difficulty: the current share difficulty (Stratum's default, 1, until
 *	the node sets one)
 * @next_difficulty: set_difficulty's value, for the next job (0: none)
 * @id_subscribe: request ids of the session's opening requests
 * @id_authorize: see @id_subscribe
 * @id_configure: see @id_subscribe (-1: not sent)
 * @id_xn_subscribe: see @id_subscribe (-1: not sent)
 * @xn_answered: mining.extranonce.subscribe was answered (a hang-up
 *	before: the node goes without it for a while)
 * @garbage: bad lines from this connection
 * @end_why: a line's handler ended the session: why (empty: it did not)
 * @end_failed: ... and whether the node failed
 * @end_skip: ... and whether to go to the next node at once
 * @hung_up: the node closed the connection (or it broke), not we
 * @connected_at: when the session started mining
 * @last_rx: when the node last sent a line
 * @last_suggest: when a difficulty was last suggested
 * @suggested: suggest-difficulty auto: the difficulty last suggested (0:
 *	none yet)
 * @first_seq: the number its first pool job gets (run.pool_seq): shares
 *	of jobs from @first_seq on are this session's
 *
 * session_reset() starts every connection from this all new: nothing a
 * node agreed to (difficulty, version rolling) reaches another session.
 */
struct session {
	bool subscribed;
	bool authorized;
	bool got_job;
	uint32_t version_mask;
	bool rolling_agreed;
	double difficulty;
	double next_difficulty;
	int64_t id_subscribe, id_authorize, id_configure, id_xn_subscribe;
	bool xn_answered;
	int garbage;
	char end_why[256];
	bool end_failed;
	bool end_skip;
	bool hung_up;
	time_t connected_at;
	time_t last_rx;
	time_t last_suggest;
	double suggested;
	uint64_t first_seq;
};

/**
 * struct probe - the check whether a better node than the one in use is back
 * @conn: its connection, of its own
 * @node: the node it checks
 * @at: when to check next (0: failback seconds from now)
 * @started: when this check began
 * @id: its request: subscribe, then authorize
 * @subscribed: the subscribe is answered; authorize is on its way
 * @ok: the node took our worker (authorize answered yes)
 * @why: why the node is not back (empty: no answer yet)
 *
 * probe_tick() starts each check from a clean slate.
 */
struct probe {
	struct conn conn;
	int node;
	time_t at;
	time_t started;
	int64_t id;
	bool subscribed;
	bool ok;
	char why[256];
};

/**
 * struct counters - the shares' fates, and more, since the start
 * @found: shares the module found for this run (and restored from the store)
 * @fate: how many ended where
 * @rejected_by: rejections by error code 20..25 ([0]: other codes)
 * @connects: connections that reached mining
 * @failures: connection attempts that failed
 * @garbage: lines refused from pools
 */
struct counters {
	uint64_t found;
	uint64_t fate[FATE_COUNT];
	uint64_t rejected_by[7];
	uint64_t connects;
	uint64_t failures;
	uint64_t garbage;
};

/**
 * struct run - everything `micromine run` knows
 * @conf: its settings
 * @conf_path: where they came from
 * @conf_must_exist: the file was named on the command line
 * @check_only: --check: show the settings and stop
 * @argv_conf: the settings given on the command line, applied over the file
 * @nargv_conf: how many
 * @kernel: requests to the module
 * @events: the module's events
 * @module_gone: the module went away (unloaded) while running; both
 *	sockets are closed until it is back
 * @module_tried: when we last looked for it
 * @watch: nlctrl's notifications of families registered and unregistered
 *	(no socket if they could not be had)
 * @idle_again: when to make the module's workers SCHED_IDLE once more,
 *	after it came back or a CPU came online (0: no need)
 * @cpu_fd: uevents, for CPUs coming online, whose new workers may need
 *	making SCHED_IDLE (-1: not to be had, or no privilege to do so)
 * @conn: the pool connection
 * @state: where the session is
 * @node: the node in use (index into conf.nodes)
 * @redirect_host: client.reconnect's host for the next connection, or ""
 * @redirect_port: and its port
 * @redirect_node: the node that asked for it (for no other node's use)
 * @sess: the session of the connection (reset with each)
 * @epoch: number of the session (extranonce1), for the shares
 * @sub: the subscription
 * @session_node: the node @sub belongs to, to resume it
 * @next_xn2: the extranonce2 of the next kernel job: never the same twice
 *	in a run (a job the pool sends again is not mined again), and from a
 *	random start, so a restart that resumes the session mines anew
 * @next_id: the next request id
 * @no_configure: until when each node goes without mining.configure (it
 *	hung up on it: a server that does not know it, or a glitch)
 * @no_xn_subscribe: the same for mining.extranonce.subscribe
 * @pool_jobs: the pool's latest jobs
 * @pool_seq: the last pool job's number
 * @pool_slot: the newest pool job's slot (-1: none)
 * @kjobs: the module's latest jobs, by id
 * @next_kjob: the next module job id
 * @running: the module job running
 * @queued: the module job queued behind it (0: none)
 * @event_seq: the number of the latest change of the module's jobs we
 *	know of (events and job-submit replies): an event numbered lower
 *	is news of an older state, and ignored
 * @share_seq: the number of the next share of the module's queue not
 *	yet taken (those before it are ours, acknowledged or not)
 * @store: the shares on their way to a pool
 * @seen: recent shares (hash of job, nonce, version), for duplicates
 * @nseen: shares put in @seen so far
 * @rate: the module's hash rate (hashes/s) over the last RATE_EVERY s it
 *	had a job (0: not known yet), for suggest-difficulty auto
 * @rate_hashes: the module's hash counter when the sample began
 * @rate_at: when it began (0: at the next tick)
 * @count: the counters
 * @last_share: when a share was last sent (to any node)
 * @reconnect_at: when to connect next (0: now)
 * @failures: failed attempts on the current node in a row
 * @streak: failed attempts on any node in a row, for the backoff
 * @probe: the check whether a better node is back
 * @pool_lost: when the last session ended, while none mines (0: one does)
 * @state_dirty: the status file needs writing
 * @state_written: when it was last written
 * @stopping: SIGTERM or SIGINT came
 * @reload: SIGHUP came
 */
struct run {
	struct mm_conf conf;
	const char *conf_path;
	bool conf_must_exist;
	bool check_only;
	char **argv_conf;
	int nargv_conf;

	struct mm_genl kernel;
	struct mm_genl events;
	bool module_gone;
	time_t module_tried;
	struct mm_genl watch;
	time_t idle_again;
	int cpu_fd;

	struct conn conn;
	enum session_state state;
	int node;
	char redirect_host[STM_MAX_HOST + 1];
	char redirect_port[6];
	int redirect_node;
	uint64_t epoch;
	struct stm_subscription sub;
	int session_node;
	uint64_t next_xn2;
	int64_t next_id;
	time_t no_configure[MM_MAX_NODES];
	time_t no_xn_subscribe[MM_MAX_NODES];
	struct session sess;

	struct pool_job pool_jobs[POOL_JOBS];
	uint64_t pool_seq;
	int pool_slot;
	struct kernel_job kjobs[KERNEL_JOBS];
	uint32_t next_kjob;
	uint32_t running;
	uint32_t queued;
	uint64_t event_seq;
	uint64_t share_seq;

	struct store store;
	uint64_t seen[SEEN];
	unsigned int nseen;

	uint64_t rate;
	uint64_t rate_hashes;
	time_t rate_at;
	struct counters count;
	time_t last_share;
	time_t reconnect_at;
	int failures;
	int streak;

	struct probe probe;

	bool state_dirty;
	time_t state_written;
	time_t pool_lost;
	volatile int stopping;
	volatile int reload;
};

/* run.c */
time_t run_now(void);
void run_fail_node(struct run *r, const char *why, bool skip);

/* session.c */
void session_start(struct run *r);
void session_end(struct run *r, const char *why, bool failed);
void session_io(struct run *r, short revents);
void session_pump(struct run *r);
void session_tick(struct run *r, time_t now);

/* miner.c */
int miner_open(struct run *r);
void miner_close(struct run *r);
int miner_new_job(struct run *r, int slot, bool clean);
void miner_event(struct run *r);
void miner_collect(struct run *r);
void miner_flush(struct run *r);
void miner_tick(struct run *r, time_t now);
void miner_watch(struct run *r);
void miner_cpus(struct run *r);

/* probe.c */
void probe_tick(struct run *r, time_t now);
void probe_io(struct run *r, short revents);

/* store.c */
void store_put(struct run *r, const struct share *share, const char *why);
void store_keep(struct run *r, struct share *s, const char *why);
void store_limit(struct run *r);
int store_sent(struct run *r, int64_t id);
struct share store_take(struct run *r, int i);
void store_unsend(struct run *r, const char *why);
void store_free(struct store *st);
int store_load(struct run *r);
void store_save(struct run *r);
void store_tick(struct run *r, time_t now, bool force);
int store_path_safe(const char *path);

/* ledger.c */
void fate(struct run *r, const struct share *s, enum share_fate f, int code, const char *why);

/* state.c */
void state_write(struct run *r, bool force);
void state_remove(struct run *r);
void state_summary(struct run *r);

#endif
