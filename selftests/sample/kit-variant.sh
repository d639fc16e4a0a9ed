#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kit-variant.sh KIT OUT MAJOR MINOR: a copy of the kit installed under
# KIT in OUT whose headers claim the API version MAJOR.MINOR, as a kit of
# another release would.  For the version checks of selftests/sample: a
# module built against it meets the #error of the sample or its load-time
# cowrap_api_check().  The header keeps the original's time stamp, so
# Kbuild rebuilds only when the kit itself changed.
set -euo pipefail

kit=$1
out=$2
major=$3
minor=$4

rm -rf "$out"
mkdir -p "$(dirname "$out")"
cp -a "$kit" "$out"
for h in "$out"/usr/include/cowrap-*/cowrap/version.h; do
	sed -i -e "s/^#define COWRAP_API_MAJOR[[:space:]].*/#define COWRAP_API_MAJOR	$major/" \
	       -e "s/^#define COWRAP_API_MINOR[[:space:]].*/#define COWRAP_API_MINOR	$minor/" "$h"
	grep -q "^#define COWRAP_API_MAJOR	$major$" "$h"
	grep -q "^#define COWRAP_API_MINOR	$minor$" "$h"
	touch -r "$kit/usr/include/${h#"$out"/usr/include/}" "$h"
done
