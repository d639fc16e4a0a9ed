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

. "$(dirname "$0")/../tap.sh"
rm -rf "$out"
mkdir -p "$dest"

make -C "$src" --no-print-directory -s _install KVER="$kver" \
	DESTDIR="$dest" PREFIX="$prefix" > "$out/install.log" 2>&1
st=$?
[ $st -eq 0 ] || sed 's/^/# /' "$out/install.log"
tap $st "make install DESTDIR=... succeeds"

mod=$(find "$dest/lib/modules/$kver/updates" -name 'cowrap_blk.ko*' 2>/dev/null | head -n 1)
[ -n "$mod" ]
tap $? "module installed under lib/modules/$kver/updates"
grep -q 'cowrap_blk' "$dest/lib/modules/$kver/modules.dep" 2>/dev/null
tap $? "depmod ran on the DESTDIR tree"
for b in cowrapctl cowrap-gen; do
	[ -x "$dest$prefix/bin/$b" ]
	tap $? "$b installed in PREFIX/bin"
done
man=$(ls "$src"/Documentation/man/*.[0-9] 2>/dev/null | wc -l)
inst=$(find "$dest$prefix/share/man" -type f 2>/dev/null | wc -l)
[ "$man" -gt 0 ] && [ "$man" -eq "$inst" ]
tap $? "all $man man pages installed"
[ -f "$dest/lib/udev/rules.d/60-cowrap.rules" ]
tap $? "udev rule installed"
[ ! -e /lib/modules/$kver/updates/cowrap_blk.ko ] || [ -n "${COWRAP_SYSTEM_INSTALLED:-}" ]
tap $? "nothing written outside DESTDIR"

make -C "$src" --no-print-directory -s _uninstall KVER="$kver" \
	DESTDIR="$dest" PREFIX="$prefix" > "$out/uninstall.log" 2>&1
st=$?
[ $st -eq 0 ] || sed 's/^/# /' "$out/uninstall.log"
tap $st "make uninstall DESTDIR=... succeeds"
left=$(find "$dest" -type f ! -name 'modules.*' | wc -l)
[ "$left" -eq 0 ] || find "$dest" -type f ! -name 'modules.*' | sed 's/^/# left: /'
tap $([ "$left" -eq 0 ]; echo $?) "uninstall removes every installed file"

info=$(modinfo "$ko")
for f in description version license author; do
	echo "$info" | grep -Eq "^$f:[[:space:]]+[^[:space:]]"
	tap $? "modinfo shows $f"
done
echo "$info" | grep -q '^license:[[:space:]]*GPL$'
tap $? "modinfo license is GPL"
# Every parameter carries a description ("parm: name:desc (type)").
nodesc=$(echo "$info" | grep '^parm:' | grep -Ev '^parm:[[:space:]]+[a-z_0-9]+:[^(]*[a-zA-Z][^(]*\(' || true)
[ -z "$nodesc" ] || echo "$nodesc" | sed 's/^/# no description: /'
tap $([ -z "$nodesc" ]; echo $?) "every module parameter has a description"

tap_done
