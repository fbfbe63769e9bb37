// SPDX-License-Identifier: GPL-2.0
/*
 * micromine run: mine for trusted nodes until stopped.  One poll() loop
 * over signals (signalfd), the module's events, the pool connection and
 * the check whether the first node is back; timers tick once a second.
 * Nodes fail over in order with exponential backoff and jitter, and the
 * first node is taken back when it answers again.
 */

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "micromine.h"
#include "run.h"

#define STOP_WAIT	5	/* seconds to wait for the pool's last answers */

static const char usage[] =
	"Usage: micromine run [OPTIONS]\n"
	"\n"
	"Mine for trusted nodes (Stratum pools) with the module until SIGTERM or\n"
	"SIGINT; SIGHUP reloads the config file.  Settings come from the config\n"
	"file, then the command line.\n"
	"\n"
	"  -c, --config FILE      config file (default " MM_DEFAULT_CONF ", if it exists)\n"
	"  -o, --url URL          a trusted node: stratum+tcp://host:port or\n"
	"                         stratum+tls://host:port; again for more, best first\n"
	"                         (they replace the config file's nodes)\n"
	"  -u, --user USER        the worker at the last --url (account.device)\n"
	"  -p, --password PASS    its password (ps shows it: rather --password-file, or\n"
	"                         for a single node MICROMINE_PASSWORD in the environment)\n"
	"      --password-file FILE  its password, the first line of FILE\n"
	"      --ca-file FILE     TLS: trust the node's certificate if these CAs signed it\n"
	"      --fingerprint HEX  TLS: trust the node's certificate if its SHA-256 is this\n"
	"      --pinned-pubkey sha256//BASE64[;...]\n"
	"                         TLS: trust the node if its public key's SHA-256 is one of\n"
	"                         these (a renewed certificate of the same key too)\n"
	"      --insecure         TLS: trust any certificate where no CA file or pin is\n"
	"                         given (without it: the system's CA store)\n"
	"  -s, --set KEY=VALUE    any setting of the config file's [run] section\n"
	"      --node-set KEY=VALUE  a setting of the last --url's own (version-rolling,\n"
	"                         suggest-difficulty), over the [run] one\n"
	"      --log-level LEVEL  error, warning, info (default) or debug\n"
	"      --syslog           log to syslog, not stderr\n"
	"  -n, --check            check the settings, print them (no passwords), exit\n"
	"\n"
	"micromine(8) lists the settings and the config file's format.\n";

/* A setting of the command line, applied over the config file's. */
struct cli_setting {
	int node;	/* -1: [run]; else the command line's node number */
	const char *key;
	const char *value;
};

static struct cli_setting *cli;
static int ncli, cli_nodes;

time_t run_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

/**
 * run_fail_node() - an attempt on the current node failed: when to retry, where
 * @r: the run
 * @why: for the log
 * @skip: go to the next node now (the node misbehaves, waiting will not help)
 */
void run_fail_node(struct run *r, const char *why, bool skip)
{
	int delay = r->conf.backoff_min, i;

	r->count.failures++;
	r->redirect_host[0] = r->redirect_port[0] = 0;
	if (skip || ++r->failures >= r->conf.failover_after) {
		int next = (r->node + 1) % r->conf.nnodes;

		if (next != r->node)
			mm_warn("node %s failed (%s): trying node %s", r->conf.nodes[r->node].name,
				why, r->conf.nodes[next].name);
		r->node = next;
		r->failures = 0;
	}
	/* backoff_min * 2^(failures in a row), at most backoff_max, +-50% jitter */
	for (i = 0; i < r->streak && delay < r->conf.backoff_max; i++)
		delay *= 2;
	if (delay > r->conf.backoff_max)
		delay = r->conf.backoff_max;
	r->streak++;
	delay = delay / 2 + random() % (delay + 1);
	if (delay < 1)
		delay = 1;
	r->reconnect_at = run_now() + delay;
	r->state_dirty = true;
	mm_info("node %s: next attempt in %d s", r->conf.nodes[r->node].name, delay);
}

