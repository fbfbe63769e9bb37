#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One kernel of `make check`: build the module for it (W=1, sparse), boot
# it under QEMU, run the guest suites and judge the run.  Leaves TAP files
# in $CACHE/runs/<id>/: build.tap, harness.tap and out/tap/*.tap, which
# check.sh prints in the matrix's order (it runs two kernels at a time).
#
# Usage: kernel-run.sh [--build-only] <kernel-id> <suite>...
#   --build-only: the build alone (check.sh builds every kernel's module
#   beside its other work); a later run without it boots that build.
# With RUN_AS=<name>, the module its own run built is booted once more as
# run <name> (in $CACHE/runs/<name>/), on the CPU MM_CPU_FLAGS describes
# (QEMU -cpu max with these changes) or under MM_EMULATOR=bochs (a CPU
# with AVX-512), expecting the backends MM_EXPECT_BACKENDS (the hash
# suite); MM_TEST_BACKENDS limits the hash-test suite to some.
set -u
. "$(dirname "$0")/lib.sh"
. "$HARNESS/verdict.sh"

build_only=
[ "${1:-}" = --build-only ] && { build_only=1; shift; }
id=${1:?usage: kernel-run.sh [--build-only] <kernel-id> <suite>...}
shift
kd=$CACHE/kernels/$id
if [ ! -f "$kd/env" ]; then
	mkdir -p "$CACHE/runs/${RUN_AS:-$id}"
	printf 'TAP version 13\n1..1\nnot ok 1 %s: the kernel is there (see .cache/logs/kbuild-%s.log)\n' \
		"$id" "$id" >"$CACHE/runs/${RUN_AS:-$id}/build.tap"
	exit 1
fi
. "$kd/env"
name=${RUN_AS:-$id}
run=$CACHE/runs/$name
b=$CACHE/build/$id/micromine
if [ -n "${RUN_AS:-}" ]; then
	rm -rf "$run"
	mkdir -p "$run"
	if grep -q '^ok' "$CACHE/runs/$id/build.tap" 2>/dev/null && [ -f "$b/micromine.ko" ]; then
		printf 'TAP version 13\n1..1\nok 1 %s: the module of %s, as its run built it\n' \
			"$name" "$id" >"$run/build.tap"
	else
		printf 'TAP version 13\n1..1\nnot ok 1 %s: the module of %s, as its run built it\n' \
			"$name" "$id" >"$run/build.tap"
		exit 1
	fi
elif [ -n "$build_only" ] || ! grep -q '^ok' "$run/build.tap" 2>/dev/null; then
	rm -rf "$run"
	mkdir -p "$run"
	build_only=${build_only:-0}
fi

# test programs for a Debian architecture: x86_64 (the host's) or arm64
case $ARCH in amd64) bin=x86_64 ;; *) bin=$ARCH ;; esac

# variant <name> <file> <sed script> <pattern> [<header>]: a test build
# from a copy of kmod/ whose <file> the script changed (it must then hold
# <pattern>), with <header> copied beside it; in $CACHE/build/<id>/<name>/
variant() {
	local src=$CACHE/src/$1

	rm -rf "$src"
	mkdir -p "$src"
	cp -r "$TOP/Kbuild" "$TOP/kmod" "$TOP/include" "$src/"
	[ -z "${5:-}" ] || cp "$5" "$src/kmod/"
	sed -i -e "$3" "$src/kmod/$2"
	grep -q "$4" "$src/kmod/$2" &&
		"$HARNESS/build-module.sh" "$id" "$1" "$src" >/dev/null 2>&1
}

# On REFUSE_KERNEL (6.12) also a module whose AVX2 backend answers one
# nonce too high (scan-wrong.h), so the guest's hash suite sees the module
# refuse to load; the refusal does not depend on the kernel, and the host
# tests check that the self-test catches each kind of wrong answer.
wrong_backend() {
	variant wrong-backend sha256d-avx2.c \
		's/^#include "sha256d-lanes.h"$/&\n#include "scan-wrong.h"/; s/^\t\.scan = scan_avx2,$/\t.scan = scan_wrong,/' \
		'scan = scan_wrong' "$HARNESS/scan-wrong.h"
}
wrong_ko=$CACHE/build/$id/wrong-backend/micromine.ko

