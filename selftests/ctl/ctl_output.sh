#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cowrapctl's output through libsmartcols, run in the VM: the JSON of every
# command that prints JSON parses with python3 -m json.tool and with jq and
# has the documented keys and values; -o, -n, -r and -l print what they
# should. Removes the devices it made.

ctl=/lib/cowrap/cowrapctl
. /lib/cowrap/tap.sh

# json_ok DESC JSON: both parsers accept JSON
json_ok() {
	py=$(printf '%s\n' "$2" | python3 -m json.tool 2>&1 >/dev/null)
	pst=$?
	jqo=$(printf '%s\n' "$2" | jq -e . 2>&1 >/dev/null)
	jst=$?
	tap $([ $pst -eq 0 ] && [ $jst -eq 0 ]; echo $?) "$1: JSON parses (python3 $pst, jq $jst)" \
		"$2
$py
$jqo"
}

# jq_ok DESC JSON FILTER: FILTER is true on JSON
jq_ok() {
	[ -n "$2" ] && printf '%s\n' "$2" | jq -e "$3" > /dev/null 2>&1
	tap $? "$1" "$3 on:
$2"
}

# same DESC GOT WANT
same() {
	tap $([ "$2" = "$3" ]; echo $?) "$1" "got:
$2
want:
$3"
}

command -v python3 > /dev/null && command -v jq > /dev/null
tap $? "python3 and jq are in the guest"
# devices other tests left behind
n0=$($ctl -J list | jq '.devices | length')

# add
a=$($ctl -J add --size 8M --wc --discard --write-zeroes)
json_ok "add -J" "$a"
jq_ok "add -J: the new device's row" "$a" \
	'.devices | length == 1 and (.[0].name | test("^/dev/cowrap[0-9]+$")) and
	 .[0].size == 8388608 and .[0]["log-sec"] == 512 and
	 .[0].backend == "ram" and .[0].flags == "wc,discard,write-zeroes" and
	 .[0].state == "live" and .[0].open == 0 and .[0].queues == 1 and
	 .[0].depth == 128'
