/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For a test build only (tests/harness/kernel-run.sh): included at the end
 * of a backend's file in a copy of kmod/, it makes that backend answer one
 * nonce too high, so that the module's self-test has to refuse it.
 */

static u32 scan_wrong(const struct mine_work *work, u32 first, u32 count,
		      u32 *cand, u32 max_cand, u32 *ncand)
{
	u32 tried = SCAN(work, first, count, cand, max_cand, ncand), i;

	for (i = 0; i < *ncand; i++)
		cand[i]++;
	return tried;
}
