#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run inside the guest by "make demo": create a 64 MiB ram
# device with cowrapctl, move data through /dev/cowrapN and through the
# synchronous ioctls, inject a fault, show the statistics, remove it;
# then a cow device over two null_blk disks: write, crash-cut the
# overlay's volatile cache, check it offline, recover and verify; last a
# bio-based bdev device over the base, read back.

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

step "a cow device: a 16 MiB base, a 20 MiB overlay with a volatile cache (null_blk)"
insmod /lib/peer/configfs.ko 2>/dev/null
mkdir -p /sys/kernel/config
mount -t configfs configfs /sys/kernel/config 2>/dev/null
insmod /lib/peer/null_blk.ko nr_devices=0 2>/dev/null
nb=/sys/kernel/config/nullb
nbmk() {	# NAME MIB CACHE_MIB: a memory-backed null_blk disk /dev/NAME
	mkdir "$nb/$1"
	echo "$2" > "$nb/$1/size"
	echo 1 > "$nb/$1/memory_backed"
	echo "$3" > "$nb/$1/cache_size"
	echo 1 > "$nb/$1/power"
}
nbmk base 16 0
# a cache larger than the device: never full, so null_blk never evicts
# (its eviction can livelock a FLUSH: Documentation/testing.rst)
nbmk ovl 20 24
dd if=/tmp/data of=/dev/base bs=1M oflag=direct conv=fsync 2>/dev/null
md5sum /dev/base > /tmp/base.md5
cow=$($ctl add --backend cow --base /dev/base --overlay /dev/ovl --chunk-size 64K --format)
check "cow device over base and overlay" test -b "$cow"
echo "$ctl add --backend cow --base /dev/base --overlay /dev/ovl --chunk-size 64K --format -> $cow"

step "write 1 MiB and fsync (FLUSH: durable), then 1 MiB more without"
dd if=/dev/urandom of=/tmp/cow1 bs=1M count=1 2>/dev/null
dd if=/dev/urandom of=/tmp/cow2 bs=1M count=1 2>/dev/null
dd if=/tmp/cow1 of="$cow" bs=1M seek=2 oflag=direct conv=fsync 2>/dev/null
dd if=/tmp/cow2 of="$cow" bs=1M seek=5 oflag=direct 2>/dev/null

step "crash-cut: power the overlay off (its cache is lost), remove the device, power on"
echo 0 > "$nb/ovl/power"
$ctl del "${cow#/dev/cowrap}"
echo 1 > "$nb/ovl/power"
# shellcheck disable=SC2317 # run through check()
cow_check_dirty() {
	$ctl cow-check --base /dev/base /dev/ovl > /tmp/cc
	cc=$?
	cat /tmp/cc
	[ "$cc" = 0 ] && grep -q '^state: dirty' /tmp/cc
}
check "cow-check: consistent after the cut, and dirty" cow_check_dirty

step "recover: add the cow device again over the same overlay, verify"
cow=$($ctl add --backend cow --base /dev/base --overlay /dev/ovl)
echo "$cow"
# no --chunk-size: the one the overlay's superblock holds
$ctl info -o NAME,PATH,OVERLAY,CHUNK,SIZE "${cow#/dev/cowrap}"
dd if="$cow" of=/tmp/cowback bs=1M skip=2 count=1 iflag=direct 2>/dev/null
check "the write that was flushed before the cut is there" cmp /tmp/cow1 /tmp/cowback
dd if="$cow" of=/tmp/cowback bs=1M skip=5 count=1 iflag=direct 2>/dev/null
if cmp -s /tmp/cow2 /tmp/cowback; then
	echo "the unflushed write survived"
else
	echo "the unflushed write was lost with the cache (allowed: no FLUSH after it)"
fi
dd if="$cow" of=/tmp/cowback bs=1M count=1 iflag=direct 2>/dev/null
check "unwritten chunks still read from the base" cmp /tmp/first /tmp/cowback
$ctl del "${cow#/dev/cowrap}"
check "the base was never written" md5sum -c /tmp/base.md5
$ctl cow-check /dev/ovl | grep -E '^(state|mapped)'

step "a bdev device over the base (--ro): bio-based by default, a coroutine per bio"
lin=$($ctl add --backend bdev --path /dev/base --ro)
check "bio-based bdev device over the base" test -b "$lin"
$ctl info -o NAME,PATH,QUEUES,FLAGS "${lin#/dev/cowrap}"
check "it reads what the base holds" cmp /dev/base "$lin"
$ctl stats "${lin#/dev/cowrap}" | head -2
$ctl del "${lin#/dev/cowrap}"
for d in base ovl; do
	echo 0 > "$nb/$d/power"
	rmdir "$nb/$d"
done

echo
echo "1..$n$results"
exit $fail
