#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-objcheck.sh OBJCHECK FUZZER CTXDIR SCRATCH KMOD_STATUS KO CORPUS_OUT...
#
# TAP tests of cowrap-objcheck:
#  - every object of the context corpus (built by Kbuild for each kernel,
#    in CORPUS_OUT...) reports exactly its "expect-objcheck:" lines, with
#    exit status 1 when it expects any and 0 when it expects none;
#  - hand-written assembly (tests/argsetup.S) checks the entry-argument
#    rule instruction by instruction;
#  - bad input (not ELF, truncated, wrong machine or class, not
#    relocatable, no symbol table, empty, directory, missing) gives a
#    message and exit status 2, never a crash;
#  - the module KO, and every other .ko next to it, is clean (KMOD_STATUS is the exit status of building
#    it: anything but 0, or a missing KO, is a failure);
#  - a bounded libFuzzer run (ASan + UBSan) finds nothing.
set -uo pipefail

oc=$1
fuzzer=$2
ctx=$3
scratch=$4
kmod_status=$5
ko=$6
shift 6

seen_ko=0
. "$(dirname "$0")/../../selftests/tap.sh"

# Normalise reports to "CLASS WHERE CALLEE", CLASS one of noco-ctx,
# co-ctx, addr (the vocabulary of the expect-objcheck lines).
normalise() {
	sed -E \
	  -e 's/^[^:]*: ([^+]*)\+0x[0-9a-f]+: call to .* ([A-Za-z0-9_.]+)\(\) from non-coroutine context$/noco-ctx \1 \2/' \
	  -e 's/^[^:]*: ([^+]*)\+0x[0-9a-f]+: call to .* ([A-Za-z0-9_.]+)\(\) from coroutine context$/co-ctx \1 \2/' \
	  -e 's/^[^:]*: ([^+]*)\+0x[0-9a-f]+: address of .* ([A-Za-z0-9_.]+)\(\) taken outside the coroutine-start API$/addr \1 \2/' |
	sort
}