/* defaults, the file, the command line: into @c */
static int load_conf(struct run *r, struct mm_conf *c)
{
	struct mm_node *nodes[MM_MAX_NODES];
	int i;

	mm_conf_defaults(c);
	if (mm_conf_load(c, r->conf_path, r->conf_must_exist))
		goto fail;
	if (cli_nodes) {
		/* the command line's nodes replace the file's */
		mm_conf_clear_nodes(c);
		for (i = 0; i < cli_nodes; i++) {
			nodes[i] = mm_conf_add_node(c, NULL);
			if (!nodes[i])
				goto fail;
		}
	}
	for (i = 0; i < ncli; i++)
		if (mm_conf_set(c, cli[i].node < 0 ? NULL : nodes[cli[i].node], cli[i].key,
				cli[i].value))
			goto fail;
	if (mm_conf_check(c))
		goto fail;
	return 0;
fail:
	mm_conf_free(c);
	return -EINVAL;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_nodes(const struct mm_conf *a, const struct mm_conf *b)
{
	int i;

	if (a->nnodes != b->nnodes)
		return false;
	for (i = 0; i < a->nnodes; i++) {
		const struct mm_node *x = &a->nodes[i], *y = &b->nodes[i];

		if (!same_str(x->url, y->url) || !same_str(x->user, y->user) ||
		    !same_str(x->password, y->password) || !same_str(x->ca_file, y->ca_file) ||
		    x->pinned != y->pinned || memcmp(x->fingerprint, y->fingerprint, 32) ||
		    x->nspki != y->nspki || memcmp(x->spki, y->spki, sizeof(x->spki)))
			return false;
	}
	return true;
}

/* Node @n of @old in @new, by name: its index there, or -1. */
static int same_node(const struct mm_conf *old, const struct mm_conf *new, int n)
{
	int j;

	if (n < 0 || n >= old->nnodes)
		return -1;
	for (j = 0; j < new->nnodes && strcmp(new->nodes[j].name, old->nodes[n].name); j++)
		;
	return j < new->nnodes ? j : -1;
}

/* SIGHUP: the config file again; on any error the old settings stay. */
static void reload(struct run *r)
{
	struct mm_conf c;
	bool changed;
	int i;

	if (load_conf(r, &c)) {
		mm_err("reload of %s failed: the settings stay as they were", r->conf_path);
		return;
	}
	if (c.share_store && *c.share_store &&
	    (!r->conf.share_store || strcmp(c.share_store, r->conf.share_store)) &&
	    store_path_safe(c.share_store)) {
		mm_err("reload of %s refused: the settings stay as they were", r->conf_path);
		mm_conf_free(&c);
		return;
	}
	changed = !same_nodes(&r->conf, &c);
	/*
	 * The session ends under the nodes it was opened with (its shares
	 * awaiting answers wait again, to follow their node like the others).
	 */
	if (changed) {
		session_end(r, "the trusted nodes changed", false);
		conn_close(&r->probe.conn);
	}
	/* kept shares, and the module's jobs, follow their node by name */
	for (i = 0; i < r->store.n; i++)
		r->store.shares[i].node = same_node(&r->conf, &c, r->store.shares[i].node);
	for (i = 0; i < KERNEL_JOBS; i++)
		r->kjobs[i].node = same_node(&r->conf, &c, r->kjobs[i].node);
	mm_conf_free(&r->conf);
	r->conf = c;
	mm_log_setup(r->conf.log_level, r->conf.syslog);
	mm_info("reloaded %s%s", r->conf_path, changed ? ": new trusted nodes" : "");
	/* share-store-max may be lower now */
	store_limit(r);
	store_save(r);
	if (changed) {
		r->redirect_host[0] = r->redirect_port[0] = 0;
		r->node = 0;
		r->session_node = -1;
		r->failures = r->streak = 0;
		r->reconnect_at = run_now();
	}
	r->state_dirty = true;
}

/* SIGINT, SIGTERM and SIGHUP through a file descriptor; @old: the mask before */
static int signals(sigset_t *old)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, old))
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0) {
		fd = -errno;
		sigprocmask(SIG_SETMASK, old, NULL);
	}
	return fd;
}

static void on_signal(struct run *r, int fd)
{
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			r->reload = 1;
		else
			r->stopping = 1;
	}
}

