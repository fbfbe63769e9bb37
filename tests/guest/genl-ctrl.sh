#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# iproute2's view of the family: its operations and its multicast group.
. "$MM_TOP/tests/tap.sh"

insmod "$MM_KO" || { echo "Bail out! cannot load the module"; exit 1; }
out=$(genl ctrl get name micromine 2>&1)
echo "$out" | tap_diag
tap_check "genl ctrl get name micromine finds the family" grep -q 'Name: micromine' <<<"$out"
ops=$(grep -cE '^\s+#[0-9]+: +ID-0x[0-9a-f]+\s*$' <<<"$out")
# (those with a do or dump; the events are not operations)
tap_check "it lists the 7 operations of the spec ($ops)" [ "$ops" = 7 ]
tap_check "and the multicast group events" grep -q 'name: events' <<<"$out"
rmmod micromine
tap_check "genl ctrl get fails once the module is gone" sh -c '! genl ctrl get name micromine 2>/dev/null'
tap_done
