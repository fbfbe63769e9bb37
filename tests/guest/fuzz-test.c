// SPDX-License-Identifier: GPL-2.0
/*
 * Random and mutated netlink messages to the micromine family, from an
 * unprivileged process and from root: random commands, flags and header
 * bytes, attributes of random types and lengths, nested or not, headers
 * that lie about their length, and valid requests with bytes flipped.
 * (Only to this family: root fuzzing others is not this test's business.)
 * The kernel must take all of it (the harness fails the run on any kernel
 * warning) and mine correctly afterwards.
 *
 * Environment: MM_FUZZ_MESSAGES per privilege level (default 3000).
 */

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mmtest.h"

static uint64_t seed = 0x66757a7a6d696e65ULL;

static uint32_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static void random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = rnd();
}

static int random_len(void)
{
	static const int lengths[] = { 0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 31, 32, 33, 79, 80, 81 };

	return rnd() % 4 ? lengths[rnd() % 16] : rnd() % 400;
}

static void random_attrs(struct nl_msg *msg, int depth)
{
	uint8_t buf[400];
	int count = rnd() % 8, i;

	for (i = 0; i < count; i++) {
		int len = random_len(), type = rnd() % 40;
		struct nlattr hdr, *nest;

		random_bytes(buf, sizeof(buf));
		switch (rnd() % 5) {
		case 0:
		case 1:		/* well formed, any type and length */
			if (rnd() % 8 == 0)
				type |= NLA_F_NET_BYTEORDER;
			nla_put(msg, type, len, buf);
			break;
		case 2:		/* nested */
			nest = nla_nest_start(msg, type);
			if (depth < 3)
				random_attrs(msg, depth + 1);
			nla_nest_end(msg, nest);
			break;
		case 3:		/* bytes that are no attribute at all */
			nlmsg_append(msg, buf, len, rnd() % 2 ? NLMSG_ALIGNTO : 1);
			break;
		default:	/* a header that lies about its length */
			hdr.nla_len = rnd() % 1000;
			hdr.nla_type = type;
			nlmsg_append(msg, &hdr, sizeof(hdr), 1);
			nlmsg_append(msg, buf, len % 16, 1);
		}
	}
}

/* a valid request, to mutate */
static void valid_attrs(struct nl_msg *msg, uint8_t cmd)
{
	uint8_t buf[80];

	random_bytes(buf, sizeof(buf));
	if (cmd == MICROMINE_CMD_JOB_SUBMIT) {
		nla_put_u32(msg, MICROMINE_A_JOB_JOB_ID, rnd());
		nla_put(msg, MICROMINE_A_JOB_HEADER, 80, buf);
		nla_put(msg, MICROMINE_A_JOB_TARGET, 32, buf);
		nla_put_u64(msg, MICROMINE_A_JOB_NONCE_COUNT, 1 + rnd() % 5000);
		if (rnd() % 2)
			nla_put_flag(msg, MICROMINE_A_JOB_CLEAN);
	} else {
		nla_put_u8(msg, MICROMINE_A_CONFIG_DUTY_CYCLE, rnd() % 102);
		nla_put_string(msg, MICROMINE_A_CONFIG_CPUS, rnd() % 2 ? "0" : "0-1,x");
		nla_put_u32(msg, MICROMINE_A_CONFIG_CHUNK_MIN, rnd());
	}
}

/* Read the replies up to the ack, the error or the end of a dump. */
static void drain(struct nl_sock *sock)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(sock), .events = POLLIN };
	static char buf[65536];
	struct nlmsghdr *nlh;
	int len;

	while (poll(&pfd, 1, 500) > 0) {
		len = recv(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (len <= 0)
			return;
		for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len))
			if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE)
				return;
	}
}

