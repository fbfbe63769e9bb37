#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the root file system of the arm64 guests in the cache: Debian's
# arm64 userland needed by the guest tests (shell, kmod, iproute2, python3
# for the kernel's YNL CLI), unpacked with dpkg -x.  x86-64 guests use the
# host's own root instead.  Prints the root's path.
set -eu
. "$(dirname "$0")/lib.sh"

pkgs="base-files base-passwd bash coreutils util-linux mount hostname procps kmod iproute2
	python3 python3-yaml jq openssl grep sed gawk findutils busybox-static
	libnl-3-dev libnl-genl-3-dev libjansson-dev libinih-dev libssl-dev"
dest=$CACHE/arm64-root
stamp=$(echo $pkgs)
if [ "$(cat "$dest/.packages" 2>/dev/null)" = "$stamp" ]; then
	echo "$dest"
	exit 0
fi

apt_init
arch_dir=$APTDIR/arm64-archives
mkdir -p "$arch_dir/partial"
log "arm64 guest root: resolving and downloading $stamp"
# (arm64 as the native architecture: binary caches of its own, the shared
# ones are for amd64 and read by the kernels' scripts meanwhile)
apt_private -o APT::Architecture=arm64 -o Dir::Cache::archives="$arch_dir" \
	-o Dir::Cache::pkgcache="$APTDIR/cache/arm64-pkgcache.bin" \
	-o Dir::Cache::srcpkgcache="$APTDIR/cache/arm64-srcpkgcache.bin" \
	install -d -y --no-install-recommends $pkgs >"$APTDIR/arm64.log" 2>&1 ||
	die "arm64 package download failed, see $APTDIR/arm64.log"

rm -rf "$dest" "$dest.tmp"
mkdir -p "$dest.tmp"
for deb in "$arch_dir"/*_arm64.deb "$arch_dir"/*_all.deb; do
	[ -e "$deb" ] && dpkg -x "$deb" "$dest.tmp"
done
cp "$dest.tmp/usr/share/base-passwd/passwd.master" "$dest.tmp/etc/passwd"
cp "$dest.tmp/usr/share/base-passwd/group.master" "$dest.tmp/etc/group"
mkdir -p "$dest.tmp/proc" "$dest.tmp/sys" "$dest.tmp/dev" "$dest.tmp/run" \
	"$dest.tmp/tmp" "$dest.tmp/root"
[ -e "$dest.tmp/bin/sh" ] || ln -s bash "$dest.tmp/bin/sh"
echo "$stamp" >"$dest.tmp/.packages"
mv "$dest.tmp" "$dest"
echo "$dest"
