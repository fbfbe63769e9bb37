/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The settings of `micromine run`: the trusted nodes and how to treat
 * them, from /etc/micromine.conf (INI) and the command line.
 */
#ifndef MICROMINE_CONF_H
#define MICROMINE_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define MM_MAX_NODES	16
#define MM_DEFAULT_CONF	"/etc/micromine.conf"

#define MM_MAX_PINS	4	/* public keys pinned per node (CONN_MAX_PINS) */

/* suggest-difficulty: from the module's hash rate and share-interval */
#define MM_SUGGEST_AUTO	(-1.0)
/* a node setting not given: the [run] section's holds */
#define MM_INHERIT	(-2)

/**
 * struct mm_node - a trusted node: a Stratum pool and our account there
 * @name: for logs: the config section's name, or the URL
 * @url: stratum+tcp://host:port or stratum+tls://host:port
 * @tls: the URL is stratum+tls
 * @host: from the URL
 * @port: from the URL
 * @user: the worker ("account.device")
 * @password: never logged; from the config, the command line, the file
 *	@password_file or, where none is given, $MICROMINE_PASSWORD
 * @password_file: a file holding the password (its first line): kept out
 *	of the config and of the command line, which ps shows
 * @ca_file: TLS: the CAs that may have signed the pool's certificate
 * @fingerprint: TLS: SHA-256 of the pool's certificate (DER), pinned
 * @pinned: @fingerprint is set
 * @spki: TLS: SHA-256 of the pool's public key (DER SubjectPublicKeyInfo),
 *	pinned: it survives a renewed certificate of the same key (curl's
 *	--pinnedpubkey); a backup key's too
 * @nspki: how many of @spki are set
 * @version_rolling: ask this node for version rolling (1 or 0), or
 *	MM_INHERIT: as the [run] setting says
 * @suggest_difficulty: mining.suggest_difficulty for this node (0: none,
 *	MM_SUGGEST_AUTO), or MM_INHERIT: as the [run] setting says
 *
 * A stratum+tls node with none of @ca_file, @fingerprint and @spki is
 * verified against the system's CA store and its host name.
 */
struct mm_node {
	char *name;
	char *url;
	bool tls;
	char host[256];
	char port[6];
	char *user;
	char *password;
	char *password_file;
	char *ca_file;
	uint8_t fingerprint[32];
	bool pinned;
	uint8_t spki[MM_MAX_PINS][32];
	int nspki;
	int version_rolling;
	double suggest_difficulty;
};

/**
 * struct mm_conf - everything `micromine run` is told
 * @nodes: the trusted nodes, best first
 * @nnodes: how many
 * @log_level: syslog level, the least important logged
 * @syslog: log to syslog, not stderr
 * @suggest_difficulty: mining.suggest_difficulty before authorizing (0: not;
 *	MM_SUGGEST_AUTO: one share per @share_interval at the module's hash
 *	rate, suggested again as that rate changes)
 * @share_interval: seconds between shares that suggest-difficulty auto
 *	aims at
 * @keepalive: seconds without a share sent before asking for half the
 *	difficulty (0: never)
 * @silence: seconds without a line from the pool before reconnecting
 * @connect_timeout: seconds each address of a node has to take the
 *	connection before the next one is tried
 * @answer_timeout: seconds a share may wait for the pool's answer before
 *	the session counts as failed (its shares go to the next session)
 * @xn_subscribe: send mining.extranonce.subscribe (the pool may then
 *	change extranonce1 with mining.set_extranonce)
 * @max_line: the longest line a pool may send, in bytes
 * @share_store: file keeping unsent shares across restarts ("" for none)
 * @store_max: the most shares kept unsent
 * @store_max_age: seconds a share kept for another node than the one in
 *	use may wait for it
 * @backoff_min: first reconnection delay, seconds
 * @backoff_max: longest reconnection delay, seconds
 * @failover_after: failed connections to a node before the next is tried
 * @failback: seconds between checks whether a better node is back
 * @version_rolling: ask pools for version rolling (BIP 310)
 * @insecure: stratum+tls without a CA file or a pin: trust any certificate
 *	(not the system's CA store)
 * @allow_redirect: follow client.reconnect to another host
 * @state: where `micromine status` finds the pool's state
 */
struct mm_conf {
	struct mm_node nodes[MM_MAX_NODES];
	int nnodes;
	int log_level;
	bool syslog;
	double suggest_difficulty;
	int share_interval;
	int keepalive;
	int silence;
	int connect_timeout;
	int answer_timeout;
	bool xn_subscribe;
	int max_line;
	char *share_store;
	int store_max;
	int store_max_age;
	int backoff_min;
	int backoff_max;
	int failover_after;
	int failback;
	bool version_rolling;
	bool insecure;
	bool allow_redirect;
	char *state;
};

void mm_conf_defaults(struct mm_conf *c);
int mm_conf_load(struct mm_conf *c, const char *path, bool must_exist);
int mm_conf_set(struct mm_conf *c, struct mm_node *node, const char *name, const char *value);
struct mm_node *mm_conf_add_node(struct mm_conf *c, const char *name);
int mm_conf_check(struct mm_conf *c);
void mm_conf_clear_nodes(struct mm_conf *c);
void mm_conf_free(struct mm_conf *c);
void mm_conf_print(const struct mm_conf *c, FILE *f);
bool mm_node_rolls(const struct mm_conf *c, const struct mm_node *n);
double mm_node_suggest(const struct mm_conf *c, const struct mm_node *n);
int mm_url_parse(const char *url, bool *tls, char *host, size_t hostlen, char *port);

#endif
