#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fio on a cowrap ram device, null_blk (memory_backed=1) and brd in the
# same guest: 4 KiB random read and write at queue depth 1 and 32, one
# hardware queue of depth 64 for cowrap and null_blk.  Every job runs
# $rounds times, the three devices interleaved in a rotating order so that
# a slow phase of the (shared, TCG) host hits all of them alike; the table
# shows the median of the rounds and the ratios to null_blk, then TAP lines.

ctl=/lib/cowrap/cowrapctl
runtime=${BLK_BENCH_RUNTIME:-3}
rounds=${BLK_BENCH_ROUNDS:-3}
region=64M
out=/tmp/blk-bench
mkdir -p $out

echo "TAP version 13"
fail=0

insmod /lib/peer/configfs.ko 2>/dev/null
insmod /lib/peer/null_blk.ko nr_devices=1 queue_mode=2 submit_queues=1 \
	hw_queue_depth=64 memory_backed=1 gb=1 bs=512 || fail=1
insmod /lib/peer/brd.ko rd_nr=1 rd_size=262144 || fail=1
cow=$($ctl add --size 256M --queues 1 --depth 64) || fail=1
if [ $fail -ne 0 ] || [ ! -b /dev/nullb0 ] || [ ! -b /dev/ram0 ] || [ ! -b "$cow" ]; then
	echo "not ok 1 - bench devices created"
	exit 1
fi
echo "ok 1 - bench devices created ($cow, /dev/nullb0, /dev/ram0)"

# fill the region so that reads find data on every device
for d in $cow /dev/nullb0 /dev/ram0; do
	dd if=/dev/zero of=$d bs=1M count=64 oflag=direct 2>/dev/null
done

# fio_run NAME DEV RW QD -> prints "iops lat_mean_ns"
fio_run() {
	fio --name="$1" --filename="$2" --rw="$3" --iodepth="$4" --bs=4k \
	    --ioengine=libaio --direct=1 --size=$region --time_based \
	    --runtime="$runtime" --ramp_time=1 --numjobs=1 \
	    --output-format=json > "$out/$1.json" 2>&1 || return 1
	sect=read
	[ "$3" = randwrite ] && sect=write
	awk -v sect="$sect" '
		$1 == "\"" sect "\"" && $2 == ":" { on = 1 }
		on && $1 == "\"iops\"" { v = $3; gsub(",", "", v); iops = v }
		on && $1 == "\"lat_ns\"" { lat = 1 }
		lat && $1 == "\"mean\"" { v = $3; gsub(",", "", v);
			printf "%d %d\n", iops, v; exit }
	' "$out/$1.json"
}

# median NAME -> "iops lat" medians of $out/NAME.r (one "iops lat" a round)
median() {
	f="$out/$1.r"
	[ -f "$f" ] || return 1
	k=$(wc -l < "$f")
	[ "$k" -eq "$rounds" ] || return 1
	i=$(sort -n -k1,1 "$f" | awk -v m=$(((k + 1) / 2)) 'NR == m { print $1 }')
	l=$(sort -n -k2,2 "$f" | awk -v m=$(((k + 1) / 2)) 'NR == m { print $2 }')
	echo "$i $l"
}

devs="cowrap:$cow null:/dev/nullb0 brd:/dev/ram0"
r=0
while [ $r -lt $rounds ]; do
	for rw in randread randwrite; do
		for qd in 1 32; do
			for nd in $devs; do
				v=$(fio_run "${nd%%:*}-$rw-$qd" "${nd#*:}" $rw $qd)
				[ -n "$v" ] && echo "$v" >> "$out/${nd%%:*}-$rw-$qd.r"
			done
		done
	done
	# rotate the device order for the next round
	devs="${devs#* } ${devs%% *}"
	r=$((r + 1))
done

n=1
printf '\n%-14s %10s %10s %10s %9s %12s %12s %9s\n' workload cowrap \
	null_blk brd "iops c/n" "lat cowrap" "lat null" "lat c/n"
for rw in randread randwrite; do
	for qd in 1 32; do
		c=$(median "cowrap-$rw-$qd")
		nb=$(median "null-$rw-$qd")
		b=$(median "brd-$rw-$qd")
		n=$((n + 1))
		if [ -z "$c" ] || [ -z "$nb" ] || [ -z "$b" ]; then
			echo "not ok $n - fio $rw QD$qd"
			fail=1
			continue
		fi
		echo "$rw QD$qd $c $nb $b" >> $out/table
		echo "$c $nb $b" | awk -v w="$rw QD$qd" '{
			printf "%-14s %10d %10d %10d %8.2fx %10.1fus %10.1fus %8.2fx\n",
			w, $1, $3, $5, $1 / $3, $2 / 1000, $4 / 1000, $2 / $4 }'
		results="$results
ok $n - fio $rw QD$qd on cowrap, null_blk and brd ($rounds rounds)"
	done
done
echo "(median of $rounds interleaved rounds of ${runtime}s per job, 1s ramp;"
echo " iops c/n: cowrap IOPS / null_blk IOPS; lat: mean completion latency)"
echo "$results"
$ctl stats "${cow#/dev/cowrap}"
$ctl del "${cow#/dev/cowrap}"
rmmod null_blk brd 2>/dev/null
echo "1..$n"
exit $fail
