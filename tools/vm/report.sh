#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh CONSOLE_LOG KVER QEMU_STATUS TIMEOUT PROGRAM...: turn a guest's
# console log into TAP lines, one per test case plus the run's own checks
# (module loaded, guest powered off, kernel log clean). Exit 1 on failure.
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
	exit failed ? 1 : 0
}'
