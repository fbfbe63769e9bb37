// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/micromine/: the stable, documented view of the miner, one
 * value per file (Documentation/ABI/testing/sysfs-kernel-micromine).
 * Writes to the controls go through the same checks as netlink's
 * config-set and fail with -EINVAL on bad input.
 */

#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "backend.h"
#include "config.h"
#include "job.h"
#include "share.h"
#include "stats.h"
#include "sysfs.h"
#include "version.h"

static struct kobject *mine_kobj;

static int change(struct mine_config_change *ch)
{
	return mine_config_change(ch, NULL);
}

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	bool enabled;

	rcu_read_lock();
	enabled = rcu_dereference(mine_config)->enabled;
	rcu_read_unlock();
	return sysfs_emit(buf, "%d\n", enabled);
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct mine_config_change ch = { .set = MINE_SET_ENABLED };
	int ret;

	ret = kstrtobool(buf, &ch.enabled);
	if (!ret)
		ret = change(&ch);
	return ret ?: count;
}

static struct kobj_attribute enabled_attr = __ATTR_RW(enabled);

static ssize_t duty_cycle_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	unsigned int duty;

	rcu_read_lock();
	duty = rcu_dereference(mine_config)->duty_cycle;
	rcu_read_unlock();
	return sysfs_emit(buf, "%u\n", duty);
}

static ssize_t duty_cycle_store(struct kobject *kobj, struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	struct mine_config_change ch = { .set = MINE_SET_DUTY_CYCLE };
	int ret;

	ret = kstrtou8(buf, 10, &ch.duty_cycle);
	if (!ret)
		ret = change(&ch);
	return ret ?: count;
}

static struct kobj_attribute duty_cycle_attr = __ATTR_RW(duty_cycle);

static ssize_t cpus_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	ssize_t len;

	rcu_read_lock();
	len = sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(&rcu_dereference(mine_config)->cpus));
	rcu_read_unlock();
	return len;
}

/* A string control: the value without its trailing newline. */
static ssize_t store_string(const char *buf, size_t count, unsigned int set)
{
	struct mine_config_change ch = { .set = set };
	char *value;
	int ret;

	value = kstrndup(buf, count, GFP_KERNEL);
	if (!value)
		return -ENOMEM;
	if (set == MINE_SET_CPUS)
		ch.cpus = strim(value);
	else
		ch.backend = strim(value);
	ret = change(&ch);
	kfree(value);
	return ret ?: count;
}

static ssize_t cpus_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	return store_string(buf, count, MINE_SET_CPUS);
}

static struct kobj_attribute cpus_attr = __ATTR_RW(cpus);

static ssize_t backend_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	const char *name;

	rcu_read_lock();
	name = rcu_dereference(mine_config)->backend->name;
	rcu_read_unlock();
	return sysfs_emit(buf, "%s\n", name);
}

static ssize_t backend_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	return store_string(buf, count, MINE_SET_BACKEND);
}

static struct kobj_attribute backend_attr = __ATTR_RW(backend);

static ssize_t backends_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	ssize_t len = 0;
	unsigned int i;

	for (i = 0; i < mine_backend_count; i++)
		if (mine_backend_offered(&mine_backend_infos[i]))
			len += sysfs_emit_at(buf, len, "%s%s", len ? " " : "",
					     mine_backend_infos[i].backend->name);
	return len + sysfs_emit_at(buf, len, "\n");
}

static struct kobj_attribute backends_attr = __ATTR_RO(backends);

static ssize_t hashes_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct mine_counts sum;

	mine_stats_sum(&sum);
	return sysfs_emit(buf, "%llu\n", sum.hashes);
}

static struct kobj_attribute hashes_attr = __ATTR_RO(hashes);

static ssize_t hashrate_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", mine_stats_hashrate(-1));
}

static struct kobj_attribute hashrate_attr = __ATTR_RO(hashrate);

static ssize_t shares_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct mine_counts sum;

	mine_stats_sum(&sum);
	return sysfs_emit(buf, "%llu\n", sum.shares);
}

static struct kobj_attribute shares_attr = __ATTR_RO(shares);

/* The machine-wide event counters, read-only. */
struct counter_attr {
	struct kobj_attribute attr;
	atomic64_t *counter;
};

static ssize_t counter_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  atomic64_read(container_of(attr, struct counter_attr, attr)->counter));
}

static struct counter_attr counters[] = {
	{ __ATTR(stale_shares, 0444, counter_show, NULL), &mine_stats.stale_shares },
	{ __ATTR(jobs, 0444, counter_show, NULL), &mine_stats.jobs },
	{ __ATTR(jobs_exhausted, 0444, counter_show, NULL), &mine_stats.jobs_exhausted },
	{ __ATTR(queue_overflows, 0444, counter_show, NULL), &mine_stats.queue_overflows },
};

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", MICROMINE_VERSION);
}

static struct kobj_attribute version_attr = __ATTR_RO(version);

static struct attribute *mine_attrs[] = {
	&enabled_attr.attr,
	&duty_cycle_attr.attr,
	&cpus_attr.attr,
	&backend_attr.attr,
	&backends_attr.attr,
	&hashes_attr.attr,
	&hashrate_attr.attr,
	&shares_attr.attr,
	&counters[0].attr.attr,
	&counters[1].attr.attr,
	&counters[2].attr.attr,
	&counters[3].attr.attr,
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
