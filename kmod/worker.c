// SPDX-License-Identifier: GPL-2.0
/*
 * The workers: one SCHED_IDLE kernel thread per CPU, so that they only get
 * cycles nothing else wants.  They are smpboot threads: created for every
 * CPU and parked while it is offline.  A worker mines in short slices and
 * between them checks for a new job, a pause, its CPU mask, parking and
 * stopping; each slice hashes in vector sections of a fixed number of
 * nonces (the backend's @section: at most about 10 us on the slowest CPU
 * it runs on), the only parts that run with preemption (and on x86
 * softirqs) off.
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

/* How long a slice and a range taken from a job last, at most. */
#define SLICE_NS		(500 * NSEC_PER_USEC)
#define CHUNK_NS		(4 * NSEC_PER_MSEC)
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
 * @ps_per_nonce: picoseconds per nonce, averaged: sizes slices and ranges
 *	(a u32, read by debugfs: loads of it do not tear on 32-bit)
 * @period_start: start of the duty cycle's period
 * @period_mined: time mined in it, with what the period before ran over
 * @period_duty: the duty cycle the period is counted for
 * @overrun_own: the period's last slice ran on its own (no other task
 *	preempted it): what it ran over was the worker's, and is carried
 * @cpu_mark: this thread's CPU time when the last slice was counted
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
	u32 ps_per_nonce;
	u64 period_start;
	u64 period_mined;
	u8 period_duty;
	bool overrun_own;
	u64 cpu_mark;
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
/*
 * Workers that may mine but have nothing to do wait for work on work_wq.
 * Workers that may not mine (paused, not in the CPU mask, suspend) and
 * those sleeping out their duty cycle wait on settings_wq, which only a
 * change of the settings (or parking) ends: a new job does not wake them.
 * The sequence counts tell a waiter that it missed nothing between
 * looking and sleeping: each is read (acquire) before what it guards is
 * looked at, and bumped (release) after it was changed.
 */
static DECLARE_WAIT_QUEUE_HEAD(work_wq);
static atomic_t work_seq;
static DECLARE_WAIT_QUEUE_HEAD(settings_wq);
static atomic_t settings_seq;
/* the PM notifier waits here for the workers to stop */
static DECLARE_WAIT_QUEUE_HEAD(idle_wq);
static atomic_t mining;
static bool pm_paused;

/**
 * mine_workers_wake() - tell the workers what changed
 * @what: MINE_WAKE_WORK (another job runs, or a range was given back:
 *	every worker waiting for work looks) or MINE_WAKE_SETTINGS (every
 *	worker looks, also those that may not mine or sleep for the duty
 *	cycle)
 *
 * Workers at work see a new job after their slice, without a wakeup.
 */
void mine_workers_wake(enum mine_wake what)
{
	if (what == MINE_WAKE_SETTINGS) {
		atomic_inc_return_release(&settings_seq);
		wake_up_all(&settings_wq);
	}
	atomic_inc_return_release(&work_seq);
	wake_up_all(&work_wq);
}

