// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family of micromine.ko, operation by operation:
 * what each accepts, what it rejects and how it says so, who may call it,
 * and where the family is visible.  Runs in the test guests as root, with
 * MM_KO naming the module to load.
 */

#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "mmtest.h"

/* the genesis block, its nonce, and its hash as a little-endian integer */
static const char genesis[] =
	"0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd"
	"7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
#define GENESIS_NONCE	2083236893U
static const char genesis_hash_le[] =
	"6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000";

static void module_loaded(void)
{
	char cmd[4096];

	if (access("/sys/kernel/micromine", F_OK)) {
		snprintf(cmd, sizeof(cmd), "insmod %s", getenv("MM_KO"));
		if (system(cmd))
			fprintf(stderr, "# insmod failed\n");
	}
}

/* a job no nonce can solve, over all 2^32 nonces: it runs for long */
static void long_job(struct mm_job *j, uint32_t id)
{
	memset(j, 0, sizeof(*j));
	j->id = id;
	mmt_hex(genesis, j->header, 80);
}

static void genesis_job(struct mm_job *j, uint32_t id)
{
	memset(j, 0, sizeof(*j));
	j->id = id;
	mmt_hex(genesis, j->header, 80);
	mmt_hex(genesis_hash_le, j->target, 32);
	j->nonce_start = GENESIS_NONCE - 100;
	j->nonce_count = 200;
}

FIXTURE(nl) {
	struct mm_genl g;
};

FIXTURE_SETUP(nl)
{
	module_loaded();
	ASSERT_EQ(0, mm_genl_open(&self->g));
	ASSERT_EQ(0, mmt_reset(&self->g)) TH_LOG("%s", self->g.error);
}

FIXTURE_TEARDOWN(nl)
{
	mm_job_flush(&self->g);
	mm_genl_close(&self->g);
}

/* A request with one raw attribute, for what the helpers never send. */
static int raw(struct mm_genl *g, uint8_t cmd, int type, const void *data, int len)
{
	struct nl_msg *msg = mm_genl_msg(g, cmd, 0);

	nla_put(msg, type, len, data);
	return mm_genl_run(g, msg, NULL, NULL);
}

TEST_F(nl, job_submit_runs_and_queues)
{
	struct mm_job j;
	struct mm_job_placed placed;

	long_job(&j, 1);
	ASSERT_EQ(0, mm_job_submit(&self->g, &j, &placed)) TH_LOG("%s", self->g.error);
	EXPECT_EQ(0U, placed.position);
	j.id = 2;
	ASSERT_EQ(0, mm_job_submit(&self->g, &j, &placed));
	EXPECT_EQ(1U, placed.position);
	j.id = 3;
	ASSERT_EQ(0, mm_job_submit(&self->g, &j, &placed));
	EXPECT_EQ(2U, placed.position);
	/* a clean job replaces them all and runs at once */
	j.id = 4;
	j.clean = true;
	ASSERT_EQ(0, mm_job_submit(&self->g, &j, &placed));
	EXPECT_EQ(0U, placed.position);
	j.clean = false;
	ASSERT_EQ(0, mm_job_submit(&self->g, &j, &placed));
	EXPECT_EQ(1U, placed.position);
}

TEST_F(nl, job_queue_holds_sixteen)
{
	struct mm_job j;
	struct mm_job_placed placed;
	int i;

	long_job(&j, 1);
	for (i = 0; i <= 16; i++)
		ASSERT_EQ(0, mm_job_submit(&self->g, &j, &placed)) TH_LOG("job %d: %s", i, self->g.error);
	EXPECT_EQ(16U, placed.position);
	EXPECT_EQ(-ENOSPC, mm_job_submit(&self->g, &j, &placed));
	EXPECT_NE(NULL, strstr(self->g.error, "queue is full")) TH_LOG("%s", self->g.error);
	ASSERT_EQ(0, mm_job_flush(&self->g));
	EXPECT_EQ(0, mm_job_submit(&self->g, &j, &placed));
	EXPECT_EQ(0U, placed.position);
}

