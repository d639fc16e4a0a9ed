#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cowrap-gen test suite (make check-host-gen): prints TAP 13, exits 1 on
# any failure.  Environment: COWRAP_GEN, GEN_UNIT, GEN_FUZZ, GEN_OUT,
# HOST_CC, SRCTREE (set by gen/gen.mk); GEN_FUZZ_SECONDS (default 25).

set -u
T=$SRCTREE/gen/tests
W=$GEN_OUT/tests/work
FUZZ_SECONDS=${GEN_FUZZ_SECONDS:-25}
n=0
failed=0

rm -rf "$W"
mkdir -p "$W"

echo "TAP version 13"

pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; failed=$((failed + 1)); }
check() {	# check DESC COMMAND...: ok when COMMAND succeeds
	desc=$1
	shift
	if "$@" >"$W/log" 2>&1; then
		pass "$desc"
	else
		fail "$desc"
		sed 's/^/# /' "$W/log" | head -40
	fi
}
# relay "ok - x" / "not ok - x" lines of a helper program, numbered
relay() {
	prefix=$1
	shift
	"$@" >"$W/relay" 2>&1
	rc=$?
	seen=0
	bad=0
	while IFS= read -r line; do
		case $line in
		"ok - "*) pass "$prefix${line#ok - }"; seen=1 ;;
		"not ok - "*) fail "$prefix${line#not ok - }"; seen=1; bad=1 ;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done <"$W/relay"
	# a crash or a silent failure must not pass
	if [ $seen = 0 ] || { [ $rc != 0 ] && [ $bad = 0 ]; }; then
		fail "$prefix$* exited with status $rc"
	fi
}

# Data files (NAME.args: one option per line, NAME.cflags: one set of
# -D flags per line, NAME.err: the expected first error line, NAME.list)
# may hold comment lines starting with '#'.

run_gen_golden() {	# run_gen_golden NAME MODE(--check=FILE|-o FILE)
	name=$1
	shift
	(cd "$T/golden" && {
		set -- "$@"
		if [ -f "$name.args" ]; then
			while IFS= read -r a; do
				case $a in "#"*) ;; *) set -- "$@" "$a" ;; esac
			done <"$name.args"
		fi
		"$COWRAP_GEN" --include="$name.h" "$@" "$name.h"
	})
}

## parser unit tests
relay "unit: " "$GEN_UNIT"

## command line
check "--version prints the version" sh -c \
	'"$COWRAP_GEN" --version | grep -Eq "^cowrap-gen [0-9]+\.[0-9]+\.[0-9]+$"'
check "--help matches Documentation/cowrap-gen.rst" sh -c '
	"$COWRAP_GEN" --help >"$0/help.txt" &&
	awk "/^\.\. help-end/ { p = 0 } p { print } /^\.\. help-begin/ { b = 1 } b && /::\$/ { p = 1; b = 0 }" \
		"$1/Documentation/cowrap-gen.rst" | sed -e "s/^    //" -e "1{/^\$/d}" >"$0/help-doc.txt" &&
	sed -i -e :a -e "/^\n*\$/{\$d;N;ba" -e "}" "$0/help-doc.txt" &&
	diff -u "$0/help-doc.txt" "$0/help.txt"' "$W" "$SRCTREE"
check "unknown option is a usage error (exit 2)" sh -c \
	'"$COWRAP_GEN" --bogus x.h 2>/dev/null; test $? = 2'
check "no input is a usage error (exit 2)" sh -c \
	'"$COWRAP_GEN" 2>/dev/null; test $? = 2'

## golden outputs
for h in "$T"/golden/*.h; do
	name=$(basename "$h" .h)
	check "golden: $name.h matches $name.c (--check)" \
		run_gen_golden "$name" "--check=$name.c"
done
check "golden: output is deterministic" sh -c '
	cd "$0/golden" && "$1" --include=kinds.h kinds.h types.h >"$2/d1" &&
	"$1" --include=kinds.h kinds.h types.h >"$2/d2" && cmp "$2/d1" "$2/d2"' \
	"$T" "$COWRAP_GEN" "$W"
check "golden: --check fails on a stale file" sh -c '
	cp "$0/golden/kinds.c" "$1/stale.c" && echo "/* x */" >>"$1/stale.c" &&
	cd "$0/golden" && ! "$2" kinds.h --check="$1/stale.c" 2>"$1/stale.err" &&
	grep -q "stale.c:[0-9]*:1: error: differs from what cowrap-gen would generate now" "$1/stale.err"' \
	"$T" "$W" "$COWRAP_GEN"
