// SPDX-License-Identifier: GPL-2.0
/*
 * The settings of `micromine run`.  The config file is INI, read with
 * inih: a [run] section of settings and one [node NAME] section per
 * trusted node, best first.  Every key is checked: a typo is an error,
 * not a silent default.  The command line sets the same keys.
 */

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <ini.h>
#include <openssl/evp.h>

#include "conf.h"
#include "hex.h"
#include "log.h"
#include "micromine.h"

enum kind { INT, BOOL, DOUBLE, STRING, LEVEL, SUGGEST };

/* where the setting being set comes from, for its error messages */
static char conf_where[300];
#define conf_err(fmt, ...) mm_err("%s" fmt, conf_where, ##__VA_ARGS__)

static const struct setting {
	const char *name;
	enum kind kind;
	size_t offset;
	double min, max;
} settings[] = {
	{ "log-level", LEVEL, offsetof(struct mm_conf, log_level), 0, 0 },
	{ "syslog", BOOL, offsetof(struct mm_conf, syslog), 0, 0 },
	{ "suggest-difficulty", SUGGEST, offsetof(struct mm_conf, suggest_difficulty), 0, 1e18 },
	{ "share-interval", INT, offsetof(struct mm_conf, share_interval), 1, 86400 },
	{ "keepalive", INT, offsetof(struct mm_conf, keepalive), 0, 86400 },
	{ "silence", INT, offsetof(struct mm_conf, silence), 5, 86400 },
	{ "connect-timeout", INT, offsetof(struct mm_conf, connect_timeout), 1, 300 },
	{ "answer-timeout", INT, offsetof(struct mm_conf, answer_timeout), 5, 86400 },
	{ "max-line", INT, offsetof(struct mm_conf, max_line), 1024, 1 << 24 },
	{ "share-store", STRING, offsetof(struct mm_conf, share_store), 0, 0 },
	{ "share-store-max", INT, offsetof(struct mm_conf, store_max), 1, 1 << 20 },
	{ "share-max-age", INT, offsetof(struct mm_conf, store_max_age), 1, 86400 },
	{ "backoff-min", INT, offsetof(struct mm_conf, backoff_min), 1, 3600 },
	{ "backoff-max", INT, offsetof(struct mm_conf, backoff_max), 1, 86400 },
	{ "failover-after", INT, offsetof(struct mm_conf, failover_after), 1, 1000 },
	{ "failback", INT, offsetof(struct mm_conf, failback), 5, 86400 },
	{ "version-rolling", BOOL, offsetof(struct mm_conf, version_rolling), 0, 0 },
	{ "extranonce-subscribe", BOOL, offsetof(struct mm_conf, xn_subscribe), 0, 0 },
	{ "insecure", BOOL, offsetof(struct mm_conf, insecure), 0, 0 },
	{ "allow-redirect", BOOL, offsetof(struct mm_conf, allow_redirect), 0, 0 },
	{ "state", STRING, offsetof(struct mm_conf, state), 0, 0 },
};

void mm_conf_defaults(struct mm_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->log_level = MM_LOG_INFO;
	c->share_interval = 30;
	c->keepalive = 600;
	c->silence = 180;
	c->connect_timeout = 5;
	c->answer_timeout = 60;
	/* a notify of a pool paying many miners in its coinbase: 40 KiB and more */
	c->max_line = 1 << 20;
	c->share_store = strdup("");
	c->store_max = 1024;
	c->store_max_age = 600;
	c->backoff_min = 1;
	c->backoff_max = 300;
	c->failover_after = 3;
	c->failback = 60;
	c->version_rolling = true;
	c->xn_subscribe = true;
	c->state = strdup(mm_pool_state_path());
}

static void print_suggest(FILE *f, double d)
{
	if (d == MM_SUGGEST_AUTO)
		fprintf(f, "auto\n");
	else
		fprintf(f, "%g\n", d);
}

/**
 * mm_conf_print() - the settings in effect, as a config file
 * @c: the settings
 * @f: where to
 *
 * Passwords are not shown, only whether one is set.
 */
