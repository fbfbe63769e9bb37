// SPDX-License-Identifier: GPL-2.0
/*
 * micromine: SHA-256d mining with the idle cycles of a machine.
 *
 * Module init and exit only; every part lives in its own file
 * (Documentation/architecture.rst).
 */

#include <linux/module.h>

#include "backend.h"
#include "config.h"
#include "debugfs.h"
#include "job.h"
#include "netlink.h"
#include "share.h"
#include "stats.h"
#include "sysfs.h"
#include "version.h"
#include "worker.h"

/*
 * What userspace reaches comes last and goes first: the netlink family
 * after every part it would touch is up, and debugfs (optional: its
 * failures are ignored) after that; nothing reaches a part not yet up or
 * already gone.
 */
static int __init mine_init(void)
{
	int ret;

	ret = mine_backends_init();
	if (ret)
		return ret;
	mine_stats_init();
	mine_jobs_init();
	ret = mine_shares_init();
	if (ret)
		return ret;
	ret = mine_config_init();
	if (ret)
		goto err_config;
	ret = mine_workers_init();
	if (ret)
		goto err_workers;
	ret = mine_sysfs_init();
	if (ret)
		goto err_sysfs;
	ret = mine_netlink_init();
	if (ret)
		goto err_netlink;
	mine_debugfs_init();

	pr_info("micromine " MICROMINE_VERSION " loaded, default backend %s\n",
		mine_backend_best()->name);
	return 0;

err_netlink:
	mine_sysfs_exit();
err_sysfs:
	mine_workers_exit();
err_workers:
	mine_jobs_exit();
	mine_config_exit();
err_config:
	mine_shares_exit();
	return ret;
}

static void __exit mine_exit(void)
{
	mine_debugfs_exit();
	mine_netlink_exit();
	mine_sysfs_exit();
	mine_workers_exit();
	mine_jobs_exit();
	mine_config_exit();
	mine_shares_exit();
}

module_init(mine_init);
module_exit(mine_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("SHA-256d mining with idle CPU cycles");
MODULE_AUTHOR("micromine developers");
MODULE_VERSION(MICROMINE_VERSION);
