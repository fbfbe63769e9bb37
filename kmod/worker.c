// SPDX-License-Identifier: GPL-2.0
/*
 * The workers: one SCHED_IDLE kernel thread per CPU, so that they only get
 * cycles nothing else wants.  They are smpboot threads: created for every
 * CPU and parked while it is offline.  A worker mines in short slices and
 * between them checks for a new job, a pause, its CPU mask, parking and
 * stopping; each slice hashes in vector sections of tens of microseconds.
 *
 * The workers are not freezable.  Suspend freezes kernel threads before
 * it takes CPUs down, and a frozen thread cannot park: a freezable smpboot
 * thread would hang suspend.  Instead, a PM notifier stops every worker
 * before the freezer runs and lets them go on afterwards.
 */

#include <linux/cpu.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/smpboot.h>
#include <linux/suspend.h>
#include <linux/wait.h>

#include "backend.h"
#include "compat.h"
#include "config.h"
#include "job.h"
#include "share.h"
#include "stats.h"
#include "worker.h"

/* How long a slice, a vector section and a range taken from a job last. */
#define SLICE_NS		(500 * NSEC_PER_USEC)
#define SIMD_NS			(40 * NSEC_PER_USEC)
#define CHUNK_NS		(4 * NSEC_PER_MSEC)
#define MIN_NONCES		64
#define MAX_NONCES		BIT(24)
#define MAX_FOUND		16

/**
 * struct mine_worker - a CPU's worker
 * @job: the job it works on, referenced
 * @gen: the job generation it took @job in
 * @range: the part of @job it took and has not searched yet
 * @have_range: @range is taken (counted as in flight by @job)
 * @vindex: the version index @work is set to, U64_MAX for none
 * @work: @job's work, with the version in use
 * @backend: the backend of the last slice
 * @ps_per_nonce: picoseconds per nonce, averaged: sizes slices
 * @period_start: start of the duty cycle's period
 * @period_mined: time mined in it
 * @found: results of a search
 */
struct mine_worker {
	struct mine_job *job;
	u32 gen;
	struct mine_range range;
	bool have_range;
	u64 vindex;
	struct mine_work work;
	const struct mine_backend *backend;
	u64 ps_per_nonce;
	u64 period_start;
	u64 period_mined;
	struct mine_found found[MAX_FOUND];
};

/**
 * struct slice_config - the settings a slice runs with
 * @backend: see struct mine_config
 * @duty_cycle: see struct mine_config
 * @chunk_min: see struct mine_config
 * @chunk_max: see struct mine_config
 */
struct slice_config {
	const struct mine_backend *backend;
	u8 duty_cycle;
	u32 chunk_min;
	u32 chunk_max;
};

static DEFINE_PER_CPU(struct mine_worker, workers);
static DEFINE_PER_CPU(struct task_struct *, worker_tasks);
/* workers wait here for work; a kick wakes them all */
static DECLARE_WAIT_QUEUE_HEAD(work_wq);
static atomic_t work_seq;
/* the PM notifier waits here for the workers to stop */
static DECLARE_WAIT_QUEUE_HEAD(idle_wq);
static atomic_t mining;
static bool pm_paused;

/**
 * mine_workers_kick() - there may be new work, or new settings: every
 *	worker looks again (at once if it waits, after its slice if not)
 */
void mine_workers_kick(void)
{
	atomic_inc(&work_seq);
	wake_up_all(&work_wq);
}

static bool woken(int seq)
{
	return atomic_read(&work_seq) != seq || kthread_should_park() ||
	       kthread_should_stop();
}

static void set_active(unsigned int cpu, bool active)
{
	struct mine_cpu_stats *st = per_cpu_ptr(&mine_cpu_stats, cpu);

	if (READ_ONCE(st->active) == active)
		return;
	WRITE_ONCE(st->active, active);
	if (active)
		atomic_inc(&mining);
	else if (atomic_dec_and_test(&mining))
		wake_up_all(&idle_wq);
}

/* The settings, or false if this CPU may not mine now. */
static bool may_mine(unsigned int cpu, struct slice_config *sc)
{
	const struct mine_config *c;
	bool ok;

	if (READ_ONCE(pm_paused))
		return false;
	rcu_read_lock();
	c = rcu_dereference(mine_config);
	ok = c->enabled && cpumask_test_cpu(cpu, &c->cpus);
	sc->backend = c->backend;
	sc->duty_cycle = c->duty_cycle;
	sc->chunk_min = c->chunk_min;
	sc->chunk_max = c->chunk_max;
	rcu_read_unlock();
	return ok;
}

/* Nonces that take about @ns, as far as this worker knows. */
static u64 nonces_for(const struct mine_worker *w, u64 ns)
{
	return clamp_t(u64, div64_u64(ns * 1000, w->ps_per_nonce), MIN_NONCES, MAX_NONCES);
}

/* Give back the range not searched and the job. */
static void release(struct mine_worker *w)
{
	if (w->have_range) {
		mine_job_finish(w->job, &w->range);
		w->have_range = false;
	}
	if (w->job) {
		mine_job_put(w->job);
		w->job = NULL;
	}
}

