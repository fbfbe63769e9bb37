/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MICROMINE_CONFIG_H
#define MICROMINE_CONFIG_H

#include <linux/cpumask.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>

#include "sha256d.h"

/* A worker sleeps out the rest of each period beyond its duty cycle. */
#define MINE_DUTY_PERIOD_NS	(20 * NSEC_PER_MSEC)

/**
 * struct mine_config - the miner's settings, replaced as a whole (RCU)
 * @rcu: for freeing
 * @enabled: mine at all
 * @duty_cycle: percent of each period a worker may mine
 * @backend: the hash backend
 * @chunk_min: fewest nonces a worker takes from a job at a time
 * @chunk_max: most nonces a worker takes from a job at a time
 * @cpus: the CPUs allowed to mine
 */
struct mine_config {
	struct rcu_head rcu;
	bool enabled;
	u8 duty_cycle;
	const struct mine_backend *backend;
	u32 chunk_min;
	u32 chunk_max;
	struct cpumask cpus;
};

/**
 * struct mine_config_change - some settings to change, all or none
 * @set: which fields below are set (MINE_SET_*)
 * @enabled: see struct mine_config
 * @duty_cycle: see struct mine_config
 * @backend: the name of a backend
 * @chunk_min: see struct mine_config
 * @chunk_max: see struct mine_config
 * @cpus: a CPU list ("0-3,6")
 */
struct mine_config_change {
	unsigned int set;
	bool enabled;
	u8 duty_cycle;
	const char *backend;
	u32 chunk_min;
	u32 chunk_max;
	const char *cpus;
};

#define MINE_SET_ENABLED	BIT(0)
#define MINE_SET_DUTY_CYCLE	BIT(1)
#define MINE_SET_BACKEND	BIT(2)
#define MINE_SET_CHUNK_MIN	BIT(3)
#define MINE_SET_CHUNK_MAX	BIT(4)
#define MINE_SET_CPUS		BIT(5)

extern struct mine_config __rcu *mine_config;

int mine_config_init(void);
void mine_config_exit(void);
int mine_config_change(const struct mine_config_change *ch,
		       struct netlink_ext_ack *extack);

#endif