void mm_conf_print(const struct mm_conf *c, FILE *f)
{
	const struct setting *s;
	const struct mm_node *n;
	const char *p;
	int i;

	fprintf(f, "[run]\n");
	for (s = settings; s < settings + sizeof(settings) / sizeof(settings[0]); s++) {
		p = (const char *)c + s->offset;
		fprintf(f, "%s = ", s->name);
		switch (s->kind) {
		case INT:
			fprintf(f, "%d\n", *(const int *)p);
			break;
		case BOOL:
			fprintf(f, "%s\n", *(const bool *)p ? "yes" : "no");
			break;
		case DOUBLE:
			fprintf(f, "%g\n", *(const double *)p);
			break;
		case SUGGEST:
			print_suggest(f, *(const double *)p);
			break;
		case STRING:
			fprintf(f, "%s\n", *(char *const *)p);
			break;
		case LEVEL:
			fprintf(f, "%s\n", mm_log_level_name(*(const int *)p));
			break;
		}
	}
	for (n = c->nodes; n < c->nodes + c->nnodes; n++) {
		fprintf(f, "\n[node %s]\nurl = %s\n", n->name, n->url);
		if (n->user)
			fprintf(f, "user = %s\n", n->user);
		if (n->password_file)
			fprintf(f, "password-file = %s\n", n->password_file);
		if (n->password)
			fprintf(f, "password = (set, not shown)\n");
		if (n->ca_file)
			fprintf(f, "ca-file = %s\n", n->ca_file);
		if (n->version_rolling != MM_INHERIT)
			fprintf(f, "version-rolling = %s\n", n->version_rolling ? "yes" : "no");
		if (n->suggest_difficulty != MM_INHERIT) {
			fprintf(f, "suggest-difficulty = ");
			print_suggest(f, n->suggest_difficulty);
		}
		for (i = 0; i < n->nspki; i++) {
			char b64[48];

			EVP_EncodeBlock((unsigned char *)b64, n->spki[i], 32);
			fprintf(f, "%s%s", i ? ";sha256//" : "pinned-pubkey = sha256//", b64);
			if (i == n->nspki - 1)
				fprintf(f, "\n");
		}
		if (n->tls && !n->ca_file && !n->pinned && !n->nspki)
			fprintf(f, "# TLS: %s\n", c->insecure ? "not verified (insecure)" :
				"verified against the system's CA store and the host name");
		if (n->pinned) {
			fprintf(f, "fingerprint = ");
			for (i = 0; i < 32; i++)
				fprintf(f, "%02x%s", n->fingerprint[i], i < 31 ? ":" : "\n");
		}
	}
}

static void node_free(struct mm_node *n)
{
	free(n->name);
	free(n->url);
	free(n->user);
	free(n->password);
	free(n->password_file);
	free(n->ca_file);
	memset(n, 0, sizeof(*n));
}

/* Forget the nodes (the command line's replace the file's). */
void mm_conf_clear_nodes(struct mm_conf *c)
{
	int i;

	for (i = 0; i < c->nnodes; i++)
		node_free(&c->nodes[i]);
	c->nnodes = 0;
}

void mm_conf_free(struct mm_conf *c)
{
	mm_conf_clear_nodes(c);
	free(c->share_store);
	free(c->state);
	memset(c, 0, sizeof(*c));
}

static int replace(char **field, const char *value)
{
	char *copy = strdup(value);

	if (!copy)
		return -ENOMEM;
	free(*field);
	*field = copy;
	return 0;
}

static int parse_bool(const char *v)
{
	static const char *const yes[] = { "yes", "on", "true", "1" };
	static const char *const no[] = { "no", "off", "false", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i]))
			return 1;
		if (!strcasecmp(v, no[i]))
			return 0;
	}
	return -1;
}

/**
 * mm_url_parse() - stratum+tcp://host:port or stratum+tls://host:port
 * @url: the URL (stratum+ssl is taken for stratum+tls; [v6 address] works)
 * @tls: whether it is TLS
 * @host: the host
 * @hostlen: room in @host
 * @port: the port, room for 6 characters
 *
 * Return: 0 or -EINVAL.
 */
