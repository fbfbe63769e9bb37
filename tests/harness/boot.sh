#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one prepared kernel under QEMU (TCG) and run a command in it.
#
# Usage: boot.sh <kernel-id> <run-dir>
#   <run-dir>/cmd        bash script run inside the guest (cwd /run/mm)
#   <run-dir>/out/       the guest's /run/mm: output, dmesg, status, files
#   <run-dir>/console.log
# Environment: MM_TIMEOUT (seconds, default 900), MM_SMP (default 2; 1 on
#   mipsel), MM_MEM (MiB, default 2048; less where the machine or the
#   kernel takes less), MM_QEMU_ARGS (extra QEMU arguments),
#   MM_APPEND (extra kernel command line),
#   MM_EMULATOR (bochs: bochs-boot.sh boots it instead),
#   MM_BOOT_TIMEOUT (seconds until the guest's command starts, default 120;
#   a guest that misses it is booted once more, its console kept in
#   <run-dir>/console-no-boot.log).
# Exit: 0 the command finished (its status is in out/status), 2 the guest
# hung (timeout), 3 the guest died before finishing (panic, oops, reboot).
set -eu
. "$(dirname "$0")/lib.sh"

id=${1:?usage: boot.sh <kernel-id> <run-dir>}
run=${2:?usage: boot.sh <kernel-id> <run-dir>}
# a CPU QEMU does not emulate (AVX-512): Bochs, in bochs-boot.sh
[ "${MM_EMULATOR:-qemu}" = bochs ] && exec "$(dirname "$0")/bochs-boot.sh" "$id" "$run"
kd=$(kernel_dir "$id")
. "$kd/env"
qemu=$(qemu_dir)

[ -f "$run/cmd" ] || die "$run/cmd missing"
# The guest's /run/mm, holding the command, and for other architectures
# Python's compiled modules (PYTHONPYCACHEPREFIX, guest.sh), kept from boot
# to boot: their roots come without them (no package's postinst ran; see
# archroot.sh), and emulated MIPS takes minutes to compile asyncio and ssl.
# (Not a share of their own: Malta's PCI bus has no slot for a fifth.)
pyc=$CACHE/pycache/$ARCH
fresh_out() {
	rm -rf "$run/out"
	mkdir -p "$run/out"
	cp "$run/cmd" "$run/out/cmd"
	if [ "$ARCH" != amd64 ]; then
		mkdir -p "$pyc" "$run/out/pycache"
		cp -al "$pyc/." "$run/out/pycache/" 2>/dev/null ||
			cp -a "$pyc/." "$run/out/pycache/" || true
	fi
}
# after a boot: what it compiled, for the next one (only a cache: no
# failure of it fails the run)
keep_pyc() {
	[ -d "$run/out/pycache" ] || return 0
	{
		rm -rf "$pyc.old" &&
			{ [ ! -e "$pyc" ] || mv -T "$pyc" "$pyc.old"; } &&
			mv -T "$run/out/pycache" "$pyc" &&
			rm -rf "$pyc.old"
	} 2>/dev/null || true
}
rm -f "$run/console.log" "$run/console-no-boot.log"
fresh_out

# initramfs: busybox, the 9p/overlay modules and /init; rebuilt when stale
ird=$kd/initramfs.cpio.gz
if [ ! -s "$ird" ] || [ "$HARNESS/init" -nt "$ird" ]; then
	t=$(mktemp -d)
	mkdir -p "$t/bin" "$t/mods" "$t/proc" "$t/sys" "$t/dev"
	if [ "$ARCH" = amd64 ]; then
		cp /bin/busybox "$t/bin/busybox"
	else
		cp "$kd/busybox/busybox" "$t/bin/busybox"
	fi
	# (none for the kernels built here: everything is built in)
	cp "$kd/bootmods/"*.ko "$t/mods/" 2>/dev/null || true
	cp "$HARNESS/init" "$t/init"
	chmod 755 "$t/init"
	(cd "$t" && find . | cpio -o -H newc --quiet | gzip -1) >"$ird.tmp"
	mv "$ird.tmp" "$ird"
	rm -rf "$t"
fi

