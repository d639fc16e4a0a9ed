#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fio (libaio, direct, 4 KiB) on two cowrap cow devices, a blk-mq one and
# a bio-based one (--bio), against dm-snapshot (persistent store, the same
# chunk size) and the bare base, each over its own identically configured
# null_blk devices in the same guest, then one goal line per row and cow
# device and one for the size of the code (Documentation/cow-format.rst,
# "Benchmark").  Rows, at queue depth 1 and 32:
#   copyup   4 KiB writes, each to a chunk never written (fresh devices
#            every round; the first 4 KiB of every chunk of a 64 MiB
#            range, fio's rw=write:60k, so the rest is copied up)
#   rewrite  random 4 KiB writes to chunks already in the overlay
#   randread random 4 KiB reads of chunks in the overlay
# Goals: IOPS >= 1.0x dm-snapshot's in every row; the cow backend's lines
# at most 0.5x dm-snapshot's (dm-snap.c, dm-exception-store.c,
# dm-snap-persistent.c; counted on the host, cow_loc.env).
#
# null_blk: memory_backed=1, queue_mode=2, one submit queue of depth 64,
# 512-byte blocks, inline completion; bases 128 MiB, overlay and COW
# store 160 MiB.  The blk-mq cow device has one hardware queue of depth
# 64.
# dm-snapshot is set up with dmsetup without udev (/dev/dm-N).  Rounds
# (BLK_BENCH_ROUNDS) interleave the devices in bench_order; the
# time-based rows run BLK_BENCH_RUNTIME seconds after a
# BLK_BENCH_RAMP_MS ramp; figures are medians.  The bio-based cow device
# is over nullb5 (base) and nullb6 (overlay).  A second dm-snapshot over
# nullb7 and nullb8 is the control: its IOPS against the first's (column
# s2/d) is what this guest measures between two identical devices.

. /lib/cowrap/bench_lib.sh

ctl=/lib/cowrap/cowrapctl
out=$bench_out/cow
bench_res=$out
mkdir -p "$out"
rounds=$bench_rounds
depth=64
chunk=65536
cu_size=64M

echo "TAP version 13"
n=0
fail=0
goals=
results=

insmod /lib/peer/configfs.ko 2>/dev/null
mkdir -p /sys/kernel/config
mount -t configfs configfs /sys/kernel/config 2>/dev/null
insmod /lib/peer/null_blk.ko nr_devices=0
for m in dm-mod dm-bufio dm-snapshot; do
	insmod /lib/peer/$m.ko 2>/dev/null
done
nb="blocksize=512 queue_mode=2 submit_queues=1 hw_queue_depth=$depth memory_backed=1"
i=0
for sz in 128 160 128 160 128 128 160 128 160; do
	# shellcheck disable=SC2086 # nb is a list of attributes
	nullb_make nullb$i index=$i size=$sz $nb
	i=$((i + 1))
done
raw=/dev/nullb4

cow=
cow_fresh() {
	[ -b "$cow" ] && $ctl del "${cow#/dev/cowrap}"
	cow=$($ctl add --backend cow --base /dev/nullb0 --overlay /dev/nullb1 \
		--chunk-size $chunk --format --force --queues 1 \
		--depth $depth 2>"$out/cow.err")
}

cbio=
cbio_fresh() {
	[ -b "$cbio" ] && $ctl del "${cbio#/dev/cowrap}"
	cbio=$($ctl add --backend cow --base /dev/nullb5 --overlay /dev/nullb6 \
		--chunk-size $chunk --format --force --bio 2>"$out/cbio.err")
}

