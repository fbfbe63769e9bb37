// SPDX-License-Identifier: GPL-2.0
/*
 * The tool's Stratum parser and work builder on the host: the mainnet job
 * of tests/vectors/stratum-mainnet-job.json rebuilt byte for byte, every
 * kind of pool message parsed, bad ones refused with a reason, targets
 * and the lines we send.  MM_TOP: the repository (for the vector).
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "kselftest_harness.h"
#include "hex.h"
#include "stratum.h"
#include "work.h"

static json_t *vector(void)
{
	char path[4096];
	json_error_t err;

	snprintf(path, sizeof(path), "%s/tests/vectors/stratum-mainnet-job.json",
		 getenv("MM_TOP") ?: MM_TOP);
	return json_load_file(path, 0, &err);
}

static void hex_of(const uint8_t *b, size_t n, bool reversed, char *out)
{
	mm_hex_encode(b, n, reversed, out);
}

static int parse(const char *line, struct stm_msg *m, char *why)
{
	return stm_parse(line, strlen(line), m, why, 256);
}

TEST(mainnet_job_rebuilt)
{
	json_t *v = vector(), *expect, *msg;
	uint8_t xn1[8], xn2[8], root[32], header[80], hash[32], target[32];
	char why[256], hex[161], *line;
	struct stm_msg m;
	size_t xn1_len, xn2_len;
	uint32_t nonce;

	ASSERT_NE(NULL, v);
	expect = json_object_get(v, "expect");
	msg = json_pack("{s:n,s:s,s:O}", "id", "method", "mining.notify", "params",
			json_object_get(v, "notify"));
	line = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	ASSERT_EQ(0, parse(line, &m, why)) TH_LOG("%s", why);
	ASSERT_EQ(STM_NOTIFY, m.type);
	EXPECT_STREQ("job", m.job.id);
	EXPECT_EQ(13, m.job.nbranches);
	EXPECT_TRUE(m.job.clean);
	EXPECT_EQ(0x20000004, m.job.version);
	ASSERT_EQ(0, mm_hex_to_bytes(json_string_value(json_object_get(v, "extranonce1")), xn1,
				     sizeof(xn1), &xn1_len));
	ASSERT_EQ(0, mm_hex_to_bytes(json_string_value(json_object_get(v, "extranonce2")), xn2,
				     sizeof(xn2), &xn2_len));
	ASSERT_EQ(0, work_merkle_root(&m.job, xn1, xn1_len, xn2, xn2_len, root));
	hex_of(root, 32, false, hex);
	EXPECT_STREQ(json_string_value(json_object_get(expect, "merkle_root")), hex);

	nonce = strtoul(json_string_value(json_object_get(v, "nonce")), NULL, 16);
	work_header(&m.job, root, m.job.version, nonce, header);
	hex_of(header, 80, false, hex);
	EXPECT_STREQ(json_string_value(json_object_get(expect, "header")), hex);

	work_sha256d(header, 80, hash);
	hex_of(hash, 32, true, hex);
	EXPECT_STREQ(json_string_value(json_object_get(expect, "hash")), hex);
	EXPECT_LT(fabs(work_difficulty(hash) -
		       json_number_value(json_object_get(expect, "share_difficulty"))), 0.01);
	work_target(683, target);
	EXPECT_TRUE(work_meets(hash, target));
	work_target(684, target);
	EXPECT_FALSE(work_meets(hash, target));
	work_target_nbits(m.job.nbits, target);
	EXPECT_FALSE(work_meets(hash, target)) TH_LOG("a share, not a block");

	free(line);
	stm_msg_free(&m);
	json_decref(v);
}

/* floor(0xffff * 2^208 / d), exactly, for a whole d */
static void exact_target(uint32_t d, uint8_t t[32])
{
	uint64_t rem = 0;
	int i;

	memset(t, 0, 32);
	t[27] = 0xff;
	t[26] = 0xff;
	for (i = 31; i >= 0; i--) {
		uint64_t cur = rem << 8 | t[i];

		t[i] = cur / d;
		rem = cur % d;
	}
}

