/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_DEBUGFS_H
#define MICROMINE_DEBUGFS_H

void mine_debugfs_init(void);
void mine_debugfs_exit(void);

#endif
