# SPDX-License-Identifier: GPL-2.0
#
# TAP 13 for the shell test scripts, the counterpart of harness.h: source
# it, report each case with "tap STATUS DESC [DIAG]" (STATUS 0 is a pass,
# DIAG is printed as "# " lines on a failure) and end with "tap_done",
# which prints the plan and exits non-zero when anything failed.

tap_n=0
tap_failed=0
echo "TAP version 13"

tap() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/# /'
		tap_failed=1
	fi
	return 0
}

tap_done() {
	echo "1..$tap_n"
	exit $tap_failed
}
