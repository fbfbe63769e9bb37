// SPDX-License-Identifier: GPL-2.0
/*
 * Line-oriented connections to pools, over TCP or TLS (OpenSSL), driven
 * by the caller's poll loop: nothing here blocks, not even the name
 * lookup (a thread of its own).
 * TLS trusts a server by its CA (ca_file, with the host name checked), by
 * the SHA-256 of its certificate (pinned), by both, or - only when the
 * user said --insecure - by nothing.  A line longer than max_line is
 * skipped up to its end and reported, never cut into pieces.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "conn.h"
#include "hex.h"

#define RX_CHUNK	4096

static int fail(char *why, size_t whylen, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *why, size_t whylen, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return err;
}

/* CLOCK_MONOTONIC seconds, as run_now() */
static time_t mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

/* OpenSSL's reason for the last failure, or @fallback */
static const char *ssl_reason(char *buf, size_t size, const char *fallback)
{
	unsigned long e = ERR_get_error();

	if (!e)
		return fallback;
	ERR_error_string_n(e, buf, size);
	ERR_clear_error();
	return buf;
}

static bool is_address(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

/*
 * The name lookup runs in a thread of its own, so that a slow or dead
 * resolver never stalls the loop (shares to send, the module's events,
 * signals): it says it is done on a socket the loop polls.  Whoever lets
 * go of it last, the thread or the connection (or the orphans below),
 * frees it.
 */
struct lookup {
	atomic_int refs;
	atomic_bool done;
	int done_fd;		/* the thread's end of the socket pair */
	int wait_fd;		/* an orphan's: the loop's end */
	bool orphaned;		/* in orphans; under orphans_lock */
	struct lookup *next;	/* in orphans */
	char host[256];
	char port[8];
	struct addrinfo *addrs;
	int err;		/* getaddrinfo()'s answer */
	int sys_errno;		/* and errno, for EAI_SYSTEM */
};

/*
 * Lookups whose connection was closed before they ended: the next
 * connection to the same host and port takes one over rather than start
 * another thread, so that a name server that never answers keeps one
 * thread per host waiting, not one per attempt.  An orphan's thread
 * frees it when the answer comes, socket pair and all; the lock is
 * between that thread and the loop's.
 */
static struct lookup *orphans;
static pthread_mutex_t orphans_lock = PTHREAD_MUTEX_INITIALIZER;

static void lookup_put(struct lookup *l)
{
	if (atomic_fetch_sub(&l->refs, 1) != 1)
		return;
	if (l->addrs)
		freeaddrinfo(l->addrs);
	close(l->done_fd);
	free(l);
}

static void *lookup_run(void *arg)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
	struct lookup *l = arg;
	char one = 1;

	l->err = getaddrinfo(l->host, l->port, &hints, &l->addrs);
	l->sys_errno = errno;
	pthread_mutex_lock(&orphans_lock);
	atomic_store(&l->done, true);
	if (l->orphaned) {
		struct lookup **p = &orphans;

		while (*p != l)
			p = &(*p)->next;
		*p = l->next;
		close(l->wait_fd);
		lookup_put(l);	/* the orphans' reference */
	}
	pthread_mutex_unlock(&orphans_lock);
	send(l->done_fd, &one, 1, MSG_NOSIGNAL);
	lookup_put(l);
	return NULL;
}

/* Keep @c's lookup, if it has not ended, for the next connection. */
static void lookup_orphan(struct conn *c)
{
	struct lookup *l = c->lookup;

	c->lookup = NULL;
	pthread_mutex_lock(&orphans_lock);
	if (atomic_load(&l->done)) {
		pthread_mutex_unlock(&orphans_lock);
		lookup_put(l);	/* c->fd is closed with the connection */
		return;
	}
	l->wait_fd = c->fd;
	c->fd = -1;
	l->orphaned = true;
	l->next = orphans;
	orphans = l;
	pthread_mutex_unlock(&orphans_lock);
}

/* @c takes over an orphan of its host and port that is still waiting. */
static bool lookup_adopt(struct conn *c)
{
	struct lookup **p, *l;

	pthread_mutex_lock(&orphans_lock);
	for (p = &orphans; (l = *p); p = &l->next) {
		if (strcmp(l->host, c->host) || strcmp(l->port, c->port))
			continue;
		*p = l->next;
		l->orphaned = false;
		c->fd = l->wait_fd;
		c->lookup = l;
		c->state = CONN_RESOLVING;
		break;
	}
	pthread_mutex_unlock(&orphans_lock);
	return c->lookup;
}

