#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run inside the guest by "make demo": show what the loaded
# module answers.

ctl=/lib/cowrap/cowrapctl

step() {
	echo
	echo "==> $*"
}

echo "TAP version 13"
step "kernel $(uname -r), module:"
grep '^cowrap_blk ' /proc/modules || { echo "not ok 1 module loaded"; exit 1; }
ls -l /dev/cowrap-ctl
step "cowrapctl version"
$ctl version || { echo "not ok 1 cowrapctl version"; exit 1; }
step "cowrapctl --json version"
$ctl --json version || { echo "not ok 1 cowrapctl --json version"; exit 1; }
echo "ok 1 demo"
