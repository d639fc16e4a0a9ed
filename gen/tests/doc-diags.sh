#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# doc-diags.sh SRCTREE WORKDIR: every message cowrap-gen can print (the format
# strings of diag_error(), diag_note(), diag_fatal() and usage_error()
# calls in gen/*.c)
# must appear in the "Diagnostics" section of Documentation/cowrap-gen.rst.
# A conversion (%s, %.*s, %c, %d) matches any text there, so the document
# may write 'X' or '#else' for it.  Prints one "ok - ..." / "not ok - ..."
# line per message (run.sh numbers them).

set -u
S=$1
W=$2/doc-diags
mkdir -p "$W"

# the Diagnostics section on one line, without inline-literal quotes
awk '/^Diagnostics$/ { p = 1 } p && /^Build integration$/ { p = 0 } p' \
	"$S/Documentation/cowrap-gen.rst" | sed 's/``//g' | tr '\n' ' ' |
	tr -s ' \t' '  ' >"$W/doc"

# each call's format string: the first literal after "diag_error(" etc.
# with no ';' in between (so the definitions in diag.c do not count), or
# the second literal when the first is just "%s"
tr '\n\t' '  ' <"$S/gen/main.c" >"$W/src"
for f in "$S"/gen/*.c; do
	[ "$f" = "$S/gen/main.c" ] && continue
	tr '\n\t' '  ' <"$f"
done >>"$W/src"
grep -oE '((diag_error|diag_note)\([^";]*|(usage_error|diag_fatal)\()"([^"\\]|\\.)*"( *, *"([^"\\]|\\.)*")?' \
	"$W/src" | sed -E 's/^[a-z_]+\([^"]*//; s/^"%s" *, *//; s/^"//; s/"$//' \
	>"$W/msgs"

if [ ! -s "$W/msgs" ]; then
	echo "not ok - doc: no diagnostics found in gen/*.c"
	exit 0
fi
sort -u "$W/msgs" >"$W/msgs.u"
while IFS= read -r m; do
	# the message as a basic regular expression, conversions as .*
	re=$(printf '%s\n' "$m" | sed -e 's/\\"/"/g' -e 's/[][\.*^$/]/\\&/g' \
		-e 's/%\\\.\\\*s/.*/g' -e 's/%[scd]/.*/g')
	if grep -q -- "$re" "$W/doc"; then
		echo "ok - doc: diagnostic documented: $m"
	else
		echo "not ok - doc: diagnostic not in Documentation/cowrap-gen.rst: $m"
	fi
done <"$W/msgs.u"