/*
 * Start the lookup of @c->host, or take over an earlier connection's that
 * is still waiting; @c->fd says when it is done.
 */
static int lookup_start(struct conn *c, char *why, size_t whylen)
{
	struct lookup *l;
	pthread_attr_t attr;
	pthread_t thread;
	int sv[2], ret;

	if (lookup_adopt(c))
		return 0;
	l = calloc(1, sizeof(*l));
	if (!l)
		return fail(why, whylen, -ENOMEM, "out of memory");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		ret = -errno;
		free(l);
		return fail(why, whylen, ret, "socketpair: %s", strerror(-ret));
	}
	c->fd = sv[0];
	l->done_fd = sv[1];
	snprintf(l->host, sizeof(l->host), "%s", c->host);
	snprintf(l->port, sizeof(l->port), "%s", c->port);
	atomic_init(&l->refs, 2);
	atomic_init(&l->done, false);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&thread, &attr, lookup_run, l);
	pthread_attr_destroy(&attr);
	if (ret) {
		atomic_init(&l->refs, 1);
		lookup_put(l);
		return fail(why, whylen, -ret, "cannot start the name lookup: %s", strerror(ret));
	}
	c->lookup = l;
	c->state = CONN_RESOLVING;
	c->since = mono_now();
	return 0;
}

/* Connect to the next address of the host; 0, or a negative errno. */
static int connect_next(struct conn *c, char *why, size_t whylen)
{
	int one = 1, ret = 0;

	while (c->next_addr) {
		struct addrinfo *ai = c->next_addr;

		c->next_addr = ai->ai_next;
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, c->addr, sizeof(c->addr), NULL, 0,
				NI_NUMERICHOST))
			snprintf(c->addr, sizeof(c->addr), "?");
		c->since = mono_now();
		if (c->fd >= 0)
			close(c->fd);
		c->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (c->fd < 0) {
			ret = fail(why, whylen, -errno, "socket: %s", strerror(errno));
			continue;
		}
		setsockopt(c->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS) {
			ret = fail(why, whylen, -errno, "connect to %s: %s", c->addr, strerror(errno));
			continue;
		}
		if (c->ssl && !SSL_set_fd(c->ssl, c->fd))
			return fail(why, whylen, -ENOMEM, "TLS setup failed");
		c->state = CONN_CONNECTING;
		return 0;
	}
	/* every address failed: the last one's reason */
	return ret ?: fail(why, whylen, -EHOSTUNREACH, "the host has no address");
}

/* The lookup is done: on to the first address. */
static int resolved(struct conn *c, char *why, size_t whylen)
{
	struct lookup *l = c->lookup;
	char byte;
	int ret, err;

	if (recv(c->fd, &byte, 1, MSG_DONTWAIT) != 1 && !atomic_load(&l->done))
		return 0;
	close(c->fd);
	c->fd = -1;
	c->lookup = NULL;
	ret = l->err;
	err = l->sys_errno;
	c->addrs = l->addrs;
	l->addrs = NULL;
	lookup_put(l);
	if (ret)
		return fail(why, whylen, -EHOSTUNREACH, "cannot resolve the host: %s",
			    ret == EAI_SYSTEM ? strerror(err) : gai_strerror(ret));
	c->next_addr = c->addrs;
	return connect_next(c, why, whylen);
}

/* TLS context and session: whom to trust, the name to ask for and check. */
static int tls_setup(struct conn *c, const struct conn_target *t, char *why, size_t whylen)
{
	bool verify;

	c->ctx = SSL_CTX_new(TLS_client_method());
	if (!c->ctx || !SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION))
		return fail(why, whylen, -ENOMEM, "TLS setup failed");
	/* the CAs of ca-file or, unless pinned or insecure, the system's */
	verify = t->ca_file || (!t->pin && !(t->spki && t->nspki) && !t->insecure);
	if (t->ca_file) {
		if (!SSL_CTX_load_verify_locations(c->ctx, t->ca_file, NULL)) {
			char buf[256];

			return fail(why, whylen, -EINVAL, "ca-file: %s",
				    ssl_reason(buf, sizeof(buf), "cannot load it"));
		}
	} else if (verify && !SSL_CTX_set_default_verify_paths(c->ctx)) {
		return fail(why, whylen, -EINVAL, "TLS: the system's CA store cannot be loaded");
	}
	/* pinned: checked after the handshake */
	SSL_CTX_set_verify(c->ctx, verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, NULL);
	c->ssl = SSL_new(c->ctx);
	if (!c->ssl)
		return fail(why, whylen, -ENOMEM, "TLS setup failed");
	/* the send buffer may grow (move) between a WANT_WRITE and its retry */
	SSL_set_mode(c->ssl, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (is_address(c->host)) {
		if (verify && !X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), c->host))
			return fail(why, whylen, -ENOMEM, "TLS setup failed");
	} else {
		if (!SSL_set_tlsext_host_name(c->ssl, c->host) ||
		    (verify && !SSL_set1_host(c->ssl, c->host)))
			return fail(why, whylen, -ENOMEM, "TLS setup failed");
	}
	return 0;
}

