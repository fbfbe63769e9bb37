// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "micromine"
 * (Documentation/netlink/specs/micromine.yaml).
 */

#include <net/genetlink.h>

#include "netlink.h"
#include "version.h"

static const struct genl_multicast_group mine_mcgrps[] = {
	{ .name = "events", },
};

static struct genl_family mine_family __ro_after_init = {
	.name = "micromine",
	.version = 1,
	.module = THIS_MODULE,
	.mcgrps = mine_mcgrps,
	.n_mcgrps = ARRAY_SIZE(mine_mcgrps),
};

int __init mine_netlink_init(void)
{
	return genl_register_family(&mine_family);
}

void mine_netlink_exit(void)
{
	genl_unregister_family(&mine_family);
}
