#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sample-check.sh SRCTREE OUT KIT KVER...: the out-of-tree sample
# (samples/cowsample) against the kit installed under KIT (a DESTDIR with
# PREFIX=/usr), for every KVER: a C=1 build with no warning, nothing taken
# from the source tree, cowrap-objcheck clean, the module's dependency
# and version magic, the wrappers regenerated when the header or the
# generator's options change, and a planted wrong-context call reported
# by sparse and by cowrap-objcheck.  Prints TAP.
set -uo pipefail

src=$1
out=$2
kit=$3
shift 3

. "$src/selftests/tap.sh"
here=$src/selftests/sample
config=$kit/usr/bin/cowrap-config
version=$(sed -n 's/^#define COWRAP_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	  "$src/include/cowrap/version.h")

[ -x "$config" ] && [ "$("$config" --version 2>&1)" = "$version" ]
tap $? "kit: cowrap-config --version says $version"
inc=$("$config" --includedir)
[ "$inc" = "$kit/usr/include/cowrap-$version" ] &&
	[ -f "$inc/cowrap/coroutine.h" ] && [ -f "$inc/cowrap/version.h" ] &&
	[ ! -e "$inc/cowrap/co_internal.h" ]
tap $? "kit: public headers in include/cowrap-$version, no internals"
"$config" --symvers=no-such-kernel >/dev/null 2>"$out.err"
st=$?
[ $st -eq 1 ] && grep -q 'no Module.symvers for kernel no-such-kernel' "$out.err"
tap $? "kit: cowrap-config --symvers for a kernel it lacks fails clearly" \
	"status $st: $(cat "$out.err")"

# build NAME KVER [MAKE_ARG]...: a fresh build in $out/KVER/NAME.
build() {
	local name=$1 kver=$2
	shift 2
	rm -rf "$out/$kver/$name" "$out/$kver/$name.log"
	"$here/sample-build.sh" "$src/samples/cowsample" "$out/$kver/$name" \
		"/lib/modules/$kver/build" "$config" "$@"
}

for kver in "$@"; do
	symvers=$("$config" --symvers="$kver" 2>&1)
	grep -q '	cowrap_api_version	cowrap_blk	EXPORT_SYMBOL_GPL' "$symvers" 2>/dev/null
	tap $? "$kver: kit has cowrap_blk's Module.symvers, cowrap_api_version in it" "$symvers"

	d=$out/$kver/good
	build good "$kver" C=1
	st=$?
	tap $st "$kver: sample builds outside the tree with C=1" \
		"$(tail -n 20 "$d.log")"
	[ $st -eq 0 ] || continue
	warn=$(grep -Ei 'warning|error' "$d.log")
	tap $([ -z "$warn" ]; echo $?) "$kver: C=1 build: no warning from sparse, gcc or modpost" "$warn"
	grep -q 'CHECK .*cowsample_ops-gen.c' "$d.log" &&
		grep -q 'cowsample_co_append(' "$d/cowsample_ops-gen.c"
	tap $? "$kver: wrappers generated from the sample's own header and checked by sparse"
	leak=$(grep -l -e "$src/kmod" -e "$src/include" "$d"/.*.cmd 2>/dev/null)
	tap $([ -z "$leak" ]; echo $?) "$kver: nothing compiled from the source tree (only the kit)" "$leak"
	oc=$("$("$config" --objcheck)" "$d/cowsample.ko" 2>&1)
	tap $? "$kver: cowrap-objcheck cowsample.ko: clean" "$oc"
	[ "$(modinfo -F depends "$d/cowsample.ko")" = cowrap_blk ]
	tap $? "$kver: modinfo depends: cowrap_blk"
	modinfo -F vermagic "$d/cowsample.ko" | grep -q "^$kver "
	tap $? "$kver: vermagic is $kver"

	# regenerated when the header or the options change, not otherwise
	"$here/sample-build.sh" "$src/samples/cowsample" "$d" \
		"/lib/modules/$kver/build" "$config"
	! grep -q COWRAPGEN "$d.log"
	tap $? "$kver: nothing changed: the wrappers are not generated again"
	touch "$d/cowsample_ops.h"
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$d" \
		KDIR="/lib/modules/$kver/build" COWRAP_CONFIG="$config" \
		>"$d.log" 2>&1 && grep -q COWRAPGEN "$d.log"
	tap $? "$kver: header touched: the wrappers are generated again"
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$d" \
		KDIR="/lib/modules/$kver/build" COWRAP_CONFIG="$config" \
		COWRAP_GEN_FLAGS=--attribute-macro=__cowsample_unused \
		>"$d.log" 2>&1 && grep -q COWRAPGEN "$d.log"
	tap $? "$kver: generator options changed: the wrappers are generated again"

	# a kit without this kernel's Module.symvers: cowrap.mk says so
	rm -rf "$out/$kver/kit-nokver" "$out/$kver/nokver"
	cp -a "$kit" "$out/$kver/kit-nokver"
	rm -rf "$out/$kver/kit-nokver/usr/lib/cowrap-$version/$kver"
	"$here/sample-build.sh" "$src/samples/cowsample" "$out/$kver/nokver" \
		"/lib/modules/$kver/build" "$out/$kver/kit-nokver/usr/bin/cowrap-config"
	st=$?
	[ $st -ne 0 ] && grep -q "cowrap.mk: no cowrap_blk Module.symvers for kernel $kver" "$out/$kver/nokver.log"
	tap $? "$kver: a kit without this kernel's Module.symvers stops the build with a message" \
		"status $st: $(tail -n 5 "$out/$kver/nokver.log")"

	# headers of another API major: the sample's #error stops the build
	"$here/kit-variant.sh" "$kit" "$out/$kver/kit-major2" 2 0
	rm -rf "$out/$kver/major2"
	"$here/sample-build.sh" "$src/samples/cowsample" "$out/$kver/major2" \
		"/lib/modules/$kver/build" "$out/$kver/kit-major2/usr/bin/cowrap-config"
	st=$?
	[ $st -ne 0 ] && grep -q 'error: #error "cowsample is written for the cowrap API 1.0' "$out/$kver/major2.log"
	tap $? "$kver: against API 2.0 headers the build stops at the sample's #error" \
		"status $st: $(grep -i error "$out/$kver/major2.log" | head -n 5)"

	# the planted wrong-context call
	b=$out/$kver/planted
	build planted "$kver" C=1 COWSAMPLE_PLANT=1
	tap $? "$kver: planted build succeeds (the checkers report, they do not stop it)" \
		"$(tail -n 20 "$b.log")"
	line=$(grep -n 'cowsample_append(s, buf, len);' "$src/samples/cowsample/cowsample_ops.c" | cut -d: -f1)
	ctx=$(grep -c 'warning: context check failure' "$b.log")
	grep -q "cowsample_ops.c:$line:[0-9]*: warning: context check failure" "$b.log" &&
		[ "$ctx" -eq 1 ]
	tap $? "$kver: sparse reports the planted call (cowsample_ops.c:$line), and only it" \
		"$(grep -i warning "$b.log")"
	oc=$("$("$config" --objcheck)" "$b/cowsample.ko" 2>&1)
	st=$?
	[ $st -eq 1 ] && [ "$(printf '%s\n' "$oc" | wc -l)" -eq 1 ] &&
		printf '%s\n' "$oc" | grep -qE '^.*cowsample\.ko: cowsample_co_append_twice\+0x[0-9a-f]+: call to no_coroutine_fn cowsample_append\(\) from coroutine context$'
	tap $? "$kver: cowrap-objcheck reports the planted call, and only it" \
		"status $st: $oc"
done

tap_done
