#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The harness tests itself: a guest run must fail on a failing test, on a
# kernel warning although every test passed, on a hang, on a crash and on a
# guest that never comes up (after booting it again), and pass when all is
# well; on Bochs and the kernels built here, kernel warnings count from the
# command on; every report of the debug kernel's checkers fails a run; the
# TAP counter must catch incomplete streams.
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

# The debug kernel's checkers: each kind of report fails a made-up run of
# a built kernel, from the command on; on the KCSAN row, data races in
# the kernel's own code are listed and those naming micromine judged.
debug_case() {
	local run=$dir/debug-$1 frag=$dir/debug-$1/built
	mkdir -p "$run/out/tap" "$frag"
	printf 'TAP version 13\n1..1\nok 1 fine\n' >"$run/out/tap/01-pass.tap"
	printf "$2" >"$run/out/dmesg"
	printf '%s\n' "${3:-CONFIG_KASAN=y}" >"$frag/fragment.config"
	BUILT=$frag verdict "debug-$1" "$run" 0 pass >"$run/harness.tap"
	"$PYTHON" "$HARNESS/tap.py" summary "$run/harness.tap" "$run/out/tap/"*.tap >"$run/summary" 2>&1
	echo $?
}
i=0
for report in \
	'BUG: KASAN: slab-use-after-free in job_exhausted+0x1c/0x90 [micromine]' \
	'BUG: KFENCE: out-of-bounds read in mine_share_peek+0x2a/0x80 [micromine]' \
	'UBSAN: shift-out-of-bounds in kmod/sha256d.c:412:20' \
	'WARNING: possible circular locking dependency detected' \
	'BUG: sleeping function called from invalid context at kernel/locking/spinlock_rt.c:48' \
	'kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)' \
	'ODEBUG: free active (active state 0) object: ffff888004a3c100 object type: timer_list' \
	'rcu: INFO: rcu_preempt self-detected stall on CPU'; do
	i=$((i + 1))
	tap_check "debug kernel: fails on '${report%% in *}'" \
		[ "$(debug_case report-$i "$started[    2.0] $report\n")" != 0 ]
done
tap_check "debug kernel: the report is in the TAP output" \
	grep -q "^# .*ODEBUG: free active" "$dir/debug-report-7/harness.tap"
tap_check "debug kernel: a log that lost the command's start fails" \
	[ "$(debug_case overflowed "[  900.0] micromine: loaded\n")" != 0 ]
tap_check "debug kernel: a report while booting is listed, not judged" \
	[ "$(debug_case boot "[    0.5] WARNING: possible recursive locking detected\n$started")" = 0 ]
injected="[    2.0] $DMESG_INJECTED_BEGIN\n[    2.1] fail-load: vmalloc error: size 8192, mode:0xcc0\n[    2.1] Call Trace:\n[    2.1]  <TASK>\n[    2.1]  ? lockdep_hardirqs_on_prepare+0x2a0/0x2a0\n[    2.1]  </TASK>\n[    2.2] $DMESG_INJECTED_END\n"
tap_check "debug kernel: the faults suite's own allocation failures are no fault" \
	[ "$(debug_case injected "$started$injected")" = 0 ]
tap_check "debug kernel: a report among them still fails the run" \
	[ "$(debug_case injected-kasan "$started${injected/Call Trace:/BUG: KASAN: use-after-free in mine_init}")" != 0 ]
race='==================================================================\nBUG: KCSAN: data-race in %s / %s\n\nwrite to 0x1 of 8 bytes by task 1 on cpu 0:\n %s+0x1/0x2%s\n==================================================================\n'
theirs=$(printf "$race" tick_sched_do_timer ktime_get tick_sched_do_timer '')
mine=$(printf "$race" slice mine_stats_read slice ' [micromine]')
tap_check "KCSAN row: a data race of the kernel's own is listed, not judged" \
	[ "$(debug_case kcsan-kernel "$started$theirs\n" CONFIG_KCSAN=y)" = 0 ]
tap_check "KCSAN row: a data race naming micromine fails the run" \
	[ "$(debug_case kcsan-mine "$started$theirs\n$mine\n" CONFIG_KCSAN=y)" != 0 ]

# The counter itself, on streams a broken test program leaves behind.
counts() { printf "$1" >"$dir/s.tap"; "$PYTHON" "$HARNESS/tap.py" count "$dir/s.tap" 2>/dev/null; }
tap_check "TAP: a stream without plan fails" [ "$(counts 'ok 1 a\n')" = "1 1 0" ]
tap_check "TAP: a stream cut short fails" [ "$(counts '1..3\nok 1 a\n')" = "1 1 0" ]
tap_check "TAP: bail out fails" [ "$(counts '1..1\nok 1 a\nBail out! x\n')" = "1 1 0" ]
tap_check "TAP: skip and todo" [ "$(counts '1..3\nok 1 a # SKIP x\nnot ok 2 b # TODO y\nok 3 c\n')" = "1 0 1" ]

tap_done
