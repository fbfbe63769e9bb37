/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_WORKER_H
#define MICROMINE_WORKER_H

/**
 * enum mine_wake - what changed, for mine_workers_wake()
 * @MINE_WAKE_WORK: another job runs, or a range of it was given back
 * @MINE_WAKE_SETTINGS: the settings changed, or suspend starts or ends
 */
enum mine_wake {
	MINE_WAKE_WORK,
	MINE_WAKE_SETTINGS,
};

int mine_workers_init(void);
void mine_workers_exit(void);
void mine_workers_wake(enum mine_wake what);

struct seq_file;
void mine_workers_show(struct seq_file *m);

#endif
