#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages a make target needs, by name, when they are
# missing.  Usage: deps.sh build|check|bench|demo
set -eu
. "$(dirname "$0")/lib.sh"

build="make gcc gcc-12 libc6-dev pkg-config libnl-3-dev libnl-genl-3-dev
	libjansson-dev libinih-dev libssl-dev kmod dwarves"
# QEMU itself comes from bookworm-backports through the private apt
# configuration (SHA-NI emulation); these are the libraries it links.
qemu_libs="libaio1 libbpf1 libcapstone4 libfdt1 libfuse3-3 libglib2.0-0
	libgmp10 libgnutls30 libhogweed6 libibverbs1 libjpeg62-turbo libnettle8
	libnuma1 libpixman-1-0 libpmem1 libpng16-16 librdmacm1 libsasl2-2
	libseccomp2 libslirp0 libudev1 liburing2 libvdeplug2 libzstd1 zlib1g
	libasound2 libbrlapi0.8 libcacard0 libcap-ng0 libncursesw6 libtinfo6
	libusb-1.0-0 libusbredirparser1"
guest="$qemu_libs busybox-static cpio xz-utils zstd gzip python3 python3-yaml
	iproute2 procps util-linux valgrind openssl jq gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf
	gcc-mipsel-linux-gnu gcc-riscv64-linux-gnu gcc-s390x-linux-gnu libc6-dev-armhf-cross
	libc6-dev-mipsel-cross libc6-dev-riscv64-cross libc6-dev-s390x-cross
	libc6-dev-arm64-cross linux-source-6.12 apt dpkg"
# Bochs: the guest with AVX-512, booted from an ISOLINUX CD (bochs-term:
# the smallest of the display packages bochs depends on; the guest uses
# Bochs's own VNC display, with no client)
bochs="bochs bochs-term bochsbios vgabios isolinux syslinux-common xorriso"
# the kernels built here (kbuild.sh): the 6.12-debug row
kbuild="bc bison flex libelf-dev libssl-dev"
check="$build $guest $bochs $kbuild sparse python3-jsonschema systemd man-db clang libclang-rt-14-dev
	libfuzzer-14-dev libsimde-dev"
bench="$build $guest linux-perf rt-tests"
demo="$build $guest"

case ${1:-} in
build) want=$build ;;
check) want=$check ;;
bench) want=$bench ;;
demo) want=$demo ;;
*) die "usage: $0 build|check|bench|demo" ;;
esac

missing=()
for p in $want; do
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case $s in ii*) ;; *) missing+=("$p") ;; esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	die "missing Debian packages (run as root to install them): ${missing[*]}"
fi
log "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >"${TMPDIR:-/tmp}/mm-deps.log" 2>&1; then
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" ||
		die "could not install: ${missing[*]}"
fi
