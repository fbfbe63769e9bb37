#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The micromine tool on the host, which has no module: the command line,
# every usage error and its message, and the module-missing error of every
# subcommand.  (Against the real module, see tests/guest/tool.sh.)
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../genesis.sh"

mm=${MM_TOOL:?}
out=$(mktemp)
session=$(mktemp)
dir=$(mktemp -d)
trap 'rm -rf $out $session $dir' EXIT

# t <exit> <message part> <args...>
t() {
	local want=$1 msg=$2 rc
	shift 2
	echo "$want $*" >>$session
	"$mm" "$@" >$out 2>&1
	rc=$?
	if [ $rc = "$want" ] && grep -qF -- "$msg" $out; then
		tap_ok "micromine $*: exit $want, '$msg'"
	else
		tap_fail "micromine $*: exit $want, '$msg' (got exit $rc)"
		head -5 $out | tap_diag
	fi
}

t 2 "Usage: micromine <command>"
t 0 "Commands:" --help
t 0 "Commands:" help
t 0 "micromine 0.1.0" --version
t 2 "unknown command 'nope'" nope
for cmd in status stats top set job events bench selftest run; do
	t 0 "Usage: micromine $cmd" $cmd --help
done
t 0 "Usage: micromine job submit" job submit --help
t 0 "Usage: micromine job submit" job flush --help

t 2 "status takes no argument 'x'" status x
t 2 "Usage: micromine status" status --bogus
t 2 "stats takes no argument" stats x
t 2 "--interval wants 0.1 to 3600 seconds" top --interval 0
t 2 "--count wants a positive number" top --count 0
t 2 "set wants a setting and a value" set
t 2 "enabled wants a value" set duty-cycle 5 enabled
t 2 "no setting named 'bogus'" set bogus 1
t 2 "enabled: 'maybe' is not a value it takes" set enabled maybe
t 2 "duty-cycle: 'abc' is not a value it takes" set duty-cycle abc
t 2 "duty-cycle: '300' is not a value it takes" set duty-cycle 300
t 2 "chunk-min: '-1' is not a value it takes" set chunk-min -1
t 2 "duty-cycle given twice" set duty-cycle 5 duty-cycle 6
t 2 "job wants submit or flush" job
t 2 "no job command 'frob'" job frob
t 2 "job submit needs --header and --target" job submit
t 2 "--header wants 160 hex digits" job submit --header 00 --target 00
t 2 "--header wants 160 hex digits" job submit --header "$(printf 'g%.0s' {1..160})"
t 2 "--target wants 64 hex digits" job submit --target 00
t 2 "--id wants a number below 2^32" job submit --id 4294967296
t 2 "--version-mask wants 8 hex digits" job submit --version-mask 1fffe00
t 2 "--nonce-start wants a number below 2^32" job submit --nonce-start x
t 2 "--nonce-count wants a positive number" job submit --nonce-count 0
t 2 "job submit takes no argument 'x'" job submit --id 1 x
t 2 "Usage: micromine status" status --json=x
t 2 "job flush takes no argument 'x'" job flush x
t 2 "--count wants a positive number" events --count x
t 2 "--timeout wants a positive number of seconds" events --timeout -1
t 2 "--seconds wants 1 to 3600" bench --seconds 0
t 2 "selftest takes no argument" selftest x

absent() { ! grep -qF -- "$1" $out; }

# run: the settings, checked before anything starts (--check shows them)
fp=$(printf '0%.0s' {1..63})1
tcp="-o stratum+tcp://pool.example:3333 -u acct.dev"
t 2 "no trusted node: give -o URL" run -n -c /dev/null
t 2 "/nonexistent.conf: No such file or directory" run -n -c /nonexistent.conf
t 2 "--user belongs to a node: give --url first" run -u x
t 2 "--set wants KEY=VALUE" run -s keepalive
t 2 "url: 'http://h:1' is not stratum+tcp://host:port" run -n -o http://h:1 -u a
t 2 "url: 'stratum+tcp://h:99999' is not" run -n -o stratum+tcp://h:99999 -u a
t 2 "url: 'stratum+tcp://h' is not" run -n -o stratum+tcp://h -u a
t 2 "node stratum+tcp://h:1: no user (the worker name" run -n -o stratum+tcp://h:1
t 0 "# TLS: verified against the system's CA store and the host name" \
	run -n -o stratum+tls://h:1 -u a
t 0 "pinned-pubkey = sha256//RdlsFxySJpSluPw6f4+Tt01Nj5mOvJWOjFJ6MoPBmjk=;sha256//" \
	run -n -o stratum+tls://h:1 -u a \
	--pinned-pubkey "sha256//RdlsFxySJpSluPw6f4+Tt01Nj5mOvJWOjFJ6MoPBmjk=;sha256//$(printf 'A%.0s' {1..43})="
t 2 "pinned-pubkey: not sha256//<base64 of a SHA-256>" \
	run -n -o stratum+tls://h:1 -u a --pinned-pubkey sha256//abc
t 2 "pinned-pubkey: not sha256//<base64 of a SHA-256>" \
	run -n -o stratum+tls://h:1 -u a --pinned-pubkey "md5//RdlsFxySJpSluPw6f4+Tt01Nj5mOvJWOjFJ6MoPBmjk="
t 2 "fingerprint: not the 64 hex digits of a SHA-256" \
	run -n -o stratum+tls://h:1 -u a --fingerprint abc
t 0 "fingerprint = 00:00:00:00:" run -n -o stratum+tls://h:1 -u a --fingerprint $fp
t 0 "ca-file = /etc/ssl/certs/ca-certificates.crt" \
	run -n -o stratum+tls://h:1 -u a --ca-file /etc/ssl/certs/ca-certificates.crt
