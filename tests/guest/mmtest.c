// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for the guest tests of the module (see mmtest.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmtest.h"

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

uint64_t mmt_now_ms(void)
{
	return now_ns() / 1000000;
}

int mmt_set_u8(struct mm_genl *g, int attr, uint8_t v)
{
	struct nl_msg *msg = mm_genl_msg(g, MICROMINE_CMD_CONFIG_SET, 0);

	if (!msg)
		return -ENOMEM;
	nla_put_u8(msg, attr, v);
	return mm_genl_run(g, msg, NULL, NULL);
}

int mmt_set_enabled(struct mm_genl *g, bool on)
{
	return mmt_set_u8(g, MICROMINE_A_CONFIG_ENABLED, on);
}

int mmt_set_str(struct mm_genl *g, int attr, const char *v)
{
	struct nl_msg *msg = mm_genl_msg(g, MICROMINE_CMD_CONFIG_SET, 0);

	if (!msg)
		return -ENOMEM;
	nla_put_string(msg, attr, v);
	return mm_genl_run(g, msg, NULL, NULL);
}

static int push(struct mm_share **v, size_t *n, size_t *cap, const struct mm_share *s)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct mm_share *p = realloc(*v, c * sizeof(*p));

		if (!p)
			return -ENOMEM;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = *s;
	return 0;
}

struct shares_arg {
	struct mm_share *v;
	size_t n, cap;
};

/* the event's number: each attribute set has its own attribute for it */
static uint64_t event_seq(uint8_t cmd, struct nlattr **tb)
{
	struct nlattr *a = NULL;

	switch (cmd) {
	case MICROMINE_CMD_SHARE_FOUND:
		a = tb[MICROMINE_A_SHARE_EVENT_SEQ];
		break;
	case MICROMINE_CMD_JOB_STARTED:
	case MICROMINE_CMD_JOB_EXHAUSTED:
		a = tb[MICROMINE_A_JOB_EVENT_SEQ];
		break;
	case MICROMINE_CMD_PAUSED:
	case MICROMINE_CMD_RESUMED:
		a = tb[MICROMINE_A_CONFIG_EVENT_SEQ];
		break;
	}
	return a ? nla_get_u64(a) : 0;
}

static int on_event(uint8_t cmd, struct nlattr **tb, struct nlmsghdr *nlh, void *arg)
{
	struct mmt_events *e = arg;
	uint64_t seq = event_seq(cmd, tb);
	struct mm_share s;

	(void)nlh;
	if (!seq)
		e->unnumbered++;
	switch (cmd) {
	case MICROMINE_CMD_SHARE_FOUND:
		mm_share_parse(tb, &s);
		return push(&e->shares, &e->nshares, &e->cap, &s);
	case MICROMINE_CMD_JOB_STARTED:
		if (e->nstarted < 256 && tb[MICROMINE_A_JOB_JOB_ID]) {
			e->started_seq[e->nstarted] = seq;
			e->started[e->nstarted++] = nla_get_u32(tb[MICROMINE_A_JOB_JOB_ID]);
		}
		break;
	case MICROMINE_CMD_JOB_EXHAUSTED:
		if (e->nexhausted < 256 && tb[MICROMINE_A_JOB_JOB_ID]) {
			e->exhausted_seq[e->nexhausted] = seq;
			e->exhausted[e->nexhausted++] = nla_get_u32(tb[MICROMINE_A_JOB_JOB_ID]);
		}
		break;
	case MICROMINE_CMD_PAUSED:
		e->paused++;
		e->paused_seq = seq;
		break;
	case MICROMINE_CMD_RESUMED:
		e->resumed++;
		e->resumed_seq = seq;
		break;
	}
	return 0;
}

/* Read events for @timeout_ms. */
int mmt_events_poll(struct mm_genl *ev, struct mmt_events *e, int timeout_ms)
{
	uint64_t end = mmt_now_ms() + timeout_ms, now;
	int ret;

	while ((now = mmt_now_ms()) < end) {
		ret = mm_genl_events(ev, end - now, on_event, e);
		if (ret == -ENOBUFS)
			e->overruns++;
		else if (ret < 0)
			return ret;
	}
	return 0;
}

