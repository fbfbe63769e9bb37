#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Leaks, on a kernel with kmemleak (the 6.12-debug row): the module loaded,
# used by every suite before this one and unloaded, a scan finds nothing
# it left behind.  run.sh cleared what the boot left before the suites.
. "$MM_TOP/tests/tap.sh"

k=/sys/kernel/debug/kmemleak
if [ ! -w $k ]; then
	echo "Bail out! no $k: this kernel has no kmemleak"
	exit 1
fi
rmmod micromine 2>/dev/null
# an object is reported once it was unreferenced in two scans, 5 s apart
echo scan >$k
sleep 6
echo scan >$k
report=$(cat $k)
if [ -z "$report" ]; then
	tap_ok "kmemleak: nothing left behind by the suites and the unloads"
else
	tap_fail "kmemleak: nothing left behind by the suites and the unloads"
	printf '%s\n' "$report" | head -200 | tap_diag
fi
tap_done
