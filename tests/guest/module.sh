#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module as a module: metadata, 50 loads and unloads without leftovers
# or log noise, its parameters (right and wrong ones), loads and unloads
# beside CPU hotplug and a submitter, and no taint but out-of-tree (O) and
# unsigned (E).
. "$MM_TOP/tests/tap.sh"
. "$MM_TOP/tests/genesis.sh"

ko=$MM_KO
sysfs=/sys/kernel/micromine
debugfs=/sys/kernel/debug/micromine

family_present() { genl ctrl get name micromine >/dev/null 2>&1; }
families() { genl ctrl list 2>/dev/null | grep -c '^Name:'; }
absent() { [ ! -e $sysfs ] && [ ! -e $debugfs ] && ! family_present; }

tap_check "modinfo: license GPL" [ "$(modinfo -F license "$ko")" = GPL ]
tap_check "modinfo: description" [ -n "$(modinfo -F description "$ko")" ]
tap_check "modinfo: author" [ -n "$(modinfo -F author "$ko")" ]
version=$(modinfo -F version "$ko")
tap_check "modinfo: version" [ -n "$version" ]

tap_check "nothing of micromine before the first load" absent
before_families=$(families)
before_lines=$(dmesg | wc -l)

# (on the debug kernel, MM_SLOW, a load and unload take seconds: fewer)
loads=$([ -n "${MM_SLOW:-}" ] && echo 5 || echo 50)
read -r _ loaded _ complete _ clean _ sysfs_version <<<"$("$MM_BIN/load-loop" "$ko" $loads)"
tap_check "$loads loads and unloads in a row ($loaded)" [ "$loaded" = $loads ]
tap_check "sysfs, debugfs and the family exist after every load ($complete)" [ "$complete" = $loads ]
tap_check "nothing is left after every unload ($clean)" [ "$clean" = $loads ]
tap_check "sysfs version matches modinfo ($sysfs_version)" [ "$sysfs_version" = "$version" ]
tap_check "the number of genetlink families is unchanged" [ "$(families)" = "$before_families" ]

# (the hrtimer and clocksource lines are emulation's: a vCPU thread that
# the host did not run; initcall_debug's are the debug row's, which the
# faults suite needs)
noise=$(dmesg | tail -n +$((before_lines + 1)) | sed 's/^\[[ 0-9.]*\] //' | grep -v -E \
	-e '^micromine: loading out-of-tree module taints kernel\.$' \
	-e '^micromine: module verification failed: signature and/or required key missing - tainting kernel$' \
	-e '^micromine: this kernel lets no module use SCHED_IDLE: workers run at nice 19 until the micromine tool makes them SCHED_IDLE$' \
	-e "^micromine $version loaded" \
	-e '^hrtimer: interrupt took [0-9]+ ns$' \
	-e '^clocksource: ' \
	-e '^(calling  mine_init|initcall mine_init|initcall mine_exit)')
if [ -z "$noise" ]; then
	tap_ok "no other kernel messages during the loop"
else
	tap_fail "no other kernel messages during the loop"
	echo "$noise" | head -20 | tap_diag
fi

# The module parameters: what they set shows in sysfs and debugfs; a wrong
# one keeps the module from loading, with the reason in the kernel log.
params="enabled=0 duty_cycle=40 cpus=0 backend=generic share_queue_len=64"
# shellcheck disable=SC2086
if insmod "$ko" $params; then
	got="$(cat $sysfs/enabled) $(cat $sysfs/duty_cycle) $(cat $sysfs/cpus) $(cat $sysfs/backend)"
	got="$got, $(head -n 1 $debugfs/shares | cut -d, -f1)"
	tap_check "parameters $params: $got" [ "$got" = "0 40 0 generic, 0 of 64 queued" ]
	rmmod micromine
else
	tap_fail "parameters $params: the module loads"
fi
# (on the debug kernel, whose insmod takes seconds: one of each check,
# the failed load's unwinding being the same)
refused="duty_cycle=0 duty_cycle=101 cpus=zero cpus=0-4095 backend=nope share_queue_len=15 share_queue_len=65537"
[ -n "${MM_SLOW:-}" ] && refused="duty_cycle=101 cpus=0-4095 backend=nope share_queue_len=15"
for p in $refused; do
	mark=$(dmesg | wc -l)
	if insmod "$ko" "$p" 2>/dev/null; then
		rmmod micromine
		tap_fail "parameter $p: refused"
		continue
	fi
	why=$(dmesg | tail -n +$((mark + 1)) | grep -m 1 'micromine: module parameter')
	if [ -n "$why" ] && [ ! -e $sysfs ]; then
		tap_ok "parameter $p: refused (${why#*micromine: })"
	else
		tap_fail "parameter $p: refused, the reason logged, nothing left (${why:-no reason})"
	fi
done

# Loads and unloads while CPU 1 goes offline and online and a submitter
# keeps sending jobs.  Where the workers are parked before they are stopped
# (5.10), a CPU going offline in between parked its worker again, which
# warns (the run's verdict reads the kernel log); the family comes last and
# goes first, so no job arrives before the workers or after them (the
# debug kernel's kmemleak would see it left behind).
online=/sys/devices/system/cpu/cpu1/online
if [ -w $online ]; then
	( while :; do echo 0 >$online; sleep 0.05; echo 1 >$online; sleep 0.05; done ) 2>/dev/null &
	hotplug=$!
	( while :; do "$MM_BIN/micromine" job submit --header "$genesis" \
		--target "$genesis_hash" >/dev/null 2>&1; done ) &
	submitter=$!
	loads=$([ -n "${MM_SLOW:-}" ] && echo 3 || echo 10)
	read -r _ loaded _ complete _ clean _ <<<"$("$MM_BIN/load-loop" "$ko" $loads)"
	kill $hotplug $submitter
	wait $hotplug $submitter 2>/dev/null
	echo 1 >$online
	tap_check "$loads loads and unloads beside CPU hotplug and a submitter ($loaded, $clean clean)" \
		[ "$loaded $clean" = "$loads $loads" ]
	tap_check "CPU 1 online again" grep -qx 1 $online
else
	tap_skip "loads and unloads beside CPU hotplug: CPU 1 cannot go offline here"
fi

taint=$(cat /proc/sys/kernel/tainted)
# O (out-of-tree, bit 12) and E (unsigned, bit 13) only
tap_check "taint is only O/E ($taint)" [ $((taint & ~(4096 | 8192))) = 0 ]

tap_done
