/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_WORKER_H
#define MICROMINE_WORKER_H

int mine_workers_init(void);
void mine_workers_exit(void);
void mine_workers_kick(void);

struct seq_file;
void mine_workers_show(struct seq_file *m);

#endif
