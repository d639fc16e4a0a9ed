#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fio (libaio, direct, 4 KiB) on cowrap ram devices against their peers in
# the same guest, then one goal line per target (Documentation/blkdev.rst,
# "Benchmark"):
#
# - ram backend vs null_blk (memory_backed=1, queue_mode=2, same
#   submit_queues and hw_queue_depth) vs brd: randread and randwrite at
#   queue depth 1 and 32, with one hardware queue (one fio job) and with
#   two (two fio jobs, pinned to vCPU 0 and 1 with cpus_allowed, each at the
#   row's queue depth: blk-mq maps CPU n to hctx n, so both hardware queues
#   of cowrap and null_blk carry the same load; the mapping is checked in
#   sysfs, mq/N/cpu_list).  brd is bio-based and has no queues.
#   Goals: QD1 mean latency <= 1.1x null_blk's, QD32 IOPS >= 1.0x
#   null_blk's and >= 0.8x brd's.
# - a bio-based ram device (--bio: no blk-mq queue, as brd) vs brd, in
#   the rows with one queue: a table without goals, the figures of a
#   cowrap device that pays no blk-mq request (Documentation/blkdev.rst,
#   "Bio-based devices").
# - a control: a second brd device (/dev/ram1) in every row that has brd;
#   its IOPS against the first's (column b2/b) is what this guest
#   measures between two identical devices, the resolution of the goals.
# - a ram device with --latency-ns L (every request parks for L) vs
#   null_blk with completion_nsec=L irqmode=2 (a timer completes each
#   request after L): randread at QD1 and QD32; goal: QD32 IOPS >= 0.9x.
#
# Every job runs $bench_rounds times; a round is one fio process (fio's
# start-up takes a second under TCG) running its jobs one after the other,
# the devices of a row in an order rotated every round and reversed every
# other round, so that a slow
# phase of the (shared, TCG) host hits all of them alike.  Tables show the
# median of the rounds; ratios are ratios of those medians, in this run.
# Knobs (make's environment, via bench.env): BLK_BENCH_RUNTIME (s per job,
# default 2), BLK_BENCH_ROUNDS (default 3), BLK_BENCH_RAMP_MS (default
# 250), BLK_BENCH_LATENCY_NS (default 5000000).

. /lib/cowrap/bench_lib.sh

ctl=/lib/cowrap/cowrapctl
out=$bench_out
rounds=$bench_rounds
depth=64
# L: a latency-bound device does 32 times its QD1 IOPS at QD32, up to
# 32 / L.  Under TCG a timer fires 0.5-1.7 ms late when the shared host is
# busy, and null_blk's own work is 25-75 us a request.  Measured in one
# 6.12 guest (null_blk irqmode=2, randread, QD32 IOPS / (32 x QD1 IOPS)):
# L = 0.5 ms 0.43, 1 ms 0.78, 2 ms 0.72, 5 ms 0.96.  Only 5 ms keeps
# null_blk latency-bound when the host is busy, so a ratio below 0.9 is
# the cost of parking (a worker handoff, a cap on parked requests), not
# the timer or the copy.  The row prints both scalings and the share of
# 32 / L; BLK_BENCH_LATENCY_NS picks another L (it is in the goal's name).
lat_ns=$(bench_knob BLK_BENCH_LATENCY_NS 5000000)

echo "TAP version 13"
n=0
fail=0
goals=
results=

