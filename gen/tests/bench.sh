#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cowrap-gen benchmark (make bench-gen): generation time for synthetic
# headers of 1,000 and 10,000 declarations, best of $GEN_BENCH_RUNS runs.
# Environment: COWRAP_GEN, GEN_OUT (set by gen/gen.mk); QEMU_SRC (a QEMU
# checkout) to time QEMU's scripts/block-coroutine-wrapper.py on the same
# QEMU-style input.

set -eu
export LC_ALL=C
W=$GEN_OUT/bench
RUNS=${GEN_BENCH_RUNS:-10}
mkdir -p "$W"

# synth FLAVOR N: a header with N marked declarations (and their _co_
# functions); the cowrap flavor uses co_wrapper, the qemu flavor cycles
# through QEMU's variants with QEMU's types
synth() {
	awk -v n="$2" -v flavor="$1" 'BEGIN {
		print "/* SPDX-License-Identifier: GPL-2.0 */"
		print "/* synthetic cowrap-gen benchmark input */"
		split("co_wrapper co_wrapper_mixed co_wrapper_bdrv_rdlock " \
		      "co_wrapper_mixed_bdrv_rdlock", qv, " ")
		for (i = 0; i < n; i++) {
			if (flavor == "cowrap") {
				printf "int coroutine_fn bench_co_op%d(struct bench_dev *dev, u64 off,\n", i
				printf "\t\t\t\tvoid __user *buf, unsigned int len);\n"
				printf "int co_wrapper bench_op%d(struct bench_dev *dev, u64 off,\n", i
				printf "\t\t\t  void __user *buf, unsigned int len);\n"
			} else {
				printf "int %s bdrv_op%d(BlockDriverState *bs, int64_t offset, int64_t bytes, QEMUIOVector *qiov, BdrvRequestFlags flags);\n", qv[i % 4 + 1], i
			}
		}
	}' >"$W/$1-$2.h"
}


# best of $RUNS runs of "$@": sets WALL_US (wall clock) and CPU_US (user +
# system time of the child, 1 ms resolution), each the minimum over runs
TIMEFORMAT='%3U %3S'
best_us() {
	local i=0 t0 t1 us cpu
	WALL_US='' CPU_US=''
	while [ $i -lt "$RUNS" ]; do
		t0=${EPOCHREALTIME/[.,]/}
		cpu=$( { time "$@" >/dev/null; } 2>&1 )
		t1=${EPOCHREALTIME/[.,]/}
		us=$(( t1 - t0 ))
		cpu=$(awk -v t="$cpu" 'BEGIN { split(t, a, " "); printf "%d", (a[1] + a[2]) * 1000000 }')
		if [ -z "$WALL_US" ] || [ $us -lt $WALL_US ]; then
			WALL_US=$us
		fi
		if [ -z "$CPU_US" ] || [ "$cpu" -lt "$CPU_US" ]; then
			CPU_US=$cpu
		fi
		i=$((i + 1))
	done
}

row() {	# row LABEL N
	printf "%-30s %7d %10.1f %10.1f %12.2f\n" "$1" "$2" \
		"$(awk -v us="$WALL_US" 'BEGIN { printf "%.1f", us / 1000 }')" \
		"$(awk -v us="$CPU_US" 'BEGIN { printf "%.1f", us / 1000 }')" \
		"$(awk -v us="$WALL_US" -v n="$2" 'BEGIN { printf "%.2f", us / n }')"
}

echo "cowrap-gen $("$COWRAP_GEN" --version | cut -d' ' -f2), best of $RUNS runs"
printf "%-30s %7s %10s %10s %12s\n" "what" "decls" "wall (ms)" "cpu (ms)" "us/decl wall"
for n in 1000 10000; do
	synth cowrap $n
	best_us "$COWRAP_GEN" --ctx='struct bench_dev *=bench_dev_ctx' \
		-o "$W/out-$n.c" "$W/cowrap-$n.h"
	row "cowrap-gen (cowrap flavor)" $n
	eval "wall_$n=$WALL_US cpu_$n=$CPU_US"
done
# shellcheck disable=SC2154
awk -v a="$wall_1000" -v b="$wall_10000" -v c="$cpu_1000" -v d="$cpu_10000" 'BEGIN {
	printf "growth 1,000 -> 10,000 declarations: x%.1f wall, x%s cpu (linear: x10)\n",
		b / a, c ? sprintf("%.1f", d / c) : "?" }'

have_script() {
	[ -n "${QEMU_SRC:-}" ] &&
	[ -f "$QEMU_SRC/scripts/block-coroutine-wrapper.py" ] &&
	command -v python3 >/dev/null
}

ratio() {	# ratio N: the script's time over cowrap-gen's (wall, cpu)
	awk -v n="$1" -v sw="$WALL_US" -v sc="$CPU_US" -v cw="$cg_wall" \
		-v cc="$cg_cpu" 'BEGIN {
		printf "%-30s %7d %10s %10s   script/cowrap-gen: x%.0f wall, x%s cpu\n",
			"  ratio", n, "", "", sw / cw,
			cc ? sprintf("%.0f", sc / cc) : "(cowrap-gen < 1 ms)" }'
}

for n in 56 10000; do
	synth qemu $n
	best_us "$COWRAP_GEN" --flavor=qemu -o "$W/qout-$n.c" "$W/qemu-$n.h"
	row "cowrap-gen --flavor=qemu" $n
	cg_wall=$WALL_US cg_cpu=$CPU_US
	if have_script; then
		best_us python3 "$QEMU_SRC/scripts/block-coroutine-wrapper.py" \
			"$W/qpy-$n.c" "$W/qemu-$n.h"
		row "block-coroutine-wrapper.py" $n
		ratio $n
	fi
done
if have_script; then
	echo "block-coroutine-wrapper.py measured in this run from $QEMU_SRC"
else
	# no QEMU checkout: the figures quoted in issues 4 and 7, labelled
	printf "%-30s %7d %10s\n" "script: quoted, NOT measured" 56 "~100" \
		"script: quoted, NOT measured" 10000 "~600"
	echo "(set QEMU_SRC to a QEMU checkout, with python3, to measure"
	echo " scripts/block-coroutine-wrapper.py in the same run)"
	# shellcheck disable=SC2154
	awk -v w="$wall_10000" -v c="$cpu_10000" -v qw="$cg_wall" \
		-v qc="$cg_cpu" 'BEGIN {
		printf "quoted 0.6 s / cowrap-gen at 10,000: x%.0f wall, x%.0f cpu (cowrap flavor), x%.0f wall, x%.0f cpu (--flavor=qemu); target x20\n",
			600000 / w, 600000 / (c ? c : 1000),
			600000 / qw, 600000 / (qc ? qc : 1000) }'
fi
echo "(on a loaded machine wall time includes waiting for a CPU; load average"
echo " now $(cut -d' ' -f1-3 /proc/loadavg))"