int mm_url_parse(const char *url, bool *tls, char *host, size_t hostlen, char *port)
{
	const char *p, *end;
	size_t n;
	long v;
	char *e;

	if (!strncmp(url, "stratum+tcp://", 14)) {
		*tls = false;
	} else if (!strncmp(url, "stratum+tls://", 14) || !strncmp(url, "stratum+ssl://", 14)) {
		*tls = true;
	} else {
		return -EINVAL;
	}
	p = url + 14;
	if (*p == '[') {
		end = strchr(p, ']');
		if (!end || end[1] != ':')
			return -EINVAL;
		n = end - p - 1;
		p++;
		end++;
	} else {
		end = strrchr(p, ':');
		if (!end)
			return -EINVAL;
		n = end - p;
	}
	if (!n || n >= hostlen || memchr(p, '/', n) || memchr(p, '@', n))
		return -EINVAL;
	memcpy(host, p, n);
	host[n] = 0;
	errno = 0;
	v = strtol(end + 1, &e, 10);
	if (errno || e == end + 1 || (*e && strcmp(e, "/")) || v < 1 || v > 65535)
		return -EINVAL;
	snprintf(port, 6, "%ld", v);
	return 0;
}

/*
 * pinned-pubkey: "sha256//" and the base64 of the SHA-256 of the public key
 * (DER SubjectPublicKeyInfo), as curl's --pinnedpubkey takes it; several
 * joined by ";" (a backup key's).
 */
