#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: every test of micromine, on the host and on each kernel of
# the matrix under QEMU.  Prints one TAP stream per suite and ends with
# "N passed, N failed"; exits non-zero if anything failed.
#
# Environment: KERNELS (ids from kernels.conf, default all), SUITES (guest
# suites, default all), SKIP_HOST=1, SKIP_SELFTEST=1, SKIP_DEMO=1 for quick
# local runs (CI sets none of them).
set -u
. "$(dirname "$0")/lib.sh"
. "$HARNESS/verdict.sh"

KERNELS=${KERNELS:-$("$HARNESS/kernel.sh" list)}
GUEST_SUITES=${SUITES:-module hash hash-test}
results=$CACHE/results
logs=$CACHE/logs
rm -rf "$results"
mkdir -p "$results" "$logs"
seq=0
start=$(date +%s)

# emit <label> <tap-file>: keep a stream in the results and print it
emit() {
	seq=$((seq + 1))
	local dst
	dst=$results/$(printf %03d "$seq")-$1.tap
	cp "$2" "$dst"
	echo "# ==== $1 ===="
	cat "$dst"
}

# step <label> <command...>: run a command whose stdout is a TAP stream
step() {
	local label=$1 tmp
	shift
	tmp=$(mktemp)
	"$@" >"$tmp" 2>&1
	emit "$label" "$tmp"
	rm -f "$tmp"
}

# single <label> <description> <command...>: one TAP result from a command
single() {
	local label=$1 desc=$2 tmp out
	shift 2
	tmp=$(mktemp)
	if out=$("$@" 2>&1); then
		printf 'TAP version 13\n1..1\nok 1 %s\n' "$desc" >"$tmp"
	else
		{ printf 'TAP version 13\n1..1\nnot ok 1 %s\n' "$desc"
		  printf '%s\n' "$out" | tail -40 | sed 's/^/# /'; } >"$tmp"
	fi
	emit "$label" "$tmp"
	rm -f "$tmp"
}

# test programs for a Debian architecture: x86_64 (the host's) or arm64
bin_arch() {
	case $1 in amd64) echo x86_64 ;; *) echo "$1" ;; esac
}

kernel_run() {
	local id=$1 kd b run rc
	kd=$CACHE/kernels/$id
	. "$kd/env"
	run=$CACHE/runs/$id
	rm -rf "$run"
	mkdir -p "$run"

	single "$id-build" "$id: micromine.ko builds with W=1 and sparse, no warning" \
		"$HARNESS/build-module.sh" "$id" || return
	b=$CACHE/build/$id/micromine
	[ -f "$b/micromine.ko" ] || return

	cat >"$run/cmd" <<-EOF
		export MM_TOP='$TOP' MM_KO='$b/micromine.ko' MM_KERNEL='$id'
		export MM_BIN='$CACHE/bin/$(bin_arch "$ARCH")'
		export MM_ORACLE_CASES=${MM_GUEST_ORACLE_CASES:-1000}
		exec bash '$TOP/tests/guest/run.sh' $GUEST_SUITES
	EOF
	log "kernel $id: booting $RELEASE"
	"$HARNESS/boot.sh" "$id" "$run"
	rc=$?
	verdict "$id" "$run" "$rc" $GUEST_SUITES >"$run/harness.tap"
	emit "$id-harness" "$run/harness.tap"
	for f in "$run/out/tap/"*.tap; do
		[ -e "$f" ] || continue
		s=$(basename "$f" .tap)
		emit "$id-${s#[0-9][0-9]-}" "$f"
	done
	if ! "$PYTHON" "$HARNESS/tap.py" summary "$run/harness.tap" "$run/out/tap/"*.tap >/dev/null 2>&1; then
		rm -rf "${logs:?}/$id"
		cp -r "$run" "$logs/$id"
		echo "# kernel $id failed: console, dmesg and output kept in $logs/$id"
	fi
}

"$HARNESS/deps.sh" check || exit 1

# Kernels, QEMU and the kernel source parts, two downloads at a time.
apt_init
"$HARNESS/ksource.sh" >/dev/null || exit 1
"$HARNESS/qemu.sh" >/dev/null || exit 1
printf '%s\n' $KERNELS | xargs -P 2 -I{} "$HARNESS/kernel.sh" {} >/dev/null || exit 1
case " $KERNELS " in *arm64*) "$HARNESS/arm64root.sh" >/dev/null || exit 1 ;; esac

single programs "test programs build (x86-64)" make -s -C "$TOP/tests" -j2
case " $KERNELS " in
*arm64*) single programs-arm64 "test programs build (arm64, static)" \
	make -s -C "$TOP/tests" ARCH=arm64 -j2 ;;
esac

if [ -z "${SKIP_HOST:-}" ]; then
	step static "$HARNESS/static.sh"
	step host-hash-test "$CACHE/bin/x86_64/hash-test"
fi

for id in $KERNELS; do
	kernel_run "$id"
done

if [ -z "${SKIP_SELFTEST:-}" ]; then
	step harness-selftest "$HARNESS/selftest.sh" "$(printf '%s\n' $KERNELS | grep -v arm64 | head -n 1)"
fi

echo "# ==== summary ($(($(date +%s) - start)) s) ===="
"$PYTHON" "$HARNESS/tap.py" summary "$results"/*.tap