static bool must_leave(void)
{
	return kthread_should_park() || kthread_should_stop();
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

/* Nonces that take about @ns, as far as this worker knows; @least at least. */
static u64 nonces_for(const struct mine_worker *w, u64 ns, u64 least)
{
	return clamp_t(u64, div64_u64(ns * 1000, w->ps_per_nonce), least, MAX_NONCES);
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
	if (w->job && w->gen != mine_job_generation())
		release(w);
	if (!w->job) {
		w->job = mine_job_get(&w->gen);
		if (!w->job)
			return false;
		w->work = w->job->work;
		w->vindex = U64_MAX;
	}
	if (!w->have_range) {
		u64 want = clamp_t(u64, nonces_for(w, CHUNK_NS, 1), sc->chunk_min, sc->chunk_max);

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
	const struct mine_backend_info *info = mine_backend_info_of(b);

	WRITE_ONCE(w->backend, b);
	/* until it is measured here: what the backend did at load */
	WRITE_ONCE(w->ps_per_nonce, info && info->rate ?
		   clamp_t(u64, div64_u64(1000ULL * NSEC_PER_SEC, info->rate), 1, U32_MAX) :
		   1000000);
}

/*
 * The CPU time of this thread.  The scheduler brings it up to date from
 * this CPU's tick, so on 32-bit, where a 64-bit load tears, it is read
 * with interrupts off until two reads agree (another CPU updates it only
 * when it holds this CPU's runqueue lock, rarely).
 */
static u64 cpu_time_ns(void)
{
	unsigned long flags;
	u64 a, b;

	if (IS_ENABLED(CONFIG_64BIT))
		return READ_ONCE(current->se.sum_exec_runtime);
	local_irq_save(flags);
	b = READ_ONCE(current->se.sum_exec_runtime);
	do {
		a = b;
		b = READ_ONCE(current->se.sum_exec_runtime);
	} while (a != b);
	local_irq_restore(flags);
	return a;
}

/* Hash for about @ns (at most SLICE_NS); report what is found. */
static void slice(struct mine_worker *w, const struct slice_config *sc, unsigned int cpu,
		  u64 ns)
{
	struct mine_job *job = w->job;
	u64 t0, dt, cpu1, budget, done = 0, rolls = 0, section_max = 0;
	unsigned long nivcsw = current->nivcsw;
	struct mine_cpu_stats *st;
	bool own;

	/* as little as one batch of the backend: a 1 % duty cycle is 200 us */
	budget = nonces_for(w, ns, sc->backend->lanes);
	/* the slice's time, for its size and the duty cycle */
	t0 = ktime_get_ns();
	while (done < budget && w->range.start < w->range.end) {
		u64 idx = w->range.start, vindex, rem, n, section;
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
		tried = mine_scan_timed(&w->work, sc->backend, job->nonce_start + rem, n,
					w->found, MAX_FOUND, &nf, &section);
		section_max = max(section_max, section);
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
	/*
	 * And the CPU time the worker got, for the statistics: a preemptible
	 * kernel may run other tasks in the middle of a slice.  The scheduler
	 * brings sum_exec_runtime up to date only at a tick or a switch, so a
	 * slice is counted from the end of the one before: a sleep in between
	 * adds nothing to it, and what the last slice ran after its reading
	 * lands here (with the little the worker does between slices).
	 */
	cpu1 = cpu_time_ns();
	/*
	 * The duty cycle counts the slice's wall time, also where another
	 * task preempted it (PREEMPT, RT: the idle worker's slices are cut
	 * into by everything): never more of the CPU than allowed.  Only
	 * slices that ran on their own teach the speed slices are sized by.
	 */
	own = current->nivcsw == nivcsw;
	if (done && own)
		WRITE_ONCE(w->ps_per_nonce,
			   clamp_t(u64, ((u64)w->ps_per_nonce * 7 + div64_u64(dt * 1000, done)) / 8,
				   1, U32_MAX));
	w->period_mined += dt;
	w->overrun_own = own;

	st = mine_stats_write_begin();
	u64_stats_add(&st->hashes, done);
	mine_stats_add(&st->mining_ns, cpu1 - w->cpu_mark);
	mine_stats_add(&st->hashing_ns, dt);
	u64_stats_inc(&st->slices);
	u64_stats_add(&st->rolls, rolls);
	WRITE_ONCE(st->last_slice_ns, min_t(u64, dt, U32_MAX));
	if (section_max > st->section_max_ns)
		WRITE_ONCE(st->section_max_ns, min_t(u64, section_max, U32_MAX));
	WRITE_ONCE(st->job_id, job->id);
	mine_stats_write_end(st);
	w->cpu_mark = cpu1;
}

/*
 * What is left of this duty cycle period's allowance, in ns; a new period
 * starts when the last one is over.  The last slice of a period may run
 * over (slices are sized by the speed of those before): the next period
 * starts with that much mined, up to a whole allowance, so that the duty
 * cycle holds on average and not only per period.  Not carried: an
 * overrun that was another task's time (the slice was preempted, its wall
 * time counted all the same), one of another duty cycle, and one from
 * before a pause (no job, disabled) longer than a period.
 */
static u64 allowance(struct mine_worker *w, const struct slice_config *sc, u64 now)
{
	u64 may = div_u64((u64)sc->duty_cycle * MINE_DUTY_PERIOD_NS, 100);

	if (now - w->period_start >= MINE_DUTY_PERIOD_NS) {
		bool carry = w->overrun_own && w->period_duty == sc->duty_cycle &&
			     now - w->period_start < 2 * MINE_DUTY_PERIOD_NS &&
			     w->period_mined > may;

		w->period_mined = carry ? min(w->period_mined - may, may) : 0;
		w->period_start = now;
		w->period_duty = sc->duty_cycle;
	}
	if (sc->duty_cycle >= 100)
		return SLICE_NS;
	return w->period_mined < may ? may - w->period_mined : 0;
}

/*
 * The allowance is used up: sleep out the period.  A new job does not cut
 * it short, only new settings (the duty cycle may have grown), parking or
 * stopping do; the allowance is then looked at again.
 */
static void duty_sleep(struct mine_worker *w, unsigned int cpu, u64 now, int seq)
{
	struct mine_cpu_stats *st;
	u64 slept;

	set_active(cpu, false);
	wait_event_interruptible_hrtimeout(settings_wq,
					   atomic_read(&settings_seq) != seq || must_leave(),
					   ns_to_ktime(w->period_start +
						       MINE_DUTY_PERIOD_NS - now));
	slept = ktime_get_ns() - now;
	st = mine_stats_write_begin();
	mine_stats_add(&st->paused_ns, slept);
	mine_stats_write_end(st);
}

static int worker_should_run(unsigned int cpu)
{
	/* the worker waits in worker_fn(), on work_wq or settings_wq */
	return 1;
}

static void worker_fn(unsigned int cpu)
{
	struct mine_worker *w = per_cpu_ptr(&workers, cpu);
	int settings = atomic_read_acquire(&settings_seq);
	int work = atomic_read_acquire(&work_seq);
	struct slice_config sc;
	u64 now, left;

	if (!may_mine(cpu, &sc)) {
		release(w);
		set_active(cpu, false);
		wait_event_interruptible(settings_wq, atomic_read(&settings_seq) != settings ||
					 must_leave());
		return;
	}
	if (sc.backend != w->backend)
		set_backend(w, sc.backend);
	/* the duty cycle's allowance first: no range is taken to sleep on */
	now = ktime_get_ns();
	left = allowance(w, &sc, now);
	if (!left) {
		duty_sleep(w, cpu, now, settings);
		return;
	}
	if (!acquire(w, &sc)) {
		release(w);
		set_active(cpu, false);
		wait_event_interruptible(work_wq, atomic_read(&work_seq) != work || must_leave());
		return;
	}
	set_active(cpu, true);
	slice(w, &sc, cpu, min_t(u64, left, SLICE_NS));
	cond_resched();
}

static void worker_setup(unsigned int cpu)
{
	int ret = mine_sched_idle();

	/* the CPU time slices are counted from (see slice()) */
	per_cpu_ptr(&workers, cpu)->cpu_mark = cpu_time_ns();
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
		mine_workers_wake(MINE_WAKE_SETTINGS);
		wait_event_timeout(idle_wq, !atomic_read(&mining), HZ);
		break;
	case PM_POST_SUSPEND:
	case PM_POST_HIBERNATION:
	case PM_POST_RESTORE:
		WRITE_ONCE(pm_paused, false);
		mine_workers_wake(MINE_WAKE_SETTINGS);
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
 * Where kthread_stop() unparks even a running per-CPU thread, and warns
 * that it is not parked (5.10; see Kbuild), the workers are parked
 * first, with CPU hotplug held off until they are stopped: a CPU going
 * offline in between would park its worker again (a warning), one coming
 * online would unpark it.
 */
void mine_workers_exit(void)
{
	unsigned int cpu;

	if (!MINE_KTHREAD_STOP_UNPARKS_RUNNING) {
		smpboot_unregister_percpu_thread(&worker_threads);
		unregister_pm_notifier(&worker_pm_nb);
		return;
	}
	cpu_hotplug_disable();
	for_each_online_cpu(cpu)
		kthread_park(per_cpu(worker_tasks, cpu));
	smpboot_unregister_percpu_thread(&worker_threads);
	cpu_hotplug_enable();
	unregister_pm_notifier(&worker_pm_nb);
}

/**
 * mine_workers_show() - each worker's state, for debugfs
 * @m: where to print
 */
void mine_workers_show(struct seq_file *m)
{
	struct mine_counts s;
	int cpu;

	seq_puts(m, "cpu active job        hashes     slices last_slice_us ps/nonce paused_ms backend section_max_us hashing_us\n");
	for_each_possible_cpu(cpu) {
		const struct mine_worker *w = per_cpu_ptr(&workers, cpu);
		const struct mine_backend *b = READ_ONCE(w->backend);

		mine_stats_read(cpu, &s);
		seq_printf(m, "%3d %6s %-10u %-10llu %-6llu %13llu %8u %9llu %-7s %14llu %10llu%s\n",
			   cpu,
			   s.active ? "yes" : "no", s.job_id, s.hashes, s.slices,
			   div_u64(s.last_slice_ns, NSEC_PER_USEC), READ_ONCE(w->ps_per_nonce),
			   div_u64(s.paused_ns, NSEC_PER_MSEC), b ? b->name : "-",
			   div_u64(s.section_max_ns, NSEC_PER_USEC),
			   div_u64(s.hashing_ns, NSEC_PER_USEC),
			   cpu_online(cpu) ? "" : " (offline)");
	}
	seq_printf(m, "suspend: %s\n", READ_ONCE(pm_paused) ? "paused" : "no");
}
