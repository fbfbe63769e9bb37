#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The hashing core inside the guest: the module's load-time self-test for
# every backend the (emulated) CPU offers, a backend that gives a wrong
# answer left out (the module loads without it), and the default backend
# chosen the same on a busy machine as on an idle one.  (The host test
# program runs here too, as the hash-test suite.)
. "$MM_TOP/tests/tap.sh"
. "$MM_TOP/tests/genesis.sh"

backends=/sys/kernel/debug/micromine/backends
if insmod "$MM_KO"; then
	tap_ok "the module loads (every usable backend passed its self-test)"
else
	tap_fail "the module loads (every usable backend passed its self-test)"
fi
cat $backends 2>/dev/null | tap_diag
# what the guest's CPU offers: QEMU -cpu max (no AVX-512), unless the
# harness takes features away (MM_EXPECT_BACKENDS)
expect=${MM_EXPECT_BACKENDS:-}
if [ -z "$expect" ]; then
	case $(uname -m) in
	x86_64) expect="generic sha-ni avx2" ;;
	aarch64) expect="generic neon arm-ce" ;;
	armv7l) expect="generic neon" ;;
	*) expect=generic ;;	# mips, riscv64, s390x (big-endian)
	esac
fi
for b in $expect; do
	tap_check "backend $b is usable and passed" \
		grep -qE "^$b +[0-9]+ yes +passed " $backends
done
for b in $(awk 'NR > 1 { print $1 }' $backends 2>/dev/null); do
	case " $expect " in *" $b "*) continue ;; esac
	tap_check "backend $b is not used: this CPU cannot run it" \
		grep -qE "^$b +[0-9]+ no +- " $backends
done
tap_check "nothing failed its self-test" sh -c "! grep -q FAILED $backends"
default=$(cat /sys/kernel/micromine/backend 2>/dev/null)
tap_check "the default backend ($default) is one of them" \
	sh -c "case ' $expect ' in *' $default '*) exit 0 ;; esac; exit 1"
# each of them mines, in the workers' FPU sections
shares=0
for b in $expect; do
	if [ -d /sys/kernel/micromine ]; then
		"$MM_BIN/micromine" set backend "$b" >/dev/null
		genesis_solve
	fi
	shares=$((shares + 1))
	tap_check "backend $b mines: it finds the genesis block's nonce" \
		[ "$(cat /sys/kernel/micromine/shares 2>/dev/null)" = $shares ]
done
tap_check "the load message names the default backend" \
	sh -c "dmesg | grep -qE 'micromine [0-9.]+ loaded, default backend [a-z0-9-]+'"
rmmod micromine

# The default backend, chosen while every CPU is busy (as at boot, when
# everything starts at once): the same as on the idle machine, five times
# of five (three on the debug kernel, MM_SLOW).  It is the first offered in the architecture's order (the
# order of debugfs "backends") unless another was timed 3 times as fast.
rule_default() {
	awk 'NR > 1 && $3 == "yes" && $4 == "passed" {
		if (!first) { first = $1; frate = $5 }
		if ($5 > best) { best = $5; fastest = $1 }
	} END { print (best >= 3 * frate ? fastest : first) }' $backends
}
usable=$(set -- $expect; echo $#)
if [ "$usable" -lt 2 ]; then
	tap_skip "the default backend under load" "one backend here ($expect): nothing to choose"
elif insmod "$MM_KO"; then
	idle_default=$(cat /sys/kernel/micromine/backend)
	idle_rule=$(rule_default)
	rmmod micromine
	tap_check "idle: the default backend ($idle_default) follows the order, or the timing where 3x" \
		[ "$idle_default" = "$idle_rule" ]
	"$MM_BIN/busy" 60 >/dev/null &
	busy=$!
	sleep 1
	same=0 loads=$([ -n "${MM_SLOW:-}" ] && echo 3 || echo 5)
	for i in $(seq $loads); do
		insmod "$MM_KO" || break
		d=$(cat /sys/kernel/micromine/backend)
		echo "load $i under load: default $d" | tap_diag
		[ "$d" = "$idle_default" ] && same=$((same + 1))
		rmmod micromine
	done
	kill $busy 2>/dev/null
	wait $busy 2>/dev/null
	tap_check "every CPU busy: the same default backend, $same of $loads loads" [ "$same" = $loads ]
else
	tap_fail "idle: the default backend follows the order (the module did not load)"
fi

# A backend that gives wrong answers: AVX2 one nonce too high (a module
# built so by the harness on one kernel).  It is not offered; the module
# loads with the others.
if [ -n "${MM_KO_WRONG_BACKEND:-}" ]; then
	if [ -f "$MM_KO_WRONG_BACKEND" ]; then
		mark=$(dmesg | wc -l)
		tap_check "a backend with a wrong answer: the module still loads" \
			insmod "$MM_KO_WRONG_BACKEND"
		why=$(dmesg | tail -n +$((mark + 1)) | grep 'micromine: backend')
		echo "$why" | tap_diag
		tap_check "and says which backend failed on what" grep -qE \
			'micromine: backend avx2 failed its self-test on genesis block: .+; not offered' \
			<<<"$why"
		tap_check "debugfs: avx2 FAILED" grep -qE '^avx2 +8 yes +FAILED ' $backends
		tap_check "sysfs backends: not avx2" sh -c \
			"! grep -qw avx2 /sys/kernel/micromine/backends"
		tap_check "the default is another ($(cat /sys/kernel/micromine/backend 2>/dev/null))" \
			sh -c "[ \"\$(cat /sys/kernel/micromine/backend)\" != avx2 ]"
		tap_check "set backend avx2 is refused" sh -c \
			"! '$MM_BIN/micromine' set backend avx2 2>/dev/null"
		genesis_solve
		tap_check "and the module mines with the others (the genesis nonce)" \
			[ "$(cat /sys/kernel/micromine/shares 2>/dev/null)" = 1 ]
		rmmod micromine
	else
		tap_fail "a backend with a wrong answer: the module still loads (no such module built)"
	fi
fi

tap_done
