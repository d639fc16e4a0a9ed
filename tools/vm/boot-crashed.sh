#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# boot-crashed.sh LOG: exit 0 if the guest kernel of console log LOG
# panicked or oopsed before /init printed its first "cowrap-vm:" marker,
# i.e. before cowrap_blk.ko or any test could run; 1 otherwise.
#
# Debian's kernels under TCG occasionally die of a stray int3 while they
# patch their own text during boot (seen once on 6.12 in this project's
# runs); vm-run.sh boots again when this says so.
awk '
/^cowrap-vm:/ { init_ran = 1; exit }
/Kernel panic|Oops|BUG:|general protection/ { crashed = 1 }
END { exit crashed && !init_ran ? 0 : 1 }
' "$1"