TEST_F(nl, job_submit_needs_header_and_target)
{
	struct nl_msg *msg;
	uint8_t target[32] = { 0 };

	msg = mm_genl_msg(&self->g, MICROMINE_CMD_JOB_SUBMIT, 0);
	nla_put(msg, MICROMINE_A_JOB_TARGET, 32, target);
	EXPECT_EQ(-EINVAL, mm_genl_run(&self->g, msg, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->g.error, "needs a header")) TH_LOG("%s", self->g.error);

	msg = mm_genl_msg(&self->g, MICROMINE_CMD_JOB_SUBMIT, 0);
	nla_put(msg, MICROMINE_A_JOB_HEADER, 80, target);
	EXPECT_EQ(-EINVAL, mm_genl_run(&self->g, msg, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->g.error, "needs a target")) TH_LOG("%s", self->g.error);
}

/* Every length but the exact one is rejected, naming the attribute. */
TEST_F(nl, job_submit_exact_lengths)
{
	static const int lengths[] = { 0, 1, 31, 33, 79, 81, 200 };
	uint8_t buf[200] = { 0 };
	unsigned int i;

	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		int len = lengths[i];
		struct nl_msg *msg = mm_genl_msg(&self->g, MICROMINE_CMD_JOB_SUBMIT, 0);

		nla_put(msg, MICROMINE_A_JOB_HEADER, len, buf);
		nla_put(msg, MICROMINE_A_JOB_TARGET, 32, buf);
		EXPECT_NE(0, mm_genl_run(&self->g, msg, NULL, NULL)) TH_LOG("header of %d", len);
		EXPECT_NE(NULL, strstr(self->g.error, "attribute header"))
			TH_LOG("header of %d: %s", len, self->g.error);

		msg = mm_genl_msg(&self->g, MICROMINE_CMD_JOB_SUBMIT, 0);
		nla_put(msg, MICROMINE_A_JOB_HEADER, 80, buf);
		nla_put(msg, MICROMINE_A_JOB_TARGET, len, buf);
		EXPECT_NE(0, mm_genl_run(&self->g, msg, NULL, NULL)) TH_LOG("target of %d", len);
		EXPECT_NE(NULL, strstr(self->g.error, "attribute target"))
			TH_LOG("target of %d: %s", len, self->g.error);
	}
}

TEST_F(nl, job_submit_nonce_ranges)
{
	struct mm_job j;
	struct mm_job_placed placed;

	long_job(&j, 5);
	j.nonce_count = 1ULL << 32;
	EXPECT_EQ(0, mm_job_submit(&self->g, &j, &placed)) TH_LOG("%s", self->g.error);
	j.nonce_count = (1ULL << 32) + 1;
	EXPECT_NE(0, mm_job_submit(&self->g, &j, &placed));
	EXPECT_NE(NULL, strstr(self->g.error, "attribute nonce-count")) TH_LOG("%s", self->g.error);
	j.nonce_start = 0xffffff00;
	j.nonce_count = 0x101;
	EXPECT_EQ(-EINVAL, mm_job_submit(&self->g, &j, &placed));
	EXPECT_NE(NULL, strstr(self->g.error, "beyond 2^32")) TH_LOG("%s", self->g.error);
	EXPECT_NE(NULL, strstr(self->g.error, "(attribute nonce-count)")) TH_LOG("%s", self->g.error);
	j.nonce_count = 0x100;
	EXPECT_EQ(0, mm_job_submit(&self->g, &j, &placed)) TH_LOG("%s", self->g.error);

	/* a nonce-count of 0 is not sent by the helper: send it raw */
	{
		struct nl_msg *msg = mm_genl_msg(&self->g, MICROMINE_CMD_JOB_SUBMIT, 0);

		nla_put(msg, MICROMINE_A_JOB_HEADER, 80, j.header);
		nla_put(msg, MICROMINE_A_JOB_TARGET, 32, j.target);
		nla_put_u64(msg, MICROMINE_A_JOB_NONCE_COUNT, 0);
		EXPECT_NE(0, mm_genl_run(&self->g, msg, NULL, NULL));
		EXPECT_NE(NULL, strstr(self->g.error, "attribute nonce-count"))
			TH_LOG("%s", self->g.error);
	}
}

