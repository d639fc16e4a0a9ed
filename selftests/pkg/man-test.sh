#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# man-test.sh SRCTREE COWRAP_GEN COWRAPCTL OBJCHECK: the man pages format without
# warnings and document every command and long option the programs' --help
# lists, so that the pages cannot drift from the code unnoticed.
set -uo pipefail

src=$1
gen=$2
ctl=$3
objcheck=$4
man=$src/Documentation/man

# The words of a man page as a reader sees them (escapes removed).
page_text() {
	MANWIDTH=200 man -l "$1" 2>/dev/null | col -b
}

# check_words PAGE WHAT WORD...: every WORD appears in PAGE's text.
check_words() {
	local page=$1 what=$2 text missing=
	shift 2
	text=$(page_text "$page")
	for w in "$@"; do
		grep -qF -- "$w" <<<"$text" || missing="$missing $w"
	done
	[ -z "$missing" ] || echo "# missing from $(basename "$page"):$missing"
	tap $([ -z "$missing" ]; echo $?) "$(basename "$page") documents $what"
}

long_opts() {
	grep -oE -- '--[a-z][a-z-]*' | sort -u
}

. "$(dirname "$0")/../tap.sh"
for p in "$man"/*.[0-9]; do
	out=$(groff -man -ww -z "$p" 2>&1)
	[ -z "$out" ] || sed 's/^/# /' <<<"$out"
	tap $([ -z "$out" ]; echo $?) "$(basename "$p") formats without warnings"
done

check_words "$man/cowrap-gen.1" "every option of cowrap-gen --help" \
	$("$gen" --help | long_opts)

check_words "$man/cowrap-objcheck.1" "every option of cowrap-objcheck --help" \
	$("$objcheck" --help | long_opts)

check_words "$man/cowrap-config.1" "every option of cowrap-config --help" \
	$(sh "$src/tools/kit/cowrap-config.in" --help | long_opts)

cmds=$("$ctl" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ -n "$cmds" ]
tap $? "cowrapctl --help lists its commands"
check_words "$man/cowrapctl.8" "every cowrapctl command" $cmds
for c in $cmds; do
	"$ctl" "$c" --help > /dev/null
	tap $? "cowrapctl $c --help succeeds"
	check_words "$man/cowrapctl.8" "every option of cowrapctl $c" \
		$("$ctl" "$c" --help | long_opts)
done

# The exit statuses the pages document, for what a host without the module
# can show: usage errors are 2 and are found before the control device is
# opened; a missing control device is 1.
for args in "bogus" "add" "add --size 1x" "add --size" "del" "pread 0 0" \
	    "fault 0" "list -o BOGUS" "-o SIZE,BOGUS info 0" "-J pread 0 0 1" \
	    "-x list"; do
	# shellcheck disable=SC2086
	"$ctl" $args > /dev/null 2>&1
	st=$?
	tap $([ $st -eq 2 ]; echo $?) "cowrapctl $args: usage error, exit 2 (got $st)"
done
if [ ! -e /dev/cowrap-ctl ]; then
	"$ctl" list > /dev/null 2>&1
	st=$?
	tap $([ $st -eq 1 ]; echo $?) "cowrapctl list without the module: exit 1 (got $st)"
fi

tap_done