/* One turn of the loop: wait up to @timeout_ms, then handle what came. */
static void turn(struct run *r, int sigfd, int timeout_ms)
{
	struct pollfd p[6];
	int n = 0, conn = -1, probe = -1;

	p[n++] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
	p[n++] = (struct pollfd){ .fd = r->module_gone ? -1 : nl_socket_get_fd(r->events.sock),
				  .events = POLLIN };
	p[n++] = (struct pollfd){ .fd = r->watch.sock ? nl_socket_get_fd(r->watch.sock) : -1,
				  .events = POLLIN };
	p[n++] = (struct pollfd){ .fd = r->cpu_fd, .events = POLLIN };
	if (r->state != SESSION_NONE) {
		conn = n;
		p[n++] = (struct pollfd){ .fd = r->conn.fd, .events = conn_events(&r->conn) };
	}
	if (r->probe.conn.state != CONN_CLOSED) {
		probe = n;
		p[n++] = (struct pollfd){ .fd = r->probe.conn.fd, .events = conn_events(&r->probe.conn) };
	}
	if (poll(p, n, timeout_ms) < 0 && errno != EINTR) {
		mm_err("poll: %s", strerror(errno));
		r->stopping = 1;
		return;
	}
	if (p[0].revents)
		on_signal(r, sigfd);
	/*
	 * The pool first, also what it sent since poll() returned: a clean job
	 * that came with a share voids the share before it goes out.
	 */
	if (conn >= 0 && p[1].revents && !p[conn].revents)
		poll(&p[conn], 1, 0);
	if (conn >= 0 && p[conn].revents && r->state != SESSION_NONE)
		session_io(r, p[conn].revents);
	if (p[1].revents)
		miner_event(r);
	if (p[2].revents)
		miner_watch(r);
	if (p[3].revents)
		miner_cpus(r);
	if (probe >= 0 && p[probe].revents && r->probe.conn.state != CONN_CLOSED)
		probe_io(r, p[probe].revents);
	session_pump(r);
}

/*
 * No pool for share-max-age: what the module finds now could not be sent
 * before it is stale, so it stops mining until a pool is back (which
 * sends new jobs).
 */
static void idle_without_pool(struct run *r, time_t now)
{
	if (r->state == SESSION_MINING || !r->pool_lost || !(r->running || r->queued) ||
	    now - r->pool_lost < r->conf.store_max_age)
		return;
	mm_warn("no pool for %lld s (share-max-age): mining stops until one is back",
		(long long)(now - r->pool_lost));
	miner_flush(r);
}

static void loop(struct run *r, int sigfd)
{
	time_t now, collected = 0;

	while (!r->stopping) {
		turn(r, sigfd, 1000);
		now = run_now();
		if (r->reload) {
			r->reload = 0;
			reload(r);
		}
		if (r->state == SESSION_NONE && now >= r->reconnect_at && !r->stopping) {
			r->reconnect_at = 0;
			session_start(r);
		}
		session_tick(r, now);
		probe_tick(r, now);
		miner_tick(r, now);
		idle_without_pool(r, now);
		store_tick(r, now, false);
		/* events can be lost (ENOBUFS); the share queue cannot */
		if (now - collected >= 2) {
			miner_collect(r);
			session_pump(r);
			collected = now;
		}
		state_write(r, false);
	}
}

/*
 * SIGTERM: no new work (the module flushed, and given no job while the
 * answers come in: a notify meanwhile is not mined); the module's last
 * shares out; the answers in.
 */
static void stop(struct run *r, int sigfd)
{
	time_t until = run_now() + STOP_WAIT;

	mm_info("stopping");
	miner_flush(r);
	miner_collect(r);
	session_pump(r);
	while (r->state == SESSION_MINING && r->store.sent && run_now() < until)
		turn(r, sigfd, 200);
	session_end(r, "stopping", false);
	store_tick(r, run_now(), true);
	conn_close(&r->probe.conn);
	state_remove(r);
	state_summary(r);
}

static int add_cli(int node, const char *key, const char *value)
{
	struct cli_setting *c = realloc(cli, (ncli + 1) * sizeof(*cli));

	if (!c)
		return -ENOMEM;
	cli = c;
	cli[ncli++] = (struct cli_setting){ node, key, value };
	return 0;
}

