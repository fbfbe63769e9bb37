/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels micromine builds for (5.10, 6.1, 6.12),
 * told apart by features, not version numbers.
 */
#ifndef MICROMINE_COMPAT_H
#define MICROMINE_COMPAT_H

#include <linux/sched.h>
#include <net/genetlink.h>
#include <uapi/linux/sched/types.h>

/*
 * Strict checks of the genetlink header's reserved fields: 6.1 added them
 * together with GENL_REQ_ATTR_CHECK().
 */
static inline void mine_genl_strict(struct genl_family *family, u8 first_op)
{
#ifdef GENL_REQ_ATTR_CHECK
	family->resv_start_op = first_op;
#endif
}

/* Name the attribute a request lacks, where the kernel can (6.0 and later). */
static inline void mine_attr_missing(struct netlink_ext_ack *extack, int type)
{
#ifdef NL_SET_ERR_ATTR_MISS
	NL_SET_ERR_ATTR_MISS(extack, NULL, type);
#endif
}

/*
 * Let only CAP_NET_ADMIN join a multicast group: GENL_MCAST_CAP_NET_ADMIN
 * from 6.6 (and 6.1.y); before, 5.10.y from 5.10.204 checks
 * GENL_UNS_ADMIN_PERM in the group's flags, which older kernels lack
 * (Kbuild looks for them).  Returns false where anyone may join.
 */
static inline bool mine_mcgrp_admin_only(struct genl_multicast_group *grp)
{
#if defined(GENL_MCAST_CAP_NET_ADMIN)
	grp->flags = GENL_MCAST_CAP_NET_ADMIN;
	return true;
#elif defined(MINE_HAVE_MCGRP_FLAGS)
	grp->flags = GENL_UNS_ADMIN_PERM;
	return true;
#else
	return false;
#endif
}

/*
 * Make the calling thread SCHED_IDLE.  Kernels that do not export
 * sched_setattr_nocheck() (Kbuild looks in Module.symvers; 5.10 does not)
 * let a module go no lower than nice 19: the tool then sets SCHED_IDLE
 * with sched_setscheduler(2).  Returns -EOPNOTSUPP in that case.
 */
static inline int mine_sched_idle(void)
{
#ifdef MINE_HAVE_SCHED_SETATTR
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = SCHED_IDLE,
	};

	return sched_setattr_nocheck(current, &attr);
#else
	sched_set_normal(current, MAX_NICE);
	return -EOPNOTSUPP;
#endif
}

#endif
