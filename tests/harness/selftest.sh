#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The harness tests itself: a guest run must fail on a failing test, on a
# kernel warning although every test passed, on a hang, on a crash and on a
# guest that never comes up (after booting it again), and pass when all is
# well; on Bochs, kernel warnings count from the command on; the TAP
# counter must catch incomplete streams.
# Runs in $CACHE/selftest, apart from the real results.
# Usage: selftest.sh <kernel-id>
set -u
. "$(dirname "$0")/lib.sh"
. "$HARNESS/verdict.sh"
. "$TOP/tests/tap.sh"

id=${1:?usage: selftest.sh <kernel-id>}
dir=$CACHE/selftest
rm -rf "$dir"
mkdir -p "$dir"

# run_case <name> <timeout> <guest shell commands>; prints the summary's
# exit status (0: the run passed); boot.sh's own messages go to boot.err
run_case() {
	local run=$dir/$1
	mkdir -p "$run"
	printf 'mkdir -p /run/mm/tap\n%s\n' "$3" >"$run/cmd"
	MM_TIMEOUT=$2 "$HARNESS/boot.sh" "$id" "$run" 2>"$run/boot.err"
	verdict "$1" "$run" $? pass >"$run/harness.tap"
	"$PYTHON" "$HARNESS/tap.py" summary "$run/harness.tap" "$run/out/tap/"*.tap >"$run/summary" 2>&1
	echo $?
}

pass='printf "TAP version 13\n1..1\nok 1 fine\n" >/run/mm/tap/01-pass.tap'
fail='printf "TAP version 13\n1..1\nnot ok 1 deliberately failing\n" >/run/mm/tap/02-fail.tap'

warn=$("$HARNESS/build-module.sh" "$id" harness-warn "$HARNESS/selftest" Kbuild mm_harness_warn.c) ||
	{ echo "Bail out! cannot build the warning module"; exit 1; }

tap_check "a passing guest run passes" [ "$(run_case control 120 "$pass")" = 0 ]
tap_check "a failing guest test fails the run" [ "$(run_case failing 120 "$pass; $fail")" != 0 ]
tap_check "a kernel WARNING fails the run although every test passed" \
	[ "$(run_case warning 120 "$pass; insmod $warn/mm_harness_warn.ko")" != 0 ]
tap_check "a hanging guest fails the run" [ "$(run_case hang 25 "$pass; sleep 100000")" != 0 ]
tap_check "a crashing guest fails the run" \
	[ "$(run_case crash 120 "$pass; echo c >/proc/sysrq-trigger")" != 0 ]
# a guest whose CPUs never start (QEMU -S): booted once more, then judged hung
no_boot() {
	[ "$(MM_QEMU_ARGS=-S MM_BOOT_TIMEOUT=5 run_case no-boot 120 "$pass")" != 0 ] &&
		[ -f "$dir/no-boot/console-no-boot.log" ] &&
		grep -q "booting it again" "$dir/no-boot/boot.err" &&
		grep -q "booted again" "$dir/no-boot/harness.tap"
}
tap_check "a guest that never comes up is booted again, and the run fails" no_boot

# On Bochs only the kernel log from the command on is judged (its CPU
# model trips the kernel's topology check while booting): a verdict on a
# made-up run whose log holds <lines>; prints the summary's exit status
bochs_case() {
	local run=$dir/bochs-$1
	mkdir -p "$run/out/tap"
	printf 'TAP version 13\n1..1\nok 1 fine\n' >"$run/out/tap/01-pass.tap"
	printf "$2" >"$run/out/dmesg"
	MM_EMULATOR=bochs verdict "bochs-$1" "$run" 0 pass >"$run/harness.tap"
	"$PYTHON" "$HARNESS/tap.py" summary "$run/harness.tap" "$run/out/tap/"*.tap >"$run/summary" 2>&1
	echo $?
}
boot_warn='[    0.0] WARNING: CPU: 0 PID: 0 at topology_common.c:57\n'
started="[    1.0] $DMESG_COMMAND\n"
later_warn='[    2.0] WARNING: CPU: 0 PID: 9 at kmod/worker.c:1\n'
tap_check "Bochs: a warning while booting is listed, not judged" \
	[ "$(bochs_case boot "$boot_warn$started")" = 0 ]
tap_check "Bochs: a warning once the command runs fails the run" \
	[ "$(bochs_case command "$boot_warn$started$later_warn")" != 0 ]

# The counter itself, on streams a broken test program leaves behind.
counts() { printf "$1" >"$dir/s.tap"; "$PYTHON" "$HARNESS/tap.py" count "$dir/s.tap" 2>/dev/null; }
tap_check "TAP: a stream without plan fails" [ "$(counts 'ok 1 a\n')" = "1 1 0" ]
tap_check "TAP: a stream cut short fails" [ "$(counts '1..3\nok 1 a\n')" = "1 1 0" ]
tap_check "TAP: bail out fails" [ "$(counts '1..1\nok 1 a\nBail out! x\n')" = "1 1 0" ]
tap_check "TAP: skip and todo" [ "$(counts '1..3\nok 1 a # SKIP x\nnot ok 2 b # TODO y\nok 3 c\n')" = "1 0 1" ]

tap_done