TEST_F(nl, unknown_attributes_rejected)
{
	uint32_t v = 0;
	uint8_t hdr[80] = { 0 };
	struct nl_msg *msg;

	/* beyond the operation's attributes, or one of its replies' */
	msg = mm_genl_msg(&self->g, MICROMINE_CMD_JOB_SUBMIT, 0);
	nla_put(msg, MICROMINE_A_JOB_HEADER, 80, hdr);
	nla_put(msg, MICROMINE_A_JOB_TARGET, 32, hdr);
	nla_put_u32(msg, MICROMINE_A_JOB_POSITION, 1);
	EXPECT_NE(0, mm_genl_run(&self->g, msg, NULL, NULL));
	msg = mm_genl_msg(&self->g, MICROMINE_CMD_JOB_SUBMIT, 0);
	nla_put(msg, MICROMINE_A_JOB_HEADER, 80, hdr);
	nla_put(msg, MICROMINE_A_JOB_TARGET, 32, hdr);
	nla_put_u32(msg, 30, 1);
	EXPECT_NE(0, mm_genl_run(&self->g, msg, NULL, NULL));
	EXPECT_NE(0, raw(&self->g, MICROMINE_CMD_CONFIG_SET, 30, &v, 4));
	EXPECT_NE(0, raw(&self->g, MICROMINE_CMD_CONFIG_SET, MICROMINE_A_CONFIG_BACKENDS,
			 "generic", 8));
	/* the operations without attributes take none */
	EXPECT_NE(0, raw(&self->g, MICROMINE_CMD_JOB_FLUSH, 1, &v, 4));
	EXPECT_NE(0, raw(&self->g, MICROMINE_CMD_CONFIG_GET, 1, &v, 4));
	EXPECT_NE(0, raw(&self->g, MICROMINE_CMD_STATS_GET, 1, &v, 4));
	EXPECT_NE(0, raw(&self->g, MICROMINE_CMD_STATS_GET, 7, &v, 4));
	/* and a command the family does not have */
	EXPECT_NE(0, raw(&self->g, 42, 1, &v, 4));
}

struct config {
	uint8_t enabled, duty;
	char cpus[1024], backend[16];
	uint32_t chunk_min, chunk_max, queue_len;
	char backends[8][16];
	int nbackends;
};

static int on_config(uint8_t cmd, struct nlattr **tb, struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct config *c = arg;
	struct nlattr *a;
	int rem;

	(void)cmd;
	c->enabled = tb[MICROMINE_A_CONFIG_ENABLED] ? nla_get_u8(tb[MICROMINE_A_CONFIG_ENABLED]) : 9;
	c->duty = tb[MICROMINE_A_CONFIG_DUTY_CYCLE] ?
		  nla_get_u8(tb[MICROMINE_A_CONFIG_DUTY_CYCLE]) : 0;
	if (tb[MICROMINE_A_CONFIG_CPUS])
		snprintf(c->cpus, sizeof(c->cpus), "%s", nla_get_string(tb[MICROMINE_A_CONFIG_CPUS]));
	if (tb[MICROMINE_A_CONFIG_BACKEND])
		snprintf(c->backend, sizeof(c->backend), "%s",
			 nla_get_string(tb[MICROMINE_A_CONFIG_BACKEND]));
	c->chunk_min = tb[MICROMINE_A_CONFIG_CHUNK_MIN] ?
		       nla_get_u32(tb[MICROMINE_A_CONFIG_CHUNK_MIN]) : 0;
	c->chunk_max = tb[MICROMINE_A_CONFIG_CHUNK_MAX] ?
		       nla_get_u32(tb[MICROMINE_A_CONFIG_CHUNK_MAX]) : 0;
	c->queue_len = tb[MICROMINE_A_CONFIG_SHARE_QUEUE_LEN] ?
		       nla_get_u32(tb[MICROMINE_A_CONFIG_SHARE_QUEUE_LEN]) : 0;
	nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), rem)
		if (nla_type(a) == MICROMINE_A_CONFIG_BACKENDS && c->nbackends < 8)
			snprintf(c->backends[c->nbackends++], 16, "%s", nla_get_string(a));
	return 0;
}

static int get_config(struct mm_genl *g, struct config *c)
{
	memset(c, 0, sizeof(*c));
	return mm_genl_run(g, mm_genl_msg(g, MICROMINE_CMD_CONFIG_GET, 0), on_config, c);
}

TEST_F(nl, config_get)
{
	struct config c;
	int i, found = 0;

	ASSERT_EQ(0, get_config(&self->g, &c));
	EXPECT_EQ(1, c.enabled);
	EXPECT_EQ(100, c.duty);
	EXPECT_NE(0, c.cpus[0]);
	EXPECT_GE(c.nbackends, 1);
	for (i = 0; i < c.nbackends; i++)
		found |= !strcmp(c.backends[i], c.backend);
	EXPECT_TRUE(found) TH_LOG("backend %s not among the backends", c.backend);
	EXPECT_LE(c.chunk_min, c.chunk_max);
	EXPECT_EQ(1024U, c.queue_len);
}

