#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sparse for the module builds of other architectures (build-module.sh's
# CHECK=): Debian 12's sparse 0.6.4 predates two things their kernels pass
# it, so they are taken out of its command line, nothing else:
#   - riscv64: -march=..._zicsr_zifencei (extensions it does not know, and
#     refuses: "invalid argument to '-march'"): given without them;
#   - mipsel: -D__ATOMIC_*=... (the compiler's predefines, which MIPS's
#     Makefile hands over and sparse defines itself: "redefined").
args=()
for a in "$@"; do
	case $a in
	-march=*_zicsr_zifencei) args+=("${a%_zicsr_zifencei}") ;;
	-D__ATOMIC_*) ;;
	*) args+=("$a") ;;
	esac
done
exec sparse "${args[@]}"
