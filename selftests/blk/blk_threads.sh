#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Threads of the module (Documentation/blkdev.rst, "Benchmark"): kernel
# threads whose comm starts with "cowrap", with no device, then after
# creating a ram device of 4 hardware queues of depth 1024, idle; under a
# QD32 randread load (the most seen in samples taken while fio runs); and
# after BLK_BENCH_IDLE seconds (default 10) idle again.  Each is printed
# next to dev_parked (parked coroutines) and dev_workers from debugfs
# cowrap/live, "n/a" where the module has no such line.  Informative: no
# goal; the TAP lines say whether it could be measured.  The module takes
# at most nr_cpu_ids hardware queues: in a guest with fewer possible CPUs
# the device gets as many queues as there are, and the output says so.

. /lib/cowrap/bench_lib.sh

ctl=/lib/cowrap/cowrapctl
idle=$(bench_knob BLK_BENCH_IDLE 10)
# fio runs load_s seconds; its start-up takes about a second under TCG,
# so the samples are taken from 2 s after its start until 1 s before its end
load_s=5
n=0
fail=0
results=

# sample PHASE: one table line
sample() {
	printf '%-34s %8s %10s %11s\n' "$1" "$(cowrap_threads)" \
		"$(cowrap_live dev_parked)" "$(cowrap_live dev_workers)"
}

echo "TAP version 13"
echo "threads of cowrap_blk (kernel threads named cowrap*)"
printf '%-34s %8s %10s %11s\n' phase threads dev_parked dev_workers
sample "module loaded, no device"
# The module takes at most nr_cpu_ids hardware queues: a guest with fewer
# than 4 possible CPUs gets as many queues as it has, and says so.
for q in 4 3 2 1; do
	dev=$($ctl add --size 64M --queues $q --depth 1024 2>/dev/null)
	[ -b "$dev" ] && break
done
if [ ! -b "$dev" ]; then
	echo "not ok 1 - ram device of depth 1024 created"
	echo "1..1"
	exit 1
fi
if [ $q -eq 4 ]; then
	tap ok "4-queue depth-1024 ram device created ($dev)"
else
	tap ok "$q-queue depth-1024 ram device created ($dev): 4 queues need 4 possible CPUs, the guest has $(cat /sys/devices/system/cpu/possible)"
fi
sleep 1
sample "$q queues x 1024, idle"

fio --name=threads --filename="$dev" --rw=randread --iodepth=32 --bs=4k \
    --ioengine=libaio --direct=1 --size="$bench_region" --time_based \
    --runtime=$load_s --output-format=json > "$bench_out/threads.json" \
    2> "$bench_out/threads.err" &
fio_pid=$!
# the most threads seen, with the parked and worker counts of that sample
most=-1
sleep 2
i=0
while [ $i -lt $((load_s - 2)) ]; do
	t=$(cowrap_threads)
	if [ "$t" -gt "$most" ]; then
		most=$t
		parked=$(cowrap_live dev_parked)
		workers=$(cowrap_live dev_workers)
	fi
	sleep 1
	i=$((i + 1))
done
wait $fio_pid
fio_st=$?
printf '%-34s %8s %10s %11s\n' "randread QD32 (most of $((load_s - 2)) samples)" \
	"$most" "$parked" "$workers"
if [ $fio_st -eq 0 ]; then
	tap ok "fio randread QD32 on $dev while sampling"
else
	tap "not ok" "fio randread QD32 on $dev failed (status $fio_st)"
	tail -n 3 "$bench_out/threads.err" | sed 's/^/#   /'
fi
sleep "$idle"
sample "idle again after ${idle}s"
if $ctl del "${dev#/dev/cowrap}"; then
	tap ok "$dev deleted"
else
	tap "not ok" "$dev deleted"
fi
sample "device deleted"
echo "(dev_parked, dev_workers: debugfs cowrap/live; n/a: not provided)"
echo "$results"
echo "1..$n"
exit $fail
