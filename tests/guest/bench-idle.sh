#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench` inside a guest: what the miner costs the machine's owner.
# Figures, not tests (tests/harness/bench.sh boots the guests):
#   - a busy foreground program on every CPU, its throughput with the
#     miner mining divided by its throughput with the miner paused, in
#     alternating rounds (target >= 0.99);
#   - wakeup latency (cyclictest: SCHED_OTHER, and SCHED_FIFO on an RT
#     kernel) with and without the miner, p99 and max; the p99 added;
#   - the module's hash rate on one core over the same backend's rate in
#     userspace in the same guest (target >= 0.97);
#   - each backend's longest vector section, one line each:
#     bench section backend=<name> max_us=<n>
# Ends with one line:
#   bench idle kernel=<release> fg_ratio=<r> p99_added_us=<n> kernel_user_ratio=<r>
#
# Environment: MM_KO, MM_BIN, BENCH_ROUNDS (default 3), BENCH_SECONDS (2).
set -u
export PATH=$MM_BIN:$PATH
rounds=${BENCH_ROUNDS:-3}
secs=${BENCH_SECONDS:-2}
sys=/sys/kernel/micromine
. "$(dirname "$0")/../genesis.sh"
nothing=$(printf '0%.0s' {1..64})

insmod "$MM_KO" || { echo "bench: cannot load the module"; exit 1; }
micromine set enabled on >/dev/null
# a job no nonce solves: the workers mine all the time they are given
micromine job submit --header $genesis --target "$nothing" >/dev/null || exit 1
miner() { micromine set enabled "$1" >/dev/null; }

echo "# foreground: busy on every CPU, ${secs} s rounds, miner paused / mining"
on=0 off=0
for r in $(seq "$rounds"); do
	miner off
	a=$(busy "$secs")
	miner on
	b=$(busy "$secs")
	echo "# round $r: paused $a ops/s, mining $b ops/s"
	off=$((off + a)) on=$((on + b))
done
fg_ratio=$(awk -v a=$on -v b=$off 'BEGIN { printf "%.3f", a / b }')
echo "foreground throughput, mining / paused: $fg_ratio"

# p99 and max of a cyclictest histogram (us), from its output on stdin
pct() {
	awk '/^[0-9]+[ \t]/ { s = 0; for (i = 2; i <= NF; i++) s += $i; n[$1 + 0] += s; tot += s }
	     /# Max Latencies/ { for (i = 4; i <= NF; i++) if ($i + 0 > max) max = $i + 0 }
	     END { c = 0; for (i = 0; i <= 100000; i++) if (i in n) { c += n[i];
	           if (c >= tot * 0.99) { print i, max; exit } } print "n/a", max }'
}
policy="--policy=other"
uname -v | grep -q PREEMPT_RT && policy="--policy=fifo --priority=80"
if command -v cyclictest >/dev/null; then
	echo "# wakeup latency: cyclictest $policy, 1 ms interval, 5 s, per CPU"
	miner off
	read -r p99_off max_off < <(cyclictest -q -m -S $policy -i 1000 -D 5 -h 20000 | pct)
	miner on
	read -r p99_on max_on < <(cyclictest -q -m -S $policy -i 1000 -D 5 -h 20000 | pct)
	echo "latency paused: p99 $p99_off us, max $max_off us"
	echo "latency mining: p99 $p99_on us, max $max_on us (p99 ratio $(awk -v a=$p99_on \
		-v b=$p99_off 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'))"
	p99_added=$((p99_on - p99_off))
else
	echo "# no cyclictest in this guest (rt-tests)"
	p99_added=n/a
fi

# one core, the module's default backend, in the kernel and in userspace
backend=$(cat $sys/backend)
micromine set cpus 0 >/dev/null
h0=$(cat $sys/hashes) t0=$(date +%s.%N)
sleep 3
h1=$(cat $sys/hashes) t1=$(date +%s.%N)
kernel=$(awk -v h=$((h1 - h0)) -v a=$t0 -v b=$t1 'BEGIN { printf "%.0f", h / (b - a) }')
micromine job flush >/dev/null
user=$(taskset -c 0 hash-bench -b "$backend" -r 1 -t 3 | sed -n 's/.*nonces_per_s=\([0-9]*\).*/\1/p')
ratio=$(awk -v k=$kernel -v u=${user:-0} 'BEGIN { if (u > 0) printf "%.3f", k / u; else print "n/a" }')
echo "hash rate on one core, $backend: kernel $kernel/s, userspace ${user:-?}/s, ratio $ratio"
backends=$(cat $sys/backends)
rmmod micromine

# The longest vector section (preemption, on x86 softirqs, off) of each
# backend, mining 3 s on every CPU from a fresh load: debugfs "workers",
# the largest of its CPUs.  Under emulation a figure of the emulator.
for b in $backends; do
	insmod "$MM_KO" backend="$b" || continue
	micromine job submit --header $genesis --target "$nothing" >/dev/null
	sleep 3
	max=$(awk 'NR > 1 && $10 ~ /^[0-9]+$/ { if ($10 > m) m = $10 } END { print m + 0 }' \
		/sys/kernel/debug/micromine/workers)
	rmmod micromine
	echo "bench section backend=$b max_us=$max"
done
echo "bench idle kernel=$(uname -r) fg_ratio=$fg_ratio p99_added_us=$p99_added kernel_user_ratio=$ratio"
