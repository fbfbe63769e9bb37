#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare one kernel of the matrix in the cache:
#   $CACHE/kernels/<id>/root      image, headers and kbuild (dpkg -x)
#   $CACHE/kernels/<id>/build     -> the headers, for `make KDIR=`
#   $CACHE/kernels/<id>/kernel    uncompressed vmlinux (x86) or Image (arm64)
#   $CACHE/kernels/<id>/bootmods  9p/virtio/overlay modules for the initramfs
#   $CACHE/kernels/<id>/env       ID ARCH RELEASE PACKAGES for other scripts
# Usage: kernel.sh <id>     (ids in kernels.conf; `kernel.sh list` lists them)
set -eu
. "$(dirname "$0")/lib.sh"

conf=$HARNESS/kernels.conf
if [ "${1:-}" = list ]; then
	awk '!/^#/ && NF {print $1}' "$conf"
	exit 0
fi
id=${1:?usage: kernel.sh <id>}
row=$(awk -v id="$id" '!/^#/ && $1 == id' "$conf")
[ -n "$row" ] || die "unknown kernel '$id' (known: $(awk '!/^#/ && NF {printf "%s ", $1}' "$conf"))"
read -r _ arch pattern <<<"$row"

apt_init
image=$(apt_newest "$pattern")
[ -n "$image" ] || die "no Debian package matches $pattern"
abi=${image#linux-image-}
headers=linux-headers-$abi
deps=$(apt_depends "$headers:$arch")
common=$(grep -E '^linux-headers-.*-common' <<<"$deps" || true)
kbuild=$(grep -E '^linux-kbuild-' <<<"$deps" || true)
[ -n "$common" ] && [ -n "$kbuild" ] || die "cannot resolve the dependencies of $headers"
# kbuild holds host programs (fixdep, modpost): always the amd64 build.
pkgs="$image:$arch $headers:$arch $common:all $kbuild:amd64"
[ "$arch" = arm64 ] && pkgs="$pkgs busybox-static:arm64"
# modules the initramfs loads: the shared root needs 9p and overlay; the
# demo with a real pool needs a network device
bootmods="virtio_pci 9p 9pnet_virtio overlay virtio_net"

kd=$CACHE/kernels/$id
if [ -f "$kd/env" ] && grep -qxF "PACKAGES='$pkgs $bootmods'" "$kd/env" &&
	[ -n "$(ls "$kd/bootmods" 2>/dev/null)" ]; then
	echo "$kd"
	exit 0
fi

log "kernel $id: preparing $image"
rm -rf "$kd"
mkdir -p "$kd/root" "$kd/bootmods"
for deb in $(apt_fetch $pkgs); do
	dpkg -x "$deb" "$kd/root"
done

release=$(ls "$kd/root/lib/modules")
hdir=$kd/root/usr/src/$headers
[ -d "$hdir" ] || die "headers missing in $headers"
# Debian's headers include their -common part by absolute path.
sed -i "s|/usr/src/|$kd/root/usr/src/|g" "$hdir/Makefile"
ln -sfn "$hdir" "$kd/build"

depmod -b "$kd/root" "$release"
n=0
for m in $bootmods; do
	modprobe -d "$kd/root" -S "$release" --show-depends "$m" 2>/dev/null |
		awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r f; do
	n=$((n + 1))
	b=$(basename "$f")
	o=$kd/bootmods/$(printf %02d "$n")-${b%%.ko*}.ko
	case $f in
	*.xz) xz -dc "$f" >"$o" ;;
	*.zst) zstd -qdc "$f" >"$o" ;;
	*.gz) gzip -dc "$f" >"$o" ;;
	*) cp "$f" "$o" ;;
	esac
done

vmlinuz=$(ls "$kd/root/boot/vmlinuz-"*)
if [ "$arch" = amd64 ]; then
	ksrc=$("$HARNESS/ksource.sh")
	"$ksrc/scripts/extract-vmlinux" "$vmlinuz" >"$kd/kernel"
else
	gzip -dc "$vmlinuz" >"$kd/kernel" 2>/dev/null || cp "$vmlinuz" "$kd/kernel"
	mkdir -p "$kd/busybox"
	cp "$kd/root/bin/busybox" "$kd/busybox/busybox"
fi

cat >"$kd/env" <<EOF
ID='$id'
ARCH='$arch'
RELEASE='$release'
PACKAGES='$pkgs $bootmods'
EOF
echo "$kd"
