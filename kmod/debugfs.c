// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/micromine/: details for developers, no ABI.  Errors are
 * ignored, as debugfs asks of its users.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "backend.h"
#include "debugfs.h"
#include "job.h"
#include "share.h"
#include "worker.h"

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

/* each CPU's worker: its job, hashes, slices, last slice, pause time */
static int workers_show(struct seq_file *m, void *v)
{
	mine_workers_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(workers);

/* the running job in hex, and the queue */
static int jobs_show(struct seq_file *m, void *v)
{
	mine_jobs_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(jobs);

/* the shares not read yet */
static int shares_show(struct seq_file *m, void *v)
{
	mine_shares_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(shares);

void mine_debugfs_init(void)
{
	mine_debugfs_dir = debugfs_create_dir("micromine", NULL);
	debugfs_create_file("backends", 0444, mine_debugfs_dir, NULL, &backends_fops);
	debugfs_create_file("workers", 0444, mine_debugfs_dir, NULL, &workers_fops);
	debugfs_create_file("jobs", 0444, mine_debugfs_dir, NULL, &jobs_fops);
	debugfs_create_file("shares", 0444, mine_debugfs_dir, NULL, &shares_fops);
}

void mine_debugfs_exit(void)
{
	debugfs_remove_recursive(mine_debugfs_dir);
}
