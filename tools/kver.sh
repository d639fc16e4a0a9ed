#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kver.sh default   newest installed Debian amd64 kernel with headers
# kver.sh supported every supported kernel (6.1, 6.12) with image + headers
set -euo pipefail

installed() {
	local d v
	for d in /lib/modules/*/build; do
		[ -e "$d/Makefile" ] || continue
		v=${d#/lib/modules/}
		v=${v%/build}
		case "$v" in
		*-cloud-amd64 | *-rt-amd64) continue ;;
		*-amd64) echo "$v" ;;
		esac
	done | sort -V
}

case "${1:-default}" in
default)
	installed | tail -n 1
	;;
supported)
	for v in $(installed); do
		case "$v" in
		6.1.* | 6.12.*) [ -r "/boot/vmlinuz-$v" ] && echo "$v" ;;
		esac
	done
	;;
*)
	echo "usage: $0 default|supported" >&2
	exit 2
	;;
esac
