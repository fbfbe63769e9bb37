#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module as a module: metadata, 50 loads and unloads without leftovers
# or log noise, and no taint but out-of-tree (O) and unsigned (E).
. "$MM_TOP/tests/tap.sh"

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

read -r _ loaded _ complete _ clean _ sysfs_version <<<"$("$MM_BIN/load-loop" "$ko" 50)"
tap_check "50 loads and unloads in a row ($loaded)" [ "$loaded" = 50 ]
tap_check "sysfs, debugfs and the family exist after every load ($complete)" [ "$complete" = 50 ]
tap_check "nothing is left after every unload ($clean)" [ "$clean" = 50 ]
tap_check "sysfs version matches modinfo ($sysfs_version)" [ "$sysfs_version" = "$version" ]
tap_check "the number of genetlink families is unchanged" [ "$(families)" = "$before_families" ]

# (the hrtimer line is emulation's: a vCPU thread that the host did not run)
noise=$(dmesg | tail -n +$((before_lines + 1)) | sed 's/^\[[ 0-9.]*\] //' | grep -v -E \
	-e '^micromine: loading out-of-tree module taints kernel\.$' \
	-e '^micromine: module verification failed: signature and/or required key missing - tainting kernel$' \
	-e '^micromine: this kernel lets no module use SCHED_IDLE: workers run at nice 19 until the micromine tool makes them SCHED_IDLE$' \
	-e "^micromine $version loaded" \
	-e '^hrtimer: interrupt took [0-9]+ ns$')
if [ -z "$noise" ]; then
	tap_ok "no other kernel messages during the loop"
else
	tap_fail "no other kernel messages during the loop"
	echo "$noise" | head -20 | tap_diag
fi

taint=$(cat /proc/sys/kernel/tainted)
# O (out-of-tree, bit 12) and E (unsigned, bit 13) only
tap_check "taint is only O/E ($taint)" [ $((taint & ~(4096 | 8192))) = 0 ]

tap_done
