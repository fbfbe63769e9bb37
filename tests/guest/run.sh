#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run guest test suites inside a test guest, one TAP file each in
# /run/mm/tap/.  A suite is tests/guest/<name>.sh, tests/guest/<name>.py or
# an executable <name> in $MM_BIN (C tests built with the kselftest
# harness).  Every suite starts with the module unloaded.
#
# Environment (set by tests/harness/check.sh): MM_TOP (repository),
# MM_KO (micromine.ko for this kernel), MM_BIN (test programs for this
# architecture), MM_KERNEL (matrix id), MM_SUITE_TIMEOUT (seconds).

out=/run/mm/tap
mkdir -p "$out"
export PATH=$MM_BIN:$PATH
n=0
# with kmemleak (6.12-debug), only what the suites leave is reported
[ -w /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak
for suite in "$@"; do
	n=$((n + 1))
	tap=$out/$(printf %02d "$n")-$suite.tap
	if [ -f "$MM_TOP/tests/guest/$suite.sh" ]; then
		cmd=(bash "$MM_TOP/tests/guest/$suite.sh")
	elif [ -f "$MM_TOP/tests/guest/$suite.py" ]; then
		cmd=(python3 "$MM_TOP/tests/guest/$suite.py")
	elif [ -x "$MM_BIN/$suite" ]; then
		cmd=("$MM_BIN/$suite")
	else
		echo "Bail out! no suite named $suite" >"$tap"
		continue
	fi
	rmmod micromine 2>/dev/null
	start=$(date +%s)
	# (the whole Stratum suite runs about 20 scenarios: it has longer)
	limit=${MM_SUITE_TIMEOUT:-$([ "$suite" = stratum ] && [ "${MM_STRATUM_FULL:-}" = 1 ] &&
		echo 1200 || echo 600)}
	timeout -k 10 "$limit" "${cmd[@]}" >"$tap" 2>&1 </dev/null
	rc=$?
	[ $rc -eq 124 ] && echo "Bail out! $suite timed out after ${limit}s" >>"$tap"
	echo "# $suite: exit $rc, $(($(date +%s) - start))s" >>"$tap"
done
rmmod micromine 2>/dev/null
exit 0
