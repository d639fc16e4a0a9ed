#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run inside the guest by "make demo": create a 64 MiB ram
# device with cowrapctl, move data through /dev/cowrapN and through the
# synchronous ioctls, inject a fault, show the statistics, remove it.

ctl=/lib/cowrap/cowrapctl
n=0
fail=0

step() {
	echo
	echo "==> $*"
}

# run "description" command...: show it, run it, record the result
check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		results="$results
ok $n - $desc"
	else
		results="$results
not ok $n - $desc"
		fail=1
	fi
}

echo "TAP version 13"
step "kernel $(uname -r), module:"
grep '^cowrap_blk ' /proc/modules || { echo "not ok 1 module loaded"; exit 1; }
check "cowrapctl version" $ctl version

step "cowrapctl features"
check "cowrapctl features" $ctl features

step "cowrapctl add --size 64M --wc --discard --write-zeroes"
dev=$($ctl add --size 64M --wc --discard --write-zeroes)
check "create a 64 MiB ram device" test -b "$dev"
echo "created $dev"
id=${dev#/dev/cowrap}
$ctl list
$ctl info "$id"
$ctl list -o NAME,SIZE,LOG-SEC,WCACHE,DISC-MAX,WZ-MAX

step "write 4 MiB of random data through $dev, read it back, compare"
dd if=/dev/urandom of=/tmp/data bs=1M count=4 2>/dev/null
dd if=/tmp/data of="$dev" bs=1M seek=8 oflag=direct conv=fsync 2>&1 | tail -1
dd if="$dev" of=/tmp/back bs=1M skip=8 count=4 iflag=direct 2>&1 | tail -1
md5sum /tmp/data /tmp/back
check "data through the block device verified" cmp /tmp/data /tmp/back

step "read the same data through the sync ioctl (cowrapctl pread -> cowrap_dev_co_pread())"
$ctl pread --file /tmp/sync "$id" 8M 1M
dd if=/tmp/data of=/tmp/first bs=1M count=1 2>/dev/null
md5sum /tmp/first /tmp/sync
check "block-device data seen by the sync pread" cmp /tmp/first /tmp/sync

step "write through the sync ioctl (cowrapctl pwrite), read through $dev"
echo "hello from cowrap_dev_co_pwrite(), a coroutine in the device's context" > /tmp/msg
dd if=/tmp/msg of=/tmp/msg512 bs=512 count=1 conv=sync 2>/dev/null
$ctl pwrite --file /tmp/msg512 "$id" 0
dd if="$dev" bs=512 count=1 iflag=direct 2>/dev/null | tr -d '\000'
check "sync pwrite seen by the block device" \
	sh -c "dd if=$dev bs=512 count=1 iflag=direct 2>/dev/null | cmp - /tmp/msg512"

step "inject a fault: fail the 2nd write with EIO"
$ctl fault --fail-nth 2 --ops write --error EIO "$id"
dd if=/tmp/data of="$dev" bs=4k count=1 seek=100 oflag=direct 2>/dev/null && echo "write 1: ok"
if dd if=/tmp/data of="$dev" bs=4k count=1 seek=101 oflag=direct 2>/tmp/err; then
	echo "write 2: unexpectedly succeeded"
	check "injected fault reaches userspace as EIO" false
else
	echo "write 2 failed as injected:"
	grep -v records /tmp/err
	check "injected fault reaches userspace as EIO" \
		grep -Eqi "input/output error|I/O error" /tmp/err
fi
dd if=/tmp/data of="$dev" bs=4k count=1 seek=102 oflag=direct 2>/dev/null && echo "write 3: ok"
$ctl fault --clear "$id"

step "the same through the sync ioctl: fail every write with ENOSPC"
$ctl fault --fail-every 1 --ops write --error ENOSPC "$id"
$ctl pwrite --file /tmp/msg512 "$id" 0
check "sync pwrite fails with the injected errno" \
	sh -c "$ctl pwrite --file /tmp/msg512 $id 0 2>&1 | grep -q 'No space left'"
$ctl fault --clear "$id"

step "cowrapctl stats $id"
$ctl stats "$id"
$ctl --json stats "$id" > /tmp/stats.json
cat /tmp/stats.json
check "stats count the injected faults" jq -e '.stats[0].faults == 3' /tmp/stats.json

step "cowrapctl del $id"
check "remove the device" $ctl del "$id"
check "device node gone" test ! -e "$dev"
$ctl list

echo
echo "1..$n$results"
exit $fail
