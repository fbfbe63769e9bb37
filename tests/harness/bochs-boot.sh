#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one prepared x86-64 kernel under Bochs on an emulated Tiger Lake, a
# CPU with AVX-512 (QEMU's TCG has none), and run a command in it.  boot.sh
# hands over to this script when MM_EMULATOR=bochs; same usage, files and
# exit codes.
#
# Bochs shares no folders: the guest's root is its initramfs, holding
# busybox, bash, the repository's tests/, the test programs of $CACHE/bin
# with their libraries and every module file the command names.  The
# guest's /run/mm comes back over the serial console as a tar archive
# (guest.sh, mm.out=console).  Bochs runs ~50 M instructions a second
# here: the boot takes a minute.
set -eu
. "$(dirname "$0")/lib.sh"

id=${1:?usage: bochs-boot.sh <kernel-id> <run-dir>}
run=${2:?usage: bochs-boot.sh <kernel-id> <run-dir>}
kd=$(kernel_dir "$id")
. "$kd/env"
[ "$ARCH" = amd64 ] || die "bochs-boot.sh: $id is not an x86-64 kernel"
share=/usr/share/bochs
[ -x /usr/bin/bochs-bin ] && [ -f /usr/lib/ISOLINUX/isolinux.bin ] ||
	die "Bochs or ISOLINUX missing (make deps)"

rm -rf "$run/out" "$run/iso" "$run/console.log" "$run/console-no-boot.log"
mkdir -p "$run/out" "$run/iso/isolinux"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

# put <file>...: each file at its own path in the guest's root
put() {
	local f

	for f; do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
	done
}

mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/run/mm"
cp /bin/busybox "$root/bin/busybox"
install -m 755 "$HARNESS/init-bochs" "$root/init"
cp "$run/cmd" "$root/run/mm/cmd"
bin=$CACHE/bin/x86_64
progs=$(find "$bin/" -maxdepth 1 -xtype f -perm -u+x)
put /bin/bash $progs
put $(ldd /bin/bash $progs 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*' | sort -u)
put $(grep -oE "/[^' ]+\.ko" "$run/cmd" | sort -u | while read -r ko; do
	[ -f "$ko" ] && echo "$ko"; done)
mkdir -p "$root$TOP"
cp -r "$TOP/tests" "$root$TOP/"
ln -s "$TOP/tests/harness/guest.sh" "$root/guest.sh"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$run/iso/initrd.gz"

cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$run/iso/isolinux/"
cp "$kd/root/boot/vmlinuz-$RELEASE" "$run/iso/vmlinuz"
# Linux takes Bochs's XSAVE layout for broken in two ways: PKRU ahead of
# the AVX-512 state, and compacted sizes not adding up.  Without PKU and
# XSAVES/XSAVEC it keeps XSAVE with AVX-512 in the standard format.
append="console=ttyS0 quiet mitigations=off panic=-1 oops=panic softlockup_panic=1 hung_task_panic=1"
append="$append nopku clearcpuid=xsaves,xsavec mm.out=console"
# A third of the boot's instructions go to self-tests and set-up the
# module does not use (crypto self-tests, the jitter RNG, certificates,
# IMA/EVM, BPF kfuncs): 20 s of Bochs's time; the speculation mitigations
# (mitigations=off above), which cost every kernel entry, 10 s more.
skip=crypto_kdf108_init,jent_mod_init,load_system_certificate_list,init_evm,init_ima
skip=$skip,bpf_tcp_ca_kfunc_init,bpf_kfunc_init,trace_eval_init
append="$append cryptomgr.notests initcall_blacklist=$skip"
cat >"$run/iso/isolinux/isolinux.cfg" <<-EOF
	serial 0 115200
	default mm
	prompt 0
	label mm
	  kernel /vmlinuz
	  append initrd=/initrd.gz $append
EOF
xorriso -as mkisofs -quiet -o "$run/boot.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
	-no-emul-boot -boot-load-size 4 -boot-info-table "$run/iso" 2>/dev/null
rm -rf "$run/iso"

# The guest's clock runs on its TSC, which Bochs advances one tick an
# instruction: a busy guest second takes about a minute here (idle time,
# which Bochs skips, much less), so the guest's timeouts are generous.
cat >"$run/bochsrc" <<-EOF
	megs: ${MM_MEM:-256}
	cpu: model=tigerlake, count=1, ips=200000000
	romimage: file=$share/BIOS-bochs-latest
	vgaromimage: file=$share/VGABIOS-lgpl-latest
	ata0-master: type=cdrom, path=$run/boot.iso, status=inserted
	boot: cdrom
	com1: enabled=1, mode=file, dev=$run/console.raw
	display_library: rfb, options="timeout=0"
	log: $run/bochs.log
	panic: action=fatal
	error: action=report
	clock: sync=none, time0=local
EOF
# the debugger Debian builds in stops before the first instruction
printf 'c\nquit\n' >"$run/bochs.rc"

set +e
timeout -k 10 "${MM_TIMEOUT:-900}" bochs-bin -q -f "$run/bochsrc" -rc "$run/bochs.rc" \
	</dev/null >"$run/qemu.log" 2>&1
rc=$?
set -e
tr -d '\r' <"$run/console.raw" >"$run/console.log"
rm -f "$run/console.raw" "$run/boot.iso"
sed -n '/^mm-out-begin$/,/^mm-out-end$/p' "$run/console.log" | sed '1d;$d' |
	base64 -d 2>/dev/null | tar -xz -C "$run/out" 2>/dev/null
sed -i '/^mm-out-begin$/,/^mm-out-end$/d' "$run/console.log"
[ $rc -eq 124 ] || [ $rc -eq 137 ] && exit 2
[ -f "$run/out/status" ] || exit 3
exit 0