/**
 * conn_open() - start connecting: the name lookup first, then each of the
 *	host's addresses in turn until one takes the connection
 * @c: the connection, closed
 * @t: where to and how
 * @why: why it failed
 * @whylen: room in @why
 *
 * Return: 0 (under way: conn_io() goes on), or a negative errno.
 */
int conn_open(struct conn *c, const struct conn_target *t, char *why, size_t whylen)
{
	int ret;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->tls = t->tls;
	c->max_line = t->max_line;
	c->connect_timeout = t->connect_timeout;
	snprintf(c->host, sizeof(c->host), "%s", t->host);
	snprintf(c->port, sizeof(c->port), "%s", t->port);
	if (t->pin) {
		memcpy(c->pin, t->pin, sizeof(c->pin));
		c->pinned = true;
	}
	if (t->spki && t->nspki > 0 && t->nspki <= CONN_MAX_PINS) {
		memcpy(c->spki, t->spki, t->nspki * sizeof(c->spki[0]));
		c->nspki = t->nspki;
	}
	c->since = mono_now();	/* (an adopted lookup keeps this start) */
	ret = c->tls ? tls_setup(c, t, why, whylen) : 0;
	if (!ret)
		ret = lookup_start(c, why, whylen);
	if (ret)
		conn_close(c);
	return ret;
}

/* The poll events the connection waits for. */
short conn_events(const struct conn *c)
{
	switch (c->state) {
	case CONN_RESOLVING:
		return POLLIN;
	case CONN_CONNECTING:
		return POLLOUT;
	case CONN_HANDSHAKE:
		return c->ssl_wants_write ? POLLOUT : POLLIN;
	case CONN_OPEN:
		return POLLIN | (c->tx_len || c->ssl_wants_write ? POLLOUT : 0);
	default:
		return 0;
	}
}

/* SHA-256 of @cert's public key (DER SubjectPublicKeyInfo); 0 or -1 */
static int spki_hash(X509 *cert, unsigned char md[32])
{
	unsigned char *der = NULL;
	unsigned int len = 0;
	int n;

	n = i2d_PUBKEY(X509_get0_pubkey(cert), &der);
	if (n <= 0)
		return -1;
	if (!EVP_Digest(der, n, md, &len, EVP_sha256(), NULL))
		len = 0;
	OPENSSL_free(der);
	return len == 32 ? 0 : -1;
}

/* The pins (certificate, public keys) against the server's certificate. */
static int check_pin(struct conn *c, char *why, size_t whylen)
{
	unsigned char md[EVP_MAX_MD_SIZE], key[32] = { 0 };
	char hex[2 * 32 + 1], b64[48];
	unsigned int len = 0;
	int i, ret = 0;
	X509 *cert;

	if (!c->pinned && !c->nspki)
		return 0;
	cert = SSL_get1_peer_certificate(c->ssl);
	if (!cert)
		return fail(why, whylen, -EPERM, "the server showed no certificate");
	if (c->pinned) {
		if (!X509_digest(cert, EVP_sha256(), md, &len) || len != 32)
			len = 0;
		if (len != 32 || CRYPTO_memcmp(md, c->pin, 32)) {
			mm_hex_encode(md, 32, false, hex);
			ret = fail(why, whylen, -EPERM,
				   "the server's certificate (SHA-256 %s) is not the pinned one",
				   len ? hex : "?");
		}
	}
	if (!ret && c->nspki) {
		ret = -EPERM;
		if (!spki_hash(cert, key))
			for (i = 0; i < c->nspki; i++)
				if (!CRYPTO_memcmp(key, c->spki[i], 32))
					ret = 0;
		if (ret) {
			EVP_EncodeBlock((unsigned char *)b64, key, 32);
			fail(why, whylen, ret, "the server's public key (sha256//%s) is not a pinned one",
			     b64);
		}
	}
	X509_free(cert);
	return ret;
}