static int parse_args(struct run *r, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "url", required_argument, NULL, 'o' },
		{ "user", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'p' },
		{ "password-file", required_argument, NULL, 'P' },
		{ "ca-file", required_argument, NULL, 'C' },
		{ "fingerprint", required_argument, NULL, 'F' },
		{ "pinned-pubkey", required_argument, NULL, 'K' },
		{ "insecure", no_argument, NULL, 'I' },
		{ "set", required_argument, NULL, 's' },
		{ "node-set", required_argument, NULL, 'N' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "syslog", no_argument, NULL, 'S' },
		{ "check", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	static const struct mm_cmdline cl = { "run", usage, "c:o:u:p:s:nh", opts };
	static const char *const node_keys[] = {
		['o'] = "url", ['u'] = "user", ['p'] = "password", ['P'] = "password-file",
		['C'] = "ca-file",
		['F'] = "fingerprint", ['K'] = "pinned-pubkey",
	};
	int opt, ret = 0;
	char *eq;

	while ((opt = mm_getopt(argc, argv, &cl, &ret)) > 0) {
		switch (opt) {
		case 'c':
			r->conf_path = optarg;
			r->conf_must_exist = true;
			break;
		case 'o':
			if (cli_nodes == MM_MAX_NODES)
				return mm_usage_error(usage, "more than %d nodes", MM_MAX_NODES);
			cli_nodes++;
			/* fall through */
		case 'u':
		case 'p':
		case 'P':
		case 'C':
		case 'F':
		case 'K':
			if (!cli_nodes)
				return mm_usage_error(usage, "--%s belongs to a node: give --url first",
						      node_keys[opt]);
			ret = add_cli(cli_nodes - 1, node_keys[opt], optarg);
			break;
		case 'I':
			ret = add_cli(-1, "insecure", "yes");
			break;
		case 'n':
			r->check_only = true;
			break;
		case 'S':
			ret = add_cli(-1, "syslog", "yes");
			break;
		case 'L':
			ret = add_cli(-1, "log-level", optarg);
			break;
		case 's':
		case 'N':
			eq = strchr(optarg, '=');
			if (!eq || eq == optarg)
				return mm_usage_error(usage, "--%s wants KEY=VALUE",
						      opt == 's' ? "set" : "node-set");
			if (opt == 'N' && !cli_nodes)
				return mm_usage_error(usage, "--node-set belongs to a node: give --url first");
			*eq = 0;
			ret = add_cli(opt == 's' ? -1 : cli_nodes - 1, optarg, eq + 1);
			break;
		}
		if (ret)
			return EXIT_FAIL;
	}
	return opt < 0 ? ret : -1;
}

int cmd_run(int argc, char *argv[])
{
	struct run *r = calloc(1, sizeof(*r));
	int ret, sigfd = -1, i;
	sigset_t old;

	if (!r)
		return EXIT_FAIL;
	r->conn.fd = r->probe.conn.fd = r->cpu_fd = -1;
	r->conf_path = MM_DEFAULT_CONF;
	r->pool_slot = -1;
	r->session_node = -1;
	r->next_id = 1;
	ret = parse_args(r, argc, argv);
	if (ret >= 0)
		goto out;
	mm_log_setup(MM_LOG_INFO, false);
	if (load_conf(r, &r->conf)) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (r->check_only) {
		mm_conf_print(&r->conf, stdout);
		ret = EXIT_OK;
		goto conf;
	}
	mm_log_setup(r->conf.log_level, r->conf.syslog);
	srandom(getpid() ^ time(NULL));
	r->next_xn2 = random();
	/* module job ids of an earlier run (shares still queued) are not ours */
	r->next_kjob = random();
	sigfd = signals(&old);
	if (sigfd < 0) {
		mm_err("signals: %s", strerror(-sigfd));
		ret = EXIT_FAIL;
		goto conf;
	}
	ret = miner_open(r);
	if (ret)
		goto conf;
	mm_info("micromine %s: %d trusted node%s, first %s", MICROMINE_TOOL_VERSION,
		r->conf.nnodes, r->conf.nnodes == 1 ? "" : "s", r->conf.nodes[0].name);
	if (store_load(r)) {
		ret = EXIT_FAIL;
		miner_close(r);
		goto conf;
	}
	loop(r, sigfd);
	stop(r, sigfd);
	ret = EXIT_OK;
	miner_close(r);
conf:
	for (i = 0; i < POOL_JOBS; i++)
		stm_job_free(&r->pool_jobs[i].job);
	store_free(&r->store);
	mm_conf_free(&r->conf);
	if (sigfd >= 0) {
		close(sigfd);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
out:
	free(cli);
	cli = NULL;
	ncli = cli_nodes = 0;
	free(r);
	return ret;
}
