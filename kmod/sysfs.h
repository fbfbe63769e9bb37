/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_SYSFS_H
#define MICROMINE_SYSFS_H

int mine_sysfs_init(void);
void mine_sysfs_exit(void);

#endif