/* The running job and a range of it; false if there is none. */
static bool acquire(struct mine_worker *w, const struct slice_config *sc)
{
	u32 gen = mine_job_generation();

	if (w->job && w->gen != gen)
		release(w);
	if (!w->job) {
		w->job = mine_job_get();
		if (!w->job)
			return false;
		w->gen = gen;
		w->work = w->job->work;
		w->vindex = U64_MAX;
	}
	if (!w->have_range) {
		u64 want = clamp_t(u64, nonces_for(w, CHUNK_NS), sc->chunk_min, sc->chunk_max);

		if (!mine_job_take(w->job, want, &w->range)) {
			mine_job_put(w->job);
			w->job = NULL;
			return false;
		}
		w->have_range = true;
	}
	return true;
}

static void set_backend(struct mine_worker *w, const struct mine_backend *b)
{
	unsigned int i;
	u64 rate = 0;

	WRITE_ONCE(w->backend, b);
	for (i = 0; i < mine_backend_count; i++)
		if (mine_backend_infos[i].backend == b)
			rate = mine_backend_infos[i].rate;
	/* until it is measured here: what the backend did at load */
	w->ps_per_nonce = rate ? div64_u64(1000ULL * NSEC_PER_SEC, rate) : 1000000;
}

/* Hash for about SLICE_NS; report what is found. */
static void slice(struct mine_worker *w, const struct slice_config *sc, unsigned int cpu)
{
	struct mine_cpu_stats *st = per_cpu_ptr(&mine_cpu_stats, cpu);
	struct mine_job *job = w->job;
	u64 t0, dt, cpu0, budget, done = 0, rolls = 0;
	u32 simd;

	budget = nonces_for(w, SLICE_NS);
	simd = sc->backend->simd ? nonces_for(w, SIMD_NS) : MAX_NONCES;
	/*
	 * The slice's time, for its size and the duty cycle; and the CPU
	 * time it really got, for the statistics: a preemptible kernel may
	 * run other tasks in the middle of a slice.  The scheduler brings
	 * sum_exec_runtime up to date when it switches tasks, so the sum of
	 * these differences is exact although one of them may lag a tick.
	 */
	t0 = ktime_get_ns();
	cpu0 = READ_ONCE(current->se.sum_exec_runtime);
	while (done < budget && w->range.start < w->range.end) {
		u64 idx = w->range.start, vindex, rem, n;
		u32 version = 0, tried, nf, i;

		vindex = div64_u64_rem(idx, job->nonce_count, &rem);
		if (vindex != w->vindex) {
			if (w->vindex != U64_MAX)
				rolls++;
			w->vindex = vindex;
			version = mine_version_roll(mine_work_version(&job->work),
						    job->version_mask, vindex);
			mine_work_set_version(&w->work, version);
		}
		version = mine_work_version(&w->work);
		n = min3(budget - done, w->range.end - idx, job->nonce_count - rem);
		n = min_t(u64, n, simd);
		tried = mine_scan(&w->work, sc->backend, job->nonce_start + rem, n,
				  w->found, MAX_FOUND, &nf);
		for (i = 0; i < nf; i++)
			mine_share_report(job, version, &w->found[i], cpu);
		w->range.start += tried;
		done += tried;
		if (need_resched())
			break;
	}
	if (w->range.start >= w->range.end) {
		w->have_range = false;
		mine_job_finish(job, NULL);
	}
	dt = ktime_get_ns() - t0;
	if (done)
		w->ps_per_nonce = (w->ps_per_nonce * 7 + div64_u64(dt * 1000, done)) / 8 ?: 1;
	w->period_mined += dt;

	u64_stats_update_begin(&st->syncp);
	st->hashes += done;
	st->mining_ns += READ_ONCE(current->se.sum_exec_runtime) - cpu0;
	st->slices++;
	st->rolls += rolls;
	st->last_slice_ns = dt;
	u64_stats_update_end(&st->syncp);
	WRITE_ONCE(st->job_id, job->id);
}

/* Sleep out the rest of the period once the duty cycle's share is mined. */
static void duty(struct mine_worker *w, const struct slice_config *sc,
		 unsigned int cpu, int seq)
{
	struct mine_cpu_stats *st;
	u64 now = ktime_get_ns(), slept;

	if (now - w->period_start >= MINE_DUTY_PERIOD_NS) {
		w->period_start = now;
		w->period_mined = 0;
	}
	if (sc->duty_cycle >= 100 ||
	    w->period_mined * 100 < (u64)sc->duty_cycle * MINE_DUTY_PERIOD_NS)
		return;

	set_active(cpu, false);
	/* woken early, it looks at the new work or settings at once */
	wait_event_interruptible_hrtimeout(work_wq, woken(seq),
					   ns_to_ktime(w->period_start +
						       MINE_DUTY_PERIOD_NS - now));
	slept = ktime_get_ns() - now;
	st = per_cpu_ptr(&mine_cpu_stats, cpu);
	u64_stats_update_begin(&st->syncp);
	st->paused_ns += slept;
	u64_stats_update_end(&st->syncp);
	w->period_start = now + slept;
	w->period_mined = 0;
}