static int handshake(struct conn *c, char *why, size_t whylen)
{
	char buf[256];
	long verify;
	int ret;

	ERR_clear_error();
	ret = SSL_connect(c->ssl);
	if (ret == 1) {
		c->ssl_wants_write = false;
		ret = check_pin(c, why, whylen);
		if (ret)
			return ret;
		c->state = CONN_OPEN;
		c->since = mono_now();
		return 1;
	}
	switch (SSL_get_error(c->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		c->ssl_wants_write = false;
		return 0;
	case SSL_ERROR_WANT_WRITE:
		c->ssl_wants_write = true;
		return 0;
	}
	verify = SSL_get_verify_result(c->ssl);
	if (verify != X509_V_OK)
		return fail(why, whylen, -EPERM, "TLS: the server's certificate is not trusted: %s",
			    X509_verify_cert_error_string(verify));
	return fail(why, whylen, -EPROTO, "TLS handshake failed: %s",
		    ssl_reason(buf, sizeof(buf), "the server closed the connection"));
}

/* Send what is queued; 0, or a negative errno. */
static int flush(struct conn *c, char *why, size_t whylen)
{
	while (c->tx_len) {
		ssize_t n;

		if (c->ssl) {
			ERR_clear_error();
			n = SSL_write(c->ssl, c->tx, c->tx_len);
			if (n <= 0) {
				int e = SSL_get_error(c->ssl, n);

				c->ssl_wants_write = e == SSL_ERROR_WANT_WRITE;
				if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
					return 0;
				return fail(why, whylen, -EPIPE, "TLS write failed");
			}
			c->ssl_wants_write = false;
		} else {
			n = send(c->fd, c->tx, c->tx_len, MSG_NOSIGNAL);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					return 0;
				return fail(why, whylen, -errno, "send: %s", strerror(errno));
			}
		}
		memmove(c->tx, c->tx + n, c->tx_len - n);
		c->tx_len -= n;
	}
	return 0;
}

/* Hand over every whole line in the buffer; skip overlong ones. */
static int split(struct conn *c, conn_line_cb cb, void *arg)
{
	size_t start = 0;
	char *nl;
	int ret = 0;

	while (!ret && (nl = memchr(c->rx + start, '\n', c->rx_len - start))) {
		size_t len = nl - (c->rx + start);

		if (c->discarding) {
			c->discarding = false;
		} else {
			if (len && c->rx[start + len - 1] == '\r')
				len--;
			c->rx[start + len] = 0;
			if (len)
				ret = cb(arg, c->rx + start, len);
		}
		start = nl - c->rx + 1;
	}
	memmove(c->rx, c->rx + start, c->rx_len - start);
	c->rx_len -= start;
	if (!ret && c->rx_len > c->max_line) {
		/* too long already: drop it and the rest of it */
		if (!c->discarding)
			ret = cb(arg, NULL, c->rx_len);
		c->discarding = true;
		c->rx_len = 0;
	}
	return ret;
}

static int receive(struct conn *c, conn_line_cb cb, void *arg, char *why, size_t whylen)
{
	for (;;) {
		ssize_t n;
		int ret;

		if (!c->rx) {
			c->rx = malloc(c->max_line + RX_CHUNK + 1);
			if (!c->rx)
				return -ENOMEM;
		}
		if (c->ssl) {
			ERR_clear_error();
			n = SSL_read(c->ssl, c->rx + c->rx_len, RX_CHUNK);
			if (n <= 0) {
				int e = SSL_get_error(c->ssl, n);

				if (e == SSL_ERROR_WANT_READ)
					return 0;
				if (e == SSL_ERROR_WANT_WRITE) {
					c->ssl_wants_write = true;
					return 0;
				}
				if (e == SSL_ERROR_ZERO_RETURN)
					return fail(why, whylen, -ECONNRESET, "the pool closed the connection");
				return fail(why, whylen, -ECONNRESET, "TLS read failed (connection lost)");
			}
		} else {
			n = recv(c->fd, c->rx + c->rx_len, RX_CHUNK, 0);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					return 0;
				return fail(why, whylen, -errno, "recv: %s", strerror(errno));
			}
			if (!n)
				return fail(why, whylen, -ECONNRESET, "the pool closed the connection");
		}
		c->rx_len += n;
		ret = split(c, cb, arg);
		if (ret)
			return ret;
	}
}

