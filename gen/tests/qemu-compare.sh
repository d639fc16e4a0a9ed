#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# qemu-compare.sh QEMU_SRC COWRAP_GEN WORKDIR HEADER...: run QEMU's
# scripts/block-coroutine-wrapper.py and "cowrap-gen --flavor=qemu" on the
# same inputs (QEMU's own block_gen_c inputs from block/meson.build, then
# each HEADER) and require identical output after removing comments and
# normalising whitespace (runs collapsed; spaces next to punctuation
# dropped, so "T * f" equals "T *f").  Prints one "ok - ..." / "not ok - ..." line per
# comparison (run.sh numbers them).

set -u
Q=$1 GEN=$2 W=$3
shift 3

normalise() {
	python3 -c '
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
s = re.sub(r"/\*.*?\*/", " ", s, flags=re.S)
s = re.sub(r"//[^\n]*", " ", s)
s = " ".join(s.split())
# token level: a space matters only between two word characters
s = re.sub(r" ?([^\w ]) ?", r"\1", s)
print(s)' "$1"
}

compare() {	# compare NAME DIR INPUT...
	name=$1 dir=$2
	shift 2
	if ! (cd "$dir" && python3 "$Q/scripts/block-coroutine-wrapper.py" \
		"$W/$name-py.c" "$@") >"$W/$name-py.log" 2>&1; then
		echo "not ok - qemu compare: $name: the script failed"
		sed 's/^/# /' "$W/$name-py.log" | tail -5
		return
	fi
	if ! (cd "$dir" && "$GEN" --flavor=qemu -o "$W/$name-cg.c" "$@") \
		>"$W/$name-cg.log" 2>&1; then
		echo "not ok - qemu compare: $name: cowrap-gen failed"
		sed 's/^/# /' "$W/$name-cg.log" | head -5
		return
	fi
	normalise "$W/$name-py.c" >"$W/$name-py.norm"
	normalise "$W/$name-cg.c" >"$W/$name-cg.norm"
	if cmp -s "$W/$name-py.norm" "$W/$name-cg.norm"; then
		echo "ok - qemu compare: $name: identical to block-coroutine-wrapper.py ($(grep -c "Wrappers for" "$W/$name-py.c") wrappers)"
	else
		echo "not ok - qemu compare: $name differs from block-coroutine-wrapper.py"
		tr ';' '\n' <"$W/$name-py.norm" >"$W/$name-py.lines"
		tr ';' '\n' <"$W/$name-cg.norm" >"$W/$name-cg.lines"
		diff "$W/$name-py.lines" "$W/$name-cg.lines" | head -20 | sed 's/^/# /'
	fi
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
	compare "$(basename "$h" .h)" "$(dirname "$h")" "$(basename "$h")"
done
