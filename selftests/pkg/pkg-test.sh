#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pkg-test.sh SRCTREE OUT KVER KO: install into a scratch DESTDIR, check
# what landed where, uninstall, check it is gone; check modinfo.
set -uo pipefail

src=$1
out=$2
kver=$3
ko=$4
dest=$out/dest
prefix=/usr
n=0
fail=0

result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=1
	fi
}

echo "TAP version 13"
rm -rf "$out"
mkdir -p "$dest"

make -C "$src" --no-print-directory -s _install KVER="$kver" \
	DESTDIR="$dest" PREFIX="$prefix" > "$out/install.log" 2>&1
st=$?
[ $st -eq 0 ] || sed 's/^/# /' "$out/install.log"
result $st "make install DESTDIR=... succeeds"

mod=$(find "$dest/lib/modules/$kver/updates" -name 'cowrap_blk.ko*' 2>/dev/null | head -n 1)
[ -n "$mod" ]
result $? "module installed under lib/modules/$kver/updates"
grep -q 'cowrap_blk' "$dest/lib/modules/$kver/modules.dep" 2>/dev/null
result $? "depmod ran on the DESTDIR tree"
for b in cowrapctl cowrap-gen; do
	[ -x "$dest$prefix/bin/$b" ]
	result $? "$b installed in PREFIX/bin"
done
man=$(ls "$src"/Documentation/man/*.[0-9] 2>/dev/null | wc -l)
inst=$(find "$dest$prefix/share/man" -type f 2>/dev/null | wc -l)
[ "$man" -gt 0 ] && [ "$man" -eq "$inst" ]
result $? "all $man man pages installed"
[ -f "$dest/lib/udev/rules.d/60-cowrap.rules" ]
result $? "udev rule installed"
[ ! -e /lib/modules/$kver/updates/cowrap_blk.ko ] || [ -n "${COWRAP_SYSTEM_INSTALLED:-}" ]
result $? "nothing written outside DESTDIR"

make -C "$src" --no-print-directory -s _uninstall KVER="$kver" \
	DESTDIR="$dest" PREFIX="$prefix" > "$out/uninstall.log" 2>&1
st=$?
[ $st -eq 0 ] || sed 's/^/# /' "$out/uninstall.log"
result $st "make uninstall DESTDIR=... succeeds"
left=$(find "$dest" -type f ! -name 'modules.*' | wc -l)
[ "$left" -eq 0 ] || find "$dest" -type f ! -name 'modules.*' | sed 's/^/# left: /'
result $([ "$left" -eq 0 ]; echo $?) "uninstall removes every installed file"

info=$(modinfo "$ko")
for f in description version license author; do
	echo "$info" | grep -Eq "^$f:[[:space:]]+[^[:space:]]"
	result $? "modinfo shows $f"
done
echo "$info" | grep -q '^license:[[:space:]]*GPL$'
result $? "modinfo license is GPL"
# Every parameter carries a description ("parm: name:desc (type)").
nodesc=$(echo "$info" | grep '^parm:' | grep -Ev '^parm:[[:space:]]+[a-z_0-9]+:[^(]*[a-zA-Z][^(]*\(' || true)
[ -z "$nodesc" ] || echo "$nodesc" | sed 's/^/# no description: /'
result $([ -z "$nodesc" ]; echo $?) "every module parameter has a description"

echo "1..$n"
exit $fail