dev=$(printf '%s\n' "$a" | jq -r '.devices[0].name')
id=${dev#/dev/cowrap}
dev2=$($ctl add --backend null --size 1M --lbs 4096 --ro)
id2=${dev2#/dev/cowrap}
tap $([ -b "$dev" ] && [ -b "$dev2" ]; echo $?) "two devices: $dev $dev2"

# list
l=$($ctl list --json)
json_ok "list --json" "$l"
jq_ok "list --json: both devices, their values" "$l" \
	"(.devices | length) == $n0 + 2 and
	 (.devices | map(select(.name == \"$dev2\"))[0] |
	  .backend == \"null\" and .[\"log-sec\"] == 4096 and .flags == \"ro\" and
	  .size == 1048576)"
l=$($ctl -J list "$id2")
jq_ok "list -J DEVICE: that device only" "$l" \
	".devices | length == 1 and .[0].name == \"$dev2\""

# info
i=$($ctl -J info "$id2")
json_ok "info -J" "$i"
jq_ok "info -J: every documented key, typed" "$i" \
	".devices[0] | (keys | sort) == ([\"name\", \"id\", \"maj:min\", \"backend\",
	  \"path\", \"overlay\", \"chunk\", \"size\", \"log-sec\", \"phy-sec\", \"queues\", \"depth\",
	  \"flags\", \"ro\", \"latency\", \"state\", \"open\", \"max-hw-sect\",
	  \"max-sect\", \"max-segs\", \"max-seg-size\", \"dma-align\",
	  \"disc-gran\", \"disc-max\", \"wz-max\", \"wcache\", \"fua\",
	  \"rota\"] | sort) and .id == $id2 and .ro == true and
	  .wcache == false and .[\"phy-sec\"] == 4096 and
	  (.[\"maj:min\"] | test(\"^[0-9]+:[0-9]+$\")) and
	  (.[\"max-sect\"] | type) == \"number\""
i=$($ctl -J info "$id")
jq_ok "info -J: write cache, discard and write-zeroes limits" "$i" \
	'.devices[0] | .wcache == true and .ro == false and
	 .["disc-max"] > 0 and .["wz-max"] > 0'
h=$($ctl info "$id")
printf '%s\n' "$h" | grep -Eq '^size \(bytes\): +8388608$' &&
	printf '%s\n' "$h" | grep -Eq "^device: +$dev\$" &&
	printf '%s\n' "$h" | grep -Eq '^write cache: +yes$' &&
	printf '%s\n' "$h" | grep -Eq '^state: +live$'
tap $? "info: label: value lines" "$h"
same "-n -o SIZE info: the value alone" "$($ctl -n -o SIZE info "$id")" 8388608
same "-n -o NAME,LOG-SEC info: values, one a line" \
	"$($ctl info -n -o NAME,LOG-SEC "$id2")" "$dev2
4096"

# -o, -n, -r, -l on the devices table
o=$($ctl list -o NAME,SIZE "$id" "$id2" | tr -s ' ')
same "list -o NAME,SIZE: header and rows" "$o" "NAME SIZE
$dev 8388608
$dev2 1048576"
same "-n -o NAME list: the names, no header" "$($ctl -n -o NAME list "$id" "$id2")" "$dev
$dev2"
same "-r -o NAME,FLAGS list: raw columns" "$($ctl -r -o NAME,FLAGS list "$id" "$id2")" \
	"NAME FLAGS
$dev wc,discard,write-zeroes
$dev2 ro"
same "-r -o +ID list: defaults then ID" "$($ctl -r -n -o +ID list "$id2")" \
	"$dev2 null 1048576 4096 1 128 ro live 0 $id2"
same "-l lists as 'list' does" "$($ctl -l)" "$($ctl list)"
same "-l DEVICE: one device" "$($ctl -l -n -r -o NAME "$dev2")" "$dev2"
t=$($ctl -l -o NAME,BACKEND info "$id2" | tr -s ' ')
same "-l info: a table, not labels" "$t" "NAME BACKEND
$dev2 null"

# pwrite, flush, discard, write-zeroes
dd if=/dev/zero of=/tmp/ctl_out.blk bs=4096 count=1 2>/dev/null
p=$($ctl -J pwrite --fua --file /tmp/ctl_out.blk "$id" 4096)
json_ok "pwrite -J" "$p"
jq_ok "pwrite -J: what was written" "$p" \
	".io[0] | .id == $id and .op == \"write\" and .offset == 4096 and
	 .length == 4096 and .fua == true"
p=$($ctl -J flush "$id")
json_ok "flush -J" "$p"
jq_ok "flush -J" "$p" '.io[0].op == "flush"'
p=$($ctl -J discard "$id" 0 64K)
json_ok "discard -J" "$p"
jq_ok "discard -J" "$p" '.io[0] | .op == "discard" and .length == 65536'
p=$($ctl -J write-zeroes "$id" 64K 4K)
json_ok "write-zeroes -J" "$p"
jq_ok "write-zeroes -J" "$p" \
	'.io[0] | .op == "write-zeroes" and .offset == 65536 and .length == 4096'
same "pwrite prints nothing without output options" \
	"$($ctl pwrite --file /tmp/ctl_out.blk "$id" 0)" ""

# fault
f=$($ctl -J fault --fail-nth 2 --ops write,read --error ENOSPC "$id")
json_ok "fault -J" "$f"
jq_ok "fault -J: the rule" "$f" \
	".fault[0] | .id == $id and .mode == \"fail-nth\" and
	 .ops == [\"read\", \"write\"] and .nth == 2 and .error == \"ENOSPC\" and
	 .errno == 28"
dd if=/dev/zero of="$dev" bs=4k count=1 oflag=direct 2>/dev/null
dd if=/dev/zero of="$dev" bs=4k count=1 oflag=direct 2>/dev/null
f=$($ctl fault --clear "$id" -J)
jq_ok "fault --clear -J (options after the command)" "$f" \
	'.fault[0].mode == "none"'

# stats
$ctl stats --reset "$id" > /dev/null
dd if=/dev/zero of="$dev" bs=4k count=1 seek=3 oflag=direct 2>/dev/null
s=$($ctl -J stats "$id")
json_ok "stats -J" "$s"
jq_ok "stats -J: counters of one 4 KiB write" "$s" \
	".stats | length == 1 and (.[0] | .id == $id and .name == \"$dev\" and
	 .[\"write-reqs\"] == 1 and .[\"write-bytes\"] == 4096 and
	 .[\"write-errs\"] == 0 and .[\"read-reqs\"] == 0 and
	 .[\"co-started\"] >= 1 and .inflight == 0 and
	 ([.[\"flush-reqs\"], .[\"discard-reqs\"], .[\"wzeroes-reqs\"],
	   .faults, .[\"sync-calls\"], .[\"co-yields\"], .[\"co-wakes\"]] |
	  all(type == \"number\")))"
h=$($ctl stats "$id")
printf '%s\n' "$h" | grep -Eq '^OP +REQUESTS +BYTES +ERRORS$' &&
	printf '%s\n' "$h" | grep -Eq '^write +1 +4096 +0$' &&
	printf '%s\n' "$h" | grep -Eq '^coroutines started: +[1-9][0-9]*$' &&
	printf '%s\n' "$h" | grep -Eq '^in flight: +0$'
tap $? "stats: the operations table and the counters" "$h"
same "stats -n -r -o WRITE-REQS,WRITE-BYTES -l" \
	"$($ctl stats -n -r -l -o WRITE-REQS,WRITE-BYTES "$id")" "1 4096"

# features, version
j=$($ctl -J features)
json_ok "features -J" "$j"
jq_ok "features -J: names and limits" "$j" \
	'.features[0] | (.backends | index("ram") != null) and
	 (.backends | index("bdev") != null) and
	 (.features | index("sync-io") != null) and .devices == '"$((n0 + 2))"' and
	 .["max-lbs"] >= .["min-lbs"] and (.["max-dev-size"] | type) == "number"'
j=$($ctl -J version)
json_ok "version -J" "$j"
jq_ok "version -J" "$j" \
	'.version[0] | (.["module-version"] | type) == "string" and
	 (.["abi-version"] | type) == "number" and (.features | type) == "number"'
h=$($ctl version)
printf '%s\n' "$h" | grep -Eq '^abi version: +[0-9]+$' &&
	printf '%s\n' "$h" | grep -Eq '^features: +0x[0-9a-f]+$'
tap $? "version: label: value lines" "$h"

# usage errors come before anything happens
$ctl list -o BOGUS > /dev/null 2>&1
same "list -o BOGUS: usage error" "$?" 2
$ctl -J pread "$id" 0 512 > /dev/null 2>&1
same "-J pread: usage error (pread prints data)" "$?" 2

# the bdev backend: bio-based unless it asks for queues (--mq, --queues)
b=$($ctl add --backend bdev --path "$dev")
f=$($ctl -n -o FLAGS,QUEUES info "${b#/dev/cowrap}" 2>&1)
case "$f" in *bio*) r=0 ;; *) r=1 ;; esac
tap $r "add --backend bdev: bio-based by default" "$f"
same "bio-based: no hardware queues" "$(printf '%s\n' "$f" | tail -1)" 0
$ctl del "${b#/dev/cowrap}"
b=$($ctl add --backend bdev --path "$dev" --queues 2)
same "add --backend bdev --queues 2: blk-mq" \
	"$($ctl -n -o QUEUES info "${b#/dev/cowrap}" 2>&1)" 2
$ctl del "${b#/dev/cowrap}"
b=$($ctl add --backend bdev --path "$dev" --mq)
same "add --backend bdev --mq: blk-mq" \
	"$($ctl -n -o QUEUES info "${b#/dev/cowrap}" 2>&1)" 1
$ctl del "${b#/dev/cowrap}"
$ctl add --backend bdev --path "$dev" --mq --bio > /dev/null 2>&1
same "add --mq --bio: usage error" "$?" 2
$ctl add --size 8M --bio --depth 8 > /dev/null 2>&1
same "add --bio --depth: usage error" "$?" 2

# del
d=$($ctl -J del "$id2")
json_ok "del -J" "$d"
jq_ok "del -J" "$d" ".deleted[0] | .id == $id2 and .force == false"
$ctl del "$id"
tap $? "del $dev"
same "no devices left" "$($ctl -J list | jq '.devices | length')" "$n0"

tap_done
