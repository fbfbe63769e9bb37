#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build a module for one kernel of the matrix with W=1 and sparse (C=1) in
# a shadow tree under $CACHE/build/<id>/<name>, so every kernel has its own
# objects.  Prints the build directory.  Fails, printing them, on any
# compiler or sparse warning.
#
# Usage: build-module.sh <kernel-id> [<name> <dir with Kbuild> [<file>...]]
#   default: micromine from the repository's Kbuild, kmod/ and include/
set -eu
. "$(dirname "$0")/lib.sh"

id=${1:?usage: build-module.sh <kernel-id> [<name> <dir> [files]]}
name=${2:-micromine}
src=${3:-$TOP}
shift $(($# < 3 ? $# : 3))
files=${*:-Kbuild kmod include}

kd=$(kernel_dir "$id")
. "$kd/env"
b=$CACHE/build/$id/$name
rm -rf "$b"
mkdir -p "$b"
for f in $files; do
	cp -rs "$src/$f" "$b/"
done

args=(-C "$kd/build" M="$b" W=1 C=1)
arch_info "$ARCH"
prefix=$TRIPLET-
[ "$ARCH" = amd64 ] || args+=(ARCH="$KARCH" CROSS_COMPILE="$prefix")
# (sparse 0.6.4 and what riscv64's and mipsel's kernels pass it: sparse.sh)
case $ARCH in riscv64 | mipsel) args+=(CHECK="$HARNESS/sparse.sh") ;; esac
# A trixie kernel's module BTF wants pahole flags bookworm's pahole 1.24
# lacks: built without it there (a module without BTF loads all the same).
grep -q '^CONFIG_CC_VERSION_TEXT=.*gcc-1[4-9]' "$kd/build/include/config/auto.conf" 2>/dev/null &&
	args+=(CONFIG_DEBUG_INFO_BTF_MODULES=)
# Debian's headers name the compiler the kernel was built with; bullseye's
# gcc-10 is not in bookworm, so 5.10 modules are built with gcc-12.  (The
# kernels built here, kbuild.sh, are built with the host's gcc.)
want=$(sed -n 's/^CC = .*)gcc-\([0-9]*\)$/\1/p' "$kd/build/.kernelvariables" 2>/dev/null || true)
if [ -n "$want" ] && ! command -v "${prefix}gcc-$want" >/dev/null; then
	args+=(CC="${prefix}gcc-12")
fi

if ! make "${args[@]}" modules >"$b/build.log" 2>&1; then
	cat "$b/build.log" >&2
	die "module build for $id failed"
fi
warnings=$(grep -E -i '(warning|error):' "$b/build.log" || true)
if [ -n "$warnings" ]; then
	printf '%s\n' "$warnings" >&2
	die "module build for $id has warnings"
fi
echo "$b"
