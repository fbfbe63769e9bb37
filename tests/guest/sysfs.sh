#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /sys/kernel/micromine/: every file readable, the controls take good
# values and refuse bad ones, the rest refuse writes, and all of it holds
# up to concurrent writers and readers while mining.
. "$MM_TOP/tests/tap.sh"

d=/sys/kernel/micromine
insmod "$MM_KO" || { echo "Bail out! cannot load the module"; exit 1; }
possible=$(cat /sys/devices/system/cpu/possible)

files="enabled duty_cycle cpus backend backends hashes hashrate shares stale_shares jobs
	jobs_exhausted queue_overflows version"
for f in $files; do
	tap_check "$f reads one line" sh -c "[ \$(wc -l < $d/$f) = 1 ]"
done
tap_check "nothing else is there" [ "$(ls $d | sort | xargs)" = "$(echo $files | xargs -n1 | sort | xargs)" ]

# write <file> <value>: the write's result
write() { printf '%s' "$2" >"$d/$1" 2>/dev/null; }
good() { tap_check "$1 takes '$2'" sh -c "printf '%s' '$2' > $d/$1 && [ \"\$(cat $d/$1)\" = '${3:-$2}' ]"; }
bad() { tap_check "$1 refuses '$2'" sh -c "! printf '%s' '$2' > $d/$1 2>/dev/null"; }

good enabled 0
good enabled 1
good enabled n 0
good enabled y 1
bad enabled maybe
good duty_cycle 50
good duty_cycle 100
bad duty_cycle 0
bad duty_cycle 101
bad duty_cycle abc
good cpus 0
good cpus "$possible"
bad cpus x
bad cpus 9999
bad cpus " "
for b in $(cat $d/backends); do
	good backend "$b"
done
bad backend nope
for f in backends hashes hashrate shares stale_shares jobs jobs_exhausted queue_overflows version; do
	tap_check "$f refuses writes" sh -c "! printf 1 > $d/$f 2>/dev/null"
done
tap_check "version is the module's" [ "$(cat $d/version)" = "$(modinfo -F version "$MM_KO")" ]

# jobs through the tool
submit() { "$MM_BIN/micromine" job submit "$@" >/dev/null; }
. "$MM_TOP/tests/genesis.sh"

# mine (a job nobody can solve) while four writers and four readers go at it for 5 s
tap_check "a job runs" submit --header $genesis --target "$(printf '0%.0s' {1..64})"
backends=($(cat $d/backends))
end=$((SECONDS + 5))
for i in 1 2 3 4; do
	(while [ $SECONDS -lt $end ]; do
		write duty_cycle $((RANDOM % 100 + 1))
		write enabled $((RANDOM % 2))
		write cpus "$((RANDOM % $(nproc)))"
		write cpus "$possible"
		write backend "${backends[RANDOM % ${#backends[@]}]}"
		write duty_cycle nonsense
	done) &
	(while [ $SECONDS -lt $end ]; do cat $d/* >/dev/null; done) &
done
wait
write enabled 1
write duty_cycle 100
write cpus "$possible"
tap_check "the controls hold values after the storm" sh -c \
	"[ \$(cat $d/enabled) = 1 ] && [ \$(cat $d/duty_cycle) = 100 ] && [ \$(cat $d/cpus) = '$possible' ]"
h1=$(cat $d/hashes)
# debugfs shows the whole header of the running job (%*ph prints 64 bytes)
submit --clean --header $genesis --target "$(printf '0%.0s' {1..64})"
tap_check "debugfs jobs: the running job's whole 80-byte header" grep -q "^  header=$genesis\$" \
	/sys/kernel/debug/micromine/jobs
genesis_solve --clean
tap_check "and it still mines: the genesis block solved after it" sh -c "[ \$(cat $d/shares) -ge 1 ] && [ \$(cat $d/hashes) -gt $h1 ]"
rmmod micromine
tap_done
