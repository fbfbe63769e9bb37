/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the guest tests of the module, on top of the tool's own
 * user/query.c: settings, events, and the expected shares of a range
 * computed in userspace with the hashing core's reference code.
 */
#ifndef MICROMINE_MMTEST_H
#define MICROMINE_MMTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "genl.h"
#include "query.h"
#include "sha256d.h"

/* events received, in the order they came, with their event numbers */
struct mmt_events {
	struct mm_share *shares;
	size_t nshares;
	size_t cap;
	uint32_t started[256];
	uint64_t started_seq[256];
	size_t nstarted;
	uint32_t exhausted[256];
	uint64_t exhausted_seq[256];
	size_t nexhausted;
	int paused;
	uint64_t paused_seq;
	int resumed;
	uint64_t resumed_seq;
	int overruns;
	int unnumbered;
};

int mmt_set_enabled(struct mm_genl *g, bool on);
int mmt_set_u8(struct mm_genl *g, int attr, uint8_t v);
int mmt_set_str(struct mm_genl *g, int attr, const char *v);

int mmt_events_poll(struct mm_genl *ev, struct mmt_events *e, int timeout_ms);
bool mmt_wait_exhausted(struct mm_genl *ev, struct mmt_events *e, uint32_t id, int timeout_ms);
void mmt_events_free(struct mmt_events *e);
int mmt_shares_take(struct mm_genl *g, struct mm_share **shares, size_t *n);
int mmt_reset(struct mm_genl *g);
int mmt_busy_cpus(pid_t *pids);
void mmt_stop(const pid_t *pids, int n);

void mmt_hex(const char *hex, uint8_t *out, size_t n);
void mmt_target_top(uint8_t target[32], uint32_t top);
size_t mmt_expected(const uint8_t header[80], const uint8_t target[32], uint32_t version_mask,
		    uint32_t start, uint64_t count, uint64_t rolls, struct mm_share **out);
long mmt_match(const struct mm_share *want, size_t nwant, const struct mm_share *got,
	       size_t ngot, char *why, size_t whylen);
uint64_t mmt_now_ms(void);
int mmt_write(const char *path, const char *value);
const char *mmt_possible_cpus(void);
long long mmt_read_ll(const char *path);

#endif
