#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The micromine tool against the real module: every subcommand, its error
# paths (no module, no privilege, bad values), valid JSON, selftest, and
# no leak under valgrind (x86-64 guests of 5.10 and 6.12, MM_VALGRIND=1).
. "$MM_TOP/tests/tap.sh"

mm=$MM_BIN/micromine
. "$MM_TOP/tests/genesis.sh"
out=/tmp/tool.out
err=/tmp/tool.err

# run <expected exit> <description> <args...>: one result, output in $out/$err
run() {
	local want=$1 desc=$2 rc t0=$SECONDS
	shift 2
	"$@" >$out 2>$err
	rc=$?
	[ $((SECONDS - t0)) -gt 2 ] && echo "# $desc: $((SECONDS - t0)) s"
	if [ $rc = "$want" ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc (exit $rc, not $want)"
		cat $out $err | head -10 | tap_diag
	fi
}
says() { grep -q -- "$1" $out $err; }
json() { jq -e "$1" $out >/dev/null; }
json_file() { jq -e "$1" "$2" >/dev/null; }
json_lines() { jq -e -s "$1" "$2" >/dev/null; }
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# no module (every subcommand: host-tests.sh's tool suite, as the
# command lines the tool refuses are; here the guest's kernels)
rmmod micromine 2>/dev/null
for cmd in "status" "events --timeout 1"; do
	run 3 "$cmd: exit 3 without the module" $mm $cmd
	tap_check "$cmd: says the module is not loaded" says "module is not loaded"
done

insmod "$MM_KO" || { echo "Bail out! cannot load the module"; exit 1; }
possible=$(cat /sys/devices/system/cpu/possible)
ncpus=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)

run 0 "status" $mm status
tap_check "status: idle, with the backend" says "micromine:  idle, backend $(cat /sys/kernel/micromine/backend)"
run 0 "status --json" $mm status --json
tap_check "status --json: valid, its fields" json ".state == \"idle\" and .enabled and .job_id == null and .pool == null and has(\"hashrate\") and (.backends | length > 0) and .cpus == \"$possible\""
# the pool's state file of `micromine run`: shown while its process lives
printf '{"pid": %d, "node": "a", "connected": true, "accepted": 3}' $$ >/tmp/pool.json
MICROMINE_STATE=/tmp/pool.json run 0 "status --json, micromine run alive" $mm status --json
tap_check "status --json: the pool of micromine run" json '.pool.node == "a" and .pool.accepted == 3'
printf '{"pid": 4194304, "node": "a"}' >/tmp/pool.json
MICROMINE_STATE=/tmp/pool.json run 0 "status --json, micromine run gone" $mm status --json
tap_check "status --json: no pool from a dead run's state file" json '.pool == null'
rm -f /tmp/pool.json

run 0 "stats" $mm stats
tap_check "stats: the counters" says "queue_overflows"
run 0 "stats --json" $mm stats --json
tap_check "stats --json: valid" json 'has("hashes") and has("version_rolls")'
run 0 "stats --per-cpu --json" $mm stats --per-cpu --json
tap_check "stats --per-cpu --json: one object per CPU" json "(.cpus | length) == $ncpus and all(.cpus[]; has(\"hashrate\"))"
run 0 "stats --per-cpu" $mm stats --per-cpu
run 0 "top --count 2" $mm top --count 2 --interval 0.2
tap_check "top: a line per CPU, twice" sh -c "[ \$(grep -c '^ *0 ' $out) = 2 ]"

run 0 "set duty-cycle 50 cpus 0" $mm set duty-cycle 50 cpus 0
tap_check "both applied" sh -c "[ \$(cat /sys/kernel/micromine/duty_cycle) = 50 ] && [ \$(cat /sys/kernel/micromine/cpus) = 0 ]"
run 0 "set back" $mm set duty-cycle 100 cpus "$possible"
for b in $(cat /sys/kernel/micromine/backends); do
	run 0 "set backend $b" $mm set backend $b
done
run 0 "set enabled off" $mm set enabled off
run 0 "status --json while paused" $mm status --json
tap_check "status: paused" json '.state == "paused" and (.enabled | not)'
run 0 "set enabled on" $mm set enabled on
run 1 "set duty-cycle 0 fails" $mm set duty-cycle 0
tap_check "with the kernel's reason naming the attribute" says "attribute duty-cycle"
run 1 "set backend nope fails" $mm set backend nope
tap_check "with the kernel's reason" says "no such backend"
run 1 "set cpus x fails" $mm set cpus x
tap_check "with the kernel's reason" says "not a CPU list"

# events while the genesis block is solved
$mm events --json --count 3 --timeout 120 >/tmp/events.json 2>&1 &
ev=$!
sleep 2
run 0 "job submit" $mm job submit --id 7 --header $genesis --target $genesis_hash \
	--nonce-start 2083236800 --nonce-count 200
