#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mktree.sh SRCTREE OUT: mirror the module sources (Kbuild, kmod/, include/)
# into OUT as a tree of symlinks, so that Kbuild writes its objects to OUT
# and never into the source tree.
set -euo pipefail

src=$1
out=$2
mkdir -p "$out"
ln -sfn "$src/Kbuild" "$out/Kbuild"

for dir in kmod include; do
	(cd "$src" && find "$dir" -type d) | while read -r d; do
		mkdir -p "$out/$d"
	done
	(cd "$src" && find "$dir" -type f \( -name '*.c' -o -name '*.h' \)) |
	while read -r f; do
		[ -L "$out/$f" ] || ln -sfn "$src/$f" "$out/$f"
	done
	# Drop links whose source went away.
	find "$out/$dir" -xtype l -delete
done
