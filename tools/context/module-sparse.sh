#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# module-sparse.sh SRCTREE KDIR OUT COWRAP_GEN: build the module with
# sparse on every source (C=2) in a private symlink tree OUT (so that it
# never races with the main module build), leaving the messages in
# OUT/build.log and Kbuild's exit status in OUT/build.status.
set -uo pipefail

src=$1
kdir=$2
out=$3
gen=$4

"$src/tools/mktree.sh" "$src" "$out"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make -j2 -C "$kdir" M="$out" COWRAP_GEN="$gen" C=2 modules \
	>"$out/build.log" 2>&1
echo $? >"$out/build.status"
exit 0
