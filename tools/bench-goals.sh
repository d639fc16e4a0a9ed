#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-goals.sh KVER=CONSOLE_LOG...: the goal lines the benchmarks of
# each kernel's guest printed, in the order given, as the last lines of
# "make bench".  A goal line is exactly
#
#   goal: NAME measured=X target=Y met|missed
#
# (NAME, X and Y without spaces; Documentation/blkdev.rst, "Benchmark").
# NAME gets the kernel's release as its first component ("KVER/...") if
# the guest did not put it there.  A kernel whose log holds no goal line
# (no log, the guest crashed, ...) gets "goal: KVER/goal-lines measured=0
# target=>=1 missed".  Malformed "goal:" lines are reported before the
# goals and make the exit status 1; missed goals do not: a benchmark is
# not a test.
set -uo pipefail

re='^goal: ([^ ]+) measured=[^ ]+ target=[^ ]+ (met|missed)$'
status=0
lines=()
for arg in "$@"; do
	kver=${arg%%=*}
	log=${arg#*=}
	found=0
	while IFS= read -r l; do
		if [[ $l =~ $re ]]; then
			name=${BASH_REMATCH[1]}
			[[ $name == "$kver"/* ]] || l="goal: $kver/${l#goal: }"
			lines+=("$l")
			found=$((found + 1))
		else
			echo "# $kver: malformed goal line: $l"
			status=1
		fi
	done < <({ tr -d '\r' < "$log"; } 2>/dev/null | grep '^goal:')
	if [ "$found" -eq 0 ]; then
		echo "# $kver: no goal line in ${log}"
		lines+=("goal: $kver/goal-lines measured=0 target=>=1 missed")
	fi
done
met=0
for l in "${lines[@]}"; do
	[[ $l == *" met" ]] && met=$((met + 1))
done
echo "goals: $met of ${#lines[@]} met"
printf '%s\n' "${lines[@]}"
exit $status
