// SPDX-License-Identifier: GPL-2.0
/*
 * The miner's settings: module parameters give the defaults at load,
 * netlink and sysfs change them.  Every change goes through
 * mine_config_change(), which validates it as a whole and then replaces
 * the settings at once (RCU), so that workers never see half of a change.
 */

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <uapi/linux/micromine.h>

#include "backend.h"
#include "config.h"
#include "netlink.h"
#include "worker.h"

static bool enabled = true;
module_param(enabled, bool, 0444);
MODULE_PARM_DESC(enabled, "Mine from the start (default: yes)");

static char *cpus;
module_param(cpus, charp, 0444);
MODULE_PARM_DESC(cpus, "CPUs allowed to mine, as a CPU list (default: all)");

static uint duty_cycle = 100;
module_param(duty_cycle, uint, 0444);
MODULE_PARM_DESC(duty_cycle, "Percent of each 20 ms a worker may mine, 1-100 (default: 100)");

static char *backend;
module_param(backend, charp, 0444);
MODULE_PARM_DESC(backend, "Hash backend (default: the fastest here, timed at load)");

struct mine_config __rcu *mine_config;
static DEFINE_MUTEX(config_mutex);

#define CHUNK_MIN_DEFAULT	256
#define CHUNK_MAX_DEFAULT	BIT(24)

/**
 * mine_config_change() - change some settings, all of them or none
 * @ch: the changes
 * @extack: where to say what is wrong, may be NULL
 *
 * Return: 0, or -EINVAL (with a message in @extack) if a setting is wrong,
 * or -ENOMEM.
 */
int mine_config_change(const struct mine_config_change *ch,
		       struct netlink_ext_ack *extack)
{
	struct mine_config *old, *new;
	bool was_enabled, enabled;
	u64 event_seq = 0;

	mutex_lock(&config_mutex);
	old = rcu_dereference_protected(mine_config, lockdep_is_held(&config_mutex));
	new = old ? kmemdup(old, sizeof(*new), GFP_KERNEL) : kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new) {
		mutex_unlock(&config_mutex);
		return -ENOMEM;
	}
	was_enabled = old && old->enabled;

	if (ch->set & MINE_SET_ENABLED)
		new->enabled = ch->enabled;
	if (ch->set & MINE_SET_DUTY_CYCLE) {
		if (ch->duty_cycle < 1 || ch->duty_cycle > 100) {
			NL_SET_ERR_MSG(extack, "duty-cycle must be 1 to 100 (percent)");
			goto invalid;
		}
		new->duty_cycle = ch->duty_cycle;
	}
	if (ch->set & MINE_SET_BACKEND) {
		new->backend = mine_backend_available(ch->backend);
		if (!new->backend) {
			NL_SET_ERR_MSG(extack, "backend: no such backend on this CPU");
			goto invalid;
		}
	}
	if (ch->set & MINE_SET_CHUNK_MIN)
		new->chunk_min = ch->chunk_min;
	if (ch->set & MINE_SET_CHUNK_MAX)
		new->chunk_max = ch->chunk_max;
	if (new->chunk_min < MICROMINE_CHUNK_MIN || new->chunk_max > MICROMINE_CHUNK_MAX) {
		NL_SET_ERR_MSG(extack, "chunk limits must be 64 to 2^30 nonces");
		goto invalid;
	}
	if (new->chunk_min > new->chunk_max) {
		NL_SET_ERR_MSG(extack, "chunk-min is above chunk-max");
		goto invalid;
	}
	if (ch->set & MINE_SET_CPUS) {
		int err = cpulist_parse(ch->cpus, &new->cpus);

		/* -ERANGE: a CPU beyond the mask's bits, which this machine lacks */
		if (err && err != -ERANGE) {
			NL_SET_ERR_MSG(extack, "cpus: not a CPU list (like 0-3,6)");
			goto invalid;
		}
		if (err || !cpumask_subset(&new->cpus, cpu_possible_mask)) {
			NL_SET_ERR_MSG(extack, "cpus: names a CPU this machine does not have");
			goto invalid;
		}
		if (cpumask_empty(&new->cpus)) {
			NL_SET_ERR_MSG(extack, "cpus: empty (disable the miner instead)");
			goto invalid;
		}
		/* config-get and sysfs give it back within the spec's bound */
		if (snprintf(NULL, 0, "%*pbl", cpumask_pr_args(&new->cpus)) >
		    MICROMINE_CPULIST_LEN) {
			NL_SET_ERR_MSG(extack, "cpus: longer than 1023 characters written out");
			goto invalid;
		}
	}

	rcu_assign_pointer(mine_config, new);
	enabled = new->enabled;
	if (was_enabled != enabled)
		event_seq = mine_nl_event_seq();
	mutex_unlock(&config_mutex);
	if (old)
		kfree_rcu(old, rcu);

	mine_workers_wake(MINE_WAKE_SETTINGS);
	if (was_enabled != enabled)
		mine_nl_notify_enabled(enabled, event_seq);
	return 0;

invalid:
	mutex_unlock(&config_mutex);
	kfree(new);
	return -EINVAL;
}

/**
 * mine_config_init() - the settings at load, from the module parameters
 *
 * Return: 0, or -EINVAL if a parameter is wrong (the reason is logged).
 */
int mine_config_init(void)
{
	struct netlink_ext_ack extack = {};
	struct mine_config_change ch = {
		.set = MINE_SET_ENABLED | MINE_SET_DUTY_CYCLE | MINE_SET_BACKEND |
		       MINE_SET_CHUNK_MIN | MINE_SET_CHUNK_MAX | MINE_SET_CPUS,
		.enabled = enabled,
		.duty_cycle = duty_cycle > 100 ? 0 : duty_cycle,
		.backend = backend ?: mine_backend_best()->name,
		.chunk_min = CHUNK_MIN_DEFAULT,
		.chunk_max = CHUNK_MAX_DEFAULT,
	};
	char *all;
	int ret;

	all = kasprintf(GFP_KERNEL, "%*pbl", cpumask_pr_args(cpu_possible_mask));
	if (!all)
		return -ENOMEM;
	ch.cpus = cpus ?: all;
	ret = mine_config_change(&ch, &extack);
	if (ret == -EINVAL)
		pr_err("micromine: module parameter: %s\n", extack._msg);
	kfree(all);
	return ret;
}

void mine_config_exit(void)
{
	kfree(rcu_dereference_protected(mine_config, true));
	RCU_INIT_POINTER(mine_config, NULL);
}