# On STRATUM_FULL_KERNEL also a module whose jobs hold 2^22 nonces per
# version unless job-submit names more, so that the stratum suite sees
# versions rolled and jobs used up within seconds (2^32 take an hour here).
short_nonces() {
	variant short-nonces netlink.c \
		's/^\t\td\.nonce_count = (1ULL << 32) - d\.nonce_start;$/\t\td.nonce_count = min_t(u64, 1ULL << 22, (1ULL << 32) - d.nonce_start);/' \
		'min_t(u64, 1ULL << 22'
}
short_ko=$CACHE/build/$id/short-nonces/micromine.ko

desc="$id: micromine.ko builds with W=1 and sparse, no warning"
if [ -z "$build_only" ]; then
	:	# built by an earlier --build-only
elif out=$("$HARNESS/build-module.sh" "$id" 2>&1); then
	printf 'TAP version 13\n1..1\nok 1 %s\n' "$desc" >"$run/build.tap"
	rm -f "$wrong_ko" "$short_ko"
	[ "$id" = "${REFUSE_KERNEL:-6.12}" ] && wrong_backend
	[ "$id" = "${STRATUM_FULL_KERNEL:-6.12}" ] && short_nonces
else
	{ printf 'TAP version 13\n1..1\nnot ok 1 %s\n' "$desc"
	  printf '%s\n' "$out" | tail -40 | sed 's/^/# /'; } >"$run/build.tap"
	exit 1
fi
[ "$build_only" = 1 ] && exit 0

# The tool's valgrind session (tests/guest/tool.sh) on the x86-64 guests
# of VALGRIND_KERNELS (6.12): the binary is the same on all of them, and
# each session costs ~35 s under TCG.
valgrind_here() {
	[ "$ARCH" = amd64 ] && [[ " ${VALGRIND_KERNELS:-6.12} " = *" $id "* ]] && echo 1
}

# A kernel built here (kbuild.sh): its configuration is checked first
# (kconfig); with fault injection, init's error paths (faults); and with
# kmemleak what the suites left behind, last.
if [ -n "${BUILT:-}" ]; then
	set -- kconfig "$@"
	grep -qx 'CONFIG_FAILSLAB=y' "$BUILT/fragment.config" && set -- "$@" faults
	grep -qx 'CONFIG_DEBUG_KMEMLEAK=y' "$BUILT/fragment.config" && set -- "$@" kmemleak
fi

cat >"$run/cmd" <<-EOS
	export MM_TOP='$TOP' MM_CACHE='$CACHE' MM_KO='$b/micromine.ko' MM_KERNEL='$id'
	export MM_BIN='$CACHE/bin/$bin'
	export MM_ORACLE_CASES=${MM_GUEST_ORACLE_CASES:-$([ -n "${BUILT:-}" ] && echo 50 || echo 500)}
	export MM_SLOW=${BUILT:+1}
	export MM_STRATUM_FULL=$([ "$name" = "${STRATUM_FULL_KERNEL:-6.12}" ] && echo 1)
	export MM_STRATUM_ONLY='${STRATUM_ONLY:-}'
	export MM_VALGRIND=$(valgrind_here)
	export MM_KO_WRONG_BACKEND=$([ "$name" = "${REFUSE_KERNEL:-6.12}" ] && echo "$wrong_ko")
	export MM_KO_SHORT_NONCES=$([ "$name" = "${STRATUM_FULL_KERNEL:-6.12}" ] && echo "$short_ko")
	export MM_EXPECT_BACKENDS='${MM_EXPECT_BACKENDS:-}'
	export MM_KCONFIG='${BUILT:+$BUILT/fragment.config}'
	${MM_TEST_BACKENDS:+export MM_TEST_BACKENDS='$MM_TEST_BACKENDS'}
	exec bash '$TOP/tests/guest/run.sh' $*
EOS
log "kernel $name: booting $RELEASE${MM_CPU_FLAGS:+ (-cpu max,$MM_CPU_FLAGS)}${MM_EMULATOR:+ ($MM_EMULATOR)}"
# The debug kernel boots in a minute and runs ten times slower; it logs
# when module init functions are called, for the faults suite (only from
# the boot on: the kernel's tracepoint probes are set up then), and its
# log is large enough for the whole run (verdict.sh judges it from the
# command's start, which must still be there).
if [ -n "${BUILT:-}" ]; then
	MM_TIMEOUT=${MM_TIMEOUT:-3000} MM_BOOT_TIMEOUT=${MM_BOOT_TIMEOUT:-300} \
		MM_APPEND="${MM_APPEND:-} initcall_debug log_buf_len=16M" "$HARNESS/boot.sh" "$id" "$run"
else
	"$HARNESS/boot.sh" "$id" "$run"
fi
rc=$?
verdict "$name" "$run" "$rc" "$@" >"$run/harness.tap"
log "kernel $name: done"
