# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the block benchmarks, sourced by blk_bench.sh,
# blk_bdev_bench.sh and blk_threads.sh in the guest (/lib/cowrap/bench_lib.sh).  POSIX sh:
# busybox ash runs them.
#
#   bench_knob VAR DEFAULT     VAR from bench.env or the environment if it
#                              is a positive integer, else DEFAULT
#   fio_jobs OUT TAG:DEV:RW:QD:NJOBS[:BS]...
#                              one fio job per argument, one after the
#                              other, in one fio process (NJOBS=2: two
#                              jobs, one per vCPU; BS: block size, 4k by
#                              default); OUT.json, OUT.err;
#                              prints "TAG iops lat_mean_ns" for every job
#                              that ran without error
#   fio_parse JSON             "TAG iops lat_mean_ns" for every job of a fio
#                              JSON output that ran without error
#   bench_median FILE ROUNDS   median "iops lat" of FILE's "iops lat" lines,
#                              nothing unless it holds exactly ROUNDS lines
#   bench_order ROUND WORD...  the WORDs (no spaces) on one line, rotated
#                              by ROUND and reversed when ROUND is odd
#   bench_row NAME RW QD NJOBS BS ROUND TAG:DEV...
#                              queue job TAG-NAME on each DEV for the next
#                              bench_round, in bench_order ROUND
#   bench_round ROUND          the queued jobs in one fio; "iops lat"
#                              appended to $bench_res/TAG-NAME.r for each
#                              job that gave a result
#   bench_med TAG-NAME FIELD   the median's IOPS (FIELD 1) or mean latency
#                              in ns (FIELD 2) over $bench_rounds rounds
#   bench_fmt VALUE [SCALE]    VALUE, or VALUE / SCALE with one decimal;
#                              "-" when missing
#   bench_goal NAME MEASURED OP TARGET
#                              one goal line (see below)
#   bench_control WHAT RATIO...
#                              the spread of a control's ratios (a device
#                              against an identical one): "control: ..."
#   bench_dm_dev NAME          /dev/dm-N of the device-mapper device NAME,
#                              nothing if there is none
#   cowrap_threads             kernel threads whose comm starts with "cowrap"
#   cowrap_live KEY            value of KEY in debugfs cowrap/live, or n/a
#
# Goal lines are exactly
#   goal: KERNEL/NAME measured=<ratio>x target=<op><limit>x met|missed
# with <op> "<=" or ">=", the measured ratio printed with two decimals and
# the limit as written (1.1, 0.8); met is decided on the printed figures,
# so a script can recheck every line.  A figure that could not be measured
# prints measured=n/a and missed.

bench_out=${bench_out:-/tmp/blk-bench}
mkdir -p "$bench_out"
# where bench_round keeps its results: a script may point it elsewhere
bench_res=$bench_out

# bench.env ("KEY=VALUE" lines) is written on the host from make's
# environment (blk.mk); it is parsed, never sourced.
bench_knob() {
	bk_v=$(sed -n "s/^$1=//p" /lib/cowrap/bench.env 2>/dev/null | tail -n 1)
	[ -n "$bk_v" ] || eval "bk_v=\${$1:-}"
	case "$bk_v" in
	'' ) echo "$2" ;;
	*[!0-9]* | 0) echo "# $1=$bk_v is not a positive integer: using $2" >&2
		echo "$2" ;;
	*) echo "$bk_v" ;;
	esac
}

bench_runtime=$(bench_knob BLK_BENCH_RUNTIME 2)
bench_rounds=$(bench_knob BLK_BENCH_ROUNDS 3)
# fio's ramp in ms: keeps fio's start-up out of the figures
bench_ramp_ms=$(bench_knob BLK_BENCH_RAMP_MS 250)
bench_region=32M

