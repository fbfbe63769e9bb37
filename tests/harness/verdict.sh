# SPDX-License-Identifier: GPL-2.0
# Judge one guest run (sourced by check.sh and selftest.sh).  Prints a TAP
# stream of the harness's own checks on stdout and collects the guest's
# suite results; the run fails on a hang, a crash, missing or incomplete
# suites, or any kernel warning in the guest's log, even if every test
# passed.

# Lines of a kernel log that fail a run: warnings and oopses, and the
# reports of the debug kernel's checkers (KASAN, KFENCE, UBSAN, lockdep,
# RCU, sleeping in atomic context, kmemleak, DEBUG_OBJECTS, KCSAN).
DMESG_BAD='WARNING:|BUG:|Oops|general protection fault|Kernel panic|Unable to handle kernel|'\
'INFO: possible|possible (recursive|circular) locking|DEBUG_LOCKS_WARN_ON|INFO: lockdep|'\
'locking correctness validator|INFO: trying to register non-static key|blocked for more than|'\
'soft lockup|hard LOCKUP|rcu: INFO|rcu_.*(stall|self-detected)|detected stall|UBSAN|KASAN|'\
'kmemleak: [0-9]+ new suspected|refcount_t:|list_(add|del) corruption|Call [Tt]race:|'\
'Freezing of tasks failed|scheduling while atomic|sleeping function called from invalid context|'\
'Bad page state|double free|use-after-free|unreferenced object|ODEBUG:'

dmesg_problems() {
	grep -E "$DMESG_BAD" "$1" 2>/dev/null
}

# dmesg_reports <log>: each problem with the report that follows it (the
# debug kernel's reports span dozens of lines: the TAP output shows them)
dmesg_reports() {
	grep -E -A30 "$DMESG_BAD" "$1" 2>/dev/null | head -200
}

# kcsan_split <log> <micromine's> <the kernel's>: KCSAN's reports (between
# lines of "="), those naming a function of micromine apart from the
# kernel's own; the log without any of them on stdout
kcsan_split() {
	awk -v mine="$2" -v theirs="$3" '
		/^(\[[ 0-9.]*\] )?=+$/ {
			if (!inside) { inside = 1; block = $0 "\n"; next }
			block = block $0 "\n"; inside = 0
			if (block ~ /BUG: KCSAN/)
				printf "%s", block >> (block ~ /\[micromine\]/ ? mine : theirs)
			else
				printf "%s", block
			next
		}
		inside { block = block $0 "\n"; next }
		{ print }' "$1"
}

# guest.sh's line in the kernel log before the command runs
DMESG_COMMAND='micromine-harness: the command starts'
# the faults suite's lines around the allocation failures it causes: the
# kernel logs some with a stack dump, whose trace lines are no fault there
# (they name lockdep's functions on the debug kernel); the first line of
# every report still counts
DMESG_INJECTED_BEGIN='micromine-harness: injected allocation failures begin'
DMESG_INJECTED_END='micromine-harness: injected allocation failures end'
DMESG_TRACE_LINE='Call [Tt]race:|<\/?TASK>|^\[[ 0-9.]*\]  (\? )?[A-Za-z0-9_.]+\+0x[0-9a-f]+\/0x[0-9a-f]+'

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
		log=$run/out/dmesg
		[ -f "$log" ] || log=$run/console.log
		judged=$(mktemp)
		if [ -f "$run/out/dmesg" ] && { [ "${MM_EMULATOR:-}" = bochs ] || [ -n "${BUILT:-}" ]; }; then
			# Bochs's Tiger Lake trips the kernel's CPU topology
			# check while it boots, and the debug kernel's checkers
			# may find the kernel's own faults there: what follows
			# the start of the command is judged
			sed -n "/$DMESG_COMMAND/,\$p" "$log" |
				sed -E "/$DMESG_INJECTED_BEGIN/,/$DMESG_INJECTED_END/{/$DMESG_TRACE_LINE/d}" \
				>"$judged"
			# a log that overflowed would hide every report after
			# the start: that fails the run too
			grep -q "$DMESG_COMMAND" "$log" ||
				echo "BUG: the kernel log lost the command's start (log_buf_len)" >"$judged"
			dmesg_problems <(sed "/$DMESG_COMMAND/q" "$log") |
				sed 's/^/# (while booting, not judged) /'
		else
			cp "$log" "$judged" 2>/dev/null
		fi
		if grep -q '^CONFIG_KCSAN=y' "${BUILT:-/nonexistent}/fragment.config" 2>/dev/null; then
			# KCSAN: the kernel's own data races are listed, micromine's judged
			kcsan_split "$judged" "$run/kcsan-micromine" "$run/kcsan-kernel" >"$judged.rest"
			cat "$run/kcsan-micromine" >>"$judged.rest" 2>/dev/null
			grep -h 'BUG: KCSAN' "$run/kcsan-kernel" 2>/dev/null | sort | uniq -c |
				sed 's/^/# (the kernel'"'"'s own, not judged) /'
			mv "$judged.rest" "$judged"
		fi
		bad=$(dmesg_problems "$judged")
		if [ -z "$bad" ] && { [ -f "$run/out/dmesg" ] || [ "$rc" != 0 ]; }; then
			tap_ok "$label: no warning in the kernel log"
		else
			tap_fail "$label: no warning in the kernel log"
			if [ -n "$bad" ]; then dmesg_reports "$judged"; else echo "no kernel log"; fi |
				tap_diag
		fi
		rm -f "$judged"
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
