#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cowrap-gen benchmark (make bench-gen): generation time for synthetic
# headers of 1,000 and 10,000 declarations, best of $GEN_BENCH_RUNS runs;
# then every input shape (header-shaped text, #elif, parameters, nesting,
# declarations) at 1x, 4x and 16x, peak memory (median of $GEN_BENCH_PEAK_RUNS
# runs, and over that of a one-line input), the script on the 16x
# inputs (runs of the two interleaved, medians: $GEN_BENCH_HEADER_PAIRS
# pairs on the header-shaped input the goal is about, $GEN_BENCH_SCRIPT_RUNS
# on the others) and "goal: ..." lines.
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

# run_once CMD...: one run; sets RUN_WALL and RUN_CPU (microseconds)
run_once() {
	local t0 t1 cpu

	t0=${EPOCHREALTIME/[.,]/}
	cpu=$( { time "$@" >/dev/null; } 2>&1 )
	t1=${EPOCHREALTIME/[.,]/}
	RUN_WALL=$((t1 - t0))
	RUN_CPU=$(awk -v t="$cpu" 'BEGIN { split(t, a, " "); printf "%d", (a[1] + a[2]) * 1000000 }')
}

median() {	# median NUMBER...
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		printf "%d", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# interleaved N A B: run the commands (shell functions) A and B in turn,
# A B A B ..., N times each, so that both see the same machine load; sets
# the medians A_WALL A_CPU B_WALL B_CPU (microseconds) and RATIO_WALL, the
# median over the pairs of B's wall time over A's
interleaved() {
	local i=0 aw=() ac=() bw=() bc=() r=()

	while [ $i -lt "$1" ]; do
		run_once "$2"
		aw+=("$RUN_WALL") ac+=("$RUN_CPU")
		run_once "$3"
		bw+=("$RUN_WALL") bc+=("$RUN_CPU")
		r+=("$(awk -v a="${aw[i]}" -v b="$RUN_WALL" 'BEGIN { printf "%d", a * 1000 / b }')")
		i=$((i + 1))
	done
	A_WALL=$(median "${aw[@]}") A_CPU=$(median "${ac[@]}")
	B_WALL=$(median "${bw[@]}") B_CPU=$(median "${bc[@]}")
	RATIO_WALL=$(awk -v r="$(median "${r[@]}")" 'BEGIN { printf "%.1f", r / 1000 }')
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

# --- scaling: every input shape at 1x, 4x and 16x --------------------------

# shape_header N: N marked declarations in header-shaped text (doc
# comments, typedefs, macros with continuation lines, inline functions,
# #ifdef'd prototypes), about 1.15 kB per declaration: 10,000 make 11 MB
shape_header() {
	awk -v n="$1" '
BEGIN {
	split("co_wrapper co_wrapper_mixed co_wrapper_bdrv_rdlock co_wrapper_mixed_bdrv_rdlock", qv, " ")
	print "/* SPDX-License-Identifier: GPL-2.0 */"
	print "#ifndef BENCH_HEADER_H"
	print "#define BENCH_HEADER_H"
	print ""
	print "#include \"block/block-common.h\""
	print ""
	for (i = 0; i < n; i++) {
		printf "/**\n"
		printf " * bdrv_op%d - run operation %d on a block device node\n", i, i
		printf " * @bs: the node\n"
		printf " * @offset: first byte of the request\n"
		printf " * @bytes: length of the request in bytes\n"
		printf " * @qiov: the data\n"
		printf " * @flags: BDRV_REQ_* flags\n"
		printf " *\n"
		printf " * Returns 0 on success, -errno on failure.\n"
		printf " */\n"
		printf "typedef struct BdrvOp%dState {\n", i
		printf "    BlockDriverState *bs;\n"
		printf "    int64_t offset;\n"
		printf "    int64_t bytes;\n"
		printf "    QEMUIOVector *qiov;\n"
		printf "    unsigned int flags[4];\n"
		printf "} BdrvOp%dState;\n\n", i
		printf "#define BDRV_OP%d_FLAGS(f) \\\n", i
		printf "    ((f) & (BDRV_REQ_FUA | BDRV_REQ_MAY_UNMAP | BDRV_REQ_NO_FALLBACK))\n\n"
		printf "static inline bool bdrv_op%d_aligned(BlockDriverState *bs, int64_t offset)\n", i
		printf "{\n"
		printf "    uint32_t align = MAX(bs->bl.request_alignment, BDRV_SECTOR_SIZE);\n\n"
		printf "    if (offset < 0 || !bs->drv) {\n"
		printf "        return false;\n"
		printf "    }\n"
		printf "    return QEMU_IS_ALIGNED(offset, align) && (bs->open_flags & BDRV_O_RDWR);\n"
		printf "}\n\n"
		printf "#ifdef CONFIG_BDRV_OP%d\n", i
		printf "int coroutine_fn GRAPH_RDLOCK\n"
		printf "bdrv_co_op%d(BlockDriverState *bs, int64_t offset, int64_t bytes,\n", i
		printf "             QEMUIOVector *qiov, BdrvRequestFlags flags);\n"
		printf "#endif\n\n"
		printf "int %s\n", qv[i % 4 + 1]
		printf "bdrv_op%d(BlockDriverState *bs, int64_t offset, int64_t bytes,\n", i
		printf "          QEMUIOVector *qiov, BdrvRequestFlags flags);\n\n"
	}
	print "#endif /* BENCH_HEADER_H */"
}
'
}

# shape_elif N: one #if group of N branches, a declaration in each
shape_elif() {
	awk -v n="$1" 'BEGIN {
		print "#if BENCH_B == 0"
		for (i = 0; i < n; i++) {
			if (i)
				printf "#elif BENCH_B == %d\n", i
			printf "int co_wrapper bdrv_alt%d(BlockDriverState *bs, int64_t offset);\n", i
		}
		print "#endif"
	}'
}

# shape_params N: one declaration with N parameters
shape_params() {
	awk -v n="$1" 'BEGIN {
		printf "int co_wrapper bdrv_wide(BlockDriverState *bs"
		for (i = 0; i < n; i++)
			printf ",\n    int64_t p%d", i
		print ");"
	}'
}

