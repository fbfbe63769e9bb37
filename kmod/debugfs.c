// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/micromine/: details for developers, no ABI.  Errors are
 * ignored, as debugfs asks of its users.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "backend.h"
#include "debugfs.h"

static struct dentry *mine_debugfs_dir;

/* each backend: whether this CPU runs it, its self-test, its speed */
static int backends_show(struct seq_file *m, void *v)
{
	unsigned int i;

	seq_puts(m, "backend    lanes usable selftest nonces/s\n");
	for (i = 0; i < mine_backend_count; i++) {
		const struct mine_backend_info *info = &mine_backend_infos[i];

		seq_printf(m, "%-10s %5u %-6s %-8s %llu\n", info->backend->name,
			   info->backend->lanes, info->usable ? "yes" : "no",
			   !info->usable ? "-" : info->error ? "FAILED" : "passed",
			   info->rate);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(backends);

void mine_debugfs_init(void)
{
	mine_debugfs_dir = debugfs_create_dir("micromine", NULL);
	debugfs_create_file("backends", 0444, mine_debugfs_dir, NULL, &backends_fops);
}

void mine_debugfs_exit(void)
{
	debugfs_remove_recursive(mine_debugfs_dir);
}
