#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: every test of micromine, on the host and on each kernel of
# the matrix under QEMU.  Prints one TAP stream per suite and ends with
# "N passed, N failed"; exits non-zero if anything failed.
#
# Environment: KERNELS (ids from kernels.conf, default all), STRATUM_FULL_KERNEL
# (the kernel that runs every Stratum scenario, default 6.12), AVX512_KERNEL
# (the kernel whose module also runs on Bochs's AVX-512 CPU, default 6.12;
# "none": no such run), VALGRIND_KERNELS
# (those whose tool suite also runs under valgrind, default "5.10 6.12"),
# SUITES (guest suites, default all), STRATUM_ONLY (names of the stratum
# suite's scenarios, comma-separated), SKIP_HOST=1, SKIP_SELFTEST=1,
# SKIP_DEMO=1 for quick local runs (CI sets none of them).
set -u
. "$(dirname "$0")/lib.sh"

KERNELS=${KERNELS:-$("$HARNESS/kernel.sh" list)}
KERNELS=$(echo $KERNELS)	# one line, single spaces: matched as " $KERNELS " below
GUEST_SUITES=${SUITES:-module hash hash-test netlink-test engine-test ynl genl-ctrl sysfs tool stratum fuzz-test}
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
	cp "$2" "$dst" 2>/dev/null || echo "Bail out! $1: no results" >"$dst"
	echo "# ==== $1 ===="
	cat "$dst"
}

# single <label> <description> <command...>: one TAP result from a command
single() {
	local label=$1 tmp
	shift
	tmp=$(mktemp)
	tap_single "$@" >"$tmp"
	emit "$label" "$tmp"
	rm -f "$tmp"
}

# host_emit: print the host tests' streams (check-job.sh host)
host_emit() {
	local d=$CACHE/runs/host f s
	for f in "$d/"*.tap; do
		[ -e "$f" ] || continue
		s=$(basename "$f" .tap)
		emit "${s#[0-9][0-9]-}" "$f"
	done
	[ -e "$d/done" ] || { echo "Bail out! the host tests did not finish" >"$d/end.tap" &&
		emit host-tests "$d/end.tap"; }
}

# kernel_emit <id>: print a kernel's streams; keep the logs if it failed
kernel_emit() {
	local id=$1 run=$CACHE/runs/$1 f s
	mkdir -p "$run"
	[ -f "$run/build.tap" ] || printf 'TAP version 13\n1..1\nnot ok 1 %s: the run started\n' \
		"$id" >"$run/build.tap"
	emit "$id-build" "$run/build.tap"
	[ -f "$run/harness.tap" ] || return
	emit "$id-harness" "$run/harness.tap"
	for f in "$run/out/tap/"*.tap; do
		[ -e "$f" ] || continue
		s=$(basename "$f" .tap)
		emit "$id-${s#[0-9][0-9]-}" "$f"
	done
	if ! "$PYTHON" "$HARNESS/tap.py" summary "$run/build.tap" "$run/harness.tap" \
		"$run/out/tap/"*.tap >/dev/null 2>&1; then
		rm -rf "${logs:?}/$id"
		cp -r "$run" "$logs/$id"
		echo "# kernel $id failed: console, dmesg and output kept in $logs/$id"
	fi
}

"$HARNESS/deps.sh" check || exit 1
guest_can_see "$TOP"
guest_can_see "$CACHE"

# Kernels (two at a time), QEMU and the kernel source parts: the source
# parts (a local tarball, one core) while apt refreshes its lists, QEMU
# and the arm64 userland beside the kernels (apt spends its time
# unpacking, not waiting).
"$HARNESS/ksource.sh" >/dev/null &
ksrc=$!
apt_init
wait $ksrc || exit 1
"$HARNESS/qemu.sh" >/dev/null &
others=$!
case " $KERNELS " in *arm64*) "$HARNESS/arm64root.sh" >/dev/null & others="$others $!" ;; esac
printf '%s\n' $KERNELS | xargs -P 2 -I{} "$HARNESS/kernel.sh" {} >/dev/null || exit 1
for pid in $others; do wait "$pid" || exit 1; done