static int parse_spki(struct mm_node *n, const char *value)
{
	const char *p = value;

	n->nspki = 0;
	if (!*p) {
		conf_err("pinned-pubkey: empty");
		return -EINVAL;
	}
	while (*p) {
		const char *end = strchr(p, ';') ?: p + strlen(p);
		unsigned char raw[48];
		size_t len = end - p;

		if (n->nspki == MM_MAX_PINS || len != 8 + 44 || strncmp(p, "sha256//", 8) ||
		    p[8 + 43] != '=' || p[8 + 42] == '=' || EVP_DecodeBlock(raw, (const unsigned char *)p + 8, 44) != 33) {
			conf_err("pinned-pubkey: not sha256//<base64 of a SHA-256>, at most %d joined by ';'",
				 MM_MAX_PINS);
			return -EINVAL;
		}
		memcpy(n->spki[n->nspki++], raw, 32);
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* A whole @value, a finite number from @min to @max: 0, or -EINVAL. */
static int parse_number(const char *value, double min, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(value, &end);
	return errno || end == value || *end || !isfinite(*out) || *out < min || *out > max ?
	       -EINVAL : 0;
}

/* "auto", or a difficulty from 0 (none) to 1e18; -EINVAL logged */
static int parse_suggest(const char *value, double *out)
{
	double d;

	if (!strcmp(value, "auto")) {
		*out = MM_SUGGEST_AUTO;
		return 0;
	}
	if (parse_number(value, 0, 1e18, &d)) {
		conf_err("suggest-difficulty: '%s' is neither auto nor a difficulty (0: none)", value);
		return -EINVAL;
	}
	*out = d;
	return 0;
}

static int node_set(struct mm_node *n, const char *name, const char *value)
{
	size_t len;
	int v;

	if (!strcmp(name, "url")) {
		if (mm_url_parse(value, &n->tls, n->host, sizeof(n->host), n->port)) {
			conf_err("url: '%s' is not stratum+tcp://host:port or stratum+tls://host:port",
			       value);
			return -EINVAL;
		}
		return replace(&n->url, value);
	}
	if (!strcmp(name, "user"))
		return replace(&n->user, value);
	if (!strcmp(name, "password"))
		return replace(&n->password, value);
	if (!strcmp(name, "password-file"))
		return replace(&n->password_file, value);
	if (!strcmp(name, "ca-file"))
		return replace(&n->ca_file, value);
	if (!strcmp(name, "fingerprint")) {
		char hex[65];
		size_t i, j = 0;

		/* as openssl prints it (AB:CD:...) or plain hex */
		for (i = 0; value[i] && j < sizeof(hex) - 1; i++)
			if (value[i] != ':')
				hex[j++] = value[i];
		hex[j] = 0;
		if (value[i] || mm_hex_to_bytes(hex, n->fingerprint, 32, &len) || len != 32) {
			conf_err("fingerprint: not the 64 hex digits of a SHA-256");
			return -EINVAL;
		}
		n->pinned = true;
		return 0;
	}
	if (!strcmp(name, "pinned-pubkey"))
		return parse_spki(n, value);
	if (!strcmp(name, "version-rolling")) {
		v = parse_bool(value);
		if (v < 0) {
			conf_err("version-rolling: '%s' is not yes or no", value);
			return -EINVAL;
		}
		n->version_rolling = v;
		return 0;
	}
	if (!strcmp(name, "suggest-difficulty"))
		return parse_suggest(value, &n->suggest_difficulty);
	conf_err("no node setting named '%s' (url, user, password, password-file, ca-file, "
		 "fingerprint, pinned-pubkey, version-rolling, suggest-difficulty)", name);
	return -EINVAL;
}

/**
 * mm_conf_set() - one setting, from the file or the command line
 * @c: the settings
 * @node: the node it belongs to, or NULL for [run]
 * @name: its name
 * @value: its value, as text
 *
 * Return: 0, or a negative errno after logging why.
 */
int mm_conf_set(struct mm_conf *c, struct mm_node *node, const char *name, const char *value)
{
	const struct setting *s = NULL;
	void *field;
	double d;
	size_t i;
	int v;

	if (node)
		return node_set(node, name, value);
	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (!strcmp(name, settings[i].name))
			s = &settings[i];
	if (!s) {
		conf_err("no setting named '%s'", name);
		return -EINVAL;
	}
	field = (char *)c + s->offset;
	switch (s->kind) {
	case BOOL:
		v = parse_bool(value);
		if (v < 0)
			break;
		*(bool *)field = v;
		return 0;
	case LEVEL:
		v = mm_log_level_parse(value);
		if (v < 0)
			break;
		*(int *)field = v;
		return 0;
	case STRING:
		return replace(field, value);
	case SUGGEST:
		return parse_suggest(value, field);
	case INT:
	case DOUBLE:
		if (parse_number(value, s->min, s->max, &d) || (s->kind == INT && d != (int)d))
			break;
		if (s->kind == INT)
			*(int *)field = d;
		else
			*(double *)field = d;
		return 0;
	}
	conf_err("%s: '%s' is not a value it takes", name, value);
	return -EINVAL;
}

/**
 * mm_conf_add_node() - a new node, after the others
 * @c: the settings
 * @name: its name, for logs (NULL: its URL, once known)
 *
 * Return: the node, or NULL if there are too many.
 */
struct mm_node *mm_conf_add_node(struct mm_conf *c, const char *name)
{
	struct mm_node *n;

	if (c->nnodes == MM_MAX_NODES) {
		conf_err("more than %d trusted nodes", MM_MAX_NODES);
		return NULL;
	}
	n = &c->nodes[c->nnodes++];
	memset(n, 0, sizeof(*n));
	n->version_rolling = MM_INHERIT;
	n->suggest_difficulty = MM_INHERIT;
	if (name)
		n->name = strdup(name);
	return n;
}

struct file_state {
	struct mm_conf *c;
	const char *path;
	struct mm_node *node;
	char section[128];
	bool failed;
};

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct file_state *st = user;

	if (strcmp(section, st->section)) {
		snprintf(st->section, sizeof(st->section), "%s", section);
		st->node = NULL;
		if (!strncmp(section, "node ", 5) && section[5]) {
			st->node = mm_conf_add_node(st->c, section + 5);
			if (!st->node) {
				st->failed = true;
				return 0;
			}
		} else if (strcmp(section, "run") && *section) {
			mm_err("%s: no section [%s] ([run], [node NAME])", st->path, section);
			st->failed = true;
			return 0;
		}
	}
	if (!name)
		return 1;
	snprintf(conf_where, sizeof(conf_where), "%s: [%s]: ", st->path, section);
	if (mm_conf_set(st->c, st->node, name, value))
		st->failed = true;
	conf_where[0] = 0;
	return !st->failed;
}

/**
 * mm_conf_load() - read a config file into @c
 * @c: the settings, with their defaults
 * @path: the file
 * @must_exist: a missing file is an error (else it is no file at all)
 *
 * Return: 0, or -EINVAL after logging why.
 */
int mm_conf_load(struct mm_conf *c, const char *path, bool must_exist)
{
	struct file_state st = { .c = c, .path = path };
	struct stat sb;
	int ret;

	if (stat(path, &sb)) {
		if (!must_exist && errno == ENOENT)
			return 0;
		mm_err("%s: %s", path, strerror(errno));
		return -EINVAL;
	}
	ret = ini_parse(path, on_ini, &st);
	if (ret) {
		if (ret < 0)
			mm_err("%s: cannot read it", path);
		else if (!st.failed)
			mm_err("%s: line %d is not [section], key = value or a comment", path, ret);
		return -EINVAL;
	}
	if (sb.st_mode & 0044) {
		int i;

		for (i = 0; i < c->nnodes; i++)
			if (c->nodes[i].password && *c->nodes[i].password) {
				mm_warn("%s holds passwords and others can read it (chmod 600)", path);
				break;
			}
	}
	return 0;
}

/*
 * The password of @n from its password-file (the first line), or from
 * $MICROMINE_PASSWORD where it has none at all and is the only node (of
 * @nnodes).  0, or -EINVAL logged.
 */
static int node_password(struct mm_node *n, int nnodes)
{
	const char *env = getenv("MICROMINE_PASSWORD");
	char *line = NULL;
	size_t cap = 0;
	struct stat sb;
	ssize_t len;
	FILE *f;

	if (!n->password_file) {
		/* (one node: the environment's password goes to no other pool) */
		if (!n->password && env && *env && nnodes == 1)
			n->password = strdup(env);
		return 0;
	}
	if (n->password) {
		mm_err("node %s: password and password-file both given", n->name);
		return -EINVAL;
	}
	f = fopen(n->password_file, "re");
	if (!f) {
		mm_err("node %s: password-file %s: %s", n->name, n->password_file, strerror(errno));
		return -EINVAL;
	}
	if (!fstat(fileno(f), &sb) && sb.st_mode & 0044)
		mm_warn("node %s: others can read password-file %s (chmod 600)", n->name,
			n->password_file);
	len = getline(&line, &cap, f);
	if (len < 0 && ferror(f)) {
		mm_err("node %s: password-file %s: cannot read it", n->name, n->password_file);
		fclose(f);
		free(line);
		return -EINVAL;
	}
	fclose(f);
	if (len < 0) {
		free(line);
		line = strdup("");	/* an empty file: an empty password */
		len = 0;
	}
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = 0;
	n->password = line;
	return n->password ? 0 : -EINVAL;
}

/**
 * mm_node_rolls() - whether to ask @n for version rolling
 * @c: the settings
 * @n: one of their nodes
 *
 * Return: the node's own version-rolling, or else the [run] one.
 */
bool mm_node_rolls(const struct mm_conf *c, const struct mm_node *n)
{
	return n->version_rolling == MM_INHERIT ? c->version_rolling : n->version_rolling;
}

/**
 * mm_node_suggest() - the difficulty to suggest to @n
 * @c: the settings
 * @n: one of their nodes
 *
 * Return: the node's own suggest-difficulty, or else the [run] one: 0 for
 * none, MM_SUGGEST_AUTO or a difficulty.
 */
double mm_node_suggest(const struct mm_conf *c, const struct mm_node *n)
{
	return n->suggest_difficulty == MM_INHERIT ? c->suggest_difficulty : n->suggest_difficulty;
}

/**
 * mm_conf_check() - are the settings complete and consistent?
 * @c: the settings
 *
 * Return: 0, or -EINVAL after logging why.
 */
int mm_conf_check(struct mm_conf *c)
{
	int i;

	if (!c->nnodes) {
		mm_err("no trusted node: give -o URL or a [node NAME] section in %s", MM_DEFAULT_CONF);
		return -EINVAL;
	}
	if (c->backoff_min > c->backoff_max) {
		mm_err("backoff-min is above backoff-max");
		return -EINVAL;
	}
	for (i = 0; i < c->nnodes; i++) {
		struct mm_node *n = &c->nodes[i];

		if (!n->url) {
			mm_err("node %s: no url", n->name ? n->name : "");
			return -EINVAL;
		}
		if (!n->name)
			n->name = strdup(n->url);
		if (!n->user || !*n->user) {
			mm_err("node %s: no user (the worker name, account.device)", n->name);
			return -EINVAL;
		}
		if (node_password(n, c->nnodes))
			return -EINVAL;
		if (!n->tls && (n->ca_file || n->pinned || n->nspki))
			mm_warn("node %s: ca-file, fingerprint and pinned-pubkey are for stratum+tls, not tcp",
				n->name);
	}
	return 0;
}