fio_jobs() {
	fj_out=$1
	shift
	# one fio for all the jobs (its start-up takes a second under TCG),
	# one job after the other (stonewall); never let fio create a
	# regular file where a device is missing
	fj_list=
	for fj_s in "$@"; do
		fj_tag=${fj_s%%:*} fj_r=${fj_s#*:}
		fj_dev=${fj_r%%:*} fj_r=${fj_r#*:}
		fj_rw=${fj_r%%:*} fj_r=${fj_r#*:}
		fj_qd=${fj_r%%:*} fj_r=${fj_r#*:}
		fj_n=${fj_r%%:*} fj_bs=4k
		[ "$fj_n" = "$fj_r" ] || fj_bs=${fj_r#*:}
		[ -b "$fj_dev" ] || continue
		fj_list="$fj_list --name=$fj_tag --filename=$fj_dev --rw=$fj_rw --iodepth=$fj_qd --numjobs=$fj_n --bs=$fj_bs"
		# two jobs pinned to vCPU 0 and 1: blk-mq maps CPU n to
		# hctx n, so each job submits on its own hardware queue
		[ "$fj_n" = 2 ] && fj_list="$fj_list --cpus_allowed=0,1 --cpus_allowed_policy=split"
		fj_list="$fj_list --stonewall"
	done
	[ -n "$fj_list" ] || return 1
	# shellcheck disable=SC2086 # fj_list is a list of options
	fio --bs=4k --ioengine=libaio --direct=1 --size=$bench_region \
	    --time_based --runtime="$bench_runtime" \
	    --ramp_time="${bench_ramp_ms}ms" --group_reporting --randrepeat=0 \
	    --disk_util=0 --output-format=json $fj_list \
	    > "$fj_out.json" 2> "$fj_out.err"
	fio_parse "$fj_out.json"
}

# per job (one reporting group each): "jobname", "error", then "read"
# and "write" { "iops" ... "lat_ns" { ... "mean" } }; the direction that
# did I/O is the job's
fio_parse() {
	awk '
		function str(s) { gsub(/[",]/, "", s); return s }
		function num(s) { return str(s) + 0 }
		function flush() {
			if (name != "" && err == 0) {
				if (iops["read"] > 0 && lat["read"] > 0)
					printf "%s %d %d\n", name, iops["read"], lat["read"]
				else if (iops["write"] > 0 && lat["write"] > 0)
					printf "%s %d %d\n", name, iops["write"], lat["write"]
			}
			name = ""; err = -1; sect = ""; inlat = 0
			split("", iops); split("", lat)
		}
		$1 == "\"jobname\"" { flush(); name = str($3) }
		$1 == "\"error\"" && err < 0 { err = num($3) }
		$2 == ":" && $3 == "{" { s = str($1) }
		$2 == ":" && $3 == "{" && (s == "read" || s == "write" || s == "trim" || s == "sync") { sect = s }
		sect != "" && $1 == "\"iops\"" { iops[sect] = num($3) }
		sect != "" && $1 == "\"lat_ns\"" { inlat = 1 }
		inlat && $1 == "\"mean\"" { lat[sect] = num($3); inlat = 0 }
		END { flush() }
	' "$1"
}

bench_median() {
	[ -f "$1" ] || return 1
	bm_k=$(wc -l < "$1")
	[ "$bm_k" -eq "$2" ] || return 1
	bm_m=$(((bm_k + 1) / 2))
	bm_i=$(sort -n -k1,1 "$1" | awk -v m=$bm_m 'NR == m { print $1 }')
	bm_l=$(sort -n -k2,2 "$1" | awk -v m=$bm_m 'NR == m { print $2 }')
	echo "$bm_i $bm_l"
}

# Devices of a row take turns in first place, so that a slow phase of the
# (shared, TCG) host hits all of them alike.
bench_specs=
bench_jobs_run=0
bench_order() {
	bor_r=$1
	shift
	[ $# -gt 0 ] || return 0
	bor_i=$((bor_r % $#))
	while [ $bor_i -gt 0 ]; do
		bor_x=$1
		shift
		set -- "$@" "$bor_x"
		bor_i=$((bor_i - 1))
	done
	# every other round backwards: a word that follows another in one
	# round precedes it in the next (a trend within a round cancels)
	if [ $((bor_r % 2)) = 1 ]; then
		bor_x=
		for bor_w in "$@"; do
			bor_x="$bor_w $bor_x"
		done
		# shellcheck disable=SC2086 # words without spaces
		set -- $bor_x
	fi
	echo "$@"
}

bench_row() {
	br_name=$1 br_rw=$2 br_qd=$3 br_jobs=$4 br_bs=$5 br_round=$6
	shift 6
	# shellcheck disable=SC2046 # TAG:DEV words, no spaces
	set -- $(bench_order "$br_round" "$@")
	for br_nd in "$@"; do
		bench_specs="$bench_specs ${br_nd%%:*}-$br_name:${br_nd#*:}:$br_rw:$br_qd:$br_jobs:$br_bs"
	done
}

bench_round() {
	bo_f=$bench_res/round$1
	# shellcheck disable=SC2086 # bench_specs is a list of job specs
	fio_jobs "$bo_f" $bench_specs > "$bo_f.res"
	bo_bad=0
	for bo_s in $bench_specs; do
		bo_t=${bo_s%%:*}
		bench_jobs_run=$((bench_jobs_run + 1))
		bo_v=$(awk -v t="$bo_t" '$1 == t { print $2, $3 }' "$bo_f.res")
		if [ -n "$bo_v" ]; then
			echo "$bo_v" >> "$bench_res/$bo_t.r"
		else
			bo_d=${bo_s#*:}
			echo "# fio $bo_t round $1 on ${bo_d%%:*}: no result"
			bo_bad=1
		fi
	done
	[ $bo_bad = 0 ] || tail -n 3 "$bo_f.err" 2>/dev/null | sed 's/^/#   /'
	bench_specs=
}

bench_med() {
	bench_median "$bench_res/$1.r" "$bench_rounds" | awk -v f="$2" '{ print $f }'
}

bench_fmt() {
	[ -n "$1" ] || { echo -; return; }
	awk -v v="$1" -v s="${2:-1}" 'BEGIN { f = s == 1 ? "%d" : "%.1f"; printf f, v / s }'
}

# bench_ratio A B -> A / B with two decimals, nothing if either is missing
bench_ratio() {
	[ -n "$1" ] && [ -n "$2" ] || return 0
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b }'
}

bench_control() {
	bc_what=$1
	shift
	echo "$@" | awk -v what="$bc_what" '{
		lo = hi = $1
		for (i = 2; i <= NF; i++) {
			if ($i < lo) lo = $i
			if ($i > hi) hi = $i
		}
		d = 1 - lo
		if (hi - 1 > d) d = hi - 1
		if (NF) printf "control: %s at %.2fx to %.2fx of the first: a ratio within %.2f of its target is within this run\047s noise\n", what, lo, hi, d
	}'
}

bench_dm_dev() {
	for bdd_d in /sys/block/dm-*; do
		[ "$(cat "$bdd_d/dm/name" 2>/dev/null)" = "$1" ] &&
			[ -b "/dev/${bdd_d##*/}" ] && echo "/dev/${bdd_d##*/}"
	done
}

bench_goal() {
	bg_kver=$(uname -r)
	if [ -z "$2" ]; then
		echo "goal: $bg_kver/$1 measured=n/a target=$3$4x missed"
		return
	fi
	bg_res=$(awk -v m="$2" -v op="$3" -v t="$4" 'BEGIN {
		if (op == "<=") ok = m + 0 <= t + 0; else ok = m + 0 >= t + 0
		print ok ? "met" : "missed" }')
	echo "goal: $bg_kver/$1 measured=$2x target=$3$4x $bg_res"
}

cowrap_threads() {
	ct_n=0
	for ct_p in /proc/[0-9]*; do
		{ read -r ct_c < "$ct_p/comm"; } 2>/dev/null || continue
		# kernel threads only: they have no executable
		[ -e "$ct_p/exe" ] && continue
		case "$ct_c" in
		cowrap*) ct_n=$((ct_n + 1)) ;;
		esac
	done
	echo $ct_n
}

cowrap_live() {
	cl_v=$(awk -v k="$1" '$1 == k { print $2; exit }' \
		/sys/kernel/debug/cowrap/live 2>/dev/null)
	echo "${cl_v:-n/a}"
}

# tap OK WHAT: one TAP line, kept in $results (printed with the others
# before the goals); n, fail and results start out empty in the script
tap() {
	n=$((n + 1))
	if [ "$1" = ok ]; then
		results="$results
ok $n - $2"
	else
		results="$results
not ok $n - $2"
		fail=1
	fi
}

# goal ARGS...: one bench_goal line, kept in $goals
goal() {
	goals="$goals
$(bench_goal "$@")"
}

# nullb_make NAME ATTR=VALUE...: a null_blk device /dev/NAME through
# configfs (the disk takes the name of its configfs directory)
nullb_make() {
	nm_d=/sys/kernel/config/nullb/$1
	shift
	mkdir "$nm_d" || return 1
	for nm_a in "$@"; do
		echo "${nm_a#*=}" > "$nm_d/${nm_a%%=*}" || return 1
	done
	echo 1 > "$nm_d/power"
}