tap_check "job submit: job 7 runs" says "job 7 runs"
wait $ev
tap_check "events --count 3: exit 0" [ $? = 0 ]
tap_check "events --json: job-started, share-found, job-exhausted" json_lines "
	map(.event) == [\"job-started\", \"share-found\", \"job-exhausted\"] and
	(.[1] | .job_id == 7 and .nonce == 2083236893 and .version == 1 and
	 .hash == \"$genesis_hash\" and (.stale | not) and has(\"time_ns\") and has(\"cpu\"))
	" /tmp/events.json
tap_check "events --json: numbered in the order of the changes" json_lines "
	(map(.event_seq) | .[0] > 0 and .[0] < .[1] and .[1] < .[2])" /tmp/events.json
run 5 "events --timeout 1: exit 5" $mm events --timeout 1
run 0 "job submit --json --clean (queued? no: clean)" $mm job submit --json --clean --id 9 \
	--header $genesis --target 0000000000000000000000000000000000000000000000000000000000000000
tap_check "job submit --json" json '.job_id == 9 and .position == 0 and .event_seq > 0 and length == 3'
run 0 "job submit behind it" $mm job submit --id 10 --header $genesis --target 00000000000000000000000000000000000000000000000000000000000000ff
tap_check "it waits, position 1" says "job 10 waits, position 1"
run 1 "bench refuses while a job runs" $mm bench --seconds 1
run 0 "job flush" $mm job flush

# The counters as the tool shows them, against sysfs: read between two
# equal sysfs readings, as a worker's last slice may still be ending.
counters="hashes shares stale_shares jobs jobs_exhausted queue_overflows"
sysfs_counters() { (cd /sys/kernel/micromine && cat $counters | tr '\n' ' '); }
for _ in 1 2 3 4 5; do
	before=$(sysfs_counters)
	$mm stats --json >/tmp/stats.json 2>$err && $mm stats >$out 2>>$err &&
		$mm stats --per-cpu --json >/tmp/stats-cpu.json 2>>$err
	[ "$(sysfs_counters)" = "$before" ] && break
	sleep 0.2
done
read -r -a values <<<"$before"
i=0
for c in $counters; do
	tap_check "stats, stats --json: $c as sysfs has it (${values[$i]})" \
		sh -c "jq -e '.$c == ${values[$i]}' /tmp/stats.json >/dev/null && grep -q '^$c  *${values[$i]}\$' $out"
	i=$((i + 1))
done
tap_check "stats --per-cpu --json: the CPUs' hashes and shares add up to the machine's" \
	json_file "([.cpus[].hashes] | add) == ${values[0]} and ([.cpus[].shares] | add) == ${values[1]}" \
	/tmp/stats-cpu.json

run 1 "job submit beyond 2^32 fails" $mm job submit --header $genesis --target $genesis_hash \
	--nonce-start 4294967200 --nonce-count 200
tap_check "with the kernel's reason" says "beyond 2^32"

run 0 "bench --seconds 1 --json" $mm bench --seconds 1 --json
tap_check "bench: a hash rate" json '.hashrate > 0 and .cpus >= 1'
run 0 "selftest" $mm selftest
tap_check "selftest: every vector with every backend" says "selftest: \([0-9]*\) of \1 passed"
run 0 "selftest --json --backend generic" $mm selftest --json --backend generic
tap_check "selftest --json" json '.passed and .run == 3'

# no privilege: looking works, changing does not
run 0 "status as nobody" nobody $mm status
run 4 "set enabled off as nobody: exit 4" nobody $mm set enabled off
tap_check "says it needs CAP_NET_ADMIN" says "needs CAP_NET_ADMIN"
run 4 "job submit as nobody: exit 4" nobody $mm job submit --header $genesis --target $genesis_hash
run 4 "job flush as nobody: exit 4" nobody $mm job flush
run 4 "events as nobody: exit 4 (events tell what share-get does)" nobody $mm events --timeout 1
tap_check "says it needs CAP_NET_ADMIN" says "needs CAP_NET_ADMIN"

# every subcommand under valgrind, in one process (tool-session): each
# line is "<expected exit> <command>" (x86-64 guests: valgrind is the host's).
# The genesis job: its share 1M nonces in (seconds under emulation, long
# after events listens), then it ends 200k nonces later; events --count 2
# sees the two.
if command -v valgrind >/dev/null && [ "${MM_VALGRIND:-}" = 1 ]; then
	session=(
		"0 status" "0 status --json" "0 stats" "0 stats --per-cpu --json" "0 top --count 2 --interval 0.1"
		"0 set duty-cycle 50 enabled on" "1 set duty-cycle 0" "2 set nonsense 1" "1 set backend nope"
		"0 job submit --id 3 --header $genesis --target $genesis_hash --nonce-start 2082236893 --nonce-count 1200000"
		"0 events --json --count 2 --timeout 60" "5 events --timeout 0.5" "0 job flush"
		"2 job submit --header 00 --target 00" "1 job submit --header $genesis --target $genesis_hash --nonce-start 4294967200 --nonce-count 200"
		"0 bench --seconds 1 --json" "0 selftest --backend generic" "1 selftest --backend nope"
		"0 set duty-cycle 100" "2 nope" "0 --help" "0 job flush --help"
	)
	printf '%s\n' "${session[@]}" | cut -d' ' -f2- >/tmp/session.in
	t0=$SECONDS
	valgrind -q --leak-check=full --read-inline-info=no --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
		"$MM_BIN/tool-session" </tmp/session.in >$out 2>$err
	rc=$?
	echo "# valgrind session: $((SECONDS - t0)) s"
	tap_check "valgrind: ${#session[@]} subcommands in one process, no leak, no error" [ $rc = 0 ]
	[ $rc = 0 ] || grep -A12 '^==[0-9]*==' $err | head -40 | tap_diag
	got=($(sed -n 's/^== exit //p' $out))
	for i in "${!session[@]}"; do
		want=${session[$i]%% *}
		tap_check "valgrind: micromine $(echo "${session[$i]#* }" | cut -c1-50): exit $want" \
			[ "${got[$i]:-none}" = "$want" ]
	done
else
	tap_skip "valgrind" "on the x86-64 guests of VALGRIND_KERNELS (5.10 and 6.12), not here"
fi
rmmod micromine
tap_done
