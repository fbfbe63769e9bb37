/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stratum v1, the protocol of mining pools: every line a pool sends,
 * parsed and validated into plain structures, and the lines we send.
 * No I/O here, so the parser can be fuzzed and unit-tested alone.
 */
#ifndef MICROMINE_STRATUM_H
#define MICROMINE_STRATUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define STM_MAX_JOB_ID		64	/* characters of a job id */
#define STM_MAX_BRANCHES	32	/* merkle branch hashes of a job */
/* bytes of coinb1 or coinb2: whatever the longest line (max-line) holds */
#define STM_MAX_COINB		(8 << 20)
#define STM_MAX_XN1		32	/* bytes of extranonce1 */
#define STM_MAX_XN2		16	/* bytes of extranonce2 */
#define STM_MAX_SESSION		64	/* characters of a session id */
#define STM_MAX_HOST		255

/* A pool's difficulty is believed between these. */
#define STM_MIN_DIFFICULTY	1e-12
#define STM_MAX_DIFFICULTY	1e18

/**
 * struct stm_job - a job of mining.notify, as the header needs it
 * @id: the pool's job id
 * @prevhash: the previous block's hash, as the header holds it
 * @coinb1: the coinbase before the extranonces
 * @coinb1_len: its length
 * @coinb2: the coinbase after them
 * @coinb2_len: its length
 * @branches: the merkle branch, each hash as sent
 * @nbranches: how many
 * @version: the block version
 * @nbits: the block's compact target
 * @ntime: the block time
 * @clean: older jobs are void
 */
struct stm_job {
	char id[STM_MAX_JOB_ID + 1];
	uint8_t prevhash[32];
	uint8_t *coinb1;
	size_t coinb1_len;
	uint8_t *coinb2;
	size_t coinb2_len;
	uint8_t branches[STM_MAX_BRANCHES][32];
	unsigned int nbranches;
	uint32_t version;
	uint32_t nbits;
	uint32_t ntime;
	bool clean;
};

enum stm_type {
	STM_RESPONSE,		/* the answer to one of our requests */
	STM_NOTIFY,		/* mining.notify */
	STM_SET_DIFFICULTY,	/* mining.set_difficulty */
	STM_SET_EXTRANONCE,	/* mining.set_extranonce */
	STM_SET_VERSION_MASK,	/* mining.set_version_mask */
	STM_RECONNECT,		/* client.reconnect */
	STM_PING,		/* mining.ping: answer "pong" */
	STM_GET_VERSION,	/* client.get_version: answer our agent */
	STM_SHOW_MESSAGE,	/* client.show_message */
	STM_UNKNOWN,		/* any other method: ignored */
};

/**
 * struct stm_msg - one line from a pool
 * @type: what it is
 * @id: STM_RESPONSE: the id of our request
 * @req_id: a request from the pool: its id, to answer with (or NULL)
 * @result: STM_RESPONSE: the result (borrowed from @root; may be JSON null)
 * @failed: STM_RESPONSE: the pool sent an error
 * @err_code: its code (21 stale, 22 duplicate, 23 low difficulty, 24
 *	unauthorized, 25 not subscribed; -1 if none was given)
 * @err_msg: its message, printable
 * @job: STM_NOTIFY
 * @difficulty: STM_SET_DIFFICULTY
 * @xn1: STM_SET_EXTRANONCE: extranonce1
 * @xn1_len: its length
 * @xn2_size: STM_SET_EXTRANONCE: extranonce2's length
 * @version_mask: STM_SET_VERSION_MASK
 * @host: STM_RECONNECT: where to ("" for the same host)
 * @port: STM_RECONNECT: which port (0 for the same)
 * @wait: STM_RECONNECT: seconds to wait first
 * @method: the method's name, printable (also for STM_UNKNOWN)
 * @text: STM_SHOW_MESSAGE: the message, printable
 * @root: the parsed line, owning all the JSON above
 */
struct stm_msg {
	enum stm_type type;
	int64_t id;
	json_t *req_id;
	json_t *result;
	bool failed;
	int err_code;
	char err_msg[128];
	struct stm_job job;
	double difficulty;
	uint8_t xn1[STM_MAX_XN1];
	size_t xn1_len;
	int xn2_size;
	uint32_t version_mask;
	char host[STM_MAX_HOST + 1];
	int port;
	int wait;
	char method[64];
	char text[256];
	json_t *root;
};

/**
 * struct stm_subscription - what mining.subscribe answered
 * @session: the session id, to resume the session after a reconnect
 * @xn1: extranonce1
 * @xn1_len: its length
 * @xn2_size: extranonce2's length
 */
struct stm_subscription {
	char session[STM_MAX_SESSION + 1];
	uint8_t xn1[STM_MAX_XN1];
	size_t xn1_len;
	int xn2_size;
};

int stm_parse(const char *line, size_t len, struct stm_msg *m, char *why, size_t whylen);
void stm_msg_free(struct stm_msg *m);
void stm_job_free(struct stm_job *job);
int stm_job_copy(struct stm_job *dst, const struct stm_job *src);

int stm_parse_subscription(json_t *result, struct stm_subscription *s, char *why,
			   size_t whylen);
int stm_parse_configure(json_t *result, uint32_t *mask, char *why, size_t whylen);

char *stm_subscribe(int64_t id, const char *agent, const char *session);
char *stm_extranonce_subscribe(int64_t id);
char *stm_authorize(int64_t id, const char *user, const char *password);
char *stm_configure(int64_t id, uint32_t mask);
char *stm_suggest_difficulty(int64_t id, double difficulty);
char *stm_submit(int64_t id, const char *user, const char *job_id, const uint8_t *xn2,
		 size_t xn2_len, uint32_t ntime, uint32_t nonce, const uint32_t *version_bits);
char *stm_answer(json_t *req_id, json_t *result);

void stm_printable(char *dst, size_t size, const char *src);

#endif
