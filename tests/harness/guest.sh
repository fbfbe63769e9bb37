#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Second stage of a guest boot, PID 1 inside the shared root: set up the
# file systems the tests use, run /run/mm/cmd, then leave the results in
# /run/mm (the host's writable share) and power off.  The status file is
# written last and renamed into place, so it exists only if the command
# finished: no status file means the guest crashed or hung.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
ip link set lo up 2>/dev/null || busybox ip link set lo up
hostname guest 2>/dev/null

out=/run/mm
# (other architectures: Python's compiled modules from earlier boots, boot.sh)
[ -d "$out/pycache" ] && export PYTHONPYCACHEPREFIX=$out/pycache
cd "$out" || exit 1
uname -r >"$out/release"
# Keep emulated boots honest but quiet: everything still reaches dmesg.
dmesg -n 1 2>/dev/null
# (the line verdict.sh knows as DMESG_COMMAND)
echo "micromine-harness: the command starts" >/dev/kmsg
bash "$out/cmd" >"$out/output" 2>&1
rc=$?
dmesg >"$out/dmesg"
echo "$rc" >"$out/status.tmp"
sync
mv "$out/status.tmp" "$out/status"
sync
# no shared folder (Bochs): /run/mm goes back over the console
if grep -qw mm.out=console /proc/cmdline; then
	{ echo mm-out-begin; tar -C "$out" -cz . | base64; echo mm-out-end; } >/dev/console
	# setting the terminal waits until the UART has sent it all
	stty -F /dev/console onlcr
fi
echo o >/proc/sysrq-trigger
sleep 10
