/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_NETLINK_H
#define MICROMINE_NETLINK_H

#include <linux/types.h>

struct mine_share;

int mine_netlink_init(void);
void mine_netlink_exit(void);
u64 mine_nl_event_seq(void);
void mine_nl_notify_share(const struct mine_share *s);
void mine_nl_notify_job(u8 cmd, u32 id, u64 seq);
void mine_nl_notify_enabled(bool enabled, u64 seq);

#endif
