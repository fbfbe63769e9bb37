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
GUEST_SUITES=${SUITES:-module hash hash-test netlink-test engine-test race-test ynl genl-ctrl sysfs tool stratum fuzz-test}
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
	[ -f "$run/harness.tap" ] || printf 'TAP version 13\n1..1\nnot ok 1 %s: the guest ran\n' \
		"$id" >"$run/harness.tap"
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
# and the other architectures' userlands beside the kernels (apt spends
# its time unpacking, not waiting).
"$HARNESS/ksource.sh" >/dev/null &
ksrc=$!
apt_init
wait $ksrc || exit 1
"$HARNESS/qemu.sh" >/dev/null &
others=$!
# the other architectures of the matrix: their userlands
foreign=$(for id in $KERNELS; do
	awk -v id="$id" '$1 == id && $2 != "amd64" {print $2}' "$HARNESS/kernels.conf"
done | sort -u)
for arch in $foreign; do
	"$HARNESS/archroot.sh" "$arch" >/dev/null &
	others="$others $!"
done
# The kernels built here (6.12-debug) build in the background, cached
# outside the clone (kbuild.sh); their guests wait for them.  A cold build
# takes most of the run: it is niced, so that the guests keep their pace.
built=$(awk '!/^#/ && $3 ~ /^build:/ {print $1}' "$HARNESS/kernels.conf")
debian= building=
for id in $KERNELS; do
	case " $(echo $built) " in
	*" $id "*) building="$building $id" ;;
	*) debian="$debian $id" ;;
	esac
done
mkdir -p "$logs"
for id in $building; do
	rm -f "$CACHE/kernels/$id.ready"
	( "$HARNESS/kernel.sh" "$id" >"$logs/kbuild-$id.log" 2>&1 &&
		: >"$CACHE/kernels/$id.ready" ) &
done
printf '%s\n' $debian | xargs -P 2 -I{} "$HARNESS/kernel.sh" {} >/dev/null || exit 1
for pid in $others; do wait "$pid" || exit 1; done

# The guest phase's kernels, in an order that ends both lanes about
# together: the debug kernel's run, the longest, first when its kernel is
# there (warm), so that the other lane takes the rest meanwhile; when it
# is still being built, after the Debian x86-64 rows.
first= later=
for id in $building; do
	if [ -e "$CACHE/kernels/$id.ready" ]; then first="$first $id"; else later="$later $id"; fi
done
jobs=
for id in $first 6.12 5.10 6.1-arm64 6.1 6.12-rt $later $KERNELS; do
	case " $KERNELS " in *" $id "*) ;; *) continue ;; esac
	case " $jobs " in *" $id "*) ;; *) jobs="$jobs $id" ;; esac
done

# Every kernel's module builds (W=1, sparse) on one core, in that order,
# beside the test programs' build and the first jobs of the guest phase;
# kernel-run.sh boots these builds, each as soon as its own is done
# (check-job.sh waits for "built").
# (no result of an earlier run may stand for one of this run)
for id in $KERNELS demo selftest host; do rm -rf "${CACHE:?}/runs/$id"; done
rm -rf "$CACHE/runs/"*-plain-cpu "$CACHE/runs/"*-avx512 "$CACHE/runs/times"
# (a kernel still being built here last: the others' need not wait)
order=
for id in $jobs; do
	case " $later " in *" $id "*) ;; *) order="$order $id" ;; esac
done
for id in $order $later; do
	case " $building " in *" $id "*)
		# a kernel built here: its module once the kernel is there
		while [ ! -e "$CACHE/kernels/$id.ready" ] && pgrep -f "kbuild.sh $id" >/dev/null; do
			sleep 5
		done ;;
	esac
	"$HARNESS/kernel-run.sh" --build-only "$id" >/dev/null 2>&1
	mkdir -p "$CACHE/runs/$id" && : >"$CACHE/runs/$id/built"
done &
prebuild=$!
# check-job.sh waits for a module while this is alive
export MM_PREBUILD=$prebuild

single programs "test programs build (x86-64)" make -s -C "$TOP/tests" -j2
for arch in $foreign; do
	link=static; [ "$arch" = riscv64 ] && link="against its root's libraries"
	single "programs-$arch" "test programs build ($arch, $link)" \
		make -s -C "$TOP/tests" ARCH="$arch" -j2
done

# The guest phase: the host's own tests (first: the kernels' jobs wait
# for their builds anyway), the kernels, the first x86-64 one's hash
# suites again on a CPU without SHA-NI and AVX2, AVX512_KERNEL's on one
# with AVX-512 (Bochs), the short demo and the harness's self-test, two
# at a time (much of a guest's time is spent waiting).  Results are
# printed afterwards, in the matrix's order.
x86=$(for id in $debian; do
	awk -v id="$id" '$1 == id && $2 == "amd64" {print $1}' "$HARNESS/kernels.conf"
done | head -n 1)
avx512=${AVX512_KERNEL:-6.12}
plain= wide=
case " $GUEST_SUITES " in *" hash "*)
	[ -n "$x86" ] && plain=$x86-plain-cpu
	case " $KERNELS " in *" $avx512 "*) wide=$avx512-avx512 ;; esac ;;
esac
[ -z "${SKIP_HOST:-}" ] && jobs="host $jobs"
[ -n "$plain" ] && jobs="$jobs plain-cpu:$x86"
# (the self-test boots an x86-64 Debian kernel: none, no self-test)
[ -n "$x86" ] || SKIP_SELFTEST=1
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
# each job of the guest phase, in seconds (two run at a time)
[ -f "$CACHE/runs/times" ] && echo "# jobs (s):" $(sort -k2 -n -r "$CACHE/runs/times" | tr ' ' '=')
"$PYTHON" "$HARNESS/tap.py" summary "$results"/*.tap