insmod /lib/peer/configfs.ko 2>/dev/null
mkdir -p /sys/kernel/config
mount -t configfs configfs /sys/kernel/config 2>/dev/null
insmod /lib/peer/null_blk.ko nr_devices=0
insmod /lib/peer/brd.ko rd_nr=2 rd_size=262144
nb_common="size=256 blocksize=512 queue_mode=2 hw_queue_depth=$depth memory_backed=1"
# shellcheck disable=SC2086 # nb_common is a list of attributes
nullb_make nullb0 index=0 submit_queues=1 $nb_common
# shellcheck disable=SC2086
nullb_make nullb1 index=1 submit_queues=2 $nb_common
# shellcheck disable=SC2086
nullb_make nullb2 index=2 submit_queues=1 $nb_common completion_nsec="$lat_ns" irqmode=2
cow1=$($ctl add --size 256M --queues 1 --depth $depth)
cow2=$($ctl add --size 256M --queues 2 --depth $depth)
cowlat=$($ctl add --size 256M --queues 1 --depth $depth --latency-ns "$lat_ns")
cowbio=$($ctl add --size 256M --bio)
null1=/dev/nullb0
null2=/dev/nullb1
nulllat=/dev/nullb2
brd=/dev/ram0
brd2=/dev/ram1
missing=
for d in "$cow1" "$cow2" "$cowlat" "$cowbio" $null1 $null2 $nulllat $brd $brd2; do
	[ -b "$d" ] || missing="$missing ${d:-cowrap}"
done
if [ -n "$missing" ]; then
	tap "not ok" "bench devices created (missing:$missing)"
else
	tap ok "bench devices created ($cow1 $cow2 $cowlat $cowbio $null1 $null2 $nulllat $brd $brd2)"
fi

