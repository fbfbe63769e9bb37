#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: figures, not tests.  Each rate is printed with its ratio
# to a reference measured in the same run, since these machines are noisy:
# the hash backends on the host against OpenSSL, then in guests what the
# idle miner costs a foreground program (tests/guest/bench-idle.sh).
#
# Environment: BENCH_ROUNDS (default 5 on the host, 3 in guests),
# BENCH_SECONDS (per round, 1 and 2), BENCH_KERNELS (default "6.12 6.12-rt").
set -u
. "$(dirname "$0")/lib.sh"

"$HARNESS/deps.sh" bench || exit 1
"$HARNESS/ksource.sh" >/dev/null || exit 1
make -s -C "$TOP/tests" -j2 || exit 1

echo "# ==== hash backends, one core, against OpenSSL SHA256_Init/Update/Final ===="
"$CACHE/bin/x86_64/hash-bench" -r "${BENCH_ROUNDS:-5}" -t "${BENCH_SECONDS:-1}"

# What the miner costs the owner, inside guests of the matrix (under TCG:
# the ratios mean more than the absolute figures).
echo "# ==== the idle miner in guests: foreground, latency, kernel over userspace ===="
apt_init
"$HARNESS/qemu.sh" >/dev/null || exit 1
guest_can_see "$TOP"
for id in ${BENCH_KERNELS:-6.12 6.12-rt}; do
	kd=$("$HARNESS/kernel.sh" "$id") || exit 1
	. "$kd/env"
	arch_info "$ARCH"
	bin=$BIN
	if [ "$ARCH" != amd64 ]; then
		"$HARNESS/archroot.sh" "$ARCH" >/dev/null || exit 1
		make -s -C "$TOP/tests" ARCH="$ARCH" -j2 || exit 1
	fi
	b=$("$HARNESS/build-module.sh" "$id" bench "$TOP" | tail -n 1) || exit 1
	run=$CACHE/bench/$id
	rm -rf "$run"
	mkdir -p "$run"
	cat >"$run/cmd" <<-EOS
		export MM_KO='$b/micromine.ko' MM_BIN='$CACHE/bin/$bin'
		export BENCH_ROUNDS=${BENCH_ROUNDS:-3} BENCH_SECONDS=${BENCH_SECONDS:-2}
		exec bash '$TOP/tests/guest/bench-idle.sh'
	EOS
	echo "# -- $id ($RELEASE)"
	if "$HARNESS/boot.sh" "$id" "$run"; then
		cat "$run/out/output"
	else
		echo "# $id: the guest did not finish (see $run)"
	fi
done
