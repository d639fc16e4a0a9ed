#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-test.sh SRCTREE OUT KVER: build cowrap with dkms for KVER in a
# private dkms tree under OUT (the system's dkms state is not touched) and
# print the path of the resulting module. TAP lines go to stderr.
set -uo pipefail

src=$1
out=$2
kver=$3

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$src/dkms.conf")
modver=$(sed -n 's/^#define COWRAP_VERSION[[:space:]]*"\(.*\)".*/\1/p' \
	 "$src/include/cowrap/version.h")

tap() {
	echo "$1 - $kver: dkms: $2" >&2
}

if [ "$ver" = "$modver" ]; then
	tap ok "dkms.conf version $ver matches the module version"
else
	tap "not ok" "dkms.conf version '$ver' != module version '$modver'"
	exit 1
fi

rm -rf "$out"
mkdir -p "$out/source/cowrap-$ver" "$out/dkms" "$out/install"
# What a release tarball holds: the files git tracks (and new ones it does
# not ignore), never build output.
(cd "$src" && git ls-files -co --exclude-standard -z |
	xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$out/source/cowrap-$ver"

d=(--dkmstree "$out/dkms" --sourcetree "$out/source" --installtree "$out/install")
if ! dkms add -m cowrap -v "$ver" "${d[@]}" > "$out/add.log" 2>&1; then
	sed 's/^/# /' "$out/add.log" >&2
	tap "not ok" "dkms add"
	exit 1
fi
tap ok "dkms add"
if ! dkms build -m cowrap -v "$ver" -k "$kver" "${d[@]}" > "$out/build.log" 2>&1; then
	sed 's/^/# /' "$out/build.log" >&2
	find "$out/dkms" -name make.log -exec sed 's/^/# /' {} \; >&2
	tap "not ok" "dkms build"
	exit 1
fi
ko=$(find "$out/dkms/cowrap/$ver/$kver" -name 'cowrap_blk.ko*' | head -n 1)
if [ -z "$ko" ]; then
	tap "not ok" "dkms build produced no cowrap_blk.ko"
	exit 1
fi
case "$ko" in
*.xz) xz -dc "$ko" > "$out/cowrap_blk.ko" ;;
*.zst) zstd -dcq "$ko" > "$out/cowrap_blk.ko" ;;
*.gz) gzip -dc "$ko" > "$out/cowrap_blk.ko" ;;
*) cp "$ko" "$out/cowrap_blk.ko" ;;
esac
tap ok "dkms build for $kver"

# The kit POST_BUILD installed next to the module, and the sample built
# against it.
kit=$(find "$out/dkms/cowrap/$ver/$kver" -maxdepth 2 -type d -name kit | head -n 1)
cfg=${kit:+$kit/bin/cowrap-config}
if [ -n "$kit" ] && [ -x "$cfg" ] && sv=$("$cfg" --symvers="$kver") &&
   grep -q '	cowrap_api_version	cowrap_blk	' "$sv"; then
	tap ok "dkms kit: cowrap-config --symvers=$kver in $kit"
else
	sed 's/^/# /' "$out/build.log" >&2
	tap "not ok" "dkms kit: no kit with cowrap_blk's Module.symvers for $kver"
	exit 1
fi
rm -rf "$out/sample"
if "$src/selftests/sample/sample-build.sh" "$src/samples/cowsample" \
	"$out/sample" "/lib/modules/$kver/build" "$cfg" &&
   [ "$(modinfo -F depends "$out/sample/cowsample.ko")" = cowrap_blk ]; then
	tap ok "dkms kit: the sample builds against it"
else
	sed 's/^/# /' "$out/sample.log" >&2
	tap "not ok" "dkms kit: the sample does not build against it"
	exit 1
fi
echo "$out/cowrap_blk.ko"