TEST(targets)
{
	static const uint32_t ds[] = { 1, 2, 3, 7, 683, 1000, 65535, 65536, 1000003, 4294967295u };
	uint8_t t[32], e[32], ones[32];
	char hex[65];
	size_t i;

	work_target(1, t);
	hex_of(t, 32, true, hex);
	EXPECT_STREQ("00000000ffff0000000000000000000000000000000000000000000000000000", hex);
	for (i = 0; i < sizeof(ds) / sizeof(ds[0]); i++) {
		work_target(ds[i], t);
		exact_target(ds[i], e);
		EXPECT_EQ(0, memcmp(t, e, 32)) TH_LOG("difficulty %u: not the exact target", ds[i]);
	}
	/* tiny difficulties: everything meets them */
	memset(ones, 0xff, 32);
	work_target(1e-15, t);
	EXPECT_EQ(0, memcmp(t, ones, 32));
	work_target(1.0 / 65536, t);
	hex_of(t, 32, true, hex);
	EXPECT_STREQ("0000ffff00000000000000000000000000000000000000000000000000000000", hex);
	work_target(0.5, t);
	hex_of(t, 32, true, hex);
	EXPECT_STREQ("00000001fffe0000000000000000000000000000000000000000000000000000", hex);

	work_target_nbits(0x1d00ffff, t);
	hex_of(t, 32, true, hex);
	EXPECT_STREQ("00000000ffff0000000000000000000000000000000000000000000000000000", hex);

	memset(e, 0x11, 32);
	EXPECT_TRUE(work_meets(e, e)) TH_LOG("a hash equal to the target meets it");
}

TEST(messages)
{
	struct stm_msg m;
	char why[256];

	ASSERT_EQ(0, parse("{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[0.001]}",
			   &m, why));
	EXPECT_EQ(STM_SET_DIFFICULTY, m.type);
	EXPECT_EQ(0.001, m.difficulty);
	stm_msg_free(&m);

	ASSERT_EQ(0, parse("{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[512]}",
			   &m, why));
	EXPECT_EQ(512, m.difficulty);
	stm_msg_free(&m);

	ASSERT_EQ(0, parse("{\"method\":\"mining.set_extranonce\",\"params\":[\"abcd0102\",8]}",
			   &m, why));
	EXPECT_EQ(STM_SET_EXTRANONCE, m.type);
	EXPECT_EQ(4, m.xn1_len);
	EXPECT_EQ(0xab, m.xn1[0]);
	EXPECT_EQ(8, m.xn2_size);
	stm_msg_free(&m);

	/* 0: the pool leaves nonce and version alone to vary */
	ASSERT_EQ(0, parse("{\"method\":\"mining.set_extranonce\",\"params\":[\"abcd0102\",0]}",
			   &m, why));
	EXPECT_EQ(0, m.xn2_size);
	stm_msg_free(&m);

	ASSERT_EQ(0, parse("{\"id\":null,\"method\":\"mining.set_version_mask\",\"params\":[\"1fffe000\"]}",
			   &m, why));
	EXPECT_EQ(0x1fffe000, m.version_mask);
	stm_msg_free(&m);

	ASSERT_EQ(0, parse("{\"id\":null,\"method\":\"client.reconnect\",\"params\":[\"pool.example\",\"3334\",5]}",
			   &m, why));
	EXPECT_EQ(STM_RECONNECT, m.type);
	EXPECT_STREQ("pool.example", m.host);
	EXPECT_EQ(3334, m.port);
	EXPECT_EQ(5, m.wait);
	stm_msg_free(&m);

	ASSERT_EQ(0, parse("{\"id\":null,\"method\":\"client.reconnect\",\"params\":[]}", &m, why));
	EXPECT_STREQ("", m.host);
	EXPECT_EQ(0, m.port);
	stm_msg_free(&m);

	ASSERT_EQ(0, parse("{\"id\":\"p1\",\"method\":\"mining.ping\",\"params\":[]}", &m, why));
	EXPECT_EQ(STM_PING, m.type);
	EXPECT_STREQ("p1", json_string_value(m.req_id));
	stm_msg_free(&m);

	ASSERT_EQ(0, parse("{\"id\":null,\"method\":\"mining.whatever\",\"params\":[1]}", &m, why));
	EXPECT_EQ(STM_UNKNOWN, m.type);
	EXPECT_STREQ("mining.whatever", m.method);
	stm_msg_free(&m);

	ASSERT_EQ(0, parse("{\"id\":null,\"method\":\"client.show_message\",\"params\":[\"hi\\u0007there\"]}",
			   &m, why));
	EXPECT_STREQ("hi?there", m.text);
	stm_msg_free(&m);

	/* answers, and the three shapes of errors pools send */
	ASSERT_EQ(0, parse("{\"id\":4,\"result\":true,\"error\":null}", &m, why));
	EXPECT_EQ(STM_RESPONSE, m.type);
	EXPECT_EQ(4, m.id);
	EXPECT_TRUE(json_is_true(m.result));
	EXPECT_FALSE(m.failed);
	stm_msg_free(&m);

	ASSERT_EQ(0, parse("{\"id\":5,\"result\":null,\"error\":[23,\"Low difficulty share\",null]}",
			   &m, why));
	EXPECT_TRUE(m.failed);
	EXPECT_EQ(23, m.err_code);
	EXPECT_STREQ("Low difficulty share", m.err_msg);
	stm_msg_free(&m);

	ASSERT_EQ(0, parse("{\"id\":6,\"result\":false,\"error\":{\"code\":21,\"message\":\"Stale\"}}",
			   &m, why));
	EXPECT_EQ(21, m.err_code);
	stm_msg_free(&m);

	ASSERT_EQ(0, parse("{\"id\":7,\"result\":false,\"error\":\"nope\"}", &m, why));
	EXPECT_EQ(-1, m.err_code);
	EXPECT_STREQ("nope", m.err_msg);
	stm_msg_free(&m);
}

