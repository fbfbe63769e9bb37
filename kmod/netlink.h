/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_NETLINK_H
#define MICROMINE_NETLINK_H

int mine_netlink_init(void);
void mine_netlink_exit(void);

#endif