check "golden: --list shows marker, name and location" sh -c '
	cd "$0/golden" && "$1" --list kinds.h >"$2/list" &&
	grep -v "^#" kinds.list | diff -u - "$2/list"' \
	"$T" "$COWRAP_GEN" "$W"

## QEMU flavor goldens, written for this project
for h in "$T"/golden-qemu/*.h; do
	name=$(basename "$h" .h)
	check "golden qemu: $name.h matches $name.c (--flavor=qemu --check)" \
		sh -c 'cd "$0/golden-qemu" && "$1" --flavor=qemu --check="$2.c" "$2.h"' \
		"$T" "$COWRAP_GEN" "$name"
done
check "golden qemu: script argument order (OUTPUT.c INPUT...)" sh -c '
	cd "$0/golden-qemu" && "$1" --flavor=qemu "$2/alias.c" qemu-io.h &&
	cmp "$2/alias.c" qemu-io.c' "$T" "$COWRAP_GEN" "$W"
check "golden qemu: co_wrapper_bdrv_wrlock is an unknown variant" sh -c '
	printf "int co_wrapper_bdrv_wrlock bdrv_x(BlockDriverState *bs);\n" >"$1/wr.h" &&
	cd "$1" && ! "$0" --flavor=qemu wr.h 2>"$1/wr.err" >/dev/null &&
	grep -qx "wr.h:1:5: error: unknown marker variant .co_wrapper_bdrv_wrlock." "$1/wr.err"' \
	"$COWRAP_GEN" "$W"
check "golden qemu: QEMU variants are unknown in the cowrap flavor" sh -c '
	cd "$0/golden-qemu" && ! "$1" qemu-io.h 2>"$2/v.err" >/dev/null &&
	grep -q "error: unknown marker variant .co_wrapper_bdrv_rdlock." "$2/v.err"' \
	"$T" "$COWRAP_GEN" "$W"
if [ -n "${QEMU_SRC:-}" ] && [ -f "$QEMU_SRC/scripts/block-coroutine-wrapper.py" ] &&
   command -v python3 >/dev/null; then
	relay "" sh "$T/qemu-compare.sh" "$QEMU_SRC" "$COWRAP_GEN" "$W" \
		"$T"/golden-qemu/qemu-io.h
else
	n=$((n + 1))
	echo "ok $n - qemu compare: cowrap-gen --flavor=qemu vs block-coroutine-wrapper.py # SKIP set QEMU_SRC to a QEMU checkout (and have python3) to run it"
fi

## golden outputs compile warning-free against the userspace stand-in
for c in "$T"/golden/*.c; do
	name=$(basename "$c" .c)
	variants="-DCOWRAP_NONE"
	if [ -f "$T/golden/$name.cflags" ]; then
		variants=$(grep -v '^#' "$T/golden/$name.cflags")
	fi
	echo "$variants" | while IFS= read -r flags; do
		# shellcheck disable=SC2086
		$HOST_CC -fsyntax-only -Wall -Wextra -Werror -I"$T/stub" \
			-I"$T/golden" $flags "$c" || exit 1
	done >"$W/cc.log" 2>&1
	if [ $? = 0 ]; then
		pass "compile: $name.c with -Wall -Wextra -Werror"
	else
		fail "compile: $name.c with -Wall -Wextra -Werror"
		sed 's/^/# /' "$W/cc.log" | head -20
	fi
done

## error messages: one test per message
for h in "$T"/errors/*.h; do
	name=$(basename "$h" .h)
	rm -f "$W/err-out.c" "$W"/err-out.c.tmp*
	(cd "$T/errors" && "$COWRAP_GEN" -o "$W/err-out.c" "$name.h") \
		>/dev/null 2>"$W/err.txt"
	rc=$?
	first=$(grep -m1 ': error: ' "$W/err.txt")
	want=$(grep -v '^#' "$T/errors/$name.err")
	if [ $rc = 1 ] && [ "$first" = "$want" ] && [ ! -e "$W/err-out.c" ] &&
	   [ -z "$(ls "$W" | grep 'err-out.c.tmp')" ]; then
		pass "error: $name.h: ${want#*error: }"
	else
		fail "error: $name.h (exit $rc)"
		echo "#   want: $want"
		echo "#   got:  $first"
	fi
done
check "error: duplicate wrapper has a note at the previous declaration" sh -c '
	cd "$0/errors" && ! "$1" duplicate-wrapper.h 2>"$2/dup.txt" >/dev/null &&
	grep -qx "duplicate-wrapper.h:2:16: note: previous declaration of .x_y. was here" "$2/dup.txt"' \
	"$T" "$COWRAP_GEN" "$W"
check "error: a failed run removes an existing output file" sh -c '
	echo old >"$2/old.c" && cd "$0/errors" &&
	! "$1" -o "$2/old.c" variadic.h 2>/dev/null && test ! -e "$2/old.c"' \
	"$T" "$COWRAP_GEN" "$W"
check "error: unreadable input (missing file)" sh -c '
	! "$0" "$1/no-such.h" -o "$1/x.c" 2>"$1/io.txt" &&
	grep -qx "$1/no-such.h: error: cannot open: No such file or directory" "$1/io.txt" &&
	test ! -e "$1/x.c"' "$COWRAP_GEN" "$W"
check "error: unreadable input (a directory)" sh -c '
	! "$0" "$1" 2>"$1/io.txt" >/dev/null &&
	grep -qx "$1: error: cannot read: Is a directory" "$1/io.txt"' "$COWRAP_GEN" "$W"
check "error: unwritable output (no such directory)" sh -c '
	! "$0" -o "$1/nodir/x.c" "$2/golden/kinds.h" 2>"$1/io.txt" &&
	grep -q "^$1/nodir/x.c: error: cannot create a temporary file next to it: " "$1/io.txt"' \
	"$COWRAP_GEN" "$W" "$T"
check "error: unwritable output (a directory)" sh -c '
	mkdir -p "$1/adir" && ! "$0" -o "$1/adir" "$2/golden/kinds.h" 2>"$1/io.txt" &&
	grep -qx "$1/adir: error: cannot write: Is a directory" "$1/io.txt" &&
	test -z "$(ls "$1" | grep adir.tmp)"' "$COWRAP_GEN" "$W" "$T"
check "output to a FIFO is written in place (a device node is never replaced)" sh -c '
	rm -f "$1/fifo" "$1/fifo.out" && mkfifo "$1/fifo" &&
	{ cat "$1/fifo" >"$1/fifo.out" & } &&
	"$0" -o "$1/fifo" "$2/golden/kinds.h" && wait &&
	test -p "$1/fifo" && test -s "$1/fifo.out" &&
	test -z "$(ls "$1" | grep fifo.tmp)"' "$COWRAP_GEN" "$W" "$T"
check "error: --check of a missing file" sh -c '
	! "$0" --check="$1/none.c" "$2/golden/kinds.h" 2>"$1/io.txt" &&
	grep -qx "$1/none.c: error: cannot open: No such file or directory" "$1/io.txt"' \
	"$COWRAP_GEN" "$W" "$T"

## generated wrappers really run (pthread stand-in)
if "$COWRAP_GEN" --include=rt.h --ctx='struct rt_dev *=rt_dev_ctx' \
	-o "$W/rt-gen.c" "$T/runtime/rt.h" >"$W/log" 2>&1 &&
   $HOST_CC -O2 -Wall -Wextra -Werror -I"$T/stub" -I"$T/runtime" -pthread \
	-o "$W/rt" "$W/rt-gen.c" "$T/runtime/rt.c" "$T/stub/stub.c" >>"$W/log" 2>&1; then
	relay "" "$W/rt"
else
	fail "run: generate and build the run test"
	sed 's/^/# /' "$W/log" | head -20
fi

## bounded fuzzing of the parser
mkdir -p "$W/corpus"
cp "$T"/golden/*.h "$T"/errors/*.h "$T"/runtime/*.h "$W/corpus/"
if (cd "$W" && "$GEN_FUZZ" -max_total_time="$FUZZ_SECONDS" -max_len=4096 \
	-timeout=10 -rss_limit_mb=1024 -print_final_stats=0 "$W/corpus") \
	>"$W/fuzz.log" 2>&1; then
	pass "fuzz: parser ${FUZZ_SECONDS}s with ASan+UBSan found nothing ($(grep -o 'Done [0-9]* runs' "$W/fuzz.log"))"
else
	fail "fuzz: parser found a problem"
	grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$W/fuzz.log" | sed 's/^/# /' | head -20
fi

echo "1..$n"
[ $failed = 0 ]
