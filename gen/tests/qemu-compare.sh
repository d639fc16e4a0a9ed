#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# qemu-compare.sh QEMU_SRC COWRAP_GEN WORKDIR HEADER...: run QEMU's
# scripts/block-coroutine-wrapper.py and "cowrap-gen --flavor=qemu" on the
# same inputs and compare their output byte for byte after the leading
# comment (each generator writes its own).
#
# - QEMU's own block_gen_c inputs (read from block/meson.build): identical.
# - Each HEADER without "qemu-script:" comments: identical.
# - Each HEADER with them (the strictness cases): checked one declaration
#   at a time.  A declaration is the lines from its
#   "/* qemu-script: OUTCOME: REASON */" comment to the next blank line;
#   the script must show OUTCOME ("skipped": no wrapper, "wrong": a wrapper
#   that differs from cowrap-gen's, "fails": an error exit) and cowrap-gen
#   must generate the wrapper.  So every known difference is accounted for
#   explicitly, and a script that learns to handle a case makes the test
#   fail until the expectation is updated.
#
# Prints one "ok - ..." / "not ok - ..." line per comparison (run.sh
# numbers them).

set -u
Q=$1 GEN=$2 W=$3
shift 3
PY=$Q/scripts/block-coroutine-wrapper.py

# body FILE: FILE without its leading comment (the lines up to the first
# one that ends it); fails when FILE does not start with a comment
body() {
	awk 'NR == 1 && !/^\/\*/ { exit 1 }
	     done { print; next }
	     /\*\// { done = 1 }
	     END { if (!done) exit 1 }' "$1"
}

# run_both NAME DIR INPUT...: both generators on the inputs (in DIR);
# sets py_rc and cg_rc, output in $W/NAME-py.c and $W/NAME-cg.c
run_both() {
	name=$1 dir=$2
	shift 2
	rm -f "$W/$name-py.c" "$W/$name-cg.c"
	(cd "$dir" && python3 "$PY" "$W/$name-py.c" "$@") \
		>"$W/$name-py.log" 2>&1
	py_rc=$?
	(cd "$dir" && "$GEN" --flavor=qemu -o "$W/$name-cg.c" "$@") \
		>"$W/$name-cg.log" 2>&1
	cg_rc=$?
}

same() {	# same NAME: the outputs after the leading comment are equal
	body "$W/$1-py.c" >"$W/$1-py.body" &&
	body "$W/$1-cg.c" >"$W/$1-cg.body" &&
	cmp -s "$W/$1-py.body" "$W/$1-cg.body"
}

show_diff() {	# show_diff NAME: the first differences (tabs, trailing blanks shown)
	diff -u "$W/$1-py.body" "$W/$1-cg.body" | head -30 | cat -A |
		sed 's/^/# /'
}

wrappers() {	# wrappers FILE: how many wrappers FILE holds
	grep -c "Wrappers for" "$1"
}

compare() {	# compare NAME DIR INPUT...: require identical output
	name=$1
	run_both "$@"
	if [ $py_rc != 0 ]; then
		echo "not ok - qemu compare: $name: the script failed"
		sed 's/^/# /' "$W/$name-py.log" | tail -5
	elif [ $cg_rc != 0 ]; then
		echo "not ok - qemu compare: $name: cowrap-gen failed"
		sed 's/^/# /' "$W/$name-cg.log" | head -5
	elif same "$name"; then
		echo "ok - qemu compare: $name: byte-identical to block-coroutine-wrapper.py after the leading comment ($(wrappers "$W/$name-py.c") wrappers, $(wc -c <"$W/$name-py.body") bytes)"
	else
		echo "not ok - qemu compare: $name differs from block-coroutine-wrapper.py"
		show_diff "$name"
	fi
}

# script_outcome NAME: what the script did with the last run_both
script_outcome() {
	if [ $py_rc != 0 ]; then
		echo fails
	elif [ "$(wrappers "$W/$1-py.c")" = 0 ]; then
		echo skipped
	elif same "$1"; then
		echo identical
	else
		echo wrong
	fi
}

# strict_one HEADER CHUNK_FILE WANT REASON
strict_one() {
	base=$(basename "$1" .h)
	decl=$(grep -v 'qemu-script:' "$2" | grep -o '[A-Za-z_][A-Za-z0-9_]*(' |
		head -1 | tr -d '(')
	name=$base-$decl
	run_both "$name" "$(dirname "$2")" "$(basename "$2")"
	if [ $cg_rc != 0 ] || [ "$(wrappers "$W/$name-cg.c")" != 1 ]; then
		echo "not ok - qemu compare: $base: $decl: cowrap-gen did not generate it"
		sed 's/^/# /' "$W/$name-cg.log" | head -5
		return
	fi
	got=$(script_outcome "$name")
	if [ "$got" = "$3" ]; then
		echo "ok - qemu compare: $base: $decl: script $got as expected ($4); cowrap-gen generates it"
	else
		echo "not ok - qemu compare: $base: $decl: script $got, expected $3 ($4)"
		sed 's/^/# /' "$W/$name-py.log" | tail -3
	fi
}

# strict HEADER: split at "qemu-script:" comments, check each declaration
strict() {
	dir=$W/strict-$(basename "$1" .h)
	rm -rf "$dir"
	mkdir -p "$dir"
	awk -v dir="$dir" '
		/\/\* qemu-script: / { n++; f = sprintf("%s/d%02d.h", dir, n) }
		/^[ \t\r]*$/ { f = "" }
		f { print > f }' "$1"
	found=0
	for c in "$dir"/d*.h; do
		[ -e "$c" ] || continue
		found=1
		meta=$(sed -n 's|.*/\* qemu-script: \([a-z]*\): \(.*\) \*/.*|\1\t\2|p' "$c")
		want=$(printf '%s\n' "$meta" | cut -f1)
		reason=$(printf '%s\n' "$meta" | cut -f2)
		case $want in
		skipped|wrong|fails) strict_one "$1" "$c" "$want" "$reason" ;;
		*) echo "not ok - qemu compare: $(basename "$c"): bad qemu-script outcome '$want'" ;;
		esac
	done
	[ $found = 1 ] || echo "not ok - qemu compare: no declarations in $1"
}

# QEMU's own inputs, as listed for block_gen_c in block/meson.build
inputs=$(sed -n '/block_gen_c/,/command:/p' "$Q/block/meson.build" |
	grep -o "'[^']*\.h'" | tr -d "'")
if [ -z "$inputs" ]; then
	echo "not ok - qemu compare: no block_gen_c inputs found in $Q/block/meson.build"
else
	# shellcheck disable=SC2086
	compare qemu-block-gen "$Q/block" $inputs
fi
for h in "$@"; do
	if grep -q 'qemu-script: ' "$h"; then
		strict "$h"
	else
		compare "$(basename "$h" .h)" "$(dirname "$h")" "$(basename "$h")"
	fi
done
