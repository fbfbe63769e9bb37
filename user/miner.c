// SPDX-License-Identifier: GPL-2.0
/*
 * The module's side of `micromine run`: pool jobs become module jobs (a
 * fresh extranonce2 each, so no two module jobs ever search the same
 * headers), one more is always queued behind the running one, and every
 * share the module finds is taken from its queue (share-get), checked
 * here with OpenSSL's SHA-256 against its job, and sent, kept or counted.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "micromine.h"
#include "run.h"
#include "workers.h"

static struct kernel_job *kjob(struct run *r, uint32_t id)
{
	struct kernel_job *k = &r->kjobs[id % KERNEL_JOBS];

	return id && k->id == id ? k : NULL;
}

/* Both sockets, subscribed to the events; the module's settings in @c. */
static int attach(struct run *r, struct mm_config *c)
{
	int ret = mm_genl_open(&r->kernel);

	if (ret)
		return ret;
	ret = mm_config_get(&r->kernel, c);
	if (!ret)
		ret = mm_genl_open(&r->events);
	if (!ret) {
		ret = mm_genl_subscribe(&r->events);
		if (ret)
			mm_genl_close(&r->events);
	}
	return ret;
}

/*
 * The workers of CPUs that come online later need it too.  Whether this
 * kernel lets the module see to it cannot be told from here (an earlier
 * run may have made them all SCHED_IDLE already), so always listen.
 */
static void watch_cpus(struct run *r)
{
	if (r->cpu_fd >= 0)
		return;
	r->cpu_fd = mm_workers_watch_cpus();
	if (r->cpu_fd < 0)
		mm_warn("cannot listen to uevents (%s): on kernels that keep SCHED_IDLE from modules, workers of CPUs brought online later stay at nice 19",
			strerror(-r->cpu_fd));
}

static void tell_config(struct run *r, const struct mm_config *c)
{
	int made = mm_workers_make_idle();

	if (!c->enabled)
		mm_warn("the miner is paused: no shares until `micromine set enabled on`");
	if (made > 0)
		mm_info("made the module's workers SCHED_IDLE (this kernel lets no module do it)");
	if (made >= 0)
		watch_cpus(r);
	mm_info("module: backend %s, CPUs %s, duty cycle %u%%", c->backend, c->cpus,
		c->duty_cycle);
}

/**
 * miner_open() - talk to the module: requests and events
 * @r: the run
 *
 * Return: 0, or the exit code to leave with.
 */
int miner_open(struct run *r)
{
	struct mm_config c;
	int ret = attach(r, &c);

	if (ret) {
		ret = mm_failed(&r->kernel, "run", ret);
		mm_genl_close(&r->kernel);
		return ret;
	}
	tell_config(r, &c);
	/* without it, a failed request or a look every few seconds notices */
	ret = mm_genl_watch(&r->watch);
	if (ret)
		mm_warn("module: cannot listen to nlctrl (%s): unloads are noticed late",
			strerror(-ret));
	return 0;
}

static void detach(struct run *r)
{
	mm_genl_close(&r->events);
	mm_genl_close(&r->kernel);
}

void miner_close(struct run *r)
{
	detach(r);
	mm_genl_close(&r->watch);
	if (r->cpu_fd >= 0)
		close(r->cpu_fd);
	r->cpu_fd = -1;
}

/*
 * A request found no family (@ret -ENOENT), or nlctrl said it went: the
 * module was unloaded under us.  The pool session goes on; what the module
 * had queued went with it.
 */
static bool gone(struct run *r, int ret)
{
	if (ret != -ENOENT || r->module_gone)
		return r->module_gone;
	mm_warn("module: gone (unloaded?): no mining until it is loaded again");
	detach(r);
	r->module_gone = true;
	r->module_tried = run_now();
	r->running = r->queued = 0;
	return true;
}

/*
 * The module's hash rate, from its hash counter over RATE_EVERY s with a
 * job (suggest-difficulty auto): what it mines on this device, now, with
 * the owner's load, duty cycle and pauses.
 */
