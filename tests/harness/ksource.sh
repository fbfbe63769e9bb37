#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Extract the parts of Debian's linux-source-6.12 the build and the tests
# use (checkpatch, kernel-doc, extract-vmlinux, YNL, the netlink specs and
# the kselftest harness) into the cache; print the extracted tree's path.
set -eu
. "$(dirname "$0")/lib.sh"

tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || die "$tarball missing: install linux-source-6.12 (make deps)"
ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
dest=$CACHE/linux-source-6.12
if [ "$(cat "$dest/.version" 2>/dev/null)" = "$ver" ]; then
	echo "$dest"
	exit 0
fi

parts="scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch
	scripts/kernel-doc scripts/extract-vmlinux tools/net/ynl
	Documentation/netlink tools/testing/selftests/kselftest.h
	tools/testing/selftests/kselftest_harness.h MAINTAINERS"
log "extracting linux-source-6.12 $ver (checkpatch, YNL, kselftest harness)"
rm -rf "$dest" "$dest.tmp"
mkdir -p "$dest.tmp"
tar -xJf "$tarball" -C "$dest.tmp" --strip-components=1 \
	$(for p in $parts; do echo "linux-source-6.12/$p"; done)
echo "$ver" >"$dest.tmp/.version"
mv "$dest.tmp" "$dest"
echo "$dest"
