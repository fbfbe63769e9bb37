#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The host's own tests, one job of `make check`'s guest phase (check-job.sh
# host): the static gates, the hash core against OpenSSL, the Stratum
# parser and work builder (alone, under valgrind, under libFuzzer) and the
# tool without a module.  Each suite's TAP stream goes to
# <dir>/<nn>-<label>.tap for check.sh to print; <dir>/done marks the end.
#
# Usage: host-tests.sh <dir>
set -u
. "$(dirname "$0")/lib.sh"

dir=${1:?usage: host-tests.sh <dir>}
bin=$CACHE/bin/x86_64
n=0

# suite <label> <command...>: a command whose stdout is a TAP stream
suite() {
	local label=$1
	shift
	n=$((n + 1))
	"$@" >"$dir/$(printf %02d $n)-$label.tap" 2>&1
}

# single <label> <description> <command...>: one result, the command's status
single() {
	local label=$1
	shift
	n=$((n + 1))
	tap_single "$@" >"$dir/$(printf %02d $n)-$label.tap"
}

# fuzz <fuzzer> <seed corpus>: a fixed number of inputs from the seeds (a
# copy: libFuzzer adds to its corpus); a crash's input is kept in the logs
fuzz() {
	local seeds rc
	seeds=$(mktemp -d)
	cp "$2"/* "$seeds"/
	"$1" -runs=300000 -seed=1 -max_len=4096 -print_final_stats=1 \
		-artifact_prefix="$CACHE/logs/$(basename "$1")-" "$seeds" 2>&1 | tail -20
	rc=${PIPESTATUS[0]}
	rm -rf "$seeds"
	return "$rc"
}

rm -rf "$dir"
mkdir -p "$dir" "$CACHE/logs"
suite static "$HARNESS/static.sh"
suite host-hash-test "$bin/hash-test"
suite host-stratum-test "$bin/stratum-test"
single host-stratum-valgrind "the Stratum parser and work builder leak nothing (valgrind)" \
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
	--error-exitcode=1 "$bin/stratum-test"
single host-stratum-fuzz "the Stratum parser under libFuzzer (ASan, UBSan): 300000 inputs" \
	fuzz "$bin/stratum-fuzz" "$TOP/tests/host/stratum-corpus"
suite host-tool env MM_TOOL="$bin/micromine" bash "$TOP/tests/host/tool.sh"
: >"$dir/done"