TEST(bad_messages_refused)
{
	static const struct {
		const char *line, *why;
	} bad[] = {
		{ "", "not JSON" },
		{ "{\"id\":1,", "not JSON" },
		{ "[1,2,3]", "not a JSON object" },
		{ "{\"id\":1,\"result\":true} trailing", "not JSON" },
		{ "{\"id\":1,\"id\":2,\"result\":true}", "not JSON" },
		{ "{\"result\":true}", "neither a method" },
		{ "{\"id\":-3,\"result\":true}", "neither a method" },
		{ "{\"id\":null,\"method\":7,\"params\":[]}", "the method is not a string" },
		{ "{\"id\":[1],\"method\":\"mining.ping\"}", "the id is not" },
		{ "{\"method\":\"mining.set_difficulty\",\"params\":[\"1\"]}", "not a number" },
		{ "{\"method\":\"mining.set_difficulty\",\"params\":[0]}", "out of range" },
		{ "{\"method\":\"mining.set_difficulty\",\"params\":[-1]}", "out of range" },
		{ "{\"method\":\"mining.set_difficulty\",\"params\":[1e300]}", "out of range" },
		{ "{\"method\":\"mining.set_difficulty\",\"params\":{}}", "params is not a list" },
		{ "{\"method\":\"mining.set_extranonce\",\"params\":[\"0102\",-1]}", "extranonce2 size" },
		{ "{\"method\":\"mining.set_extranonce\",\"params\":[\"0102\",17]}", "extranonce2 size" },
		{ "{\"method\":\"mining.set_extranonce\",\"params\":[\"010\",4]}", "extranonce1" },
		{ "{\"method\":\"mining.set_version_mask\",\"params\":[\"1fffe00\"]}", "8 hex digits" },
		{ "{\"method\":\"client.reconnect\",\"params\":[\"a/b\",1]}", "not a host name" },
		{ "{\"method\":\"client.reconnect\",\"params\":[\"a\",70000]}", "port" },
		{ "{\"method\":\"client.reconnect\",\"params\":[\"a\",\"12x\"]}", "port" },
		{ "{\"method\":\"client.reconnect\",\"params\":[\"a\",1,-5]}", "wait" },
		{ "{\"method\":\"mining.notify\",\"params\":[\"j\"]}", "not 9" },
	};
	struct stm_msg m;
	char why[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = 0;
		EXPECT_NE(0, parse(bad[i].line, &m, why)) TH_LOG("accepted: %s", bad[i].line);
		EXPECT_NE(NULL, strstr(why, bad[i].why))
			TH_LOG("%s: '%s', not '%s'", bad[i].line, why, bad[i].why);
		stm_msg_free(&m);
	}
}

