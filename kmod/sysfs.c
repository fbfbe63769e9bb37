// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/micromine/: the stable, documented view of the miner, one
 * value per file (Documentation/ABI/testing/sysfs-kernel-micromine).
 */

#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "sysfs.h"
#include "version.h"

static struct kobject *mine_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", MICROMINE_VERSION);
}

static struct kobj_attribute version_attr = __ATTR_RO(version);

static struct attribute *mine_attrs[] = {
	&version_attr.attr,
	NULL,
};

static const struct attribute_group mine_attr_group = {
	.attrs = mine_attrs,
};

int mine_sysfs_init(void)
{
	int ret;

	mine_kobj = kobject_create_and_add("micromine", kernel_kobj);
	if (!mine_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(mine_kobj, &mine_attr_group);
	if (ret) {
		kobject_put(mine_kobj);
		return ret;
	}
	return 0;
}

void mine_sysfs_exit(void)
{
	sysfs_remove_group(mine_kobj, &mine_attr_group);
	kobject_put(mine_kobj);
}