# The same elevator for every blk-mq device (brd has none): blk-mq's
# default depends on the queue count (mq-deadline for one, none for more,
# and null_blk's poll queue makes it multi-queue), and the rows compare
# drivers, not I/O schedulers.
for d in "$cow1" "$cow2" "$cowlat" $null1 $null2 $nulllat; do
	q=/sys/block/${d#/dev/}/queue/scheduler
	[ -w "$q" ] && echo none > "$q"
	echo "# ${d#/dev/}: scheduler $(cat "$q" 2>/dev/null)"
done

# fill the region so that reads find data on every device
for d in "$cow1" "$cow2" "$cowlat" "$cowbio" $null1 $null2 $nulllat $brd $brd2; do
	[ -b "$d" ] && dd if=/dev/zero of="$d" bs=1M count="${bench_region%M}" \
		oflag=direct 2>/dev/null
done

# uptime in centiseconds, for the time the rounds took
now_cs() {
	awk '{ printf "%d\n", $1 * 100 }' /proc/uptime
}

t0=$(now_cs)
r=0
while [ "$r" -lt "$rounds" ]; do
	for q in 1 2; do
		eval "c=\$cow$q nb=\$null$q"
		# the bio-based device in the one-queue rows (one fio job)
		bio=
		[ $q = 1 ] && bio=bio:$cowbio
		for rw in randread randwrite; do
			for qd in 1 32; do
				# shellcheck disable=SC2086 # bio is empty or one word
				bench_row "q$q-$rw-qd$qd" $rw $qd $q 4k $r \
					"cowrap:$c" "null:$nb" "brd:$brd" $bio \
					"brd2:$brd2"
			done
		done
	done
	for qd in 1 32; do
		bench_row "lat-randread-qd$qd" randread $qd 1 4k $r \
			"cowrap:$cowlat" "null:$nulllat"
	done
	bench_round $r
	r=$((r + 1))
done
t1=$(now_cs)
echo "# $rounds rounds, one fio each: $bench_jobs_run jobs in $(((t1 - t0) / 100)) s"

controls=
for q in 1 2; do
	if [ $q = 1 ]; then
		echo
		echo "1 hardware queue of depth $depth, one fio job"
	else
		echo
		echo "2 hardware queues of depth $depth, two fio jobs (vCPU 0 and 1), each at the queue depth"
	fi
	printf '%-14s %8s %8s %8s %6s %6s %6s %9s %9s %9s %6s\n' workload \
		cowrap null_blk brd "c/n" "c/b" "b2/b" "us cowrap" "us null" \
		"us brd" "c/n"
	for rw in randread randwrite; do
		for qd in 1 32; do
			s=q$q-$rw-qd$qd
			ci=$(bench_med cowrap-$s 1) cl=$(bench_med cowrap-$s 2)
			ni=$(bench_med null-$s 1) nl=$(bench_med null-$s 2)
			bi=$(bench_med brd-$s 1) bl=$(bench_med brd-$s 2)
			b2i=$(bench_med brd2-$s 1)
			rin=$(bench_ratio "$ci" "$ni") rib=$(bench_ratio "$ci" "$bi")
			rln=$(bench_ratio "$cl" "$nl") rbb=$(bench_ratio "$b2i" "$bi")
			controls="$controls $rbb"
			printf '%-14s %8s %8s %8s %6s %6s %6s %9s %9s %9s %6s\n' \
				"$rw QD$qd" "$(bench_fmt "$ci")" \
				"$(bench_fmt "$ni")" "$(bench_fmt "$bi")" \
				"${rin:--}" "${rib:--}" "${rbb:--}" \
				"$(bench_fmt "$cl" 1000)" \
				"$(bench_fmt "$nl" 1000)" "$(bench_fmt "$bl" 1000)" \
				"${rln:--}"
			if [ -n "$ci" ] && [ -n "$ni" ] && [ -n "$bi" ] &&
				[ -n "$b2i" ]; then
				tap ok "fio $rw QD$qd, $q queue(s): cowrap, null_blk and brd ($rounds rounds)"
			else
				tap "not ok" "fio $rw QD$qd, $q queue(s): a median is missing"
			fi
			if [ $qd = 1 ]; then
				goal "ram-q$q-qd1-$rw-lat-vs-null" "$rln" "<=" 1.1
			else
				goal "ram-q$q-qd32-$rw-iops-vs-null" "$rin" ">=" 1.0
				goal "ram-q$q-qd32-$rw-iops-vs-brd" "$rib" ">=" 0.8
			fi
		done
	done
done
echo "(IOPS and mean completion latency in us: median of $rounds interleaved"
echo " rounds of ${bench_runtime}s per job after a ${bench_ramp_ms}ms ramp;"
echo " c/n, c/b: cowrap / null_blk, cowrap / brd; b2/b: the control, a second"
echo " brd / brd: how far apart this guest puts two identical devices)"
# shellcheck disable=SC2086 # controls is a list of ratios
bench_control "the second brd" $controls

echo
echo "bio-based ram device (--bio) vs brd, one fio job (no goal)"
printf '%-14s %8s %8s %6s %9s %9s %6s\n' workload c-bio brd "i b/b" \
	"us c-bio" "us brd" "l b/b"
for rw in randread randwrite; do
	for qd in 1 32; do
		s=q1-$rw-qd$qd
		ci=$(bench_med bio-$s 1) cl=$(bench_med bio-$s 2)
		bi=$(bench_med brd-$s 1) bl=$(bench_med brd-$s 2)
		printf '%-14s %8s %8s %6s %9s %9s %6s\n' "$rw QD$qd" \
			"$(bench_fmt "$ci")" "$(bench_fmt "$bi")" \
			"$(bench_ratio "$ci" "$bi")" "$(bench_fmt "$cl" 1000)" \
			"$(bench_fmt "$bl" 1000)" "$(bench_ratio "$cl" "$bl")"
		if [ -n "$ci" ] && [ -n "$bi" ]; then
			tap ok "fio $rw QD$qd: bio-based cowrap and brd ($rounds rounds)"
		else
			tap "not ok" "fio $rw QD$qd: bio-based cowrap or brd: a median is missing"
		fi
	done
done
echo "(i b/b: IOPS of the bio-based cowrap device / brd's; l b/b: mean latency)"

# the two jobs, pinned to vCPU 0 and 1, submit on different hctxs
cpu_map() {
	for cm_f in /sys/block/"${1#/dev/}"/mq/*/cpu_list; do
		[ -r "$cm_f" ] || continue
		cm_h=${cm_f%/cpu_list}
		printf ' hctx%s=cpu%s' "${cm_h##*/}" "$(cat "$cm_f")"
	done
}
for d in "$cow2" $null2; do
	cm=$(cpu_map "$d")
	echo "# CPUs per hardware queue of $d:${cm:- n/a}"
	case "$cm" in
	# (6.12's null_blk adds a poll queue, hctx2, that libaio never uses)
	" hctx0=cpu0 hctx1=cpu1" | " hctx0=cpu0 hctx1=cpu1 "*) tap ok "$d: vCPU 0 and 1 submit on different hardware queues" ;;
	*) tap "not ok" "$d: vCPU 0 and 1 do not map to hctx 0 and 1" ;;
	esac
