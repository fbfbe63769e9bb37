// SPDX-License-Identifier: GPL-2.0
/*
 * micromine: SHA-256d mining with the idle cycles of a machine.
 *
 * Module init and exit only; every part lives in its own file.
 */

#include <linux/module.h>

#include "backend.h"
#include "debugfs.h"
#include "netlink.h"
#include "sysfs.h"
#include "version.h"

static int __init mine_init(void)
{
	int ret;

	ret = mine_backends_init();
	if (ret)
		return ret;
	ret = mine_sysfs_init();
	if (ret)
		goto err_sysfs;
	mine_debugfs_init();
	ret = mine_netlink_init();
	if (ret)
		goto err_netlink;

	pr_info("micromine " MICROMINE_VERSION " loaded, default backend %s\n",
		mine_backend_best()->name);
	return 0;

err_netlink:
	mine_debugfs_exit();
	mine_sysfs_exit();
err_sysfs:
	return ret;
}

static void __exit mine_exit(void)
{
	mine_netlink_exit();
	mine_debugfs_exit();
	mine_sysfs_exit();
}

module_init(mine_init);
module_exit(mine_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("SHA-256d mining with idle CPU cycles");
MODULE_AUTHOR("micromine developers");
MODULE_VERSION(MICROMINE_VERSION);