/* mining.notify with one field replaced: each must be refused */
TEST(bad_notify_refused)
{
	static const char *const good[9] = {
		"\"j1\"", "\"" "00000000111111112222222233333333444444445555555566666666"
		"77777777" "\"", "\"0102\"", "\"0304\"", "[]", "\"20000000\"", "\"1d00ffff\"",
		"\"647025b5\"", "true",
	};
	static const struct {
		int field;
		const char *value, *why;
	} bad[] = {
		{ 0, "\"\"", "job id" },
		{ 0, "7", "job id" },
		{ 0, "\"01234567890123456789012345678901234567890123456789012345678901234\"", "job id" },
		{ 1, "\"00\"", "prevhash" },
		{ 1, "null", "prevhash" },
		{ 2, "\"0g\"", "coinb1" },
		{ 3, "\"123\"", "coinb1 or coinb2" },
		{ 4, "\"x\"", "merkle branch" },
		{ 4, "[\"00\"]", "merkle branch 0" },
		{ 4, "[[]]", "merkle branch 0" },
		{ 5, "\"2000000\"", "version" },
		{ 6, "536870912", "nbits" },
		{ 7, "\"647025b5aa\"", "ntime" },
		{ 8, "1", "clean_jobs" },
	};
	char line[4096], branches[40 * 70], why[256];
	struct stm_msg m;
	size_t i;
	int f;

	/* each bad field, then 33 branches: one too many */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]) + 1; i++) {
		const char *v[9];
		int k = i < sizeof(bad) / sizeof(bad[0]) ? bad[i].field : 4;

		memcpy(v, good, sizeof(v));
		if (i < sizeof(bad) / sizeof(bad[0])) {
			v[k] = bad[i].value;
		} else {
			strcpy(branches, "[");
			for (f = 0; f < 33; f++)
				strcat(branches, f ? ",\"0000000000000000000000000000000000000000000000000000000000000000\"" :
				       "\"0000000000000000000000000000000000000000000000000000000000000000\"");
			strcat(branches, "]");
			v[4] = branches;
		}
		snprintf(line, sizeof(line),
			 "{\"id\":null,\"method\":\"mining.notify\",\"params\":[%s,%s,%s,%s,%s,%s,%s,%s,%s]}",
			 v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
		EXPECT_NE(0, parse(line, &m, why)) TH_LOG("accepted: %s", line);
		if (i < sizeof(bad) / sizeof(bad[0])) {
			EXPECT_NE(NULL, strstr(why, bad[i].why)) TH_LOG("'%s' for %s", why, bad[i].value);
		} else {
			EXPECT_NE(NULL, strstr(why, "at most 32")) TH_LOG("'%s'", why);
		}
		stm_msg_free(&m);
	}
	/* and the good one passes */
	snprintf(line, sizeof(line),
		 "{\"id\":null,\"method\":\"mining.notify\",\"params\":[%s,%s,%s,%s,%s,%s,%s,%s,%s]}",
		 good[0], good[1], good[2], good[3], good[4], good[5], good[6], good[7], good[8]);
	ASSERT_EQ(0, parse(line, &m, why)) TH_LOG("%s", why);
	/* prevhash: each 4-byte word reversed */
	EXPECT_EQ(0x00, m.job.prevhash[0]);
	EXPECT_EQ(0x11, m.job.prevhash[4]);
	EXPECT_EQ(0x77, m.job.prevhash[31]);
	stm_msg_free(&m);
}

