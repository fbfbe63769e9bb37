/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A line-oriented connection to a pool: TCP, or TLS with OpenSSL, never
 * blocking (not even for the name lookup), with a limit on the length of
 * the lines it takes.
 */
#ifndef MICROMINE_CONN_H
#define MICROMINE_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <openssl/ssl.h>

struct lookup;

#define CONN_MAX_PINS	4	/* public keys a connection may accept */

enum conn_state {
	CONN_CLOSED,
	CONN_RESOLVING,		/* the host's addresses are being looked up */
	CONN_CONNECTING,	/* TCP connect under way */
	CONN_HANDSHAKE,		/* TLS handshake under way */
	CONN_OPEN,
};

/**
 * struct conn - one connection
 * @state: where it is
 * @fd: the socket; while resolving, where the lookup says it is done
 * @lookup: the name lookup under way, or NULL
 * @addrs: the host's addresses
 * @next_addr: the next of them to try if this one fails
 * @addr: the address being connected to, for messages
 * @since: when the current stage (lookup, an address's connect, the TLS
 *	handshake) began, CLOCK_MONOTONIC seconds
 * @connect_timeout: seconds an address has to take the connection
 * @port: the port, for messages
 * @ssl: the TLS session, or NULL for TCP
 * @ctx: its context
 * @tls: the connection is to be TLS
 * @pin: SHA-256 of the certificate the server must show, or NULL
 * @spki: SHA-256 of the public keys the server may show (one of them)
 * @nspki: how many
 * @host: the host, for SNI and certificate checks
 * @rx: bytes received and not yet a whole line
 * @rx_len: how many
 * @max_line: the longest line taken, in bytes
 * @discarding: the rest of an overlong line is being skipped
 * @tx: bytes waiting to be sent
 * @tx_len: how many
 * @tx_cap: room in @tx
 * @ssl_wants_write: OpenSSL needs the socket writable to go on
 */
struct conn {
	enum conn_state state;
	int fd;
	struct lookup *lookup;
	struct addrinfo *addrs;
	struct addrinfo *next_addr;
	char addr[64];
	time_t since;
	int connect_timeout;
	char port[8];
	SSL *ssl;
	SSL_CTX *ctx;
	bool tls;
	uint8_t pin[32];
	bool pinned;
	uint8_t spki[CONN_MAX_PINS][32];
	int nspki;
	char host[256];
	char *rx;
	size_t rx_len;
	size_t max_line;
	bool discarding;
	char *tx;
	size_t tx_len;
	size_t tx_cap;
	bool ssl_wants_write;
};

/*
 * Called for each line received (without its end), or with @line NULL for
 * a line longer than the limit (skipped).  Non-zero stops reading.
 */
typedef int (*conn_line_cb)(void *arg, const char *line, size_t len);

/**
 * struct conn_target - where to connect and how to trust it
 * @host: host name or address
 * @port: port
 * @tls: use TLS
 * @ca_file: CAs to verify the server with, or NULL
 * @pin: SHA-256 of the server's certificate, or NULL
 * @spki: SHA-256 of public keys the server may show (any of them), or NULL
 * @nspki: how many
 * @insecure: neither a CA file nor a pin: trust any certificate, not the
 *	system's CA store
 * @max_line: the longest line to take
 * @connect_timeout: seconds each of the host's addresses has to take the
 *	connection before the next is tried (one that drops packets, as a
 *	broken IPv6 route does, would otherwise take the attempt's time)
 */
struct conn_target {
	const char *host;
	const char *port;
	bool tls;
	const char *ca_file;
	const uint8_t *pin;
	const uint8_t (*spki)[32];
	int nspki;
	bool insecure;
	size_t max_line;
	int connect_timeout;
};

int conn_open(struct conn *c, const struct conn_target *t, char *why, size_t whylen);
short conn_events(const struct conn *c);
int conn_io(struct conn *c, short revents, conn_line_cb cb, void *arg, char *why,
	    size_t whylen);
int conn_send(struct conn *c, const char *line);
int conn_tick(struct conn *c, char *why, size_t whylen);
time_t conn_stage_age(const struct conn *c);
void conn_close(struct conn *c);

#endif
