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
# the development kit (tools/kit/kit.mk)
ver=$(sed -n 's/^#define COWRAP_VERSION[[:space:]]*"\(.*\)"/\1/p' "$src/include/cowrap/version.h")
pub=$(cd "$src/include/cowrap" && ls *.h | sort)
got=$(cd "$dest$prefix/include/cowrap-$ver/cowrap" 2>/dev/null && ls | sort)
[ -n "$pub" ] && [ "$pub" = "$got" ]
tap $? "kit: every public header, and only those, in PREFIX/include/cowrap-$ver/cowrap" \
	"$(diff <(echo "$pub") <(echo "$got"))"
cfg=$dest$prefix/bin/cowrap-config
[ "$("$cfg" --kbuild 2>&1)" = "$dest$prefix/lib/cowrap-$ver/cowrap.mk" ] &&
	[ -f "$dest$prefix/lib/cowrap-$ver/cowrap.mk" ]
tap $? "kit: cowrap-config --kbuild names the installed cowrap.mk"
sv=$("$cfg" --symvers="$kver" 2>&1)
[ "$sv" = "$dest$prefix/lib/cowrap-$ver/$kver/Module.symvers" ] &&
	[ "$(cut -f3 "$sv" | sort -u)" = cowrap_blk ] &&
	grep -q '	cowrap_api_version	cowrap_blk	EXPORT_SYMBOL_GPL' "$sv"
tap $? "kit: cowrap-config --symvers=$kver: cowrap_blk's exports, cowrap_api_version among them" "$sv"
[ "$("$cfg" --cflags)" = "-I$dest$prefix/include/cowrap-$ver" ] &&
	[ "$("$cfg" --version)" = "$ver" ] &&
	[ "$("$cfg" --api-version)" = "$(sed -n 's/^#define COWRAP_API_MAJOR[[:space:]]*//p' "$src/include/cowrap/version.h").$(sed -n 's/^#define COWRAP_API_MINOR[[:space:]]*//p' "$src/include/cowrap/version.h")" ]
tap $? "kit: cowrap-config --cflags, --version, --api-version"
"$cfg" --no-such-option >/dev/null 2>&1
tap $([ $? -eq 2 ]; echo $?) "kit: cowrap-config rejects an unknown option (status 2)"
pc=$(PKG_CONFIG_PATH=$dest$prefix/share/pkgconfig pkg-config --variable=kbuild cowrap 2>&1)
[ "$(readlink -f "$pc")" = "$dest$prefix/lib/cowrap-$ver/cowrap.mk" ] &&
	[ "$(PKG_CONFIG_PATH=$dest$prefix/share/pkgconfig pkg-config --modversion cowrap)" = "$ver" ]
tap $? "kit: pkg-config cowrap: --variable=kbuild, --modversion" "$pc"
[ -x "$dest$prefix/bin/cowrap-objcheck" ]
tap $? "kit: cowrap-objcheck installed in PREFIX/bin"

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