# shape_nest N: a declaration inside N nested #if
shape_nest() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "#if BENCH_LEVEL > %d\n", i
		print "int co_wrapper bdrv_deep(BlockDriverState *bs, int64_t offset);"
		for (i = 0; i < n; i++)
			print "#endif"
	}'
}

# shape_decls N: N one-line QEMU-style declarations (the synth above)
shape_decls() {
	synth qemu "$1" && cat "$W/qemu-$1.h"
}

# peak_kb FILE: peak resident memory of cowrap-gen on FILE, in kB, the
# median of $PEAK_RUNS runs ("" if GNU time is not installed).  Most of
# a small run's peak is the pages of the program and the C library, and
# how many of those a run touches varies by a hundred kB or so between
# runs: one run is not enough to subtract the floor from.
PEAK_RUNS=${GEN_BENCH_PEAK_RUNS:-5}
peak_kb() {
	local i
	if [ -x /usr/bin/time ]; then
		for i in $(seq "$PEAK_RUNS"); do
			/usr/bin/time -f %M "$COWRAP_GEN" --flavor=qemu \
				-o "$W/peak.c" "$1" 2>&1 >/dev/null | tail -1
		done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
	fi
}

# the floor: peak memory of cowrap-gen on a one-line input (the program
# itself, the C library, the stack), for the table; the memory goals are
# about what an input costs on top of the same shape at size 1 (which
# also has the pages of the code that shape runs)
printf 'int x;\n' >"$W/floor.h"
floor=$(peak_kb "$W/floor.h")

# what at 1x: header 625 declarations, elif 2,000 branches, params 6,250,
# nest 1,000 levels, decls 2,500; 16x is the size the issue names
SHAPES="header:625 elif:2000 params:6250 nest:1000 decls:2500"
echo
echo "scaling, cowrap-gen --flavor=qemu, CPU ms (user+system, best of $RUNS; wall"
echo "time on a shared machine mostly measures the others); linear growth is x4 per step;"
echo "peak/in is peak memory (median of $PEAK_RUNS runs) over the input size (a one-line"
echo "input takes ${floor:-?} kB); net/in, what the memory goals are about, leaves out the"
echo "peak of the same shape at size 1 (\"size 1\")"
printf "%-8s %9s %7s %7s %7s %8s %8s %9s %9s %8s %8s %7s\n" shape "16x size" "1x" "4x" "16x" \
	"1x->4x" "4x->16x" "wall 16x" "peak 16x" "peak/in" "size 1" "net/in"
