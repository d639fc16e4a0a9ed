#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-sparse.sh CTXDIR [--module MODOUT]... OUT...: TAP test of sparse on
# the context corpus.  OUT is a directory filled by build-corpus.sh (one
# per kernel); MODOUT one filled by module-sparse.sh, whose build must
# succeed without any warning (sparse, compiler or objtool).  For every
# corpus file, the context warnings sparse printed must be exactly the ones
# marked in the file: "expect-sparse: check" (context check failure) or
# "expect-sparse: imbalance" (context imbalance) on the reported line.  Any
# other sparse or compiler warning in the corpus fails too.
set -uo pipefail

ctx=$1
shift
modouts=()
while [ "${1:-}" = --module ]; do
	modouts+=("$2")
	shift 2
done

. "$(dirname "$0")/../../selftests/tap.sh"

expected() {	# expected FILE: "LINE KIND" per marker
	grep -n 'expect-sparse: ' "$1" |
		sed -E 's/^([0-9]+):.*expect-sparse: ([a-z]+).*/\1 \2/' | sort -u
}

actual() {	# actual LOG NAME: "LINE KIND" per warning about NAME
	grep -E "(^|/)$2:[0-9]+:([0-9]+:)? ([Ww]arning|[Ee]rror):" "$1" |
		sed -E 's/^.*'"$2"':([0-9]+):([0-9]+:)? ([Ww]arning|[Ee]rror): (.*)$/\1 \4/' |
		sed -E 's/^([0-9]+) context check failure$/\1 check/;
			s/^([0-9]+) context imbalance in .*$/\1 imbalance/' |
		sort -u
}

for out in "$@"; do
	kver=$(basename "$out")
	log=$out/build.log
	status=$(cat "$out/build.status" 2>/dev/null || echo missing)
	tap "$([ "$status" = 0 ] && echo 0 || echo 1)" \
		"$kver: Kbuild C=2 builds the corpus" \
		"$(tail -n 20 "$log" 2>/dev/null)"
	for f in "$ctx"/*.c; do
		name=$(basename "$f")
		exp=$(expected "$f")
		act=$(actual "$log" "$name")
		if [ "$exp" = "$act" ]; then
			tap 0 "$kver: sparse $name: $(printf '%s\n' "${exp:-no warning}" | paste -sd, -)"
		else
			tap 1 "$kver: sparse $name" \
				"$(printf 'expected:\n%s\ngot:\n%s' "$exp" "$act")"
		fi
	done
	# Headers of the corpus and the annotations themselves stay clean.
	other=$(grep -E '([Ww]arning|[Ee]rror|WARNING|ERROR):' "$log" |
		grep -vE '/[a-z_]+\.c:[0-9]+:([0-9]+:)? ' || true)
	tap "$([ -z "$other" ] && echo 0 || echo 1)" \
		"$kver: no warning in corpus.h, corpus_inline.h, annotations.h" \
		"$other"
done
for modout in "${modouts[@]}"; do
	status=$(cat "$modout/build.status" 2>/dev/null || echo missing)
	warn=$(grep -E '([Ww]arning|[Ee]rror|WARNING|ERROR):' "$modout/build.log" 2>/dev/null)
	files=$(grep -c '^  CHECK ' "$modout/build.log" 2>/dev/null)
	if [ "$status" = 0 ] && [ -z "$warn" ] && [ "${files:-0}" -gt 0 ]; then
		tap 0 "module: make C=2 checks $files files, no warning ($(basename "$modout"))"
	else
		tap 1 "module: make C=2 without warning ($(basename "$modout"))" \
			"$(printf 'status %s\n%s' "$status" \
				"${warn:-$(tail -n 20 "$modout/build.log" 2>/dev/null)}")"
	fi
done
tap_done
