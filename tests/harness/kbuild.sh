#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build a kernel of the matrix from Debian's linux-source-6.12: allnoconfig,
# then kconfig/guest.config and the row's fragments (kernels.conf), every
# option of which must be in the result.  The build is kept outside the
# clone, keyed by the source's version, the fragments and the compiler, so
# that another clone (CI) on this machine finds it:
#   $MM_KBUILD_CACHE (/var/cache/micromine)/kernels/<id>-<key>/
#     src -> the extracted source, shared by the rows
#     build/           O= build tree (vmlinux, Module.symvers, .config)
#     seconds          how long the build took
# and prepares $CACHE/kernels/<id>/ as kernel.sh does for Debian's kernels.
#
# Usage: kbuild.sh <id> <fragment>[,<fragment>...]
set -eu
. "$(dirname "$0")/lib.sh"

id=${1:?usage: kbuild.sh <id> <fragments>}
frags="guest.config ${2//,/ }"
# what the key covers besides the fragments: bump when the recipe changes
recipe=1
kcache=${MM_KBUILD_CACHE:-/var/cache/micromine}
# (where that cannot be written, e.g. not as root: in the clone's cache)
mkdir -p "$kcache" 2>/dev/null && [ -w "$kcache" ] || kcache=$CACHE/kbuild
tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || die "$tarball missing: install linux-source-6.12 (make deps)"
ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)

# the fragments' options, a later fragment's value of an option winning
config=$(for f in $frags; do cat "$HARNESS/kconfig/$f"; done |
	awk -F= '/^CONFIG_/ { if (!($1 in v)) order[n++] = $1; v[$1] = $0 }
		END { for (i = 0; i < n; i++) print v[order[i]] }')
key=$( { echo "$recipe $ver"; gcc --version | head -n 1; printf '%s\n' "$config"; } |
	sha256sum | cut -c1-16)
dir=$kcache/kernels/$id-$key
kd=$CACHE/kernels/$id

if [ -f "$kd/env" ] && grep -qxF "PACKAGES='$key'" "$kd/env" && [ -f "$dir/done" ]; then
	echo "$kd"
	exit 0
fi

mkdir -p "$kcache/kernels"
exec 9>"$kcache/kernels/.lock-$id"
flock 9

# the source, once per version for every row (rows building at once
# take turns)
src=$kcache/src/$ver
exec 8>"$kcache/.lock-src"
flock 8
if [ ! -f "$src/.done" ]; then
	log "kernel $id: extracting linux-source-6.12 $ver into $kcache"
	rm -rf "$src"
	mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	: >"$src/.done"
fi
exec 8>&-

if [ ! -f "$dir/done" ]; then
	log "kernel $id: building 6.12 ($frags) in $dir"
	rm -rf "$dir"
	mkdir -p "$dir/build"
	ln -s "$src" "$dir/src"
	printf '%s\n' "$config" >"$dir/fragment.config"
	t0=$(date +%s)
	make -s -C "$src" O="$dir/build" KCONFIG_ALLCONFIG="$dir/fragment.config" \
		allnoconfig >"$dir/config.log" 2>&1 || { cat "$dir/config.log" >&2; die "kernel $id: allnoconfig failed"; }
	# every option asked for must be there, as asked
	missing=$(sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=\(.*\)$/\1 \2/p' "$dir/fragment.config" |
		while read -r opt val; do
			if [ "$val" = n ]; then
				grep -q "^$opt=" "$dir/build/.config" && echo "$opt=$val"
			else
				grep -qxF "$opt=$val" "$dir/build/.config" || echo "$opt=$val"
			fi
		done)
	[ -z "$missing" ] || die "kernel $id: the configuration lacks" $missing
	if ! nice make -C "$src" O="$dir/build" -j"$(nproc)" all >"$dir/build.log" 2>&1; then
		tail -40 "$dir/build.log" >&2
		die "kernel $id: the build failed (see $dir/build.log)"
	fi
	echo $(($(date +%s) - t0)) >"$dir/seconds"
	: >"$dir/done"
	log "kernel $id: built in $(cat "$dir/seconds") s"
	# the row's builds of other keys are no use any more
	for old in "$kcache/kernels/$id"-????????????????; do
		[ "$old" = "$dir" ] || [ ! -f "$old/done" ] || rm -rf "$old"
	done
fi

rm -rf "$kd"
mkdir -p "$kd/bootmods"
ln -s "$dir/build" "$kd/build"
ln -s "$dir/build/vmlinux" "$kd/kernel"
cat >"$kd/env" <<EOF
ID='$id'
ARCH='amd64'
RELEASE='$(make -s -C "$dir/build" kernelrelease)'
PACKAGES='$key'
BUILT='$dir'
EOF
echo "$kd"