static void sample_rate(struct run *r, time_t now)
{
	struct mm_stats s;

	if (r->rate_at && now - r->rate_at < RATE_EVERY)
		return;
	if (r->module_gone || !r->running || mm_stats_get(&r->kernel, &s)) {
		r->rate_at = 0;
		return;
	}
	/* (a module loaded again counts from 0: a new sample) */
	if (r->rate_at && s.hashes > r->rate_hashes)
		r->rate = (s.hashes - r->rate_hashes) / (uint64_t)(now - r->rate_at);
	r->rate_hashes = s.hashes;
	r->rate_at = now;
}

/**
 * miner_tick() - look for a module that went away, every few seconds, and
 *	at new workers when due
 * @r: the run
 * @now: run_now()
 *
 * Once the module is back, mine the pool's current job on it at once.
 */
void miner_tick(struct run *r, time_t now)
{
	struct mm_config c;

	sample_rate(r, now);
	/* a module just loaded, or a CPU just online, may start workers */
	if (r->idle_again && now >= r->idle_again && !r->module_gone) {
		r->idle_again = 0;
		if (mm_workers_make_idle() > 0)
			mm_info("made the module's new workers SCHED_IDLE");
	}
	if (!r->module_gone || now - r->module_tried < MODULE_RETRY)
		return;
	r->module_tried = now;
	if (attach(r, &c)) {
		mm_genl_close(&r->kernel);
		return;
	}
	r->module_gone = false;
	/* a module loaded again numbers its events and shares anew */
	r->event_seq = r->share_seq = 0;
	r->idle_again = now + MODULE_RETRY;
	mm_info("module: back");
	tell_config(r, &c);
	if (r->state == SESSION_MINING && r->sess.got_job && r->pool_slot >= 0 &&
	    r->pool_jobs[r->pool_slot].valid)
		miner_new_job(r, r->pool_slot, true);
}

/**
 * miner_watch() - nlctrl says the module was loaded or unloaded
 * @r: the run
 *
 * An unload of the module in use ends its jobs at once; a load is looked
 * at at once.  Lost notifications make miner_tick() look now too.
 */
void miner_watch(struct run *r)
{
	struct mm_family_news news;
	struct mm_config c;
	int ret = mm_genl_family_news(&r->watch, &news);

	if (ret)
		mm_debug("module: nlctrl notifications: %s", strerror(-ret));
	if (news.removed)
		mm_debug("module: nlctrl: family %s (id %d) unregistered",
			 MICROMINE_FAMILY_NAME, news.removed);
	if (news.added)
		mm_debug("module: nlctrl: family %s (id %d) registered",
			 MICROMINE_FAMILY_NAME, news.added);
	if (!r->module_gone && news.removed == r->kernel.family)
		gone(r, -ENOENT);
	else if (!r->module_gone && ret)
		gone(r, mm_config_get(&r->kernel, &c));
	if (r->module_gone && (ret || news.added)) {
		r->module_tried = 0;
		miner_tick(r, run_now());
	}
}

/**
 * miner_cpus() - a CPU came online: the module starts a worker there
 * @r: the run
 */
void miner_cpus(struct run *r)
{
	if (mm_workers_cpu_online(r->cpu_fd)) {
		mm_debug("module: a CPU came online: a look at its new worker's policy");
		r->idle_again = run_now() + 1;
	}
}

/*
 * Has the pool job extranonce2 values left?  Of n bytes there are 2^8n
 * (one, of 0 bytes); the run's counter gives them out, to this pool job
 * and others, so this one's are different as long as the counter has
 * not moved 2^8n on since its first.  8 bytes and more never run out.
 */
static bool xn2_left(struct run *r, struct pool_job *pj)
{
	size_t len = r->sub.xn2_size;

	if (!pj->xn2_started) {
		pj->xn2_first = r->next_xn2;
		pj->xn2_started = true;
		pj->xn2_used_up = false;
	}
	if (len >= 8 || r->next_xn2 - pj->xn2_first < 1ULL << (8 * len))
		return true;
	if (!pj->xn2_used_up)
		mm_info("pool job %s: its %llu extranonce2 value%s used up: the module idles until the next job",
			pj->job.id, 1ULL << (8 * len), len ? "s are" : " is");
	pj->xn2_used_up = true;
	return false;
}

