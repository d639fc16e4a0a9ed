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

# A debug kernel's detectors
for r in 'BUG: KASAN: slab-use-after-free in cowrap_x+0x10/0x20 [cowrap_blk]' \
	 'WARNING: possible circular locking dependency detected' \
	 'UBSAN: array-index-out-of-bounds in kmod/dev.c:10:2' \
	 'ODEBUG: free active (active state 0) object: 00000000 object type: work_struct' \
	 'list_del corruption, ffff888000000000->next is LIST_POISON1' \
	 'BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 31s!' \
	 'INFO: task blk_io_test:77 blocked for more than 120 seconds.' \
	 'rcu: INFO: rcu_sched self-detected stall on CPU' \
	 'kmemleak: Kernel memory leak detector disabled'; do
	n=$(printf '%s' "$r" | cut -c1-24 | tr -c 'A-Za-z0-9\n' _)
	check "detector_$n" 1 '^not ok - K: kernel log clean' 0 t1 \
		< <(printf '%s\ncowrap-vm: klog-begin\n[ 2.0] %s\ncowrap-vm: klog-end\ncowrap-vm: done\n' "$good_head" "$r")
done

leak_other='unreferenced object 0xffff888004c0a000 (size 64):
  comm "swapper/0", pid 1, jiffies 4294667296
  backtrace (crc 0):
    kmemleak_alloc+0x4a/0x80
    acpi_os_allocate+0x10/0x20'
leak_mine='unreferenced object 0xffff888004c0b000 (size 128):
  comm "blk_io_test", pid 80, jiffies 4294667300
  backtrace (crc 0):
    __kmalloc_noprof+0x1a0/0x3f0
    cowrap_dev_add+0x50/0x300 [cowrap_blk]'
leak_unloaded='unreferenced object 0xffff888004c0c000 (size 32):
  comm "coroutine_test", pid 90, jiffies 4294667400
  backtrace (crc 0):
    __kmalloc_noprof+0x1a0/0x3f0
    0xffffffffc0a01234'
check kmemleak_clean 0 '^ok - K: kmemleak: no leak involving cowrap \(1 suspected, 0' 0 t1 \
	< <(printf '%s\ncowrap-vm: kmemleak-begin\n%s\ncowrap-vm: kmemleak-end\n%s\n' "$good_head" "$leak_other" "$tail_ok")
check kmemleak_cowrap 1 '^not ok - K: kmemleak: no leak involving cowrap \(2 suspected, 1' 0 t1 \
	< <(printf '%s\ncowrap-vm: kmemleak-begin\n%s\n%s\ncowrap-vm: kmemleak-end\n%s\n' "$good_head" "$leak_other" "$leak_mine" "$tail_ok")
check kmemleak_unloaded 1 '^# kmemleak:     0xffffffffc0a01234' 0 t1 \
	< <(printf '%s\ncowrap-vm: kmemleak-begin\n%s\ncowrap-vm: kmemleak-end\n%s\n' "$good_head" "$leak_unloaded" "$tail_ok")
leak_slub='unreferenced object 0xffff8880052c5540 (size 8):
  comm "faultinj_test", pid 2008, jiffies 4295032092
  backtrace (crc ccd4394e):
    kstrdup+0x2d/0x60
    kobject_set_name_vargs+0x3f/0x110
    kobject_init_and_add+0xbb/0x130
    sysfs_slab_add+0x184/0x1e0
    cowrap_alloc_disk+0x1ea/0x290 [cowrap_blk]'
check kmemleak_known 0 '^ok - K: kmemleak: no leak involving cowrap \(1 suspected, 0 involving cowrap, 1 known' 0 t1 \
	< <(printf '%s\ncowrap-vm: kmemleak-begin\n%s\ncowrap-vm: kmemleak-end\n%s\n' "$good_head" "$leak_slub" "$tail_ok")
check kmemleak_empty 0 '^ok - K: kmemleak: no leak involving cowrap \(0 suspected' 0 t1 \
	< <(printf '%s\ncowrap-vm: kmemleak-begin\ncowrap-vm: kmemleak-end\n%s\n' "$good_head" "$tail_ok")

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