done

s=lat-randread
ci1=$(bench_med cowrap-$s-qd1 1) ni1=$(bench_med null-$s-qd1 1)
cl1=$(bench_med cowrap-$s-qd1 2) nl1=$(bench_med null-$s-qd1 2)
ci=$(bench_med cowrap-$s-qd32 1) ni=$(bench_med null-$s-qd32 1)
cl=$(bench_med cowrap-$s-qd32 2) nl=$(bench_med null-$s-qd32 2)
rin=$(bench_ratio "$ci" "$ni")
bound=$((32 * 1000000000 / lat_ns))
echo
echo "parking request: randread, 1 hardware queue of depth $depth, one fio job;"
echo "cowrap --latency-ns $lat_ns vs null_blk completion_nsec=$lat_ns irqmode=2"
printf '%-20s %8s %8s %6s %9s %9s\n' workload cowrap null_blk "c/n" \
	"us cowrap" "us null"
printf '%-20s %8s %8s %6s %9s %9s\n' "randread QD1" "$(bench_fmt "$ci1")" \
	"$(bench_fmt "$ni1")" "$(bench_ratio "$ci1" "$ni1")" "$(bench_fmt "$cl1" 1000)" \
	"$(bench_fmt "$nl1" 1000)"
printf '%-20s %8s %8s %6s %9s %9s\n' "randread QD32" "$(bench_fmt "$ci")" \
	"$(bench_fmt "$ni")" "${rin:--}" "$(bench_fmt "$cl" 1000)" "$(bench_fmt "$nl" 1000)"
cs=$(bench_ratio "$ci" $((32 * ${ci1:-0}))) ns=$(bench_ratio "$ni" $((32 * ${ni1:-0})))
printf '%-20s %8s %8s\n' "QD32 / (32 x QD1)" "${cs:--}" "${ns:--}"
cs=$(bench_ratio "$ci" $bound) ns=$(bench_ratio "$ni" $bound)
printf '%-20s %8s %8s\n' "QD32 / (32 / L)" "${cs:--}" "${ns:--}"
echo "(QD32 / (32 x QD1) near 1: latency-bound, 32 requests wait side by side;"
echo " 32 / L = $bound IOPS: a device that costs nothing but L; us: mean"
echo " completion latency, L and the guest's timer lateness included)"
if [ -n "$ci" ] && [ -n "$ni" ] && [ -n "$ci1" ] && [ -n "$ni1" ]; then
	tap ok "fio randread QD1 and QD32 with ${lat_ns} ns latency: cowrap and null_blk ($rounds rounds)"
else
	tap "not ok" "fio randread QD1 and QD32 with ${lat_ns} ns latency: a median is missing"
fi
goal "ram-lat${lat_ns}ns-q1-qd32-randread-iops-vs-null" "$rin" ">=" 0.9

echo
[ -b "$cow1" ] && $ctl stats "${cow1#/dev/cowrap}"
for d in "$cow1" "$cow2" "$cowlat" "$cowbio"; do
	[ -b "$d" ] && $ctl del "${d#/dev/cowrap}"
done
for d in nullb0 nullb1 nullb2; do
	[ -d /sys/kernel/config/nullb/$d ] || continue
	echo 0 > /sys/kernel/config/nullb/$d/power
	rmdir /sys/kernel/config/nullb/$d
done
rmmod null_blk brd 2>/dev/null
echo "$results"
echo "1..$n"
echo "$goals"
exit $fail