/* Give the module the next extranonce2 of a pool job. */
static int submit(struct run *r, int slot, bool clean)
{
	struct pool_job *pj = &r->pool_jobs[slot];
	struct mm_job job = { .clean = clean };
	struct mm_job_placed placed;
	struct kernel_job *k;
	uint8_t root[WORK_HASH_SIZE];
	int ret;

	/* stopping: the module was flushed, and gets no new work */
	if (r->stopping)
		return -ESHUTDOWN;
	if (!xn2_left(r, pj))
		return -ENOSPC;
	if (!++r->next_kjob)
		r->next_kjob = 1;
	k = &r->kjobs[r->next_kjob % KERNEL_JOBS];
	memset(k, 0, sizeof(*k));
	k->xn2_len = r->sub.xn2_size;
	work_xn2(r->next_xn2++, k->xn2, k->xn2_len);
	memcpy(k->xn1, r->sub.xn1, r->sub.xn1_len);
	k->xn1_len = r->sub.xn1_len;
	if (work_merkle_root(&pj->job, k->xn1, k->xn1_len, k->xn2, k->xn2_len, root))
		return -ENOMEM;
	work_header(&pj->job, root, pj->job.version, 0, k->header);
	work_target(pj->difficulty, k->target);
	k->pool_seq = pj->seq;
	k->slot = slot;
	k->epoch = r->epoch;
	k->node = r->node;
	memcpy(k->job_id, pj->job.id, sizeof(k->job_id));
	k->version_mask = r->sess.version_mask;
	k->difficulty = pj->difficulty;

	job.id = r->next_kjob;
	memcpy(job.header, k->header, sizeof(job.header));
	memcpy(job.target, k->target, sizeof(job.target));
	job.version_mask = k->version_mask;
	ret = r->module_gone ? -ENOENT : mm_job_submit(&r->kernel, &job, &placed);
	if (gone(r, ret))
		return ret;
	if (ret) {
		mm_err("module: job-submit failed: %s", r->kernel.error[0] ? r->kernel.error :
		       strerror(-ret));
		return ret;
	}
	k->id = job.id;
	/*
	 * The module's state as of this submission: the job runs (position
	 * 0: it was clean, or nothing ran) or waits; events numbered before
	 * it are old news now.
	 */
	if (placed.event_seq > r->event_seq)
		r->event_seq = placed.event_seq;
	if (!placed.position) {
		r->running = job.id;
		r->queued = 0;
	} else {
		r->queued = job.id;
	}
	mm_debug("module: job %u (pool job %s, extranonce2 #%llu)%s", job.id, pj->job.id,
		 (unsigned long long)r->next_xn2 - 1, clean ? ", clean" : "");
	return 0;
}

/**
 * miner_new_job() - a new pool job: mine it now, with one more queued
 * @r: the run
 * @slot: the pool job
 * @clean: drop what the module does now (new jobs always replace the
 *	running one; the pool decides what stays valid, not the module)
 *
 * Return: 0 or a negative errno (-ENOSPC: the pool job has no extranonce2
 * value left, the module mines what it had).
 */
int miner_new_job(struct run *r, int slot, bool clean)
{
	int ret = submit(r, slot, clean);

	if (ret)
		return ret;
	ret = submit(r, slot, false);
	/* (a job with one extranonce2: no second module job of it) */
	return ret == -ENOSPC ? 0 : ret;
}

/*
 * The queued job started: queue the next one of the same pool job (twice
 * if the module had already used up the one running, so the next ran at
 * once).
 */
static void refill(struct run *r)
{
	struct kernel_job *k = kjob(r, r->running);
	int tries;

	if (!k || r->state != SESSION_MINING)
		return;
	if (r->pool_jobs[k->slot].seq != k->pool_seq || !r->pool_jobs[k->slot].valid)
		return;
	for (tries = 0; tries < 2 && !r->queued; tries++)
		if (submit(r, k->slot, false))
			return;
}

