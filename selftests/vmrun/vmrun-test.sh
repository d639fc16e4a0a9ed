#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmrun-test.sh REPORT OUTDIR SUMMARY: feed synthetic guest console logs to
# the VM runner's report.sh and boot-crashed.sh and synthetic TAP files to
# tap-summary.sh, and check that they pass and fail what they should.
set -uo pipefail

report=$1
out=$2
summary=$3
mkdir -p "$out"
. "$(dirname "$0")/../tap.sh"

# check NAME WANT_STATUS WANT_REGEX QEMU_STATUS PROGRAMS... < log
check() {
	local name=$1 want=$2 re=$3 qs=$4
	shift 4
	cat > "$out/$name.log"
	"$report" "$out/$name.log" K "$qs" 600 "$@" > "$out/$name.tap"
	local got=$?
	[ "$got" -eq "$want" ] && grep -Eq "$re" "$out/$name.tap"
	tap $? "report: $name" "status $got, want $want
$(cat "$out/$name.tap")"
}

good_head='cowrap-vm: insmod status=0
cowrap-vm: begin-test t1
ok 1 alpha
cowrap-vm: end-test t1 status=0'
tail_ok='cowrap-vm: klog-begin
[    1.0] cowrap: version 0.1.0 loaded
cowrap-vm: klog-end
cowrap-vm: done'


check clean 0 '^ok - K: kernel log clean' 0 t1 \
	< <(printf '%s\n%s\n' "$good_head" "$tail_ok")
check warning 1 '^not ok - K: kernel log clean' 0 t1 \
	< <(printf '%s\ncowrap-vm: klog-begin\n[ 2.0] WARNING: CPU: 0 PID: 1 at x\ncowrap-vm: klog-end\ncowrap-vm: done\n' "$good_head")
check expected_warning 0 '^ok - K: kernel log clean' 0 t1 \
	< <(printf '%s\ncowrap-vm: klog-begin\n[ 2.0] cowrap-selftest: expect-warning begin\n[ 2.1] WARNING: CPU: 0 PID: 1 at x\n[ 2.2] cowrap-selftest: expect-warning end\ncowrap-vm: klog-end\ncowrap-vm: done\n' "$good_head")
check oops 1 'not ok - K: kernel log clean' 0 t1 \
	< <(printf '%s\ncowrap-vm: klog-begin\n[ 2.0] BUG: kernel NULL pointer dereference\ncowrap-vm: klog-end\ncowrap-vm: done\n' "$good_head")
check crashed_binary 1 'not ok - K: t1: exited with status 139' 0 t1 \
	< <(printf 'cowrap-vm: insmod status=0\ncowrap-vm: begin-test t1\nok 1 a\ncowrap-vm: end-test t1 status=139\n%s\n' "$tail_ok")
check missing_program 1 'not ok - K: t2: did not run' 0 t1 t2 \
	< <(printf '%s\n%s\n' "$good_head" "$tail_ok")
check timeout 1 'not ok - K: guest did not power off' 124 t1 \
	< <(printf 'cowrap-vm: insmod status=0\ncowrap-vm: begin-test t1\nok 1 a\n')
check failing_case 1 'not ok - K: t1: a' 0 t1 \
	< <(printf 'cowrap-vm: insmod status=1\ncowrap-vm: begin-test t1\nnot ok 1 a\ncowrap-vm: end-test t1 status=1\n%s\n' "$tail_ok")
check no_result 1 'not ok - K: t1: printed no test result' 0 t1 \
	< <(printf 'cowrap-vm: insmod status=0\ncowrap-vm: begin-test t1\ncowrap-vm: end-test t1 status=0\n%s\n' "$tail_ok")

# sum NAME WANT_STATUS WANT_LAST_LINE WANT_REGEX TAP... : tap-summary.sh
# over files holding each TAP argument
sum() {
	local name=$1 want=$2 last=$3 re=$4 i=0 f files=()
	shift 4
	for f in "$@"; do
		i=$((i + 1))
		printf '%b' "$f" > "$out/$name.$i.tap"
		files+=("$out/$name.$i.tap")
	done
	"$summary" "${files[@]}" > "$out/$name.sum"
	local got=$?
	[ "$got" -eq "$want" ] && [ "$(tail -n 1 "$out/$name.sum")" = "$last" ] &&
		grep -Eq "$re" "$out/$name.sum"
	tap $? "summary: $name" "status $got, want $want
$(cat "$out/$name.sum")"
}

sum pass_and_skip 0 '2 passed, 0 failed' '^1 skipped$' \
	'ok 1 - a\nok 2 - b # SKIP no checkout\n' 'ok 1 - c\n'
sum one_failure 1 '1 passed, 1 failed' '^FAILED .*not ok 2 - b' \
	'ok 1 - a\nnot ok 2 - b\n'
sum nothing_ran 1 '0 passed, 0 failed' '^0 skipped$' 'TAP version 13\n'

# crashed NAME WANT_STATUS < log: boot-crashed.sh (next to REPORT)
crashed() {
	cat > "$out/$1.log"
	"$(dirname "$report")/boot-crashed.sh" "$out/$1.log"
	local got=$?
	[ "$got" -eq "$2" ]
	tap $? "boot-crashed: $1" "status $got, want $2"
}

crashed before_init 0 < <(printf '[ 2.4] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI\n[ 2.5] Kernel panic - not syncing: Fatal exception in interrupt\n')
crashed after_init 1 < <(printf 'cowrap-vm: kernel K mode check\n[ 9.0] BUG: kernel NULL pointer dereference\n')
crashed bug_then_init 1 < <(printf '[ 2.0] BUG: sleeping function called from invalid context\ncowrap-vm: kernel K mode check\n')
crashed clean_boot 1 < <(printf '%s\n%s\n' "$good_head" "$tail_ok")

tap_done