bool mmt_wait_exhausted(struct mm_genl *ev, struct mmt_events *e, uint32_t id, int timeout_ms)
{
	uint64_t end = mmt_now_ms() + timeout_ms;
	size_t i;

	for (;;) {
		for (i = 0; i < e->nexhausted; i++)
			if (e->exhausted[i] == id)
				return true;
		if (mmt_now_ms() >= end)
			return false;
		if (mm_genl_events(ev, 100, on_event, e) == -ENOBUFS)
			e->overruns++;
	}
}

void mmt_events_free(struct mmt_events *e)
{
	free(e->shares);
	memset(e, 0, sizeof(*e));
}

/* A foreground loop pinned to each online CPU, until mmt_stop(). */
int mmt_busy_cpus(pid_t *pids)
{
	int n = sysconf(_SC_NPROCESSORS_ONLN), i;

	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(i, &set);
			sched_setaffinity(0, sizeof(set), &set);
			for (;;)
				;
		}
	}
	return n;
}

/* Kill and reap @n processes. */
void mmt_stop(const pid_t *pids, int n)
{
	int i, status;

	for (i = 0; i < n; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], &status, 0);
	}
}

/*
 * The module as a test starts from: no job, mining on, at 100 % on every
 * CPU, an empty share queue.
 */
int mmt_reset(struct mm_genl *g)
{
	struct mm_share *s = NULL;
	size_t n;
	int ret;

	ret = mm_job_flush(g);
	if (!ret)
		ret = mmt_set_enabled(g, true);
	if (!ret)
		ret = mmt_set_u8(g, MICROMINE_A_CONFIG_DUTY_CYCLE, 100);
	if (!ret)
		ret = mmt_set_str(g, MICROMINE_A_CONFIG_CPUS, mmt_possible_cpus());
	if (!ret)
		ret = mmt_shares_take(g, &s, &n);
	free(s);
	return ret;
}

/* Read the queued shares and acknowledge them: they leave the queue. */
int mmt_shares_take(struct mm_genl *g, struct mm_share **shares, size_t *n)
{
	int ret = mm_shares_get(g, shares, n);

	if (!ret && *n)
		ret = mm_shares_ack(g, (*shares)[*n - 1].seq);
	return ret;
}

void mmt_hex(const char *hex, uint8_t *out, size_t n)
{
	size_t i;
	unsigned int x;

	for (i = 0; i < n; i++) {
		if (sscanf(hex + 2 * i, "%2x", &x) != 1)
			x = 0;
		out[i] = x;
	}
}

/* A target whose most significant word is @top and the rest all ones. */
void mmt_target_top(uint8_t target[32], uint32_t top)
{
	memset(target, 0xff, 32);
	mine_put_le32(top, target + 28);
}

/* How long each usable backend takes for 8192 nonces here: once per process. */
static const uint64_t *backend_times(void)
{
	static uint64_t ns[32];
	static bool timed;
	struct mine_found found[4];
	struct mine_work w;
	uint8_t header[80] = { 0 }, target[32] = { 0 };
	uint32_t nf;
	int i;

	if (timed)
		return ns;
	mine_work_prepare(&w, header, target);
	for (i = 0; i < 32 && mine_backends[i].backend; i++) {
		uint64_t t0;

		if (!mine_backends[i].usable())
			continue;
		t0 = now_ns();
		mine_scan(&w, mine_backends[i].backend, 0, 8192, found, 4, &nf);
		ns[i] = now_ns() - t0 ?: 1;
	}
	timed = true;
	return ns;
}

/*
 * The backend that finds a job's shares in userspace: the fastest here
 * (under emulation the generic one takes half a minute for a job of 4M
 * nonces) but not the one the module uses now, so that the two answers
 * come from different code; the generic one where there is no other.
 */
