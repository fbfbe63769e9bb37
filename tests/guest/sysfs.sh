#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /sys/kernel/micromine/: every file readable, the controls take good
# values and refuse bad ones, the rest refuse writes, and all of it holds
# up to concurrent writers and readers while mining.  (Files are read and
# written with bash's builtins: on the debug kernel every program started
# costs half a second.)
. "$MM_TOP/tests/tap.sh"

d=/sys/kernel/micromine
insmod "$MM_KO" || { echo "Bail out! cannot load the module"; exit 1; }
read -r possible </sys/devices/system/cpu/possible
ncpu=$(nproc)

# get <file>: its one line in $got
get() { read -r got <"$d/$1"; }
one_line() { local c; IFS= read -r -d '' c <"$d/$1"; [[ $c == *$'\n' && ${c%$'\n'} != *$'\n'* ]]; }
files="enabled duty_cycle cpus backend backends hashes hashrate shares stale_shares jobs
	jobs_exhausted queue_overflows version"
for f in $files; do
	tap_check "$f reads one line" one_line "$f"
done
there=("$d"/*)
tap_check "nothing else is there" [ "$(printf '%s\n' "${there[@]##*/}" | sort | xargs)" = \
	"$(echo $files | xargs -n1 | sort | xargs)" ]

# write <file> <value>: the write's result
write() { { printf '%s' "$2" >"$d/$1"; } 2>/dev/null; }
takes() { write "$1" "$2" && get "$1" && [ "$got" = "$3" ]; }
good() { tap_check "$1 takes '$2'" takes "$1" "$2" "${3:-$2}"; }
refuses() { ! write "$1" "$2"; }
bad() { tap_check "$1 refuses '$2'" refuses "$1" "$2"; }

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
get backends
for b in $got; do
	good backend "$b"
done
bad backend nope
for f in backends hashes hashrate shares stale_shares jobs jobs_exhausted queue_overflows version; do
	tap_check "$f refuses writes" refuses "$f" 1
done
get version
tap_check "version is the module's" [ "$got" = "$(modinfo -F version "$MM_KO")" ]

# jobs through the tool
submit() { "$MM_BIN/micromine" job submit "$@" >/dev/null; }
. "$MM_TOP/tests/genesis.sh"

# mine (a job nobody can solve) while four writers and four readers go at it for 5 s
tap_check "a job runs" submit --header $genesis --target "$(printf '0%.0s' {1..64})"
get backends
backends=($got)
end=$((SECONDS + 5))
for i in 1 2 3 4; do
	(while [ $SECONDS -lt $end ]; do
		write duty_cycle $((RANDOM % 100 + 1))
		write enabled $((RANDOM % 2))
		write cpus "$((RANDOM % ncpu))"
		write cpus "$possible"
		write backend "${backends[RANDOM % ${#backends[@]}]}"
		write duty_cycle nonsense
	done) &
	(while [ $SECONDS -lt $end ]; do
		for f in "$d"/*; do read -r _ <"$f"; done
	done) &
done
wait
write enabled 1
write duty_cycle 100
write cpus "$possible"
held() { get enabled && [ "$got" = 1 ] && get duty_cycle && [ "$got" = 100 ] &&
	get cpus && [ "$got" = "$possible" ]; }
tap_check "the controls hold values after the storm" held
get hashes
h1=$got
# debugfs shows the whole header of the running job (%*ph prints 64 bytes)
submit --clean --header $genesis --target "$(printf '0%.0s' {1..64})"
tap_check "debugfs jobs: the running job's whole 80-byte header" grep -q "^  header=$genesis\$" \
	/sys/kernel/debug/micromine/jobs
genesis_solve --clean
mines() { get shares && [ "$got" -ge 1 ] && get hashes && [ "$got" -gt "$h1" ]; }
tap_check "and it still mines: the genesis block solved after it" mines
rmmod micromine
tap_done
