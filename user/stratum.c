// SPDX-License-Identifier: GPL-2.0
/*
 * Stratum v1 lines: parsing what pools send, with every field checked
 * (type, length, range) before anything uses it, and building what we
 * send.  Byte orders follow the header: see work.c.
 */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "stratum.h"

static int fail(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/**
 * stm_printable() - a pool's text, safe to log: no control characters
 * @dst: the copy
 * @size: room in @dst
 * @src: the text
 */
void stm_printable(char *dst, size_t size, const char *src)
{
	size_t i;

	if (!size)
		return;
	for (i = 0; src[i] && i + 1 < size; i++)
		dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ? '?' : src[i];
	dst[i] = 0;
}

/* A hex string of exactly @len bytes. */
static int hex_exact(json_t *v, uint8_t *out, size_t len)
{
	const char *s = json_string_value(v);

	return s && strlen(s) == 2 * len ? mm_hex_decode(s, out, len, false) : -EINVAL;
}

/* 8 hex digits: a 32-bit number, most significant digit first. */
static int hex_u32(json_t *v, uint32_t *out)
{
	uint8_t b[4];

	if (hex_exact(v, b, 4))
		return -EINVAL;
	*out = (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	return 0;
}

/* Hex of up to @max bytes, into a new buffer. */
static int hex_alloc(json_t *v, size_t max, uint8_t **out, size_t *len)
{
	const char *s = json_string_value(v);

	if (!s || strlen(s) % 2 || strlen(s) / 2 > max)
		return -EINVAL;
	*out = malloc(strlen(s) / 2 + 1);
	if (!*out)
		return -ENOMEM;
	if (mm_hex_to_bytes(s, *out, max, len)) {
		free(*out);
		*out = NULL;
		return -EINVAL;
	}
	return 0;
}

static int parse_notify(json_t *p, struct stm_job *j, char *why, size_t whylen)
{
	const char *id = json_string_value(json_array_get(p, 0));
	json_t *branches = json_array_get(p, 4), *b;
	uint8_t prev[32];
	size_t i;
	int ret;

	if (json_array_size(p) < 9)
		return fail(why, whylen, "mining.notify: %zu parameters, not 9", json_array_size(p));
	if (!id || !*id || strlen(id) > STM_MAX_JOB_ID)
		return fail(why, whylen, "mining.notify: the job id is not a string of 1 to %d characters",
			    STM_MAX_JOB_ID);
	strcpy(j->id, id);
	if (hex_exact(json_array_get(p, 1), prev, 32))
		return fail(why, whylen, "mining.notify: prevhash is not 64 hex digits");
	/* each 4-byte word of the text is byte-reversed in the header */
	for (i = 0; i < 32; i++)
		j->prevhash[i] = prev[(i & ~3) + 3 - (i & 3)];
	ret = hex_alloc(json_array_get(p, 2), STM_MAX_COINB, &j->coinb1, &j->coinb1_len);
	if (!ret)
		ret = hex_alloc(json_array_get(p, 3), STM_MAX_COINB, &j->coinb2, &j->coinb2_len);
	if (ret == -ENOMEM)
		return fail(why, whylen, "mining.notify: out of memory");
	if (ret)
		return fail(why, whylen, "mining.notify: coinb1 or coinb2 is not hex of at most %d bytes",
			    STM_MAX_COINB);
	if (!json_is_array(branches) || json_array_size(branches) > STM_MAX_BRANCHES)
		return fail(why, whylen, "mining.notify: the merkle branch is not a list of at most %d",
			    STM_MAX_BRANCHES);
	json_array_foreach(branches, i, b) {
		if (hex_exact(b, j->branches[i], 32))
			return fail(why, whylen, "mining.notify: merkle branch %zu is not 64 hex digits", i);
	}
	j->nbranches = json_array_size(branches);
	if (hex_u32(json_array_get(p, 5), &j->version) || hex_u32(json_array_get(p, 6), &j->nbits) ||
	    hex_u32(json_array_get(p, 7), &j->ntime))
		return fail(why, whylen, "mining.notify: version, nbits or ntime is not 8 hex digits");
	if (!json_is_boolean(json_array_get(p, 8)))
		return fail(why, whylen, "mining.notify: clean_jobs is not true or false");
	j->clean = json_is_true(json_array_get(p, 8));
	return 0;
}

static int parse_extranonce(json_t *xn1, json_t *size, uint8_t *out, size_t *len, int *xn2_size,
			    const char *what, char *why, size_t whylen)
{
	const char *s = json_string_value(xn1);

	if (!s || mm_hex_to_bytes(s, out, STM_MAX_XN1, len))
		return fail(why, whylen, "%s: extranonce1 is not hex of at most %d bytes", what,
			    STM_MAX_XN1);
	/* 0: the pool leaves the miner nothing to vary but nonce and version */
	if (!json_is_integer(size) || json_integer_value(size) < 0 ||
	    json_integer_value(size) > STM_MAX_XN2)
		return fail(why, whylen, "%s: extranonce2 size is not 0 to %d", what, STM_MAX_XN2);
	*xn2_size = json_integer_value(size);
	return 0;
}

static int parse_reconnect(json_t *p, struct stm_msg *m, char *why, size_t whylen)
{
	json_t *host = json_array_get(p, 0), *port = json_array_get(p, 1),
	       *wait = json_array_get(p, 2);
	long long v;
	char *end;

	if (host && !json_is_null(host)) {
		const char *h = json_string_value(host);

		if (!h || strlen(h) > STM_MAX_HOST || strpbrk(h, " /\\@?#"))
			return fail(why, whylen, "client.reconnect: the host is not a host name");
		stm_printable(m->host, sizeof(m->host), h);
	}
	if (port && !json_is_null(port)) {
		if (json_is_integer(port)) {
			v = json_integer_value(port);
		} else if (json_string_value(port) && *json_string_value(port)) {
			v = strtoll(json_string_value(port), &end, 10);
			if (*end)
				v = -1;
		} else {
			v = -1;
		}
		if (v < 1 || v > 65535)
			return fail(why, whylen, "client.reconnect: the port is not 1 to 65535");
		m->port = v;
	}
	if (wait && !json_is_null(wait)) {
		if (!json_is_integer(wait) || json_integer_value(wait) < 0 ||
		    json_integer_value(wait) > 86400)
			return fail(why, whylen, "client.reconnect: wait is not 0 to 86400 seconds");
		m->wait = json_integer_value(wait);
	}
	return 0;
}

static void parse_error(json_t *err, struct stm_msg *m)
{
	json_t *code = NULL, *msg = NULL;

	m->failed = true;
	m->err_code = -1;
	if (json_is_array(err)) {
		code = json_array_get(err, 0);
		msg = json_array_get(err, 1);
	} else if (json_is_object(err)) {
		code = json_object_get(err, "code");
		msg = json_object_get(err, "message");
	} else {
		msg = err;
	}
	if (json_is_integer(code) && json_integer_value(code) > -1000000 &&
	    json_integer_value(code) < 1000000)
		m->err_code = json_integer_value(code);
	stm_printable(m->err_msg, sizeof(m->err_msg),
		      json_string_value(msg) ? json_string_value(msg) : "no reason given");
}

static int parse_method(struct stm_msg *m, const char *method, json_t *p, char *why, size_t whylen)
{
	static const struct {
		const char *name;
		enum stm_type type;
	} methods[] = {
		{ "mining.notify", STM_NOTIFY },
		{ "mining.set_difficulty", STM_SET_DIFFICULTY },
		{ "mining.set_extranonce", STM_SET_EXTRANONCE },
		{ "mining.set_version_mask", STM_SET_VERSION_MASK },
		{ "client.reconnect", STM_RECONNECT },
		{ "mining.ping", STM_PING },
		{ "client.get_version", STM_GET_VERSION },
		{ "client.show_message", STM_SHOW_MESSAGE },
	};
	double d;
	size_t i;

	stm_printable(m->method, sizeof(m->method), method);
	m->type = STM_UNKNOWN;
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (!strcmp(method, methods[i].name))
			m->type = methods[i].type;
	if (m->type == STM_UNKNOWN || m->type == STM_PING || m->type == STM_GET_VERSION)
		return 0;
	if (!json_is_array(p))
		return fail(why, whylen, "%s: params is not a list", m->method);

	switch (m->type) {
	case STM_NOTIFY:
		return parse_notify(p, &m->job, why, whylen);
	case STM_SET_DIFFICULTY:
		if (!json_is_number(json_array_get(p, 0)))
			return fail(why, whylen, "mining.set_difficulty: not a number");
		d = json_number_value(json_array_get(p, 0));
		if (!isfinite(d) || d < STM_MIN_DIFFICULTY || d > STM_MAX_DIFFICULTY)
			return fail(why, whylen, "mining.set_difficulty: %g is out of range", d);
		m->difficulty = d;
		return 0;
	case STM_SET_EXTRANONCE:
		return parse_extranonce(json_array_get(p, 0), json_array_get(p, 1), m->xn1,
					&m->xn1_len, &m->xn2_size, m->method, why, whylen);
	case STM_SET_VERSION_MASK:
		if (hex_u32(json_array_get(p, 0), &m->version_mask))
			return fail(why, whylen, "mining.set_version_mask: not 8 hex digits");
		return 0;
	case STM_RECONNECT:
		return parse_reconnect(p, m, why, whylen);
	case STM_SHOW_MESSAGE:
		stm_printable(m->text, sizeof(m->text), json_string_value(json_array_get(p, 0)) ?: "");
		return 0;
	default:
		return 0;
	}
}

/**
 * stm_parse() - one line from a pool
 * @line: the line, without its newline
 * @len: its length
 * @m: the message; free with stm_msg_free() whatever the result
 * @why: why the line was refused
 * @whylen: room in @why
 *
 * Return: 0, or -EINVAL if the line is not a message we can trust (@why
 * says what is wrong), -ENOMEM.
 */
int stm_parse(const char *line, size_t len, struct stm_msg *m, char *why, size_t whylen)
{
	json_t *id, *method, *params;
	json_error_t err;

	memset(m, 0, sizeof(*m));
	m->id = -1;
	m->root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err);
	if (!m->root) {
		char text[sizeof(err.text)];

		stm_printable(text, sizeof(text), err.text);
		return fail(why, whylen, "not JSON: %s (column %d)", text, err.column);
	}
	if (!json_is_object(m->root))
		return fail(why, whylen, "not a JSON object");
	id = json_object_get(m->root, "id");
	method = json_object_get(m->root, "method");
	params = json_object_get(m->root, "params");

	if (method) {
		if (!json_string_value(method) || !*json_string_value(method))
			return fail(why, whylen, "the method is not a string");
		if (id && !json_is_null(id)) {
			if (!json_is_integer(id) && !json_is_string(id))
				return fail(why, whylen, "the id is not a number or a string");
			m->req_id = id;
		}
		return parse_method(m, json_string_value(method), params, why, whylen);
	}

	if (!json_is_integer(id) || json_integer_value(id) < 0)
		return fail(why, whylen, "neither a method nor the answer to a request of ours");
	m->type = STM_RESPONSE;
	m->id = json_integer_value(id);
	m->result = json_object_get(m->root, "result");
	if (!m->result)
		m->result = json_null();
	if (json_object_get(m->root, "error") && !json_is_null(json_object_get(m->root, "error")))
		parse_error(json_object_get(m->root, "error"), m);
	return 0;
}

void stm_job_free(struct stm_job *job)
{
	free(job->coinb1);
	free(job->coinb2);
	job->coinb1 = job->coinb2 = NULL;
}

/**
 * stm_job_copy() - a job of one's own, to keep after the message is freed
 * @dst: the copy
 * @src: the job
 *
 * Return: 0 or -ENOMEM.
 */
int stm_job_copy(struct stm_job *dst, const struct stm_job *src)
{
	*dst = *src;
	dst->coinb1 = malloc(src->coinb1_len + 1);
	dst->coinb2 = malloc(src->coinb2_len + 1);
	if (!dst->coinb1 || !dst->coinb2) {
		stm_job_free(dst);
		return -ENOMEM;
	}
	memcpy(dst->coinb1, src->coinb1, src->coinb1_len);
	memcpy(dst->coinb2, src->coinb2, src->coinb2_len);
	return 0;
}

void stm_msg_free(struct stm_msg *m)
{
	stm_job_free(&m->job);
	json_decref(m->root);
	m->root = NULL;
}

/* The session id of [["mining.notify", "<id>"], ...] or ["mining.notify", "<id>"]. */
static const char *session_of(json_t *subs)
{
	json_t *s;
	size_t i;

	if (json_is_string(json_array_get(subs, 0)))
		return !strcmp(json_string_value(json_array_get(subs, 0)), "mining.notify") ?
		       json_string_value(json_array_get(subs, 1)) : NULL;
	json_array_foreach(subs, i, s) {
		const char *name = json_string_value(json_array_get(s, 0));

		if (name && !strcmp(name, "mining.notify"))
			return json_string_value(json_array_get(s, 1));
	}
	return NULL;
}

/**
 * stm_parse_subscription() - the result of mining.subscribe
 * @result: [subscriptions, extranonce1, extranonce2 size]
 * @s: what it says
 * @why: why it was refused
 * @whylen: room in @why
 *
 * Return: 0 or -EINVAL.
 */
int stm_parse_subscription(json_t *result, struct stm_subscription *s, char *why,
			   size_t whylen)
{
	const char *session;

	memset(s, 0, sizeof(*s));
	if (!json_is_array(result) || json_array_size(result) < 3)
		return fail(why, whylen, "mining.subscribe: the result is not [subscriptions, extranonce1, size]");
	session = session_of(json_array_get(result, 0));
	/* a session id is optional; one we could not send back is ignored */
	if (session && strlen(session) <= STM_MAX_SESSION)
		stm_printable(s->session, sizeof(s->session), session);
	return parse_extranonce(json_array_get(result, 1), json_array_get(result, 2), s->xn1,
				&s->xn1_len, &s->xn2_size, "mining.subscribe", why, whylen);
}

/**
 * stm_parse_configure() - the result of mining.configure for version rolling
 * @result: {"version-rolling": true, "version-rolling.mask": "1fffe000"}
 * @mask: the granted mask (0 if not granted)
 * @why: why it was refused
 * @whylen: room in @why
 *
 * Return: 0 (granted or not), or -EINVAL if the answer makes no sense.
 */
int stm_parse_configure(json_t *result, uint32_t *mask, char *why, size_t whylen)
{
	json_t *on = json_object_get(result, "version-rolling");

	*mask = 0;
	if (!json_is_object(result))
		return fail(why, whylen, "mining.configure: the result is not an object");
	if (!json_is_true(on))
		return 0;
	if (hex_u32(json_object_get(result, "version-rolling.mask"), mask))
		return fail(why, whylen, "mining.configure: the mask is not 8 hex digits");
	return 0;
}

/* A message as a line, taking the reference to @o; NULL if out of memory. */
static char *line_of(json_t *o)
{
	char *text, *line = NULL;

	if (!o)
		return NULL;
	/* numbers as people write them: 0.0005, not 0.00050000000000000001 */
	text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(o);
	if (text && asprintf(&line, "%s\n", text) < 0)
		line = NULL;
	free(text);
	return line;
}

/* One request: {"id": id, "method": method, "params": params}, taking @params. */
static char *request(int64_t id, const char *method, json_t *params)
{
	if (!params)
		return NULL;
	return line_of(json_pack("{s:I,s:s,s:o}", "id", (json_int_t)id, "method", method,
				 "params", params));
}

char *stm_subscribe(int64_t id, const char *agent, const char *session)
{
	return request(id, "mining.subscribe", session && *session ?
		       json_pack("[s,s]", agent, session) : json_pack("[s]", agent));
}

/* mining.extranonce.subscribe: the pool may change extranonce1 mid-session */
char *stm_extranonce_subscribe(int64_t id)
{
	return request(id, "mining.extranonce.subscribe", json_array());
}

char *stm_authorize(int64_t id, const char *user, const char *password)
{
	return request(id, "mining.authorize", json_pack("[s,s]", user, password ?: ""));
}

char *stm_configure(int64_t id, uint32_t mask)
{
	char hex[9];

	snprintf(hex, sizeof(hex), "%08x", mask);
	return request(id, "mining.configure",
		       json_pack("[[s],{s:s,s:i}]", "version-rolling", "version-rolling.mask", hex,
				 "version-rolling.min-bit-count", 2));
}

char *stm_suggest_difficulty(int64_t id, double difficulty)
{
	return request(id, "mining.suggest_difficulty", json_pack("[f]", difficulty));
}

/**
 * stm_submit() - mining.submit
 * @id: the request's id
 * @user: the worker
 * @job_id: the pool's job
 * @xn2: extranonce2
 * @xn2_len: its length
 * @ntime: the header's time
 * @nonce: the nonce
 * @version_bits: the rolled version bits, or NULL without version rolling
 *
 * Return: the line, to free; NULL if out of memory.
 */
char *stm_submit(int64_t id, const char *user, const char *job_id, const uint8_t *xn2,
		 size_t xn2_len, uint32_t ntime, uint32_t nonce, const uint32_t *version_bits)
{
	char x[2 * STM_MAX_XN2 + 1], t[9], n[9], v[9];

	if (xn2_len > STM_MAX_XN2)
		return NULL;
	mm_hex_encode(xn2, xn2_len, false, x);
	snprintf(t, sizeof(t), "%08x", ntime);
	snprintf(n, sizeof(n), "%08x", nonce);
	if (!version_bits)
		return request(id, "mining.submit", json_pack("[s,s,s,s,s]", user, job_id, x, t, n));
	snprintf(v, sizeof(v), "%08x", *version_bits);
	return request(id, "mining.submit", json_pack("[s,s,s,s,s,s]", user, job_id, x, t, n, v));
}

/* The answer to a request of the pool's (mining.ping, client.get_version). */
char *stm_answer(json_t *req_id, json_t *result)
{
	return line_of(json_pack("{s:O,s:o,s:n}", "id", req_id, "result", result, "error"));
}
