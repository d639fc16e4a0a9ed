#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-tsa.sh SRCTREE: TAP comparison of clang's -Wthread-safety with the
# context corpus (annotations.h in its COWRAP_TSA mode, userspace
# stand-ins of the few kernel headers the corpus uses, syntax only).  The
# expected warnings of a file are its "expect-tsa:" markers when it has
# any, else its "expect-sparse:" markers.
set -uo pipefail

src=$1
ctx=$src/tools/context
n=0
fail=0
echo "TAP version 13"

markers() {	# markers FILE TAG
	grep -n "$2: " "$1" |
		sed -E "s/^([0-9]+):.*$2: ([a-z]+).*/\\1 \\2/" | sort -u
}

for f in "$ctx"/*.c; do
	name=$(basename "$f")
	exp=$(markers "$f" expect-tsa)
	[ -z "$exp" ] && exp=$(markers "$f" expect-sparse)
	got=$(cd "$ctx" && clang -fsyntax-only -Wall -Wthread-safety \
		-DCOWRAP_TSA -Itsa -include tsa/prelude.h -I"$src/include" -I. \
		"$name" 2>&1)
	act=$(printf '%s\n' "$got" |
		grep -E "^$name:[0-9]+:[0-9]+: (warning|error):" |
		sed -E 's/^[^:]*:([0-9]+):[0-9]+: (warning|error): (.*)$/\1 \3/' |
		sed -E 's/^([0-9]+) (calling function|cannot call function) .*/\1 check/;
			s/^([0-9]+) .*(not held on every path|to be held at the end|already held|that was not held).*/\1 imbalance/' |
		sort -u)
	n=$((n + 1))
	if [ "$exp" = "$act" ]; then
		echo "ok $n - clang -Wthread-safety $name: $(printf '%s\n' "${exp:-no warning}" | paste -sd, -)"
	else
		echo "not ok $n - clang -Wthread-safety $name"
		printf 'expected:\n%s\ngot:\n%s\n' "$exp" "$got" | sed 's/^/# /'
		fail=1
	fi
done
echo "1..$n"
exit $fail
