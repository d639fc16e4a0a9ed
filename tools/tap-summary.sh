#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tap-summary.sh FILE...: count TAP results over all suites, list the
# failures and skips, and print the closing "N passed, N failed" line
# (skipped cases are counted on the line before it, in neither number);
# exit 1 on any failure or when no test ran at all.
set -uo pipefail

awk '
{ sub(/\r$/, "") }
/^[[:space:]]*not ok/ {
	failed++
	fails[failed] = FILENAME ": " $0
	next
}
/^[[:space:]]*ok.*#[[:space:]]*[Ss][Kk][Ii][Pp]/ {
	skipped++
	skips[skipped] = FILENAME ": " $0
	next
}
/^[[:space:]]*ok/ { passed++; next }
END {
	for (i = 1; i <= failed; i++)
		print "FAILED " fails[i]
	for (i = 1; i <= skipped; i++)
		print "SKIPPED " skips[i]
	printf "%d skipped\n", skipped
	printf "%d passed, %d failed\n", passed, failed
	exit (failed > 0 || passed == 0) ? 1 : 0
}' "$@"