TEST_F(nl, config_set_each)
{
	struct config c;
	int i;

	ASSERT_EQ(0, get_config(&self->g, &c));
	ASSERT_EQ(0, mmt_set_u8(&self->g, MICROMINE_A_CONFIG_DUTY_CYCLE, 37));
	ASSERT_EQ(0, mmt_set_str(&self->g, MICROMINE_A_CONFIG_CPUS, "0"));
	ASSERT_EQ(0, mmt_set_enabled(&self->g, false));
	for (i = 0; i < c.nbackends; i++) {
		struct config d;

		ASSERT_EQ(0, mmt_set_str(&self->g, MICROMINE_A_CONFIG_BACKEND, c.backends[i]));
		ASSERT_EQ(0, get_config(&self->g, &d));
		EXPECT_STREQ(c.backends[i], d.backend);
	}
	{
		struct nl_msg *msg = mm_genl_msg(&self->g, MICROMINE_CMD_CONFIG_SET, 0);

		nla_put_u32(msg, MICROMINE_A_CONFIG_CHUNK_MIN, 1000);
		nla_put_u32(msg, MICROMINE_A_CONFIG_CHUNK_MAX, 2000);
		ASSERT_EQ(0, mm_genl_run(&self->g, msg, NULL, NULL)) TH_LOG("%s", self->g.error);
	}
	ASSERT_EQ(0, get_config(&self->g, &c));
	EXPECT_EQ(37, c.duty);
	EXPECT_STREQ("0", c.cpus);
	EXPECT_EQ(0, c.enabled);
	EXPECT_EQ(1000U, c.chunk_min);
	EXPECT_EQ(2000U, c.chunk_max);
	ASSERT_EQ(0, mmt_set_str(&self->g, MICROMINE_A_CONFIG_BACKEND, c.backends[0]));
}

