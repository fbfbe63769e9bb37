#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch QEMU from bookworm-backports into the cache and print its prefix.
# Bookworm's QEMU 7.2 does not emulate SHA-NI under TCG; 8.1 and later do,
# so the guests can run every x86-64 backend but AVX-512 (no TCG emulates
# it).  The libraries it links are bookworm's (deps.sh installs them).
set -eu
. "$(dirname "$0")/lib.sh"

apt_init
ver=$(apt_cache_private madison qemu-system-x86 | awk -F' *[|] *' '$3 ~ /backports/ {print $2}' | sort -V | tail -n 1)
[ -n "$ver" ] || die "no qemu-system-x86 in bookworm-backports"
dest=$CACHE/qemu
stamp="$ver mips riscv s390x"
if [ "$(cat "$dest/.version" 2>/dev/null)" = "$stamp" ]; then
	echo "$dest"
	exit 0
fi
log "fetching QEMU $ver (bookworm-backports)"
rm -rf "$dest" "$dest.tmp"
mkdir -p "$dest.tmp"
sbi=$(apt_cache_private madison opensbi | awk -F' *[|] *' '$3 ~ /backports.*amd64/ {print $2}' |
	sort -V | tail -n 1)
[ -n "$sbi" ] || die "no opensbi in bookworm-backports"
# the guests' machines: x86-64, arm64 and armhf, mipsel (malta), riscv64
# (virt, with OpenSBI as its firmware), s390x
for deb in $(apt_fetch "qemu-system-x86=$ver" "qemu-system-arm=$ver" \
	"qemu-system-mips=$ver" "qemu-system-riscv=$ver" "qemu-system-s390x=$ver" \
	"qemu-system-common=$ver" "qemu-system-data:all=$ver" "opensbi:all=$sbi"); do
	dpkg -x "$deb" "$dest.tmp"
done
"$dest.tmp/usr/bin/qemu-system-x86_64" --version >/dev/null ||
	die "the fetched QEMU does not run (missing libraries? try make deps)"
echo "$stamp" >"$dest.tmp/.version"
mv "$dest.tmp" "$dest"
echo "$dest"
