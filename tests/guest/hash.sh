#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The hashing core inside the guest: the module's load-time self-test for
# every backend the (emulated) CPU offers, and its refusal to load when one
# gives a wrong answer.  (The host test program runs here too, as the
# hash-test suite.)
. "$MM_TOP/tests/tap.sh"

backends=/sys/kernel/debug/micromine/backends
if insmod "$MM_KO"; then
	tap_ok "the module loads (every usable backend passed its self-test)"
else
	tap_fail "the module loads (every usable backend passed its self-test)"
fi
cat $backends 2>/dev/null | tap_diag
expect="generic"
case $(uname -m) in
x86_64) expect="$expect sha-ni avx2" ;;	# QEMU -cpu max has no AVX-512
aarch64) expect="$expect neon arm-ce" ;;
esac
for b in $expect; do
	tap_check "backend $b is usable and passed" \
		grep -qE "^$b +[0-9]+ yes +passed " $backends
done
tap_check "nothing failed its self-test" sh -c "! grep -q FAILED $backends"
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