# snap_fresh NAME BASE STORE: a new dm-snapshot NAME of /dev/BASE with a
# persistent store on /dev/STORE (the old one removed), /dev/dm-N on stdout
snap_fresh() {
	DM_DISABLE_UDEV=1 dmsetup remove --noudevsync "$1" 2>/dev/null
	# a zeroed header: dm-snapshot starts a new persistent store
	dd if=/dev/zero of="/dev/$3" bs=4k count=1 oflag=direct 2>/dev/null
	sf_sz=$(cat "/sys/block/$2/size")
	echo "0 $sf_sz snapshot /dev/$2 /dev/$3 P $((chunk / 512))" |
		DM_DISABLE_UDEV=1 dmsetup create "$1" --noudevsync \
		2>"$out/dmsetup.err" || return
	bench_dm_dev "$1"
}

dm=
dm2=
dm_fresh() {
	dm=$(snap_fresh cwsnap nullb2 nullb3)
	dm2=$(snap_fresh cwsnap2 nullb7 nullb8)
}

cow_fresh
cbio_fresh
dm_fresh
missing=
for d in "$cow" "$cbio" "$dm" "$dm2" $raw; do
	[ -b "$d" ] || missing="$missing ${d:-?}"
done
if [ -n "$missing" ]; then
	sed 's/^/# /' "$out/cow.err" "$out/cbio.err" "$out/dmsetup.err" 2>/dev/null
	tap "not ok" "bench devices created (missing:$missing)"
else
	tap ok "bench devices created (cow $cow over nullb0+1, bio-based cow $cbio over nullb5+6, dm-snapshot $dm over nullb2+3 and $dm2 over nullb7+8, base $raw)"
fi

ROWS="copyup-qd1 copyup-qd32 rewrite-qd1 rewrite-qd32 randread-qd1 randread-qd32"

# dev_jobs TAG DEV: the six rows on one device, one after the other; the
# copy-up rows touch every chunk of [0, 128M) once, so the others find
# their 32 MiB region in the overlay
dev_jobs() {
	dj_t=$1 dj_d=$2
	echo "--name=$dj_t-copyup-qd1 --filename=$dj_d --rw=write:60k --iodepth=1 --offset=0 --size=$cu_size --stonewall"
	echo "--name=$dj_t-copyup-qd32 --filename=$dj_d --rw=write:60k --iodepth=32 --offset=$cu_size --size=$cu_size --stonewall"
	for dj_r in rewrite:randwrite randread:randread; do
		for dj_q in 1 32; do
			echo "--name=$dj_t-${dj_r%%:*}-qd$dj_q --filename=$dj_d --rw=${dj_r#*:} --iodepth=$dj_q --offset=0 --size=$bench_region --time_based --runtime=$bench_runtime --ramp_time=${bench_ramp_ms}ms --stonewall"
		done
	done
}

# one device's rows in one fio; appends "iops lat" to $out/TAG-ROW.r
run_dev() {
	rd_t=$1 rd_d=$2 rd_f=$out/$1.round$3
	[ -b "$rd_d" ] || return
	# shellcheck disable=SC2046 # one option per word
	fio --bs=4k --ioengine=libaio --direct=1 --randrepeat=0 --disk_util=0 \
	    --group_reporting --output-format=json \
	    $(dev_jobs "$rd_t" "$rd_d") > "$rd_f.json" 2> "$rd_f.err"
	fio_parse "$rd_f.json" > "$rd_f.res"
	for rd_r in $ROWS; do
		rd_v=$(awk -v t="$rd_t-$rd_r" '$1 == t { print $2, $3 }' "$rd_f.res")
		if [ -n "$rd_v" ]; then
			echo "$rd_v" >> "$out/$rd_t-$rd_r.r"
		else
			echo "# fio $rd_t-$rd_r round $3: no result"
			tail -n 3 "$rd_f.err" 2>/dev/null | sed 's/^/#   /'
		fi
	done
}

r=0
while [ "$r" -lt "$rounds" ]; do
	if [ "$r" -gt 0 ]; then
		cow_fresh
		cbio_fresh
		dm_fresh
	fi
	# shellcheck disable=SC2046 # TAG:DEV words, no spaces
	set -- $(bench_order $r "cow:$cow" "cbio:$cbio" "dm:$dm" "raw:$raw" \
		"dm2:$dm2")
	for td in "$@"; do
		run_dev "${td%%:*}" "${td#*:}" $r
	done
	r=$((r + 1))
