#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-tap.sh OUT NAME -- CMD...: run a TAP-printing test suite, copy its
# output to OUT, and turn a suite that dies or prints no result into a
# counted failure.
set -uo pipefail

out=$1
name=$2
shift 3

mkdir -p "$(dirname "$out")"
"$@" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}

if [ "$status" -ne 0 ] && ! grep -qE '^[[:space:]]*not ok' "$out"; then
	echo "not ok - $name: suite exited with status $status" | tee -a "$out"
fi
if ! grep -qE '^[[:space:]]*(not )?ok' "$out"; then
	echo "not ok - $name: suite ran no test" | tee -a "$out"
	status=1
fi
exit "$status"