/* Bad values: rejected with a message naming what is wrong. */
TEST_F(nl, config_set_rejects)
{
	static const struct {
		int attr;
		const char *s;	/* string value, or NULL for u8/u32 */
		uint32_t v;
		int size;
		const char *why;
	} bad[] = {
		{ MICROMINE_A_CONFIG_DUTY_CYCLE, NULL, 0, 1, "attribute duty-cycle" },
		{ MICROMINE_A_CONFIG_DUTY_CYCLE, NULL, 101, 1, "attribute duty-cycle" },
		{ MICROMINE_A_CONFIG_DUTY_CYCLE, NULL, 50, 4, "attribute duty-cycle" },
		{ MICROMINE_A_CONFIG_ENABLED, NULL, 2, 1, "attribute enabled" },
		{ MICROMINE_A_CONFIG_CPUS, "x", 0, 0, "not a CPU list" },
		{ MICROMINE_A_CONFIG_CPUS, "9999", 0, 0, "a CPU this machine does not have" },
		{ MICROMINE_A_CONFIG_CPUS, "", 0, 0, "cpus" },
		{ MICROMINE_A_CONFIG_BACKEND, "nope", 0, 0, "no such backend" },
		{ MICROMINE_A_CONFIG_BACKEND, "0123456789abcdef", 0, 0, "attribute backend" },
		{ MICROMINE_A_CONFIG_CHUNK_MIN, NULL, 63, 4, "attribute chunk-min" },
		{ MICROMINE_A_CONFIG_CHUNK_MAX, NULL, (1U << 30) + 1, 4, "attribute chunk-max" },
		{ MICROMINE_A_CONFIG_CHUNK_MIN, NULL, 1U << 28, 4, "chunk-min is above" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nl_msg *msg = mm_genl_msg(&self->g, MICROMINE_CMD_CONFIG_SET, 0);

		if (bad[i].s)
			nla_put_string(msg, bad[i].attr, bad[i].s);
		else if (bad[i].size == 1)
			nla_put_u8(msg, bad[i].attr, bad[i].v);
		else
			nla_put_u32(msg, bad[i].attr, bad[i].v);
		EXPECT_NE(0, mm_genl_run(&self->g, msg, NULL, NULL)) TH_LOG("case %u accepted", i);
		EXPECT_NE(NULL, strstr(self->g.error, bad[i].why))
			TH_LOG("case %u: \"%s\" lacks \"%s\"", i, self->g.error, bad[i].why);
	}
}

/* All or nothing: one bad setting and the good ones do not apply either. */
TEST_F(nl, config_set_is_atomic)
{
	struct nl_msg *msg = mm_genl_msg(&self->g, MICROMINE_CMD_CONFIG_SET, 0);
	struct config before, c;

	ASSERT_EQ(0, get_config(&self->g, &before));
	nla_put_u8(msg, MICROMINE_A_CONFIG_DUTY_CYCLE, 42);
	nla_put_string(msg, MICROMINE_A_CONFIG_CPUS, "0");
	nla_put_string(msg, MICROMINE_A_CONFIG_BACKEND, "nope");
	EXPECT_EQ(-EINVAL, mm_genl_run(&self->g, msg, NULL, NULL));
	ASSERT_EQ(0, get_config(&self->g, &c));
	EXPECT_EQ(before.duty, c.duty);
	EXPECT_STREQ(before.cpus, c.cpus);
	EXPECT_STREQ(before.backend, c.backend);
}

TEST_F(nl, stats_get)
{
	struct mm_cpu_stats cpus[256];
	struct mm_stats s;
	char possible[64] = "";
	FILE *f;
	int n, lo, hi, want = 0;
	char *p;

	ASSERT_EQ(0, mm_stats_get(&self->g, &s));
	n = mm_cpu_stats_get(&self->g, cpus, 256);
	ASSERT_GT(n, 0);
	f = fopen("/sys/devices/system/cpu/possible", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(possible, sizeof(possible), f));
	fclose(f);
	for (p = strtok(possible, ",\n"); p; p = strtok(NULL, ",\n"))
		want += sscanf(p, "%d-%d", &lo, &hi) == 2 ? hi - lo + 1 : 1;
	EXPECT_EQ(want, n);
}

TEST_F_TIMEOUT(nl, events_and_share_get, 300)
{
	struct mm_job_placed placed;
	struct mm_genl ev;
	struct mmt_events e = { 0 };
	struct mm_share *got;
	struct mm_job j;
	uint8_t want[32];
	size_t n;

	ASSERT_EQ(0, mm_genl_open(&ev));
	ASSERT_EQ(0, mm_genl_subscribe(&ev));
	genesis_job(&j, 77);
	ASSERT_EQ(0, mm_job_submit(&self->g, &j, &placed));
	ASSERT_TRUE(mmt_wait_exhausted(&ev, &e, 77, 200000));
	mmt_events_poll(&ev, &e, 200);
	ASSERT_GE(e.nstarted, 1U);
	EXPECT_EQ(77U, e.started[0]);
	ASSERT_EQ(1U, e.nshares);
	EXPECT_EQ(GENESIS_NONCE, e.shares[0].nonce);
	EXPECT_EQ(77U, e.shares[0].job_id);
	EXPECT_EQ(1U, e.shares[0].version);
	mmt_hex(genesis_hash_le, want, 32);
	EXPECT_EQ(0, memcmp(want, e.shares[0].hash, 32));

	/*
	 * Every event numbered, in the order of the changes: the submission
	 * (its reply and its job-started), then the share, then the end
	 */
	EXPECT_EQ(0, e.unnumbered);
	EXPECT_EQ(placed.event_seq, e.started_seq[0]);
	EXPECT_LT(e.started_seq[0], e.shares[0].event_seq);
	ASSERT_GE(e.nexhausted, 1U);
	EXPECT_LT(e.shares[0].event_seq, e.exhausted_seq[0]);

	/* the same share, with the same sequence number, until acknowledged */
	ASSERT_EQ(0, mm_shares_get(&self->g, &got, &n));
	ASSERT_EQ(1U, n);
	EXPECT_EQ(GENESIS_NONCE, got[0].nonce);
	EXPECT_EQ(e.shares[0].seq, got[0].seq);
	EXPECT_EQ(0U, got[0].event_seq) TH_LOG("share-get's shares are not events");
	free(got);
	ASSERT_EQ(0, mm_shares_get(&self->g, &got, &n));
	ASSERT_EQ(1U, n) TH_LOG("share-get took the share out of the queue");
	free(got);
	/* an older number leaves it, its own takes it */
	if (e.shares[0].seq)
		ASSERT_EQ(0, mm_shares_ack(&self->g, e.shares[0].seq - 1));
	ASSERT_EQ(0, mm_shares_get(&self->g, &got, &n));
	EXPECT_EQ(1U, n);
	free(got);
	ASSERT_EQ(0, mm_shares_ack(&self->g, e.shares[0].seq));
	ASSERT_EQ(0, mm_shares_get(&self->g, &got, &n));
	EXPECT_EQ(0U, n);
	free(got);

	ASSERT_EQ(0, mmt_set_enabled(&self->g, false));
	ASSERT_EQ(0, mmt_set_enabled(&self->g, true));
	mmt_events_poll(&ev, &e, 500);
	EXPECT_EQ(1, e.paused);
	EXPECT_EQ(1, e.resumed);
	EXPECT_LT(e.exhausted_seq[0], e.paused_seq);
	EXPECT_LT(e.paused_seq, e.resumed_seq);
	mmt_events_free(&e);
	mm_genl_close(&ev);
}

/* share-ack names its attribute when it lacks it */
TEST_F(nl, share_ack_needs_seq)
{
	struct nl_msg *msg = mm_genl_msg(&self->g, MICROMINE_CMD_SHARE_ACK, 0);

	ASSERT_NE(NULL, msg);
	EXPECT_EQ(-EINVAL, mm_genl_run(&self->g, msg, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->g.error, "share-ack needs the seq")) TH_LOG("%s", self->g.error);
}

/* nobody: reads and listens, changes nothing */
static void become_nobody(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, setgroups(0, NULL));
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
}

