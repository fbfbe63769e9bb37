#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Static gates as a TAP stream: checkpatch --strict and kernel-doc on the
# kernel sources and the uAPI, the netlink spec valid and the uAPI header
# generated from it up to date, SPDX tags everywhere.
set -u
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/tap.sh"

ksrc=$("$HARNESS/ksource.sh") || { echo "Bail out! no kernel source"; exit 1; }
cd "$TOP" || exit 1

for f in kmod/*.[ch] include/uapi/linux/*.h; do
	[ -e "$f" ] || continue
	out=$(perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --no-summary --terse -q -f "$f" 2>&1)
	if [ -z "$out" ]; then
		tap_ok "checkpatch --strict: $f"
	else
		tap_fail "checkpatch --strict: $f"
		printf '%s\n' "$out" | tap_diag
	fi
done

out=$(perl "$ksrc/scripts/kernel-doc" -none -Wall $(ls kmod/*.[ch] include/uapi/linux/*.h 2>/dev/null) 2>&1)
if [ -z "$out" ]; then
	tap_ok "kernel-doc -Wall: no complaint on kmod/ and include/uapi/"
else
	tap_fail "kernel-doc -Wall: no complaint on kmod/ and include/uapi/"
	printf '%s\n' "$out" | tap_diag
fi

spec=Documentation/netlink/specs/micromine.yaml
out=$("$PYTHON" - "$spec" "$ksrc/Documentation/netlink/genetlink.yaml" 2>&1 <<'PY'
import sys, jsonschema, yaml
jsonschema.validate(yaml.safe_load(open(sys.argv[1])), yaml.safe_load(open(sys.argv[2])))
PY
)
if [ $? = 0 ]; then
	tap_ok "the netlink spec is valid against the genetlink schema"
else
	tap_fail "the netlink spec is valid against the genetlink schema"
	printf '%s\n' "$out" | tail -5 | tap_diag
fi

regen=$(mktemp -d)
"$HARNESS/regen.sh" "$regen" >"$regen/log" 2>&1 || cat "$regen/log" | tap_diag
for f in include/uapi/linux/micromine.h Documentation/netlink/micromine.rst; do
	if diff -u "$f" "$regen/$f" >"$regen/diff" 2>&1; then
		tap_ok "$f is what make regen makes of the spec"
	else
		tap_fail "$f is what make regen makes of the spec (run make regen)"
		head -30 "$regen/diff" | tap_diag
	fi
done
rm -rf "$regen"

# The systemd unit as installed (the tool's path in it), with the man page
# its Documentation= names where man finds it.
unit=$(mktemp -d)
mkdir -p "$unit/man/man8"
cp user/micromine.8 "$unit/man/man8/"
sed "s|@SBINDIR@|$CACHE/bin/x86_64|" user/micromine.service >"$unit/micromine.service"
if out=$(MANPATH=$unit/man systemd-analyze verify "$unit/micromine.service" 2>&1) &&
	[ -z "$out" ]; then
	tap_ok "systemd-analyze verify: the unit is clean"
else
	tap_fail "systemd-analyze verify: the unit is clean"
	printf '%s\n' "$out" | tap_diag
fi
# exposure 2.2 at most (as now: any loosening fails): no capability but
# CAP_NET_ADMIN and CAP_SYS_NICE, read-only system, no new privileges, ...
out=$(systemd-analyze security --offline=yes --threshold=22 "$unit/micromine.service" 2>&1)
rc=$?
level=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ $rc = 0 ] && [ -n "$level" ]; then
	tap_ok "systemd-analyze security: exposure $level (2.2 at most)"
else
	tap_fail "systemd-analyze security: exposure ${level:-?} (2.2 at most)"
	printf '%s\n' "$out" | grep '✗' | tap_diag
fi
rm -rf "$unit"

missing=$(git ls-files --cached --others --exclude-standard -- '*.c' '*.h' '*.sh' '*.py' \
	'Makefile' '*/Makefile' 'Kbuild' '*.yaml' '*.mk' 'tests/harness/init' |
	while read -r f; do
		[ -f "$f" ] || continue
		head -n 3 "$f" | grep -q 'SPDX-License-Identifier:' || echo "$f"
	done)
if [ -z "$missing" ]; then
	tap_ok "every source file has an SPDX tag"
else
	tap_fail "every source file has an SPDX tag"
	printf '%s\n' "$missing" | tap_diag
fi

tap_done