/* Has this share (job, nonce, version) been seen? Remember it. */
static bool seen(struct run *r, const struct kernel_job *k, uint32_t nonce, uint32_t version)
{
	uint64_t key = ((uint64_t)k->id << 32 | nonce) ^ ((uint64_t)version << 17) ^ k->pool_seq;
	int i;

	key = key ? key : 1;
	for (i = 0; i < SEEN; i++)
		if (r->seen[i] == key)
			return true;
	r->seen[r->nseen++ % SEEN] = key;
	return false;
}

/* One share from the module: check it, then into the store or counted. */
static void take(struct run *r, const struct mm_share *ms)
{
	struct kernel_job *k = kjob(r, ms->job_id);
	uint8_t header[WORK_HEADER_SIZE], hash[WORK_HASH_SIZE];
	struct pool_job *pj;
	struct share s = { .nonce = ms->nonce, .version = ms->version };
	uint32_t job_version;

	r->count.found++;
	s.found = time(NULL);
	s.kernel_seq = ms->seq;
	if (!k) {
		fate(r, &s, FATE_STALE, 0, "its module job is not one of this run's latest");
		return;
	}
	pj = &r->pool_jobs[k->slot];
	s.node = k->node;
	s.epoch = k->epoch;
	s.slot = k->slot;
	s.pool_seq = k->pool_seq;
	s.difficulty = k->difficulty;
	memcpy(s.xn1, k->xn1, sizeof(s.xn1));
	s.xn1_len = k->xn1_len;
	memcpy(s.xn2, k->xn2, sizeof(s.xn2));
	s.xn2_len = k->xn2_len;
	memcpy(s.job_id, k->job_id, sizeof(s.job_id));
	memcpy(s.prevhash, k->header + 4, sizeof(s.prevhash));
	s.ntime = work_get_le32(k->header + 68);
	job_version = work_get_le32(k->header);
	s.rolling = k->version_mask != 0;
	s.version_bits = ms->version & k->version_mask;

	/* the module's answer, recomputed here */
	memcpy(header, k->header, sizeof(header));
	work_put_le32(header, ms->version);
	work_put_le32(header + 76, ms->nonce);
	work_sha256d(header, sizeof(header), hash);
	if ((ms->version ^ job_version) & ~k->version_mask) {
		fate(r, &s, FATE_INVALID, 0, "its version differs outside the rolling mask");
		return;
	}
	if (memcmp(hash, ms->hash, sizeof(hash)) || !work_meets(hash, k->target)) {
		fate(r, &s, FATE_INVALID, 0, "its hash does not check out against its job");
		return;
	}
	if (seen(r, k, ms->nonce, ms->version)) {
		fate(r, &s, FATE_DUPLICATE, 0, "the module reported it twice");
		return;
	}
	if (pj->seq != k->pool_seq || !pj->valid || k->epoch != r->epoch) {
		fate(r, &s, FATE_STALE, 0, "its pool job was replaced by a clean job");
		return;
	}
	if (s.rolling && r->sess.rolling_agreed && (s.version_bits & ~r->sess.version_mask)) {
		fate(r, &s, FATE_STALE, 0, "rolled outside the version mask the pool set since");
		return;
	}
	/* (session_pump() sends it, at the end of this turn of the loop) */
	store_put(r, &s, r->state != SESSION_MINING ? "no pool connected" :
		  !r->sess.got_job ? "until the pool sends its jobs again" : NULL);
}

/*
 * Take every share the module holds, then acknowledge them: only then do
 * they leave its queue, so that none is lost if we die in between.  Those
 * taken before whose acknowledgement failed come again, and are skipped.
 */
void miner_collect(struct run *r)
{
	struct mm_share *shares = NULL;
	size_t n = 0, i;
	int ret;

	if (r->module_gone)
		return;
	ret = mm_shares_get(&r->kernel, &shares, &n);
	if (gone(r, ret))
		goto out;
	if (ret)
		mm_err("module: share-get failed: %s", r->kernel.error[0] ? r->kernel.error :
		       strerror(-ret));
	for (i = 0; i < n; i++) {
		if (shares[i].seq < r->share_seq)
			continue;
		take(r, &shares[i]);
		r->share_seq = shares[i].seq + 1;
	}
	if (!n)
		goto out;
	ret = mm_shares_ack(&r->kernel, shares[n - 1].seq);
	if (!gone(r, ret) && ret)
		mm_err("module: share-ack failed: %s (the shares come again, and are skipped)",
		       r->kernel.error[0] ? r->kernel.error : strerror(-ret));
out:
	free(shares);
}

