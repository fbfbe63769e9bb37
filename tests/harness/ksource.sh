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
# the guests' python3 is the host's: compiled once here, YNL starts faster
# there (their root is read-only and byte-compiling under TCG is slow)
stamp="$ver $(/usr/bin/python3 -c 'import sys; print(sys.implementation.cache_tag)')"
if [ "$(cat "$dest/.version" 2>/dev/null)" = "$stamp" ]; then
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
/usr/bin/python3 -m compileall -q "$dest.tmp/tools/net/ynl" >/dev/null
echo "$stamp" >"$dest.tmp/.version"
mv "$dest.tmp" "$dest"
echo "$dest"