/* @count messages on a fresh socket; returns how many were sent. */
static int fuzz(int family, int count)
{
	struct nl_sock *sock = nl_socket_alloc();
	int i, sent = 0;

	if (!sock || genl_connect(sock) < 0)
		return -1;
	for (i = 0; i < count; i++) {
		uint8_t cmd = rnd() % 3 ? 1 + rnd() % 12 : rnd();
		/* always an ack: every message gets an answer to wait for */
		int flags = NLM_F_REQUEST | NLM_F_ACK | (rnd() % 3 ? 0 : NLM_F_DUMP) |
			    (rnd() % 16 ? 0 : rnd() & 0xfe00);
		struct nl_msg *msg = nlmsg_alloc_size(8192);
		struct nlmsghdr *nlh;
		uint8_t *p;

		if (!msg)
			break;
		nlh = nlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, GENL_HDRLEN, flags);
		p = nlmsg_data(nlh);
		p[0] = cmd;
		p[1] = rnd() % 4 ? 1 : rnd();		/* version */
		p[2] = rnd() % 4 ? 0 : rnd();		/* reserved */
		p[3] = rnd() % 4 ? 0 : rnd();
		if (rnd() % 4 == 0 && (cmd == MICROMINE_CMD_JOB_SUBMIT ||
				       cmd == MICROMINE_CMD_CONFIG_SET)) {
			int j, flips = 1 + rnd() % 4;

			valid_attrs(msg, cmd);
			for (j = 0; j < flips; j++) {
				size_t at = GENL_HDRLEN + rnd() % (nlmsg_datalen(nlh) - GENL_HDRLEN);

				((uint8_t *)nlmsg_data(nlh))[at] ^= 1 << (rnd() % 8);
			}
		} else {
			random_attrs(msg, 0);
		}
		nl_socket_disable_auto_ack(sock);
		if (nl_send_auto(sock, msg) >= 0)
			sent++;
		nlmsg_free(msg);
		drain(sock);
	}
	nl_socket_free(sock);
	return sent;
}

static int messages(void)
{
	const char *s = getenv("MM_FUZZ_MESSAGES");

	return s ? atoi(s) : 3000;
}

static int family_id(void)
{
	struct mm_genl g;
	int id;

	if (access("/sys/kernel/micromine", F_OK)) {
		char cmd[4096];

		snprintf(cmd, sizeof(cmd), "insmod %s", getenv("MM_KO"));
		if (system(cmd))
			return -1;
	}
	if (mm_genl_open(&g))
		return -1;
	id = g.family;
	mm_genl_close(&g);
	return id;
}

FIXTURE(fuzz) {
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, unprivileged, 600)
{
	int family = family_id(), n = messages();

	ASSERT_GT(family, 0);
	ASSERT_EQ(0, setgroups(0, NULL));
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	seed ^= 1;
	EXPECT_EQ(n, fuzz(family, n));
}

TEST_F_TIMEOUT(fuzz, root, 600)
{
	int family = family_id(), n = messages();

	ASSERT_GT(family, 0);
	seed ^= 2;
	EXPECT_EQ(n, fuzz(family, n));
}

/* After all that: settings restored, a real block solved, right. */
TEST_F_TIMEOUT(fuzz, still_mines, 300)
{
	static const char genesis[] =
		"0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd"
		"7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
	struct mm_job j = { .id = 99, .clean = true, .nonce_start = 2083236893U - 100,
			     .nonce_count = 200 };
	struct mmt_events e = { 0 };
	struct mm_genl g, ev;
	size_t i;
	int found = 0;

	ASSERT_GT(family_id(), 0);
	ASSERT_EQ(0, mm_genl_open(&g));
	ASSERT_EQ(0, mm_genl_open(&ev));
	ASSERT_EQ(0, mm_genl_subscribe(&ev));
	ASSERT_EQ(0, mmt_set_enabled(&g, true));
	ASSERT_EQ(0, mmt_set_u8(&g, MICROMINE_A_CONFIG_DUTY_CYCLE, 100));
	ASSERT_EQ(0, mmt_set_str(&g, MICROMINE_A_CONFIG_CPUS, mmt_possible_cpus()));
	mmt_hex(genesis, j.header, 80);
	mmt_hex("6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000", j.target, 32);
	ASSERT_EQ(0, mm_job_submit(&g, &j, NULL)) TH_LOG("%s", g.error);
	ASSERT_TRUE(mmt_wait_exhausted(&ev, &e, 99, 200000));
	mmt_events_poll(&ev, &e, 200);
	for (i = 0; i < e.nshares; i++)
		found += e.shares[i].job_id == 99 && e.shares[i].nonce == 2083236893U;
	EXPECT_EQ(1, found);
	mm_job_flush(&g);
	mmt_events_free(&e);
	mm_genl_close(&ev);
	mm_genl_close(&g);
}

TEST_HARNESS_MAIN