/**
 * struct job_news - a job event, kept to be applied in the module's order
 * @cmd: MICROMINE_CMD_JOB_STARTED or MICROMINE_CMD_JOB_EXHAUSTED
 * @id: the module job
 * @seq: its event number
 */
struct job_news {
	uint8_t cmd;
	uint32_t id;
	uint64_t seq;
};

/**
 * struct news - job events read in one go
 * @r: the run
 * @v: the events
 * @n: how many
 */
struct news {
	struct run *r;
	struct job_news v[64];
	int n;
};

static int by_seq(const void *a, const void *b)
{
	const struct job_news *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * The job events read, in the order of the changes they report (the
 * module sends them after making the changes, so they may come in
 * another): each newer than what we know, the others are old news.
 */
static void apply(struct news *nw)
{
	struct run *r = nw->r;
	int i;

	qsort(nw->v, nw->n, sizeof(nw->v[0]), by_seq);
	for (i = 0; i < nw->n; i++) {
		const struct job_news *e = &nw->v[i];

		/* the same number as a submission's reply: its own job-started */
		if (e->seq < r->event_seq) {
			mm_debug("module: job %u %s: old news (event %llu, we know of %llu)", e->id,
				 e->cmd == MICROMINE_CMD_JOB_STARTED ? "started" : "exhausted",
				 (unsigned long long)e->seq, (unsigned long long)r->event_seq);
			continue;
		}
		r->event_seq = e->seq;
		if (e->cmd == MICROMINE_CMD_JOB_STARTED && e->id == r->queued) {
			r->running = e->id;
			r->queued = 0;
			refill(r);
		} else if (e->cmd == MICROMINE_CMD_JOB_EXHAUSTED) {
			mm_debug("module: job %u exhausted", e->id);
			if (e->id == r->running)
				r->running = 0;
		}
	}
	nw->n = 0;
}

static int on_event(uint8_t cmd, struct nlattr **tb, struct nlmsghdr *nlh, void *arg)
{
	struct news *nw = arg;

	(void)nlh;
	switch (cmd) {
	case MICROMINE_CMD_JOB_STARTED:
	case MICROMINE_CMD_JOB_EXHAUSTED:
		if (nw->n == (int)(sizeof(nw->v) / sizeof(nw->v[0])))
			apply(nw);
		nw->v[nw->n].cmd = cmd;
		nw->v[nw->n].id = tb[MICROMINE_A_JOB_JOB_ID] ?
			nla_get_u32(tb[MICROMINE_A_JOB_JOB_ID]) : 0;
		nw->v[nw->n].seq = tb[MICROMINE_A_JOB_EVENT_SEQ] ?
			nla_get_u64(tb[MICROMINE_A_JOB_EVENT_SEQ]) : 0;
		nw->n++;
		break;
	case MICROMINE_CMD_PAUSED:
		mm_info("module: paused");
		break;
	case MICROMINE_CMD_RESUMED:
		mm_info("module: resumed");
		break;
	}
	return 0;
}

/* The event socket is readable: events, then the shares they announce. */
void miner_event(struct run *r)
{
	struct news nw = { .r = r };
	int ret;

	do {
		ret = mm_genl_events(&r->events, 0, on_event, &nw);
		if (ret == -ENOBUFS)
			mm_warn("module: events were lost (the shares are not: reading them)");
	} while (ret == 1);
	apply(&nw);
	miner_collect(r);
	/* nothing running, nothing queued (a queueing failed): start again */
	if (!r->running && !r->queued && r->state == SESSION_MINING && r->pool_slot >= 0 &&
	    r->pool_jobs[r->pool_slot].valid)
		miner_new_job(r, r->pool_slot, false);
}

/* Stop the module mining for us. */
void miner_flush(struct run *r)
{
	int ret = r->module_gone ? 0 : mm_job_flush(&r->kernel);

	if (!gone(r, ret) && ret)
		mm_err("module: job-flush failed: %s", strerror(-ret));
	r->running = r->queued = 0;
}
