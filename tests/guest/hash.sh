#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The hashing core inside the guest: the module's load-time self-test for
# every backend the (emulated) CPU offers, and the host test program run
# here, under emulation, with fewer random cases.
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

tap_done
