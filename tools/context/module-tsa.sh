#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# module-tsa.sh MODOUT KDIR: run clang -fsyntax-only -Wthread-safety over the
# module sources built (by module-sparse.sh) in MODOUT, with each file's
# own Kbuild command line minus the gcc-only options, and annotations.h
# in its COWRAP_TSA mode.  Prints TAP: one line per source file, "ok"
# when clang reports no thread-safety warning.  A comparison, not a gate.
set -uo pipefail

mod=$1
kdir=$(readlink -f "$2")	# Kbuild runs the compiler from there
n=0
fail=0
echo "TAP version 13"

# gcc options clang does not know (or treats differently); the rest of
# the command line is kept as Kbuild wrote it.
gcc_only='^(-Wp,.*|-c|-o|.*\.o|.*\.c|-mskip-rax-setup|-mindirect-branch.*|-mfunction-return=.*|-mharden-sls=.*|-fconserve-stack|-fno-allow-store-data-races|-mrecord-mcount|-mpreferred-stack-boundary=.*|-Wno-dangling-pointer|-Wno-alloc-size-larger-than|-Wno-stringop-truncation|-Wno-packed-not-aligned|-Wimplicit-fallthrough=5|-falign-jumps=.*|-falign-loops=.*|-Wno-maybe-uninitialized|-Wno-format-overflow|-Wno-format-truncation|-Wno-stringop-overflow|-fno-stack-clash-protection|-ftrivial-auto-var-init=zero|-fmin-function-alignment=.*|-fzero-call-used-regs=.*|-Wno-array-bounds|x86_64-linux-gnu-gcc.*|gcc.*)$'

status=$(cat "$mod/build.status" 2>/dev/null || echo missing)
if [ "$status" != 0 ]; then
	echo "not ok 1 - module built in $mod (status $status)"
	echo "1..1"
	exit 1
fi
for cmdf in $(find "$mod/kmod" -name '.*.o.cmd' | sort); do
	src=$(sed -n 's/^source_[^ ]* := //p' "$cmdf")
	case "$src" in *.c) ;; *) continue ;; esac
	args=$(sed -n '1s/^savedcmd_[^=]*:= *//p' "$cmdf" | tr ' ' '\n' |
		grep -vE "$gcc_only" | tr '\n' ' ')
	got=$(cd "$kdir" && eval clang -fsyntax-only -Wno-unknown-warning-option \
		-Wno-duplicate-decl-specifier -Wno-gnu -Wthread-safety \
		-DCOWRAP_TSA "$args" "$src" 2>&1)
	rc=$?
	tsa=$(printf '%s\n' "$got" | grep -E 'Wthread-safety|error:')
	n=$((n + 1))
	name=${src#"$mod"/}
	if [ "$rc" = 0 ] && [ -z "$tsa" ]; then
		echo "ok $n - clang -Wthread-safety $name: no warning"
	else
		echo "not ok $n - clang -Wthread-safety $name: $(printf '%s\n' "$tsa" | grep -c .) warnings"
		printf '%s\n' "$tsa" | sed "s|$mod/||; s/^/# /"
		fail=1
	fi
done
echo "1..$n"
exit $fail
