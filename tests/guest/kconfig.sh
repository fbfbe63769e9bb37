#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A kernel built here (kbuild.sh) runs with every option its row asked
# for: its own configuration (/proc/config.gz) is read, not assumed.
# MM_KCONFIG names the fragment the kernel was built from.  (Bash alone
# compares them: on the debug kernel every program started costs a second.)
. "$MM_TOP/tests/tap.sh"

if [ ! -r /proc/config.gz ] || [ ! -r "${MM_KCONFIG:-}" ]; then
	echo "Bail out! no /proc/config.gz or no fragment (${MM_KCONFIG:-unset})"
	exit 1
fi
declare -A have
while IFS='=' read -r opt val; do
	case $opt in CONFIG_*) have[$opt]=$val ;; esac
done < <(zcat /proc/config.gz)
while IFS='=' read -r opt val; do
	case $opt in CONFIG_*) ;; *) continue ;; esac
	if [ "$val" = n ]; then
		if [ -z "${have[$opt]:-}" ]; then tap_ok "$opt is off"; else tap_fail "$opt is off (${have[$opt]})"; fi
	elif [ "${have[$opt]:-}" = "$val" ]; then
		tap_ok "$opt=$val"
	else
		tap_fail "$opt=$val (${have[$opt]:-not set})"
	fi
done <"$MM_KCONFIG"
# (a checker built in may still be off at run time)
if [ "${have[CONFIG_KCSAN]:-}" = y ]; then
	read -r kcsan </sys/kernel/debug/kcsan
	if [ "$kcsan" = "enabled: 1" ]; then tap_ok "KCSAN is on"; else tap_fail "KCSAN is on ($kcsan)"; fi
fi
tap_ok "running: $(uname -r)"
tap_done
