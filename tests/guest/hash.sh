#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The hashing core inside the guest: the module's load-time self-test for
# every backend the (emulated) CPU offers, and its refusal to load when one
# gives a wrong answer.  (The host test program runs here too, as the
# hash-test suite.)
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

# A backend that gives wrong answers: AVX2 one nonce too high (a module
# built so by the harness on one kernel).
if [ -n "${MM_KO_WRONG_BACKEND:-}" ]; then
	if [ -f "$MM_KO_WRONG_BACKEND" ]; then
		mark=$(dmesg | wc -l)
		tap_check "a backend with a wrong answer: the module refuses to load" \
			sh -c "! insmod $MM_KO_WRONG_BACKEND 2>/dev/null"
		why=$(dmesg | tail -n +$((mark + 1)) | grep 'micromine: backend')
		echo "$why" | tap_diag
		tap_check "and says which backend failed on what" grep -qE \
			'micromine: backend avx2 failed its self-test on genesis block: .+; not loading' \
			<<<"$why"
		tap_check "nothing of it is left" sh -c "[ ! -e /sys/kernel/micromine ] &&
			! grep -q '^micromine ' /proc/modules"
	else
		tap_fail "a backend with a wrong answer: the module refuses to load (no such module built)"
	fi
fi

tap_done
