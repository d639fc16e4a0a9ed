#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tap-summary.sh FILE...: count TAP results over all suites, list the
# failures and print the closing "N passed, N failed" line; exit 1 on any
# failure or when no test ran at all.
set -uo pipefail

awk '
{ sub(/\r$/, "") }
/^[[:space:]]*not ok/ {
	failed++
	fails[failed] = FILENAME ": " $0
	next
}
/^[[:space:]]*ok.*#[[:space:]]*[Ss][Kk][Ii][Pp]/ { skipped++; next }
/^[[:space:]]*ok/ { passed++; next }
END {
	for (i = 1; i <= failed; i++)
		print "FAILED " fails[i]
	printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
	exit (failed > 0 || passed == 0) ? 1 : 0
}' "$@"
