#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fio (libaio, direct) on two cowrap bdev devices, the bio-based one
# cowrapctl makes by default and a blk-mq one (--mq), each over its own
# null_blk, against dm-linear over a third, identically configured
# null_blk and a fourth null_blk used raw, in the same guest, then one
# goal line per target and cowrap device (Documentation/blkdev.rst,
# "Benchmark"): bdev-... for the bio-based device, bdev-mq-... for the
# blk-mq one; 4 KiB randread and randwrite at queue depth 1 and 32,
# 128 KiB sequential read and write at queue depth 8.  Goals: IOPS >= 0.9x
# dm-linear's in every row, QD1 mean latency <= 1.15x dm-linear's.
# A second dm-linear over a fifth null_blk runs in every round as a
# control: its IOPS against the first's (column c/d) is what this guest
# measures between two identical devices, the resolution of the goals.
#
# The null_blk devices: memory_backed=1, queue_mode=2 (blk-mq), one
# submit queue of depth 64, 512-byte blocks, completion inline
# (irqmode=0).  The blk-mq cowrap device has one hardware queue of depth
# 64.
# dm-linear is set up with dmsetup without udev (/dev/dm-N).  Rounds,
# rotation and medians as in blk_bench.sh (knobs BLK_BENCH_RUNTIME,
# BLK_BENCH_ROUNDS, BLK_BENCH_RAMP_MS).

. /lib/cowrap/bench_lib.sh

ctl=/lib/cowrap/cowrapctl
out=$bench_out/bdev
mkdir -p "$out"
bench_res=$out
rounds=$bench_rounds
depth=64

echo "TAP version 13"
n=0
fail=0
goals=
results=

insmod /lib/peer/configfs.ko 2>/dev/null
mkdir -p /sys/kernel/config
mount -t configfs configfs /sys/kernel/config 2>/dev/null
insmod /lib/peer/null_blk.ko nr_devices=0
insmod /lib/peer/dm-mod.ko 2>/dev/null
nb="size=256 blocksize=512 queue_mode=2 submit_queues=1 hw_queue_depth=$depth memory_backed=1"
# shellcheck disable=SC2086 # nb is a list of attributes
nullb_make nullb0 index=0 $nb
# shellcheck disable=SC2086
nullb_make nullb1 index=1 $nb
# shellcheck disable=SC2086
nullb_make nullb2 index=2 $nb
# shellcheck disable=SC2086
nullb_make nullb3 index=3 $nb
# shellcheck disable=SC2086
nullb_make nullb4 index=4 $nb
cow=$($ctl add --backend bdev --path /dev/nullb0 --mq --queues 1 --depth $depth)
bio=$($ctl add --backend bdev --path /dev/nullb3)
sz=$(cat /sys/block/nullb1/size 2>/dev/null)
# dm_linear NAME NULLB: a dm-linear device over all of /dev/NULLB, its
# /dev/dm-N on stdout
dm_linear() {
	if echo "0 $sz linear /dev/$2 0" | DM_DISABLE_UDEV=1 \
		dmsetup create "$1" --noudevsync 2>"$out/dmsetup.err"; then
		bench_dm_dev "$1"
	else
		sed 's/^/# dmsetup: /' "$out/dmsetup.err" >&2
	fi
}
dm=$(dm_linear cwlinear nullb1)
dm2=$(dm_linear cwlinear2 nullb4)
raw=/dev/nullb2
missing=
for d in "$cow" "$bio" "$dm" "$dm2" $raw; do
	[ -b "$d" ] || missing="$missing ${d:-?}"
done
if [ -n "$missing" ]; then
	tap "not ok" "bench devices created (missing:$missing)"
else
	tap ok "bench devices created (blk-mq cowrap $cow over nullb0, bio-based $bio over nullb3, dm-linear $dm over nullb1 and $dm2 over nullb4, raw $raw)"
fi

for d in "$cow" "$bio" "$dm" "$dm2" $raw; do
	[ -b "$d" ] && dd if=/dev/zero of="$d" bs=1M count="${bench_region%M}" \
		oflag=direct 2>/dev/null
done

ROWS="randread-qd1:randread:1:4k randwrite-qd1:randwrite:1:4k
randread-qd32:randread:32:4k randwrite-qd32:randwrite:32:4k
read-128k-qd8:read:8:128k write-128k-qd8:write:8:128k"