static int worker_should_run(unsigned int cpu)
{
	/* the worker waits for work in worker_fn(), on work_wq */
	return 1;
}

static void worker_fn(unsigned int cpu)
{
	struct mine_worker *w = per_cpu_ptr(&workers, cpu);
	int seq = atomic_read(&work_seq);
	struct slice_config sc;

	if (!may_mine(cpu, &sc))
		goto idle;
	if (sc.backend != w->backend)
		set_backend(w, sc.backend);
	if (!acquire(w, &sc))
		goto idle;
	set_active(cpu, true);
	slice(w, &sc, cpu);
	duty(w, &sc, cpu, seq);
	cond_resched();
	return;

idle:
	release(w);
	set_active(cpu, false);
	wait_event_interruptible(work_wq, woken(seq));
}

static void worker_setup(unsigned int cpu)
{
	int ret = mine_sched_idle();

	if (ret == -EOPNOTSUPP)
		pr_notice_once("micromine: this kernel lets no module use SCHED_IDLE: workers run at nice 19 until the micromine tool makes them SCHED_IDLE\n");
	else if (ret)
		pr_warn("micromine: worker on CPU %u could not become SCHED_IDLE (%d)\n", cpu, ret);
}

/* Parked (its CPU goes offline) or stopped: others search what it had. */
static void worker_park(unsigned int cpu)
{
	release(per_cpu_ptr(&workers, cpu));
	set_active(cpu, false);
}

static void worker_cleanup(unsigned int cpu, bool online)
{
	worker_park(cpu);
}

static struct smp_hotplug_thread worker_threads = {
	.store = &worker_tasks,
	.thread_should_run = worker_should_run,
	.thread_fn = worker_fn,
	.thread_comm = "micromine/%u",
	.setup = worker_setup,
	.park = worker_park,
	.cleanup = worker_cleanup,
};

/* Suspend and hibernation: no mining from before the freezer to after it. */
static int worker_pm(struct notifier_block *nb, unsigned long action, void *data)
{
	switch (action) {
	case PM_SUSPEND_PREPARE:
	case PM_HIBERNATION_PREPARE:
	case PM_RESTORE_PREPARE:
		WRITE_ONCE(pm_paused, true);
		mine_workers_kick();
		wait_event_timeout(idle_wq, !atomic_read(&mining), HZ);
		break;
	case PM_POST_SUSPEND:
	case PM_POST_HIBERNATION:
	case PM_POST_RESTORE:
		WRITE_ONCE(pm_paused, false);
		mine_workers_kick();
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block worker_pm_nb = {
	.notifier_call = worker_pm,
};

int mine_workers_init(void)
{
	int ret;

	ret = register_pm_notifier(&worker_pm_nb);
	if (ret)
		return ret;
	ret = smpboot_register_percpu_thread(&worker_threads);
	if (ret)
		unregister_pm_notifier(&worker_pm_nb);
	return ret;
}

/*
 * Park the workers before smpboot stops them: on 5.10, kthread_stop()
 * unparks even a running per-CPU thread and warns that it is not parked.
 * A CPU coming online between the two steps can still unpark its worker
 * there; later kernels unpark only parked threads and need none of this.
 */
static void workers_park(void)
{
	unsigned int cpu;

	cpus_read_lock();
	for_each_online_cpu(cpu)
		kthread_park(per_cpu(worker_tasks, cpu));
	cpus_read_unlock();
}

void mine_workers_exit(void)
{
	workers_park();
	smpboot_unregister_percpu_thread(&worker_threads);
	unregister_pm_notifier(&worker_pm_nb);
}

/**
 * mine_workers_show() - each worker's state, for debugfs
 * @m: where to print
 */
void mine_workers_show(struct seq_file *m)
{
	struct mine_cpu_stats s;
	int cpu;

	seq_puts(m, "cpu active job        hashes     slices last_slice_us ps/nonce paused_ms backend\n");
	for_each_possible_cpu(cpu) {
		const struct mine_worker *w = per_cpu_ptr(&workers, cpu);
		const struct mine_backend *b = READ_ONCE(w->backend);

		mine_stats_read(cpu, &s);
		seq_printf(m, "%3d %6s %-10u %-10llu %-6llu %13llu %8llu %9llu %-7s%s\n",
			   cpu,
			   s.active ? "yes" : "no", s.job_id, s.hashes, s.slices,
			   div_u64(s.last_slice_ns, NSEC_PER_USEC), READ_ONCE(w->ps_per_nonce),
			   div_u64(s.paused_ns, NSEC_PER_MSEC), b ? b->name : "-",
			   cpu_online(cpu) ? "" : " (offline)");
	}
	seq_printf(m, "suspend: %s\n", READ_ONCE(pm_paused) ? "paused" : "no");
}
