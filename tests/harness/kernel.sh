#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare one kernel of the matrix in the cache:
#   $CACHE/kernels/<id>/root      image, headers and kbuild (dpkg -x)
#   $CACHE/kernels/<id>/build     -> the headers, for `make KDIR=`
#   $CACHE/kernels/<id>/kernel    what QEMU boots: vmlinux (x86-64), Image
#                                 (arm64, riscv64), zImage (armhf), vmlinux
#                                 (mipsel), image (s390x)
#   $CACHE/kernels/<id>/bootmods  9p/virtio/overlay modules for the initramfs
#   $CACHE/kernels/<id>/env       ID ARCH RELEASE PACKAGES for other scripts
# (a built row: kbuild.sh).
# Usage: kernel.sh <id>     (ids in kernels.conf; `kernel.sh list` lists
# those make check runs by default, `kernel.sh list-all` all of them)
set -eu
. "$(dirname "$0")/lib.sh"

conf=$HARNESS/kernels.conf
case ${1:-} in
list)
	awk '!/^#/ && NF && $4 != "optional" {print $1}' "$conf"
	exit 0 ;;
list-all)
	awk '!/^#/ && NF {print $1}' "$conf"
	exit 0 ;;
esac
id=${1:?usage: kernel.sh <id>}
row=$(awk -v id="$id" '!/^#/ && $1 == id' "$conf")
[ -n "$row" ] || die "unknown kernel '$id' (known: $(awk '!/^#/ && NF {printf "%s ", $1}' "$conf"))"
read -r _ arch pattern _ <<<"$row"
case $pattern in build:*) exec "$HARNESS/kbuild.sh" "$id" "${pattern#build:}" ;; esac

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
[ "$arch" = amd64 ] || pkgs="$pkgs busybox-static:$arch"
# modules the initramfs loads: the shared root needs 9p over virtio (PCI,
# or CCW on s390x) and overlay; the demo with a real pool needs a network
# device (those a kernel lacks or has built in are left out)
bootmods="virtio_pci virtio_ccw 9p 9pnet_virtio overlay virtio_net"

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
# trixie's packages are /usr-merged: its modules live in /usr/lib
for d in lib bin sbin; do
	[ -e "$kd/root/$d" ] || [ ! -d "$kd/root/usr/$d" ] || ln -s "usr/$d" "$kd/root/$d"
done
# Trixie's host programs (modpost) want trixie's C library (they name
# GLIBC_2.38 or later): bookworm's build of the newest 6.12 stands in for
# them (the riscv64 row).
kb=$kd/root/usr/lib/$kbuild
if grep -rqaE 'GLIBC_2\.(3[89]|[4-9][0-9])' "$kb/scripts" 2>/dev/null; then
	stand_in=$(apt_newest "linux-kbuild-6\.12\.[0-9]+\+deb12")
	[ -n "$stand_in" ] || die "no bookworm build of $kbuild's programs"
	t=$(mktemp -d)
	dpkg -x "$(apt_fetch "$stand_in:amd64")" "$t"
	cp -a "$t/usr/lib/$stand_in/." "$kb/"
	rm -rf "$t"
	log "kernel $id: $kbuild's programs from $stand_in (bookworm's C library)"
fi

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

vmlinuz=$(ls "$kd/root/boot/vmlinuz-"* "$kd/root/boot/vmlinux-"* 2>/dev/null | head -n 1)
[ -n "$vmlinuz" ] || die "no kernel image in $image"
if [ "$arch" = amd64 ]; then
	ksrc=$("$HARNESS/ksource.sh")
	"$ksrc/scripts/extract-vmlinux" "$vmlinuz" >"$kd/kernel"
else
	gzip -dc "$vmlinuz" >"$kd/kernel" 2>/dev/null || cp "$vmlinuz" "$kd/kernel"
	mkdir -p "$kd/busybox"
	cp "$(ls "$kd/root/bin/busybox" "$kd/root/usr/bin/busybox" 2>/dev/null | head -n 1)" \
		"$kd/busybox/busybox"
fi

cat >"$kd/env" <<EOF
ID='$id'
ARCH='$arch'
RELEASE='$release'
PACKAGES='$pkgs $bootmods'
EOF
echo "$kd"