done

echo
echo "cow over null_blk (blk-mq and bio-based) vs dm-snapshot (persistent, 64 KiB chunks) over null_blk vs the bare base"
printf '%-14s %8s %8s %8s %8s %6s %6s %6s %9s %9s %9s\n' workload cow \
	c-bio dm-snap base "c/d" "b/d" "s2/d" "us cow" "us c-bio" "us dm"
controls=
for nm in $ROWS; do
	ci=$(bench_med "cow-$nm" 1) cl=$(bench_med "cow-$nm" 2)
	bi=$(bench_med "cbio-$nm" 1) bl=$(bench_med "cbio-$nm" 2)
	di=$(bench_med "dm-$nm" 1) dl=$(bench_med "dm-$nm" 2)
	ni=$(bench_med "raw-$nm" 1)
	d2i=$(bench_med "dm2-$nm" 1)
	ri=$(bench_ratio "$ci" "$di") rb=$(bench_ratio "$bi" "$di")
	rc=$(bench_ratio "$d2i" "$di")
	controls="$controls $rc"
	printf '%-14s %8s %8s %8s %8s %6s %6s %6s %9s %9s %9s\n' "$nm" \
		"$(bench_fmt "$ci")" "$(bench_fmt "$bi")" "$(bench_fmt "$di")" \
		"$(bench_fmt "$ni")" "${ri:--}" "${rb:--}" "${rc:--}" \
		"$(bench_fmt "$cl" 1000)" "$(bench_fmt "$bl" 1000)" \
		"$(bench_fmt "$dl" 1000)"
	if [ -n "$ci" ] && [ -n "$bi" ] && [ -n "$di" ] && [ -n "$ni" ] &&
		[ -n "$d2i" ]; then
		tap ok "fio $nm: cow (blk-mq, bio-based), dm-snapshot and the base ($rounds rounds)"
	else
		tap "not ok" "fio $nm: a median is missing"
	fi
	goal "cow-$nm-iops-vs-dm-snapshot" "$ri" ">=" 1.0
	goal "cow-bio-$nm-iops-vs-dm-snapshot" "$rb" ">=" 1.0
done
echo "(IOPS and mean completion latency in us: medians of $rounds rounds;"
echo " c/d: blk-mq cow / dm-snapshot, b/d: bio-based cow / dm-snapshot,"
echo " s2/d: the control, a second dm-snapshot / dm-snapshot)"
# shellcheck disable=SC2086 # controls is a list of ratios
bench_control "the second dm-snapshot" $controls

loc() {
	sed -n "s/^$1=//p" /lib/cowrap/cow_loc.env 2>/dev/null
}
cl=$(loc COW_LINES) dl=$(loc DM_SNAPSHOT_LINES)
echo "lines: cow backend ${cl:-?}, dm-snapshot ${dl:-?} (wc -l, comments included)"
goal "cow-lines-vs-dm-snapshot" "$(bench_ratio "$cl" "$dl")" "<=" 0.5

echo
for d in "$cow" "$cbio"; do
	[ -b "$d" ] && $ctl stats "${d#/dev/cowrap}"
	[ -b "$d" ] && $ctl del "${d#/dev/cowrap}"
done
for d in cwsnap cwsnap2; do
	DM_DISABLE_UDEV=1 dmsetup remove --noudevsync $d 2>/dev/null
done
for d in nullb0 nullb1 nullb2 nullb3 nullb4 nullb5 nullb6 nullb7 nullb8; do
	[ -d /sys/kernel/config/nullb/$d ] || continue
	echo 0 > /sys/kernel/config/nullb/$d/power
	rmdir /sys/kernel/config/nullb/$d
done
rmmod null_blk 2>/dev/null
echo "$results"
echo "1..$n"
echo "$goals"
exit $fail
