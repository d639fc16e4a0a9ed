#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the cowrap test guest: mount the pseudo filesystems, load the
# module, run the programs listed in /etc/cowrap/run, dump the kernel log
# and power off. Markers starting with "cowrap-vm:" are read by the host.

/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm

mode=$(cat /etc/cowrap/mode)
timeout=$(cat /etc/cowrap/timeout)
# selftests/harness.h multiplies every case's timeout by this
COWRAP_TIMEOUT_SCALE=$(cat /etc/cowrap/timeout_scale 2>/dev/null || echo 1)
export COWRAP_TIMEOUT_SCALE
echo "cowrap-vm: kernel $(uname -r) mode $mode"

insmod /lib/cowrap/cowrap_blk.ko
echo "cowrap-vm: insmod status=$?"

for t in $(cat /etc/cowrap/run); do
	echo "cowrap-vm: begin-test $t"
	if [ -x "/tests/$t" ]; then
		timeout "$timeout" "/tests/$t"
		status=$?
	else
		echo "cowrap-vm: /tests/$t is missing"
		status=127
	fi
	echo "cowrap-vm: end-test $t status=$status"
done

# A kernel with kmemleak: scan twice (an object is reported once it has
# been unreferenced for a whole scan and at least 5 s old) while the module
# is still loaded, so that its frames have symbols. tools/vm/report.sh
# fails the run on a report that involves cowrap.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo "cowrap-vm: kmemleak scanning"
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	echo "cowrap-vm: kmemleak-begin"
	cat /sys/kernel/debug/kmemleak
	echo "cowrap-vm: kmemleak-end"
fi

echo "cowrap-vm: klog-begin"
dmesg
echo "cowrap-vm: klog-end"
echo "cowrap-vm: done"
sync
poweroff -f