for out in "$@"; do
	kver=$(basename "$out")
	if [ "$(cat "$out/build.status" 2>/dev/null)" != 0 ]; then
		tap 1 "$kver: corpus objects built" "see $out/build.log"
		continue
	fi
	for src in "$ctx"/*.c; do
		name=$(basename "$src" .c)
		obj=$out/$name.o
		defs=()
		for o in "$out"/*.o; do
			[ "$o" != "$obj" ] && defs+=(-d "$o")
		done
		exp=$(sed -nE 's/^.*expect-objcheck: (.*[^ ]) *$/\1/p' "$src" |
			grep -v '^none$' | sort)
		got=$("$oc" "${defs[@]}" "$obj" 2>&1)
		rc=$?
		act=$(printf '%s\n' "$got" | sed '/^$/d' | normalise)
		want_rc=0
		[ -n "$exp" ] && want_rc=1
		if [ "$exp" = "$act" ] && [ "$rc" = "$want_rc" ]; then
			tap 0 "$kver: objcheck $name.o: $(printf '%s\n' "${exp:-clean}" | paste -sd, -)"
		else
			tap 1 "$kver: objcheck $name.o" \
				"$(printf 'expected (exit %s):\n%s\ngot (exit %s):\n%s' \
					"$want_rc" "$exp" "$rc" "$got")"
		fi
	done
done

mkdir -p "$scratch"

# --- linked like a module ---------------------------------------------
# All corpus objects of a kernel linked with that kernel's module linker
# script (as Kbuild links a .ko): the markers and records must survive,
# and the reports must be the union of the planted ones, without -d.
for out in "$@"; do
	kver=$(basename "$out")
	kdir=/lib/modules/$kver/build
	lds=$(ls "$kdir/scripts/module.lds" "$kdir/arch/x86/module.lds" \
		2>/dev/null | head -n 1)
	linked=$scratch/corpus-$kver.ko
	if [ -z "$lds" ] || ! ld -r -m elf_x86_64 -T "$lds" -o "$linked" \
			"$out"/*.o 2>"$scratch/ld.err"; then
		tap 1 "$kver: corpus linked with module.lds" \
			"$(cat "$scratch/ld.err" 2>/dev/null) lds=$lds"
		continue
	fi
	exp=$(sed -nE 's/^.*expect-objcheck: (.*[^ ]) *$/\1/p' "$ctx"/*.c |
		grep -v '^none$' | sort)
	got=$("$oc" "$linked" 2>&1)
	rc=$?
	act=$(printf '%s\n' "$got" | sed '/^$/d' | normalise)
	if [ "$exp" = "$act" ] && [ "$rc" = 1 ]; then
		tap 0 "$kver: corpus linked with $(basename "$lds"): the $(printf '%s\n' "$exp" | wc -l) planted violations, nothing else"
	else
		tap 1 "$kver: corpus linked with $(basename "$lds")" \
			"$(diff <(printf '%s\n' "$exp") <(printf '%s\n' "$act"))"
	fi
done

# --- hand-written code for the entry-argument rule -------------------
asm_src=$(dirname "$0")/tests/argsetup.S
if ! gcc -c -o "$scratch/argsetup.o" "$asm_src" 2>"$scratch/as.err"; then
	tap 1 "argsetup.S assembles" "$(cat "$scratch/as.err")"
else
	exp=$(sed -nE 's/^.*expect-objcheck: (.*[^ ]) *$/\1/p' "$asm_src" | sort)
	got=$("$oc" "$scratch/argsetup.o" 2>&1)
	rc=$?
	act=$(printf '%s\n' "$got" | sed '/^$/d' | normalise)
	if [ "$exp" = "$act" ] && [ "$rc" = 1 ]; then
		tap 0 "argsetup.S: 6 accepted entry arguments, $(printf '%s\n' "$exp" | wc -l) reports"
	else
		tap 1 "argsetup.S" \
			"$(diff <(printf '%s\n' "$exp") <(printf '%s\n' "$act"))"
	fi
fi

# --- bad input --------------------------------------------------------
good=$(ls "${@: -1}"/ok_co_calls_co.o)
bad() {	# bad DESC PATTERN FILE
	local err rc outp
	outp=$("$oc" "$3" 2>"$scratch/err")
	rc=$?
	err=$(cat "$scratch/err")
	if [ "$rc" = 2 ] && [ -z "$outp" ] && grep -q -- "$2" <<<"$err"; then
		tap 0 "bad input: $1: exit 2, \"$err\""
	else
		tap 1 "bad input: $1" "exit $rc, stdout: $outp, stderr: $err"
	fi
}

printf 'this is not an object file\n' >"$scratch/text"
: >"$scratch/empty"
head -c 40 "$good" >"$scratch/trunc-ehdr"
head -c $(($(stat -c %s "$good") / 2)) "$good" >"$scratch/trunc-half"
cp "$good" "$scratch/arm64.o"
printf '\xb7\x00' | dd of="$scratch/arm64.o" bs=1 seek=18 conv=notrunc status=none
cp "$good" "$scratch/class32.o"
printf '\x01' | dd of="$scratch/class32.o" bs=1 seek=4 conv=notrunc status=none
cp "$good" "$scratch/exec.o"
printf '\x02' | dd of="$scratch/exec.o" bs=1 seek=16 conv=notrunc status=none
# Little-endian helpers on files, with od and dd only.
rd_le() {	# rd_le FILE OFFSET SIZE
	od -An -t u"$3" -j "$2" -N "$3" --endian=little "$1" | tr -d ' '
}
wr_le() {	# wr_le FILE OFFSET SIZE VALUE
	local i bytes=
	for ((i = 0; i < $3; i++)); do
		bytes+=$(printf '\\x%02x' $((($4 >> (8 * i)) & 255)))
	done
	printf "$bytes" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# No symbol table: turn SHT_SYMTAB into SHT_PROGBITS in the section headers.
cp "$good" "$scratch/nosym.o"
shoff=$(rd_le "$good" 40 8)
shentsize=$(rd_le "$good" 58 2)
shnum=$(rd_le "$good" 60 2)
for ((i = 0; i < shnum; i++)); do
	off=$((shoff + i * shentsize + 4))
	[ "$(rd_le "$good" "$off" 4)" = 2 ] && wr_le "$scratch/nosym.o" "$off" 4 1
done
# Section headers pointing past the end of the file.
cp "$good" "$scratch/badshoff.o"
wr_le "$scratch/badshoff.o" 40 8 $(($(stat -c %s "$good") + 4096))

bad "not ELF" "not an ELF file" "$scratch/text"
bad "empty file" "empty file" "$scratch/empty"
bad "truncated ELF header" "truncated" "$scratch/trunc-ehdr"
bad "truncated in the sections" "cowrap-objcheck: " "$scratch/trunc-half"
bad "wrong machine (aarch64)" "not an x86-64 object" "$scratch/arm64.o"
bad "32-bit class" "cowrap-objcheck: " "$scratch/class32.o"
bad "not relocatable (ET_EXEC)" "not a relocatable object" "$scratch/exec.o"
bad "no symbol table" "no symbol table" "$scratch/nosym.o"
bad "section headers past the end" "cowrap-objcheck: " "$scratch/badshoff.o"
bad "directory" "is a directory" "$scratch"
bad "missing file" "No such file" "$scratch/does-not-exist"

# --- the module -------------------------------------------------------
if [ "$kmod_status" != 0 ]; then
	tap 1 "cowrap_blk.ko is clean" "module build failed (status $kmod_status)"
elif [ ! -f "$ko" ]; then
	tap 1 "cowrap_blk.ko is clean" "$ko does not exist"
else
	for m in "$ko" "$(dirname "$ko")"/*.ko; do
		if [ "$m" = "$ko" ]; then
			[ "$seen_ko" = 1 ] && continue
			seen_ko=1
		fi
		got=$("$oc" "$m" 2>&1)
		rc=$?
		tap "$rc" "$(basename "$m") is clean ($(basename "$(dirname "$m")"))" "$got"
	done
fi

# --- fuzzing ----------------------------------------------------------
if [ ! -x "$fuzzer" ]; then
	tap 1 "fuzz: libFuzzer harness built" "$fuzzer missing"
else
	rm -rf "$scratch/fuzz-seeds" "$scratch/fuzz-work"
	mkdir -p "$scratch/fuzz-seeds" "$scratch/fuzz-work"
	cp "${@: -1}"/*.o "$scratch/fuzz-seeds/"
	cp "$scratch"/text "$scratch"/trunc-* "$scratch"/nosym.o "$scratch/fuzz-seeds/"
	[ -f "$scratch/argsetup.o" ] && cp "$scratch/argsetup.o" "$scratch/fuzz-seeds/"
	(cd "$scratch" && "$fuzzer" -max_total_time="${OBJCHECK_FUZZ_SECS:-20}" \
		-max_len=65536 -rss_limit_mb=2048 -timeout=10 \
		"$scratch/fuzz-work" "$scratch/fuzz-seeds") \
		>"$scratch/fuzz.log" 2>&1
	rc=$?
	runs=$(grep -oE 'Done [0-9]+ runs' "$scratch/fuzz.log" | tail -n 1)
	tap "$rc" "fuzz: ${OBJCHECK_FUZZ_SECS:-20} s of libFuzzer with ASan+UBSan finds nothing (${runs:-no summary})" \
		"$(tail -n 30 "$scratch/fuzz.log")"
fi

tap_done