/**
 * conn_io() - go on after poll() said the socket is ready
 * @c: the connection
 * @revents: what poll() said
 * @cb: called for each line received
 * @arg: passed to @cb
 * @why: why the connection failed
 * @whylen: room in @why
 *
 * Return: 1 when the connection has just opened (TLS: handshake done and
 * the server trusted), 0 to go on, @cb's non-zero return, or a negative
 * errno when the connection failed (close it).
 */
int conn_io(struct conn *c, short revents, conn_line_cb cb, void *arg, char *why,
	    size_t whylen)
{
	int ret, err = 0;
	socklen_t len = sizeof(err);

	switch (c->state) {
	case CONN_RESOLVING:
		if (!(revents & (POLLIN | POLLERR | POLLHUP)))
			return 0;
		return resolved(c, why, whylen);
	case CONN_CONNECTING:
		if (!(revents & (POLLOUT | POLLERR | POLLHUP)))
			return 0;
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err) {
			/* the next address, if the host has another */
			ret = fail(why, whylen, -err, "connect to %s: %s", c->addr, strerror(err));
			return c->next_addr ? connect_next(c, why, whylen) : ret;
		}
		if (!c->tls) {
			c->state = CONN_OPEN;
			c->since = mono_now();
			return 1;
		}
		c->state = CONN_HANDSHAKE;
		c->since = mono_now();
		return handshake(c, why, whylen);
	case CONN_HANDSHAKE:
		return handshake(c, why, whylen);
	case CONN_OPEN:
		if (revents & (POLLOUT | POLLIN)) {
			ret = flush(c, why, whylen);
			if (ret)
				return ret;
		}
		if (revents & (POLLIN | POLLHUP | POLLERR))
			return receive(c, cb, arg, why, whylen);
		return 0;
	default:
		return fail(why, whylen, -ENOTCONN, "not connected");
	}
}

/**
 * conn_send() - queue a line; it goes out as the socket takes it
 * @c: the connection
 * @line: the line, with its newline
 *
 * Return: 0 or -ENOMEM.
 */
int conn_send(struct conn *c, const char *line)
{
	size_t n = strlen(line);

	if (c->tx_len + n > c->tx_cap) {
		size_t cap = (c->tx_len + n) * 2;
		char *tx = realloc(c->tx, cap);

		if (!tx)
			return -ENOMEM;
		c->tx = tx;
		c->tx_cap = cap;
	}
	memcpy(c->tx + c->tx_len, line, n);
	c->tx_len += n;
	return 0;
}

/**
 * conn_tick() - the connect timeout of the address being tried
 * @c: the connection
 * @why: why it failed, or which address gave no answer
 * @whylen: room in @why
 *
 * Call it once a second or so.  An address that has not taken the
 * connection in its time is left for the host's next one.
 *
 * Return: 0, 1 when it moved on to the next address (@why says why), or
 * a negative errno when no address is left (close it).
 */
int conn_tick(struct conn *c, char *why, size_t whylen)
{
	char addr[sizeof(c->addr)];
	int ret;

	/* (whole seconds: more than the timeout, not up to one less) */
	if (c->state != CONN_CONNECTING || c->connect_timeout <= 0 ||
	    mono_now() - c->since <= c->connect_timeout)
		return 0;
	snprintf(addr, sizeof(addr), "%s", c->addr);
	if (!c->next_addr)
		return fail(why, whylen, -ETIMEDOUT, "connect to %s: no answer in %d s", addr,
			    c->connect_timeout);
	ret = connect_next(c, why, whylen);
	if (ret)
		return ret;
	fail(why, whylen, 0, "%s: no answer in %d s, trying %s", addr, c->connect_timeout,
	     c->addr);
	return 1;
}

/**
 * conn_stage_age() - how long the current stage has been going on
 * @c: the connection
 *
 * Return: seconds since the lookup, the current address's connect or the
 * TLS handshake began; since the connection opened, once it is open.
 */
time_t conn_stage_age(const struct conn *c)
{
	return mono_now() - c->since;
}

void conn_close(struct conn *c)
{
	if (c->ssl) {
		/* a quiet goodbye: no waiting for the server's */
		SSL_set_quiet_shutdown(c->ssl, 1);
		SSL_free(c->ssl);
	}
	SSL_CTX_free(c->ctx);
	if (c->lookup)
		lookup_orphan(c);
	if (c->addrs)
		freeaddrinfo(c->addrs);
	if (c->fd >= 0)
		close(c->fd);
	free(c->rx);
	free(c->tx);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->state = CONN_CLOSED;
}
