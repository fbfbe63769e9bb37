// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/micromine/: details for developers, no ABI.  Errors are
 * ignored, as debugfs asks of its users.
 */

#include <linux/debugfs.h>

#include "debugfs.h"

static struct dentry *mine_debugfs_dir;

void mine_debugfs_init(void)
{
	mine_debugfs_dir = debugfs_create_dir("micromine", NULL);
}

void mine_debugfs_exit(void)
{
	debugfs_remove_recursive(mine_debugfs_dir);
}
