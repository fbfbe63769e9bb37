#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One job of the guest phase of `make check`, two of which run at a time:
# the host's own tests (host-tests.sh), a kernel of the matrix
# (kernel-run.sh), an x86-64 kernel's module once more on a plainer CPU or
# on a CPU with AVX-512 (Bochs), the short demo, or the harness's
# self-test.  Each leaves its results in $CACHE/runs/ for check.sh, which
# prints them in a fixed order when all are done.
#
# Usage: check-job.sh <kernel-id> <suite>... | plain-cpu:<kernel-id> |
#        avx512:<kernel-id> | demo | selftest:<kernel-id> | host
set -u
. "$(dirname "$0")/lib.sh"

job=${1:?usage: check-job.sh <kernel-id> <suite>... | plain-cpu:<kernel-id> | avx512:<kernel-id> | demo | selftest:<kernel-id> | host}
shift

# wait_built <kernel-id>: for its module, built by check.sh beside the
# other jobs once its kernel is there (a kernel built here takes a
# quarter of an hour cold), as long as check.sh's builder runs; without
# one (or once it is gone) kernel-run.sh builds it
wait_built() {
	while [ ! -e "$CACHE/runs/$1/built" ] && [ -n "${MM_PREBUILD:-}" ] &&
		kill -0 "$MM_PREBUILD" 2>/dev/null; do
		sleep 1
	done
}

# the job; its time goes to $CACHE/runs/times for check.sh's summary
run_job() {
	case $job in
	host)
		"$HARNESS/host-tests.sh" "$CACHE/runs/host"
		;;
	demo)
		d=$CACHE/runs/demo
		rm -rf "$d"
		mkdir -p "$d"
		DEMO_SECONDS=15 DEMO_NO_BUILD=1 "$HARNESS/demo.sh" >"$d/output" 2>&1
		echo $? >"$d/rc"
		;;
	selftest:*)
		d=$CACHE/runs/selftest
		rm -rf "$d"
		mkdir -p "$d"
		"$HARNESS/selftest.sh" "${job#selftest:}" >"$d/tap" 2>&1
		;;
	plain-cpu:*)
		# The kernel's module on a CPU without SHA-NI and AVX2, as older Atoms
		# and Celerons are: generic alone is offered, passes and mines.
		id=${job#plain-cpu:}
		wait_built "$id"
		RUN_AS=$id-plain-cpu MM_CPU_FLAGS=sha-ni=off,avx2=off MM_EXPECT_BACKENDS=generic \
			"$HARNESS/kernel-run.sh" "$id" hash hash-test
		;;
	avx512:*)
		# The kernel's module, and the test program, on Bochs's Tiger Lake:
		# the AVX-512 backend's own instructions, which no QEMU runs, in
		# the kernel (self-test and mining) and in userspace (hash-test).
		id=${job#avx512:}
		wait_built "$id"
		RUN_AS=$id-avx512 MM_EMULATOR=bochs MM_EXPECT_BACKENDS="generic sha-ni avx2 avx512" \
			MM_TEST_BACKENDS=avx512 "$HARNESS/kernel-run.sh" "$id" hash hash-test
		;;
	*)
		# the row's own suites (kernels.conf), unless SUITES names some
		row=$(awk -v id="$job" '!/^#/ && $1 == id && $4 ~ /^suites=/ {print substr($4, 8)}' \
			"$HARNESS/kernels.conf")
		[ -z "$row" ] || [ -n "${SUITES:-}" ] || set -- ${row//,/ }
		wait_built "$job"
		"$HARNESS/kernel-run.sh" "$job" "$@"
		;;
	esac
}

t0=$(date +%s)
run_job "$@"
rc=$?
echo "$job $(($(date +%s) - t0))" >>"$CACHE/runs/times"
exit $rc