static const struct mine_backend *expected_backend(void)
{
	const struct mine_backend *best = &mine_backend_generic;
	const uint64_t *ns = backend_times();
	uint64_t best_ns = 0;
	char module[32] = "";
	FILE *f = fopen("/sys/kernel/micromine/backend", "r");
	int i;

	if (f) {
		if (fscanf(f, "%31s", module) != 1)
			module[0] = 0;
		fclose(f);
	}
	for (i = 0; i < 32 && mine_backends[i].backend; i++) {
		if (!ns[i] || !strcmp(mine_backends[i].backend->name, module))
			continue;
		if (!best_ns || ns[i] < best_ns) {
			best = mine_backends[i].backend;
			best_ns = ns[i];
		}
	}
	return best;
}

/*
 * The shares of a job, found in userspace (every result verified by the
 * textbook SHA-256).  @rolls versions of @count nonces from @start each.
 */
size_t mmt_expected(const uint8_t header[80], const uint8_t target[32], uint32_t version_mask,
		    uint32_t start, uint64_t count, uint64_t rolls, struct mm_share **out)
{
	const struct mine_backend *b = expected_backend();
	struct shares_arg a = { 0 };
	struct mine_found found[64];
	struct mine_work w;
	uint32_t base, nf, i;
	uint64_t v, done;

	mine_work_prepare(&w, header, target);
	base = mine_work_version(&w);
	for (v = 0; v < rolls; v++) {
		uint32_t version = mine_version_roll(base, version_mask, v);

		mine_work_set_version(&w, version);
		for (done = 0; done < count;) {
			uint64_t left = count - done;
			uint32_t n = left > 0x10000 ? 0x10000 : left;

			done += mine_scan(&w, b, start + done, n, found, 64, &nf);
			for (i = 0; i < nf; i++) {
				struct mm_share s = { .nonce = found[i].nonce, .version = version };

				memcpy(s.hash, found[i].hash, 32);
				push(&a.v, &a.n, &a.cap, &s);
			}
		}
	}
	*out = a.v;
	return a.n;
}

static int by_version_nonce(const void *x, const void *y)
{
	const struct mm_share *a = x, *b = y;

	if (a->version != b->version)
		return a->version < b->version ? -1 : 1;
	if (a->nonce != b->nonce)
		return a->nonce < b->nonce ? -1 : 1;
	return 0;
}

/*
 * Every wanted share received exactly once with the right hash, and no
 * other: 0, or the number of differences with the first in @why.
 */
long mmt_match(const struct mm_share *want, size_t nwant, const struct mm_share *got,
	       size_t ngot, char *why, size_t whylen)
{
	struct mm_share *w = malloc((nwant + 1) * sizeof(*w));
	struct mm_share *g = malloc((ngot + 1) * sizeof(*g));
	size_t i = 0, j = 0;
	long bad = 0;

	why[0] = 0;
	memcpy(w, want, nwant * sizeof(*w));
	memcpy(g, got, ngot * sizeof(*g));
	qsort(w, nwant, sizeof(*w), by_version_nonce);
	qsort(g, ngot, sizeof(*g), by_version_nonce);
	while (i < nwant || j < ngot) {
		int c = i == nwant ? 1 : j == ngot ? -1 : by_version_nonce(&w[i], &g[j]);

		if (c == 0 && memcmp(w[i].hash, g[j].hash, 32) == 0) {
			i++;
			j++;
			continue;
		}
		if (!bad++)
			snprintf(why, whylen, c < 0 ? "missing nonce %08x version %08x" :
				 c > 0 ? "unexpected or duplicate nonce %08x version %08x" :
				 "wrong hash for nonce %08x version %08x",
				 c > 0 ? g[j].nonce : w[i].nonce,
				 c > 0 ? g[j].version : w[i].version);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	free(w);
	free(g);
	return bad;
}

/* The CPU list of every CPU this machine may have. */
const char *mmt_possible_cpus(void)
{
	static char buf[1024];
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		snprintf(buf, sizeof(buf), "0");
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

int mmt_write(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY), ret = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	if (n < 0)
		ret = -errno;
	close(fd);
	return ret;
}

long long mmt_read_ll(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtoll(buf, NULL, 10) : -1;
}