goals=""
for sh in $SHAPES; do
	name=${sh%%:*} base=${sh#*:}
	for k in 1 4 16; do
		"shape_$name" $((base * k)) >"$W/shape-$name-$k.h"
		best_us "$COWRAP_GEN" --flavor=qemu -o "$W/shape-$name-$k.c" \
			"$W/shape-$name-$k.h"
		eval "t_$k=$CPU_US w_$k=$WALL_US"
	done
	size=$(wc -c <"$W/shape-$name-16.h")
	peak=$(peak_kb "$W/shape-$name-16.h")
	"shape_$name" 1 >"$W/shape-$name-one.h"
	one=$(peak_kb "$W/shape-$name-one.h")
	# shellcheck disable=SC2154
	awk -v n="$name" -v s="$size" -v a="$t_1" -v b="$t_4" -v c="$t_16" \
		-v w="$w_16" -v p="${peak:-0}" -v f="${one:-0}" 'BEGIN {
		printf "%-8s %8.1fM %7.0f %7.0f %7.0f %7s %7.1fx %9.1f %9s %8s %8s %7s\n",
			n, s / 1e6, a / 1000, b / 1000, c / 1000,
			a ? sprintf("%.1fx", b / a) : "-", b ? c / b : 0, w / 1000,
			p ? sprintf("%.1fM", p * 1024 / 1e6) : "?",
			p ? sprintf("%.2f", p * 1024 / s) : "?",
			f ? sprintf("%.1fM", f * 1024 / 1e6) : "?",
			p && f ? sprintf("%.2f", (p - f) * 1024 / s) : "?" }'
	goals="$goals$(awk -v n="$name" -v b="$t_4" -v c="$t_16" 'BEGIN {
		g = b ? c / b : 0
		printf "goal: linear-%s measured=x%.1f target<=x5.0 %s", n, g,
			(g <= 5 ? "met" : "missed") }')
"
	goals="$goals$(awk -v n="$name" -v s="$size" -v p="${peak:-0}" \
		-v f="${one:-0}" 'BEGIN {
		if (!p || !f) {
			printf "goal: %s-peak-memory measured=unknown target<=2.00x missed (no /usr/bin/time)", n
			exit
		}
		r = (p - f) * 1024 / s
		printf "goal: %s-peak-memory measured=%.2fx target<=2.00x %s (%.1f MB over the %.1f MB of the shape at size 1, for %.1f MB; %.2fx with it)",
			n, r, (r <= 2 ? "met" : "missed"), (p - f) * 1024 / 1e6,
			f * 1024 / 1e6, s / 1e6, p * 1024 / s }')
"
done

# the script on every shape at 16x, in the same run
SRUNS=${GEN_BENCH_SCRIPT_RUNS:-3}
HRUNS=${GEN_BENCH_HEADER_PAIRS:-9}
run_script() {
	python3 "$QEMU_SRC/scripts/block-coroutine-wrapper.py" \
		"$W/shape-$name-16-py.c" "$in"
}
run_gen() {
	"$COWRAP_GEN" --flavor=qemu -o "$W/shape-$name-16.c" "$in"
}
if have_script; then
	echo
	echo "16x inputs: block-coroutine-wrapper.py vs cowrap-gen --flavor=qemu, $SRUNS runs of each"
	echo "($HRUNS on header)"
	echo "interleaved (script, cowrap-gen, script, ...), medians in ms; ratio: median over"
	echo "the pairs of the script's wall time over cowrap-gen's"
	printf "%-8s %12s %12s %12s %12s %8s %7s  %s\n" shape "script wall" "script cpu" \
		"gen wall" "gen cpu" ratio "cpu" "same bytes after the leading comment"
	for sh in $SHAPES; do
		name=${sh%%:*}
		in=$W/shape-$name-16.h
		k=$SRUNS
		[ "$name" != header ] || k=$HRUNS
		interleaved "$k" run_script run_gen
		if cmp -s <(sed 1,18d "$W/shape-$name-16-py.c") \
			  <(sed 1d "$W/shape-$name-16.c"); then
			same=yes
		else
			same="no (the script ignores #if)"
		fi
		awk -v n="$name" -v a="$A_WALL" -v b="$B_WALL" -v s="$same" \
			-v c="$A_CPU" -v d="$B_CPU" -v r="$RATIO_WALL" 'BEGIN {
			printf "%-8s %12.1f %12.1f %12.1f %12.1f %7.1fx %7s  %s\n", n,
				a / 1000, c / 1000, b / 1000, d / 1000, r,
				d ? sprintf("%.1fx", c / d) : "-", s }'
		if [ "$name" = header ]; then
			goals="$goals$(awk -v r="$RATIO_WALL" -v a="$A_WALL" -v b="$B_WALL" \
				-v c="$A_CPU" -v d="$B_CPU" -v k="$k" 'BEGIN {
				printf "goal: header-vs-script measured=x%.1f target>=x10.0 %s (wall, median of %d interleaved pairs: %.0f / %.0f ms; cpu x%s: %.0f / %.0f ms)",
					r, (r >= 10 ? "met" : "missed"), k, a / 1000, b / 1000,
					d ? sprintf("%.1f", c / d) : "?", c / 1000, d / 1000 }')
"
		fi
	done
else
	goals="${goals}goal: header-vs-script measured=unknown target>=x10.0 missed (set QEMU_SRC to a QEMU checkout to measure the script)
"
fi
echo
printf "%s" "$goals"

echo "(on a loaded machine wall time includes waiting for a CPU; load average"
echo " now $(cut -d' ' -f1-3 /proc/loadavg))"
