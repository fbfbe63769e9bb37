#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: micromine mining, in one command.  Installs what it lacks,
# builds module and tool, boots a QEMU guest of the matrix (or, with
# HOST=1, uses this machine's own kernel), and runs tests/demo/demo.py in
# it: the test pool, `micromine run`, a live view, a busy foreground
# program, a summary.  Exit 0 only if shares were accepted and none lost.
#
# Environment (from the Makefile): DEMO_KERNEL (a matrix id without the
# arch, default 6.12 for amd64, else the architecture's row), DEMO_ARCH
# (amd64, arm64, armhf, mipsel, riscv64 or s390x),
# DEMO_SECONDS (default 60), DEMO_POOL, DEMO_POOL_USER, DEMO_POOL_PASS (a
# real pool instead of the test pool), DEMO_HOST=1.
set -u
. "$(dirname "$0")/lib.sh"
. "$HARNESS/verdict.sh"

seconds=${DEMO_SECONDS:-60}
case $seconds in '' | *[!0-9]*) die "SECONDS wants a number of seconds" ;; esac
"$HARNESS/deps.sh" demo || exit 1

# --- HOST=1: this machine's kernel, which must load modules ---
if [ -n "${DEMO_HOST:-}" ]; then
	[ "$(id -u)" = 0 ] || die "HOST=1 loads a module: run it as root"
	[ "$(cat /proc/sys/kernel/modules_disabled 2>/dev/null)" != 1 ] ||
		die "this kernel does not load modules (kernel.modules_disabled)"
	kdir=/lib/modules/$(uname -r)/build
	[ -f "$kdir/Makefile" ] || die "no headers for $(uname -r): apt-get install linux-headers-$(uname -r)"
	make -s -C "$TOP" module tool >/dev/null || die "the build failed"
	bin=$CACHE/bin/$(uname -m)
	make -s -C "$TOP/tests" "$bin/busy" "$bin/micromine" >/dev/null || die "the build failed"
	if [ -d /sys/module/micromine ]; then
		die "micromine is loaded already: rmmod micromine first (the demo loads its own)"
	fi
	MM_TOP=$TOP MM_KO=$TOP/micromine.ko PATH=$bin:$PATH DEMO_SECONDS=$seconds \
		"$PYTHON" "$TOP/tests/demo/demo.py"
	rc=$?
	rmmod micromine 2>/dev/null
	exit $rc
fi

# --- a QEMU guest ---
guest_can_see "$TOP"
guest_can_see "$CACHE"
arch=${DEMO_ARCH:-amd64}
case $arch in x86_64 | x86) arch=amd64 ;; aarch64) arch=arm64 ;; esac
if [ "$arch" = amd64 ]; then
	id=${DEMO_KERNEL:-6.12}
else
	# the architecture's row of the matrix (KERNEL= picks among several)
	id=$(awk -v a="$arch" -v k="${DEMO_KERNEL:-}" '!/^#/ && $2 == a &&
		(k == "" || $1 == k "-" a) {print $1; exit}' "$HARNESS/kernels.conf")
	[ -n "$id" ] || die "ARCH=$arch: no such row in the matrix (amd64, arm64, armhf, mipsel, riscv64, s390x)"
fi
arch_info "$arch"
bin=$BIN
grep -q "^$id[[:space:]]" "$HARNESS/kernels.conf" ||
	die "KERNEL=${DEMO_KERNEL:-}: not in the matrix (tests/harness/kernels.conf)"

log "demo: preparing kernel $id and QEMU (downloads once, into .cache/)"
apt_init
kd=$("$HARNESS/kernel.sh" "$id") || exit 1
"$HARNESS/qemu.sh" >/dev/null || exit 1
[ $arch = amd64 ] || { "$HARNESS/archroot.sh" "$arch" >/dev/null || exit 1; }
log "demo: building micromine.ko for $id, and the tool"
# a build directory of its own: make check runs the demo beside the kernels
b=$("$HARNESS/build-module.sh" "$id" demo "$TOP" | tail -n 1) ||
	die "the module does not build for $id"
# make check has built the programs (and guests are using them)
[ -n "${DEMO_NO_BUILD:-}" ] ||
	make -s -C "$TOP/tests" $([ $arch = amd64 ] || echo ARCH="$arch") "$CACHE/bin/$bin/busy" \
		"$CACHE/bin/$bin/micromine" >/dev/null || die "the tool does not build"

run=$CACHE/demo/$id
rm -rf "$run"
mkdir -p "$run"
net=
if [ -n "${DEMO_POOL:-}" ]; then
	# a real pool: the guest reaches it through QEMU's user-mode network
	export MM_QEMU_ARGS="-nic user,model=virtio-net-pci"
	net='ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 &&
	ip route add default via 10.0.2.2 && echo "nameserver 10.0.2.3" >/etc/resolv.conf'
fi
cat >"$run/cmd" <<-EOS
	export MM_TOP='$TOP' MM_KO='$b/micromine.ko' PATH='$CACHE/bin/$bin':\$PATH
	export DEMO_SECONDS=$seconds DEMO_CONSOLE=/dev/console DEMO_PREFIX='demo| '
	export DEMO_RESULT=/run/mm/demo.json
	export DEMO_POOL='${DEMO_POOL:-}' DEMO_POOL_USER='${DEMO_POOL_USER:-}'
	export DEMO_POOL_PASS='${DEMO_POOL_PASS:-}'
	$net
	exec python3 '$TOP/tests/demo/demo.py'
EOS
. "$kd/env"
log "demo: booting $RELEASE ($arch) under QEMU (TCG: expect emulated speed)"
MM_TIMEOUT=$((seconds + 900)) "$HARNESS/boot.sh" "$id" "$run" &
boot=$!
while [ ! -e "$run/console.log" ] && kill -0 $boot 2>/dev/null; do sleep 0.2; done
tail -F -n +1 --pid=$boot "$run/console.log" 2>/dev/null | tr -d '\r' | sed -un 's/^demo| //p'
wait $boot
rc=$?
verdict "demo" "$run" "$rc" >"$run/harness.tap"
if grep -q '^not ok' "$run/harness.tap"; then
	grep -A20 '^not ok' "$run/harness.tap" | head -30 >&2
	log "demo: the guest run failed: console, dmesg and output are in $run"
	exit 1
fi
[ "$(cat "$run/out/status" 2>/dev/null)" = 0 ] || {
	tail -20 "$run/out/output" >&2
	log "demo: failed (output in $run/out/output)"
	exit 1
}
exit 0
