# SPDX-License-Identifier: GPL-2.0
# Judge one guest run (sourced by check.sh and selftest.sh).  Prints a TAP
# stream of the harness's own checks on stdout and collects the guest's
# suite results; the run fails on a hang, a crash, missing or incomplete
# suites, or any kernel warning in the guest's log, even if every test
# passed.

# Lines of a kernel log that fail a run.
DMESG_BAD='WARNING:|BUG:|Oops|general protection fault|Kernel panic|Unable to handle kernel|'\
'INFO: possible|possible (recursive|circular) locking|lockdep|blocked for more than|'\
'soft lockup|hard LOCKUP|rcu: INFO|rcu_.*(stall|self-detected)|detected stall|UBSAN|KASAN|'\
'kmemleak|refcount_t:|list_(add|del) corruption|[Cc]all [Tt]race|Freezing of tasks failed|'\
'scheduling while atomic|sleeping function called from invalid context|Bad page state|'\
'double free|use-after-free|unreferenced object'

dmesg_problems() {
	grep -E "$DMESG_BAD" "$1" 2>/dev/null
}

# guest.sh's line in the kernel log before the command runs
DMESG_COMMAND='micromine-harness: the command starts'

# verdict <label> <run-dir> <boot exit code> <suite>...
# Prints TAP; the guest's suite files are left in <run-dir>/out/tap.
verdict() {
	local label=$1 run=$2 rc=$3 s f bad
	shift 3
	(
		. "$TOP/tests/tap.sh"
		case $rc in
		0) tap_ok "$label: the guest finished" ;;
		2) tap_fail "$label: the guest finished (it hung: no result before the timeout)" ;;
		3) tap_fail "$label: the guest finished (it died: panic, oops or reboot; see console.log)"
		   grep -E -A3 'Kernel panic|Oops|BUG:|WARNING:' "$run/console.log" 2>/dev/null | head -40 | tap_diag ;;
		*) tap_fail "$label: the guest finished (boot failed, exit $rc; see qemu.log)"
		   tail -5 "$run/qemu.log" 2>/dev/null | tap_diag ;;
		esac
		[ -f "$run/console-no-boot.log" ] &&
			echo "# $label: the first boot did not come up (console-no-boot.log); booted again"
		if [ -f "$run/out/dmesg" ] && [ "${MM_EMULATOR:-}" = bochs ]; then
			# Bochs's Tiger Lake trips the kernel's CPU topology
			# check while it boots; what follows is judged
			bad=$(dmesg_problems <(sed -n "/$DMESG_COMMAND/,\$p" "$run/out/dmesg"))
			dmesg_problems <(sed "/$DMESG_COMMAND/q" "$run/out/dmesg") |
				sed 's/^/# (while booting on Bochs, not judged) /'
		elif [ -f "$run/out/dmesg" ]; then
			bad=$(dmesg_problems "$run/out/dmesg")
		else
			bad=$(dmesg_problems "$run/console.log")
		fi
		if [ -z "$bad" ] && { [ -f "$run/out/dmesg" ] || [ "$rc" != 0 ]; }; then
			tap_ok "$label: no warning in the kernel log"
		else
			tap_fail "$label: no warning in the kernel log"
			printf '%s\n' "${bad:-no kernel log}" | head -20 | tap_diag
		fi
		for s in "$@"; do
			f=$(ls "$run/out/tap/"[0-9][0-9]-"$s.tap" 2>/dev/null | head -n 1)
			if [ -n "$f" ]; then
				tap_ok "$label: suite $s ran"
			else
				tap_fail "$label: suite $s ran"
			fi
		done
		tap_done
	)
}