static void check_unprivileged(struct __test_metadata *_metadata, struct mm_genl *g)
{
	struct mm_job j;
	struct mm_stats s;
	struct mm_share *shares;
	struct mm_cpu_stats cpus[64];
	struct config c;
	size_t n;

	EXPECT_EQ(0, mm_stats_get(g, &s));
	EXPECT_GT(mm_cpu_stats_get(g, cpus, 64), 0);
	EXPECT_EQ(0, get_config(g, &c));
	long_job(&j, 9);
	EXPECT_EQ(-EPERM, mm_job_submit(g, &j, NULL));
	EXPECT_EQ(-EPERM, mm_job_flush(g));
	EXPECT_EQ(-EPERM, mmt_set_enabled(g, false));
	EXPECT_EQ(-EPERM, mm_shares_get(g, &shares, &n));
	free(shares);
	EXPECT_EQ(-EPERM, mm_shares_ack(g, 0));
}

/* share-found tells what share-get does: joining the group needs it too */
static void check_no_events(struct __test_metadata *_metadata)
{
	struct mm_genl ev;

	ASSERT_EQ(0, mm_genl_open(&ev));
	EXPECT_EQ(-EPERM, mm_genl_subscribe(&ev));
	EXPECT_NE(NULL, strstr(ev.error, "CAP_NET_ADMIN")) TH_LOG("%s", ev.error);
	mm_genl_close(&ev);
}

TEST(unprivileged_user)
{
	struct mm_genl g;

	module_loaded();
	become_nobody(_metadata);
	ASSERT_EQ(0, mm_genl_open(&g));
	check_unprivileged(_metadata, &g);
	check_no_events(_metadata);
	mm_genl_close(&g);
}

TEST(root_without_cap_net_admin)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	struct mm_genl g;

	module_loaded();
	ASSERT_EQ(0, syscall(SYS_capget, &hdr, data));
	data[CAP_TO_INDEX(CAP_NET_ADMIN)].effective &= ~CAP_TO_MASK(CAP_NET_ADMIN);
	data[CAP_TO_INDEX(CAP_NET_ADMIN)].permitted &= ~CAP_TO_MASK(CAP_NET_ADMIN);
	ASSERT_EQ(0, syscall(SYS_capset, &hdr, data));
	ASSERT_EQ(0, getuid());
	ASSERT_EQ(0, mm_genl_open(&g));
	check_unprivileged(_metadata, &g);
	check_no_events(_metadata);
	mm_genl_close(&g);
}

/* The miner is machine-wide: other network namespaces do not see it. */
TEST(other_network_namespace)
{
	struct mm_genl g;

	module_loaded();
	ASSERT_EQ(0, mm_genl_open(&g));
	mm_genl_close(&g);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	EXPECT_EQ(-ENOENT, mm_genl_open(&g));
}

TEST_HARNESS_MAIN