append="quiet panic=-1 oops=panic softlockup_panic=1 hung_task_panic=1"
append="$append mm.repo=$TOP ${MM_APPEND:-}"
share() {
	echo "-virtfs local,path=$1,mount_tag=$2,security_model=none,multidevs=remap${3:+,$3}"
}
arch_info "$ARCH"
bin=$qemu/usr/bin/qemu-system-$QEMU_ARCH
smp=${MM_SMP:-2} mem=${MM_MEM:-2048} serial="-serial file:$run/console.log"
boot="-kernel $kd/kernel"
# other architectures: their Debian userland as the root, the repository
# beside it (x86-64 guests see the host's root, the repository in it)
if [ "$ARCH" != amd64 ]; then
	root=$(arch_root "$ARCH")
	shares="$(share "$root" hostroot readonly=on) $(share "$TOP" mmrepo readonly=on)"
	# a cache outside the repository (MM_CACHE) holds their programs
	if [ "${CACHE#"$TOP"/}" = "$CACHE" ]; then
		shares="$shares $(share "$CACHE" mmcache readonly=on)"
		append="$append mm.cache=$CACHE"
	fi
fi
case $ARCH in
amd64)
	# no ERMS/FSRM: TCG runs "rep stosb/movsb" a byte at a time, and 5.10
	# zeroes memory with them (init_on_alloc): 4x slower execs without this
	# (MM_CPU_FLAGS: more changes, e.g. a CPU without SHA-NI and AVX2)
	machine="-M q35 -cpu max,erms=off,fsrm=off${MM_CPU_FLAGS:+,$MM_CPU_FLAGS}"
	append="console=ttyS0 $append"
	shares=$(share / hostroot readonly=on)
	boot="-bios $qemu/usr/share/qemu/qboot.rom -kernel $kd/kernel" ;;
arm64)
	machine="-M virt,gic-version=3 -cpu max,pauth-impdef=on"
	append="console=ttyAMA0 $append" ;;
armhf)
	# a Cortex-A15 with NEON, as in set-top boxes; the armmp kernel has
	# no LPAE, so its memory stays below 4 GiB of address space
	machine="-M virt,highmem=off -cpu cortex-a15"
	mem=${MM_MEM:-1024}
	append="console=ttyAMA0 $append" ;;
mipsel)
	# a Malta board with a 24Kf: one CPU (the 4kc-malta kernel is not
	# SMP), 256 MiB (what its kernel maps without highmem)
	machine="-M malta -cpu 24Kf"
	smp=1 mem=256
	# 9P2000.L passes the host's error numbers, which MIPS numbers
	# otherwise (EOPNOTSUPP, 95 on x86, is ENOTSOCK there: every stat
	# of a file fails); 9P2000.u passes their names
	append="console=ttyS0 mm.9p=9p2000.u $append" ;;
riscv64)
	machine="-M virt -cpu max"
	boot="-bios $qemu/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin $boot"
	append="console=ttyS0 $append" ;;
s390x)
	# its console is the SCLP, not a serial port
	machine="-M s390-ccw-virtio -cpu max"
	serial="-chardev file,id=con,path=$run/console.log -device sclpconsole,chardev=con"
	append="console=ttysclp0 $append" ;;
esac
shares="$shares $(share "$run/out" mmout)"

export QEMU_MODULE_DIR=$qemu/usr/lib/x86_64-linux-gnu/qemu
# One boot; its exit code.  A guest whose command has not started
# (guest.sh writes out/release first) MM_BOOT_TIMEOUT seconds after the
# boot is stopped (exit 125): TCG now and then loses a vCPU's timer early
# in the boot, before anything of ours runs, and the guest never comes up.
boot_once() {
	local pid waited=0

	# shellcheck disable=SC2086
	timeout -k 10 "${MM_TIMEOUT:-900}" "$bin" -L "$qemu/usr/share/qemu" \
		$machine -accel tcg,thread=multi -smp "$smp" -m "$mem" \
		-nodefaults -display none -no-reboot $serial \
		$boot -initrd "$ird" -append "$append" $shares ${MM_QEMU_ARGS:-} \
		</dev/null >"$run/qemu.log" 2>&1 &
	pid=$!
	while [ ! -f "$run/out/release" ] && kill -0 $pid 2>/dev/null; do
		if [ $waited -ge "${MM_BOOT_TIMEOUT:-120}" ]; then
			kill $pid
			wait $pid
			return 125
		fi
		sleep 1
		waited=$((waited + 1))
	done
	wait $pid
}

set +e
boot_once
rc=$?
if [ $rc -eq 125 ]; then
	# kept for the verdict, which reports it
	mv "$run/console.log" "$run/console-no-boot.log"
	fresh_out
	echo "boot.sh: $id: the guest did not come up in ${MM_BOOT_TIMEOUT:-120} s: booting it again" >&2
	boot_once
	rc=$?
fi
set -e
keep_pyc
# 125: never came up, 124/137: timed out
if [ $rc -eq 125 ] || [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	exit 2
fi
[ -f "$run/out/status" ] || exit 3
exit 0