# The guest phase's kernels, in an order that ends both lanes about
# together (measured on a clean clone: the host tests 70 s, then 6.12
# 334 s, 5.10 213 s, 6.1-arm64 178 s, 6.12-rt 170 s, 6.1 163 s; then the
# plain-CPU run 13 s, the self-test 75 s, the AVX-512 run 48 s and the
# demo 38 s; the lanes ended 7 s apart).
jobs=
for id in 6.12 5.10 6.1-arm64 6.1 6.12-rt $KERNELS; do
	case " $KERNELS " in *" $id "*) ;; *) continue ;; esac
	case " $jobs " in *" $id "*) ;; *) jobs="$jobs $id" ;; esac
done

# Every kernel's module builds (W=1, sparse) on one core, in that order,
# beside the test programs' build and the first jobs of the guest phase;
# kernel-run.sh boots these builds, each as soon as its own is done
# (check-job.sh waits for "built").
# (no result of an earlier run may stand for one of this run)
for id in $KERNELS demo selftest host; do rm -rf "${CACHE:?}/runs/$id"; done
rm -rf "$CACHE/runs/"*-plain-cpu "$CACHE/runs/"*-avx512
for id in $jobs; do
	"$HARNESS/kernel-run.sh" --build-only "$id" >/dev/null 2>&1
	mkdir -p "$CACHE/runs/$id" && : >"$CACHE/runs/$id/built"
done &
prebuild=$!

single programs "test programs build (x86-64)" make -s -C "$TOP/tests" -j2
case " $KERNELS " in
*arm64*) single programs-arm64 "test programs build (arm64, static)" \
	make -s -C "$TOP/tests" ARCH=arm64 -j2 ;;
esac

# The guest phase: the host's own tests (first: the kernels' jobs wait
# for their builds anyway), the kernels, the first x86-64 one's hash
# suites again on a CPU without SHA-NI and AVX2, AVX512_KERNEL's on one
# with AVX-512 (Bochs), the short demo and the harness's self-test, two
# at a time (much of a guest's time is spent waiting).  Results are
# printed afterwards, in the matrix's order.
x86=$(printf '%s\n' $KERNELS | grep -v arm64 | head -n 1)
avx512=${AVX512_KERNEL:-6.12}
plain= wide=
case " $GUEST_SUITES " in *" hash "*)
	[ -n "$x86" ] && plain=$x86-plain-cpu
	case " $KERNELS " in *" $avx512 "*) wide=$avx512-avx512 ;; esac ;;
esac
[ -z "${SKIP_HOST:-}" ] && jobs="host $jobs"
[ -n "$plain" ] && jobs="$jobs plain-cpu:$x86"
[ -z "${SKIP_SELFTEST:-}" ] && jobs="$jobs selftest:$x86"
[ -n "$wide" ] && jobs="$jobs avx512:$avx512"
[ -z "${SKIP_DEMO:-}" ] && jobs="$jobs demo"
printf '%s\n' $jobs | xargs -P 2 -I{} "$HARNESS/check-job.sh" {} $GUEST_SUITES
wait $prebuild
[ -n "${SKIP_HOST:-}" ] || host_emit
for id in $KERNELS $plain $wide; do
	kernel_emit "$id"
done
# the demo's result, as check-job.sh left it: its output, then its status
demo_result() {
	cat "$CACHE/runs/demo/output" 2>/dev/null
	[ "$(cat "$CACHE/runs/demo/rc" 2>/dev/null)" = 0 ]
}
[ -n "${SKIP_DEMO:-}" ] ||
	single demo "make demo SECONDS=15: shares accepted, none lost" demo_result
if [ -z "${SKIP_SELFTEST:-}" ]; then
	mkdir -p "$CACHE/runs/selftest"
	[ -f "$CACHE/runs/selftest/tap" ] || echo "Bail out! the self-test did not run" \
		>"$CACHE/runs/selftest/tap"
	emit harness-selftest "$CACHE/runs/selftest/tap"
fi

echo "# ==== summary ($(($(date +%s) - start)) s) ===="
"$PYTHON" "$HARNESS/tap.py" summary "$results"/*.tap
