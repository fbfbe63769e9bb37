#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the root file system of another architecture's guests in the
# cache: Debian's userland of that architecture needed by the guest tests
# (shell, kmod, iproute2, python3 for the kernel's YNL CLI and the test
# pool), and the static libraries its test programs link (the sysroot of
# tests/Makefile), unpacked with dpkg -x.  x86-64 guests use the host's
# own root instead.  Prints the root's path.
# Usage: archroot.sh <Debian architecture>   (arm64, armhf, mipsel, riscv64, s390x)
set -eu
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: archroot.sh <architecture>}
pkgs="base-files base-passwd bash coreutils util-linux mount hostname procps kmod iproute2
	python3 python3-yaml jq openssl grep sed gawk findutils busybox-static
	libc6-dev libnl-3-dev libnl-genl-3-dev libjansson-dev libinih-dev libssl-dev
	zlib1g-dev libzstd-dev"
dest=$CACHE/root-$arch
stamp="3 $(echo $pkgs)"
pyc=$CACHE/pycache/$arch

# Python's standard library compiled, where the root's Python is the
# host's version, into the tree the guests use as PYTHONPYCACHEPREFIX
# (boot.sh): a root made with dpkg -x has no compiled modules, and an
# emulated MIPS CPU takes minutes to compile asyncio and ssl.  Other
# versions (riscv64's) are compiled by the first boot and kept.
precompile() {
	local v
	v=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
	mkdir -p "$pyc"
	[ -e "$pyc/.stdlib" ] || [ ! -d "$dest/usr/lib/python$v" ] || {
		"$PYTHON" - "$dest" "$pyc" "python$v" <<-'EOF' || true
			import os, py_compile, sys
			root, prefix, lib = sys.argv[1:]
			for d in ('usr/lib/' + lib, 'usr/lib/python3/dist-packages'):
			    for top, dirs, files in os.walk(os.path.join(root, d)):
			        dirs[:] = [x for x in dirs if x not in ('test', 'tests', 'idlelib')]
			        for f in files:
			            if not f.endswith('.py'):
			                continue
			            src = os.path.join(top, f)
			            rel = os.path.relpath(src, root)
			            pyc = os.path.join(prefix, rel[:-3] + '.' + sys.implementation.cache_tag + '.pyc')
			            try:
			                py_compile.compile(src, cfile=pyc, dfile='/' + rel, doraise=True)
			            except (py_compile.PyCompileError, OSError):
			                pass
		EOF
		: >"$pyc/.stdlib"
	}
}

if [ "$(cat "$dest/.packages" 2>/dev/null)" = "$stamp" ]; then
	precompile
	echo "$dest"
	exit 0
fi

apt_init
arch_dir=$APTDIR/$arch-archives
mkdir -p "$arch_dir/partial"
# (what an earlier resolution chose is not extracted with this one's)
rm -f "$arch_dir"/*.deb
# riscv64 exists from trixie on: all of its userland from there, the
# architecture-independent packages too (the others' come from bookworm)
prefs=$APTDIR/preferences
if [ "$arch" = riscv64 ]; then
	prefs=$APTDIR/preferences-trixie
	trixie_pin 990 >"$prefs"
fi
log "$arch guest root: resolving and downloading $stamp"
# (the architecture as the native one: binary caches of its own, the
# shared ones are for amd64 and read by the kernels' scripts meanwhile)
apt_private -o APT::Architecture="$arch" -o Dir::Cache::archives="$arch_dir" \
	-o Dir::Etc::Preferences="$prefs" \
	-o Dir::Cache::pkgcache="$APTDIR/cache/$arch-pkgcache.bin" \
	-o Dir::Cache::srcpkgcache="$APTDIR/cache/$arch-srcpkgcache.bin" \
	install -d -y --no-install-recommends $pkgs >"$APTDIR/$arch.log" 2>&1 ||
	die "$arch package download failed, see $APTDIR/$arch.log"

rm -rf "$dest" "$dest.tmp"
mkdir -p "$dest.tmp"
for deb in "$arch_dir"/*_"$arch".deb "$arch_dir"/*_all.deb; do
	[ -e "$deb" ] && dpkg -x "$deb" "$dest.tmp"
done
cp "$dest.tmp/usr/share/base-passwd/passwd.master" "$dest.tmp/etc/passwd"
cp "$dest.tmp/usr/share/base-passwd/group.master" "$dest.tmp/etc/group"
mkdir -p "$dest.tmp/proc" "$dest.tmp/sys" "$dest.tmp/dev" "$dest.tmp/run" \
	"$dest.tmp/tmp" "$dest.tmp/root"
[ -e "$dest.tmp/bin/sh" ] || ln -s bash "$dest.tmp/bin/sh"
# what the packages' scripts would have made with update-alternatives
[ -e "$dest.tmp/usr/bin/awk" ] || ln -s gawk "$dest.tmp/usr/bin/awk"
echo "$stamp" >"$dest.tmp/.packages"
mv "$dest.tmp" "$dest"
rm -rf "$pyc"
mkdir -p "$pyc"
precompile
echo "$dest"
