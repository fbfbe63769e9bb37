#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module's init under failing allocations, on a kernel with fault
# injection (the 6.12-debug row's failslab): each allocation of init fails
# in turn (fail-load init: the n-th allocation of a load, the first of
# init's found by bisection).  A failed load must leave nothing behind: no
# module, no sysfs or debugfs directory (the kmemleak suite after this one
# scans for what it leaked; KASAN and lockdep watch the unwinding); a load
# that got over its failure (debugfs is optional) must work and unload.
. "$MM_TOP/tests/tap.sh"

fs=/sys/kernel/debug/failslab
debug=/sys/module/kernel/parameters/initcall_debug
if [ ! -w /proc/thread-self/fail-nth ] || [ ! -d $fs ] || [ "$(cat $debug)" != Y ]; then
	echo "Bail out! no fault injection (failslab, fail-nth), or no initcall_debug on the command line"
	exit 1
fi
rmmod micromine 2>/dev/null
# allocations that may sleep fail too (GFP_KERNEL: nearly all of them),
# with no stack dump for each; the kernel says when init is called
# (initcall_debug, which kernel-run.sh puts on this row's command line)
echo N >$fs/ignore-gfp-wait
echo 0 >$fs/verbose

# (the kernel logs the failures it was made to have, with a stack trace:
# verdict.sh takes the traces between these lines for what they are)
echo "micromine-harness: injected allocation failures begin" >/dev/kmsg
out=$(fail-load "$MM_KO" init)
echo "micromine-harness: injected allocation failures end" >/dev/kmsg
echo "$out" | tap_diag
echo Y >$fs/ignore-gfp-wait
read -r _ from _ to <<<"$(grep '^from ' <<<"$out")"
read -r _ failed _ loaded _ dirty _ broken <<<"$(tail -n 1 <<<"$out")"
tap_check "init's allocations ${from:-?} to ${to:-?} of the load found" [ -n "$to" ]
tap_check "each failed in turn: $failed loads failed, $loaded got over it" \
	[ $((failed + loaded)) = $((to - from + 1)) -a "${failed:-0}" -gt 0 ]
tap_check "no failed load left anything behind ($dirty did)" [ "$dirty" = 0 ]
tap_check "every load that got over its failure worked and unloaded ($broken did not)" \
	[ "$broken" = 0 ]
tap_done
