#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Static gates as a TAP stream: checkpatch --strict and kernel-doc on the
# kernel sources and the uAPI, SPDX tags everywhere.
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
