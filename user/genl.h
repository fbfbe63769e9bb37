/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The micromine generic netlink family from userspace, with libnl-genl:
 * requests, dumps, events, and the kernel's extended error messages with
 * the offending attribute named.
 */
#ifndef MICROMINE_GENL_H
#define MICROMINE_GENL_H

#include <stdint.h>
#include <netlink/genl/genl.h>
#include <linux/micromine.h>

/* more than the largest attribute number of any set */
#define MM_ATTR_MAX	24

/**
 * struct mm_genl - a netlink socket talking to the family
 * @sock: the libnl socket
 * @family: the family's id
 * @events: the events group's id
 * @error: why the last request failed, as the kernel said it
 * @err: its errno (negative), 0 if it did not fail
 * @last: the last request, to name the attribute an error points at
 */
struct mm_genl {
	struct nl_sock *sock;
	int family;
	int events;
	char error[512];
	int err;
	struct nl_msg *last;
};

/*
 * Called for each reply (or event): @tb holds its attributes by type (the
 * last of each), @nlh the whole message for attributes that repeat.
 */
typedef int (*mm_genl_cb)(uint8_t cmd, struct nlattr **tb, struct nlmsghdr *nlh,
			  void *arg);

/**
 * struct mm_family_news - the family registered or unregistered
 * @added: id of the family registered last (module loaded), 0: none
 * @removed: id of the family unregistered last (module unloaded), 0: none
 */
struct mm_family_news {
	int added;
	int removed;
};

int mm_genl_open(struct mm_genl *g);
void mm_genl_close(struct mm_genl *g);
struct nl_msg *mm_genl_msg(struct mm_genl *g, uint8_t cmd, int flags);
int mm_genl_run(struct mm_genl *g, struct nl_msg *msg, mm_genl_cb cb, void *arg);
int mm_genl_subscribe(struct mm_genl *g);
int mm_genl_events(struct mm_genl *g, int timeout_ms, mm_genl_cb cb, void *arg);
int mm_genl_watch(struct mm_genl *g);
int mm_genl_family_news(struct mm_genl *g, struct mm_family_news *news);
const char *mm_attr_name(uint8_t cmd, int type);
const char *mm_cmd_name(uint8_t cmd);

#endif
