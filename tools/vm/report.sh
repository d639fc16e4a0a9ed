#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh CONSOLE_LOG KVER QEMU_STATUS TIMEOUT PROGRAM...: turn a guest's
# console log into TAP lines, one per test case plus the run's own checks
# (module loaded, guest powered off, kernel log clean, and on a kernel with
# kmemleak: no leak that involves cowrap). Exit 1 on failure.
#
# "Bad" kernel log lines: what Debian's kernels print on a crash or a
# warning, and the reports of a debug kernel's detectors (KASAN and the
# workqueue watchdog print "BUG:", lockdep "WARNING:", UBSAN "UBSAN:",
# debugobjects "ODEBUG:", DEBUG_LIST "list_add/list_del corruption", the
# hung-task detector "blocked for more than", RCU "stall", kmemleak that it
# turned itself off).
set -uo pipefail

log=$1
kver=$2
qstatus=$3
tmo=$4
shift 4

tr -d '\r' < "$log" | awk -v kver="$kver" -v qstatus="$qstatus" \
	-v tmo="$tmo" -v progs="$*" '
BEGIN {
	n = split(progs, plist, " ")
	bad = "BUG:|WARNING:|Oops|general protection|soft lockup|hung task|refcount_t|list_add corruption"
	bad = bad "|list_del corruption|kernel BUG at|UBSAN:|ODEBUG:|blocked for more than"
	bad = bad "|detected stalls? on CPU|self-detected stall|Kernel panic"
	bad = bad "|leak detector disabled|Cannot allocate a kmemleak_object|kmemleak: Memory pool empty"
}
# Leaks of the kernel itself that cowrap only triggers, under fault
# injection: mm/slub.c sysfs_slab_add() does not kobject_put() when
# kobject_init_and_add() fails, so the kobject name of a new slab cache
# (bio-<size> for the bio_set of a disk) is lost. Counted, not failed.
function leak_known(r) {
	return r ~ /sysfs_slab_add/ && r ~ /kobject_set_name_vargs/
}
function leak_end() {
	if (rec != "" && mine && leak_known(rec)) {
		nknown++
		mine = 0
	}
	if (rec != "" && mine) {
		nmine++
		if (nmine <= 5)
			leakrec[nmine] = rec
	}
	rec = ""
	mine = 0
}
function emit(ok, what) {
	printf "%s - %s: %s\n", ok ? "ok" : "not ok", kver, what
	if (!ok)
		failed++
}
/^cowrap-vm: insmod status=/ {
	split($0, a, "=")
	insmod = a[2]
	next
}
/^cowrap-vm: begin-test / {
	cur = $3
	begun[cur] = 1
	nres[cur] = 0
	nfail[cur] = 0
	next
}
/^cowrap-vm: end-test / {
	split($4, a, "=")
	status[cur] = a[2]
	ended[cur] = 1
	cur = ""
	next
}
/^cowrap-vm: done/ { done = 1 }
# The kmemleak dump: records start with "unreferenced object"; one involves
# cowrap when any of its lines names cowrap (a frame in cowrap_blk or
# cowrap_test, the comm of a cowrap worker) or has a frame of no module left
# loaded (a bare address: it may be in cowrap_test.ko, unloaded by then).
/^cowrap-vm: kmemleak-begin/ { inleak = 1; kmemleak = 1; next }
/^cowrap-vm: kmemleak-end/ { leak_end(); inleak = 0; next }
inleak {
	if ($0 ~ /^unreferenced object /) {
		leak_end()
		nleaks++
		rec = $0
		mine = 0
	} else {
		rec = rec "\n" $0
		if ($0 ~ /cowrap/ || $0 ~ /^[[:space:]]+0xffffffff[0-9a-f]+$/)
			mine = 1
	}
	next
}
/cowrap-selftest: expect-warning begin/ { expect = 1 }
/cowrap-selftest: expect-warning end/ { expect = 0 }
cur != "" && /^[[:space:]]*(not )?ok / {
	line = $0
	sub(/^[[:space:]]*/, "", line)
	isok = line !~ /^not ok/
	sub(/^(not )?ok [0-9]* *-? */, "", line)
	emit(isok, cur ": " line)
	nres[cur]++
	if (!isok)
		nfail[cur]++
	next
}
cur == "" && !expect && $0 ~ bad && $0 !~ /^cowrap-vm:/ {
	if (nbad < 20)
		badlines[++nbad] = $0
	else
		nbad++
}
END {
	emit(insmod == "0", "insmod cowrap_blk.ko" (insmod == "" ? " (no answer)" : " status " insmod))
	for (i = 1; i <= n; i++) {
		p = plist[i]
		if (!(p in begun))
			emit(0, p ": did not run")
		else if (!(p in ended))
			emit(0, p ": did not finish")
		else if (status[p] != 0 && nfail[p] == 0)
			emit(0, p ": exited with status " status[p])
		else if (nres[p] == 0)
			emit(0, p ": printed no test result")
	}
	if (qstatus == 124 || qstatus == 137)
		emit(0, "guest did not power off within " tmo " s")
	else
		emit(done && qstatus == 0, "guest powered off (qemu status " qstatus ")")
	for (i = 1; i <= nbad && i <= 20; i++)
		print "# kernel log: " badlines[i]
	emit(nbad == 0, "kernel log clean" (nbad ? " (" nbad " bad lines)" : ""))
	if (kmemleak) {
		for (i = 1; i <= nmine && i <= 5; i++) {
			m = split(leakrec[i], rl, "\n")
			for (j = 1; j <= m; j++)
				print "# kmemleak: " rl[j]
		}
		emit(nmine == 0, "kmemleak: no leak involving cowrap (" nleaks + 0 \
		     " suspected, " nmine + 0 " involving cowrap, " nknown + 0 \
		     " known kernel leaks)")
	}
	exit failed ? 1 : 0
}'