TEST(subscription_and_configure)
{
	struct stm_subscription s;
	uint32_t mask;
	char why[256];
	json_t *r;

	r = json_loads("[[[\"mining.set_difficulty\",\"d1\"],[\"mining.notify\",\"ae6812eb4cd7735a302a8a9dd95cf71f\"]],\"08000002\",4]",
		       0, NULL);
	ASSERT_EQ(0, stm_parse_subscription(r, &s, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_STREQ("ae6812eb4cd7735a302a8a9dd95cf71f", s.session);
	EXPECT_EQ(4, s.xn1_len);
	EXPECT_EQ(4, s.xn2_size);
	json_decref(r);

	r = json_loads("[[\"mining.notify\",\"abc\"],\"\",8]", 0, NULL);
	ASSERT_EQ(0, stm_parse_subscription(r, &s, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_STREQ("abc", s.session);
	EXPECT_EQ(0, s.xn1_len);
	json_decref(r);

	/* extranonce2 of 0 bytes: taken (nonce and version are left to vary) */
	r = json_loads("[[],\"0102\",0]", 0, NULL);
	ASSERT_EQ(0, stm_parse_subscription(r, &s, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_EQ(0, s.xn2_size);
	json_decref(r);
	r = json_loads("[[],\"0102\",-1]", 0, NULL);
	EXPECT_NE(0, stm_parse_subscription(r, &s, why, sizeof(why)));
	json_decref(r);
	r = json_loads("true", JSON_DECODE_ANY, NULL);
	EXPECT_NE(0, stm_parse_subscription(r, &s, why, sizeof(why)));
	json_decref(r);

	r = json_loads("{\"version-rolling\":true,\"version-rolling.mask\":\"1fffe000\"}", 0, NULL);
	ASSERT_EQ(0, stm_parse_configure(r, &mask, why, sizeof(why)));
	EXPECT_EQ(0x1fffe000, mask);
	json_decref(r);
	r = json_loads("{\"version-rolling\":false}", 0, NULL);
	ASSERT_EQ(0, stm_parse_configure(r, &mask, why, sizeof(why)));
	EXPECT_EQ(0, mask);
	json_decref(r);
	r = json_loads("{\"version-rolling\":true,\"version-rolling.mask\":5}", 0, NULL);
	EXPECT_NE(0, stm_parse_configure(r, &mask, why, sizeof(why)));
	json_decref(r);
}

TEST(lines_we_send)
{
	uint8_t xn2[4] = { 0, 0, 0, 1 };
	uint32_t bits = 0x00002000;
	json_t *id;
	char *l;

	l = stm_submit(9, "me.dev1", "j1", xn2, 4, 0x647025b5, 0x0a029ed1, NULL);
	EXPECT_STREQ("{\"id\":9,\"method\":\"mining.submit\",\"params\":[\"me.dev1\",\"j1\",\"00000001\",\"647025b5\",\"0a029ed1\"]}\n",
		     l);
	free(l);
	l = stm_submit(10, "me", "j1", xn2, 4, 1, 2, &bits);
	EXPECT_NE(NULL, strstr(l, "\"00000001\",\"00000002\",\"00002000\"]"));
	free(l);
	l = stm_subscribe(1, "micromine/0.1.0", "s1");
	EXPECT_STREQ("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"micromine/0.1.0\",\"s1\"]}\n", l);
	free(l);
	l = stm_configure(2, 0x1fffe000);
	EXPECT_NE(NULL, strstr(l, "[[\"version-rolling\"],{\"version-rolling.mask\":\"1fffe000\",\"version-rolling.min-bit-count\":2}]"));
	free(l);
	l = stm_suggest_difficulty(3, 0.0005);
	EXPECT_STREQ("{\"id\":3,\"method\":\"mining.suggest_difficulty\",\"params\":[0.0005]}\n", l);
	free(l);
	l = stm_suggest_difficulty(4, 16384);
	EXPECT_STREQ("{\"id\":4,\"method\":\"mining.suggest_difficulty\",\"params\":[16384.0]}\n", l);
	free(l);
	id = json_string("p1");
	l = stm_answer(id, json_string("pong"));
	EXPECT_STREQ("{\"id\":\"p1\",\"result\":\"pong\",\"error\":null}\n", l);
	free(l);
	json_decref(id);
}

TEST_HARNESS_MAIN