r=0
while [ "$r" -lt "$rounds" ]; do
	for rs in $ROWS; do
		IFS=: read -r nm rw qd bs <<-EOR
		$rs
		EOR
		bench_row "$nm" "$rw" "$qd" 1 "$bs" $r "cowrap:$cow" \
			"bio:$bio" "dm:$dm" "raw:$raw" "dm2:$dm2"
	done
	bench_round $r
	r=$((r + 1))
done

echo
echo "bdev backend over null_blk (blk-mq and bio-based) vs dm-linear over null_blk vs raw"
printf '%-16s %8s %8s %8s %8s %6s %6s %6s %9s %9s %9s %6s %6s\n' workload c-mq \
	"c-bio" dm-lin null "m/d" "b/d" "c/d" "us c-mq" "us c-bio" "us dm" "m/d" "b/d"
controls=
for rs in $ROWS; do
	nm=${rs%%:*}
	ci=$(bench_med cowrap-$nm 1) cl=$(bench_med cowrap-$nm 2)
	bi=$(bench_med bio-$nm 1) bl=$(bench_med bio-$nm 2)
	di=$(bench_med dm-$nm 1) dl=$(bench_med dm-$nm 2)
	ni=$(bench_med raw-$nm 1)
	d2i=$(bench_med dm2-$nm 1)
	ri=$(bench_ratio "$ci" "$di") rl=$(bench_ratio "$cl" "$dl")
	bri=$(bench_ratio "$bi" "$di") brl=$(bench_ratio "$bl" "$dl")
	cri=$(bench_ratio "$d2i" "$di")
	controls="$controls ${cri}"
	printf '%-16s %8s %8s %8s %8s %6s %6s %6s %9s %9s %9s %6s %6s\n' "$nm" \
		"$(bench_fmt "$ci")" "$(bench_fmt "$bi")" "$(bench_fmt "$di")" \
		"$(bench_fmt "$ni")" "${ri:--}" "${bri:--}" "${cri:--}" \
		"$(bench_fmt "$cl" 1000)" "$(bench_fmt "$bl" 1000)" \
		"$(bench_fmt "$dl" 1000)" "${rl:--}" "${brl:--}"
	if [ -n "$ci" ] && [ -n "$bi" ] && [ -n "$di" ] && [ -n "$ni" ] &&
		[ -n "$d2i" ]; then
		tap ok "fio $nm: cowrap bdev (blk-mq, bio-based), dm-linear and null_blk ($rounds rounds)"
	else
		tap "not ok" "fio $nm: a median is missing"
	fi
	goal "bdev-$nm-iops-vs-dm-linear" "$bri" ">=" 0.9
	goal "bdev-mq-$nm-iops-vs-dm-linear" "$ri" ">=" 0.9
	case "$nm" in
	*-qd1)
		goal "bdev-$nm-lat-vs-dm-linear" "$brl" "<=" 1.15
		goal "bdev-mq-$nm-lat-vs-dm-linear" "$rl" "<=" 1.15
		;;
	esac
done
echo "(IOPS and mean completion latency in us: median of $rounds interleaved"
echo " rounds of ${bench_runtime}s per job after a ${bench_ramp_ms}ms ramp;"
echo " m/d: blk-mq cowrap / dm-linear, b/d: bio-based cowrap / dm-linear,"
echo " c/d: the control, a second dm-linear / dm-linear: how far apart this"
echo " guest puts two identical devices)"
# shellcheck disable=SC2086 # controls is a list of ratios
bench_control "the second dm-linear" $controls

echo
for d in "$cow" "$bio"; do
	[ -b "$d" ] && $ctl stats "${d#/dev/cowrap}"
	[ -b "$d" ] && $ctl del "${d#/dev/cowrap}"
done
for d in cwlinear cwlinear2; do
	DM_DISABLE_UDEV=1 dmsetup remove --noudevsync $d 2>/dev/null
done
for d in nullb0 nullb1 nullb2 nullb3 nullb4; do
	[ -d /sys/kernel/config/nullb/$d ] || continue
	echo 0 > /sys/kernel/config/nullb/$d/power
	rmdir /sys/kernel/config/nullb/$d
done
rmmod null_blk 2>/dev/null
echo "$results"
echo "1..$n"
echo "$goals"
exit $fail
