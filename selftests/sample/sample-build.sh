#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sample-build.sh SAMPLE_SRC OUT KDIR COWRAP_CONFIG [MAKE_ARG]...: build
# the out-of-tree sample as its user would: its files copied into OUT (a
# directory of its own, outside the project's Kbuild tree), then its own
# Makefile run there against the kit that COWRAP_CONFIG belongs to.
# Only changed files are copied, so Kbuild rebuilds what changed.  The
# build's output goes to OUT.log; the exit status is make's.
set -uo pipefail

src=$1
out=$2
kdir=$3
config=$4
shift 4

mkdir -p "$out"
for f in "$src"/*; do
	cmp -s "$f" "$out/${f##*/}" || cp -p "$f" "$out/"
done
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make -C "$out" KDIR="$kdir" COWRAP_CONFIG="$config" "$@" \
	>"$out.log" 2>&1