t 0 "insecure = yes" run -n -o stratum+tls://h:1 -u a --insecure
# the password out of the command line and the config: a file, the environment
printf 'pw-from-file\n' >$dir/pw
chmod 600 $dir/pw
t 0 "password-file = $dir/pw" run -n -o stratum+tcp://h:1 -u a --password-file $dir/pw
t 2 "password-file /nonexistent: No such file or directory" \
	run -n -o stratum+tcp://h:1 -u a --password-file /nonexistent
t 2 "password and password-file both given" \
	run -n -o stratum+tcp://h:1 -u a -p x --password-file $dir/pw
MICROMINE_PASSWORD=pw-env "$mm" run -n -o stratum+tcp://h:1 -u a >$out 2>&1
tap_check "MICROMINE_PASSWORD: the password of a node without one" \
	grep -q "password = (set, not shown)" $out
t 0 "url = stratum+tcp://[::1]:3333" run -n -o stratum+tcp://[::1]:3333 -u a
t 2 "no setting named 'keepalve'" run -n $tcp -s keepalve=3
t 2 "silence: '1' is not a value it takes" run -n $tcp -s silence=1
t 2 "keepalive: 'soon' is not a value it takes" run -n $tcp -s keepalive=soon
t 2 "log-level: 'loud' is not a value it takes" run -n $tcp --log-level loud
t 2 "backoff-min is above backoff-max" run -n $tcp -s backoff-min=10 -s backoff-max=5
t 0 "suggest-difficulty = 0.001" run -n $tcp -s suggest-difficulty=0.001
t 0 "suggest-difficulty = auto" run -n $tcp -s suggest-difficulty=auto
t 0 "share-interval = 30" run -n $tcp -s suggest-difficulty=auto
t 2 "suggest-difficulty: 'often' is neither auto nor a difficulty (0: none)" \
	run -n $tcp -s suggest-difficulty=often
t 2 "share-interval: '0' is not a value it takes" run -n $tcp -s share-interval=0
# a node's own settings over [run]'s, from the command line and the file
t 0 "version-rolling = no" run -n $tcp --node-set version-rolling=no
t 0 "suggest-difficulty = 0.5" run -n $tcp --node-set suggest-difficulty=0.5
t 2 "--node-set belongs to a node: give --url first" run -n --node-set version-rolling=no
t 2 "version-rolling: 'maybe' is not yes or no" run -n $tcp --node-set version-rolling=maybe
t 2 "no node setting named 'keepalive'" run -n $tcp --node-set keepalive=3
printf '[node a]\nurl = stratum+tcp://h:1\nuser = x\nsuggest-difficulty = auto\n' >$dir/auto.conf
t 0 "suggest-difficulty = auto" run -n -c $dir/auto.conf
t 0 "share-max-age = 600" run -n $tcp
t 0 "share-max-age = 3600" run -n $tcp -s share-max-age=3600
t 2 "share-max-age: '0' is not a value it takes" run -n $tcp -s share-max-age=0
printf '[run]\nkeepalve = 3\n' >$dir/typo.conf
t 2 "$dir/typo.conf: [run]: no setting named 'keepalve'" run -n -c $dir/typo.conf
printf '[node a]\nurl = stratum+tcp://h:1\nuser = x\nfoo = 1\n' >$dir/node.conf
t 2 "$dir/node.conf: [node a]: no node setting named 'foo'" run -n -c $dir/node.conf
printf '[pools]\nurl = stratum+tcp://h:1\n' >$dir/section.conf
t 2 "$dir/section.conf: no section [pools]" run -n -c $dir/section.conf
printf 'just words\n' >$dir/syntax.conf
t 2 "$dir/syntax.conf: line 1 is not [section], key = value or a comment" run -n -c $dir/syntax.conf
sed 's/password = x/password = hunter2/' "$(dirname "$0")/../../user/micromine.conf.example" \
	>$dir/example.conf
chmod 644 $dir/example.conf
t 0 "holds passwords and others can read it (chmod 600)" run -n -c $dir/example.conf
t 0 "password = (set, not shown)" run -n -c $dir/example.conf
tap_check "run --check never shows a password" absent hunter2
t 0 "url = stratum+tcp://backup.example.net:3333" run -n -c $dir/example.conf
chmod 600 $dir/example.conf
"$mm" run -n -c $dir/example.conf >$out 2>&1
tap_check "no warning for a config file only its owner reads" absent "others can read"
t 0 "[node stratum+tcp://pool.example:3333]" run -n -c $dir/example.conf $tcp
tap_check "-o nodes replace the config file's" absent "node main"

# the host cannot load modules: every command that needs it says so
t 3 "the micromine module is not loaded" run $tcp
for cmd in status stats top events bench selftest "set enabled on" "job flush"; do
	t 3 "the micromine module is not loaded" $cmd
done
t 3 "the micromine module is not loaded" job submit --header $genesis --target "$(printf 'f%.0s' {1..64})"

# all of the above again in one process under valgrind (tool-session)
session_bin=$(dirname "$mm")/tool-session
cut -d' ' -f2- $session | valgrind -q --leak-check=full --show-leak-kinds=all \
	--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
	"$session_bin" >$out 2>&1
tap_check "valgrind: every command line above, no leak, no memory error" [ $? = 0 ]
tap_check "valgrind: the same exit codes in one process" \
	[ "$(cut -d' ' -f1 $session | xargs)" = "$(sed -n 's/^== exit //p' $out | xargs)" ]
tap_done
