#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# uapi-test.sh HEADER OUTDIR: compile the UAPI header standalone as C99 and
# C++ with strict warnings, and check its structs have no implicit holes.
set -uo pipefail

hdr=$1
out=$2
mkdir -p "$out"
n=0
fail=0

result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=1
	fi
}

echo "TAP version 13"
echo "1..4"

printf '#include "%s"\n' "$hdr" > "$out/c99.c"
gcc -std=c99 -Wall -Wextra -pedantic -Werror -fsyntax-only "$out/c99.c"
result $? "uapi header compiles standalone as C99"

printf '#include "%s"\nint main() { return 0; }\n' "$hdr" > "$out/cxx.cc"
g++ -std=c++11 -Wall -Wextra -pedantic -Werror -fsyntax-only "$out/cxx.cc"
result $? "uapi header compiles standalone as C++"

# -Wpadded reports every implicit hole or tail padding.
gcc -std=c99 -Wpadded -Werror -fsyntax-only "$out/c99.c"
result $? "uapi structs have no implicit padding"

cat > "$out/layout.c" <<EOC
#include <stddef.h>
#include "$hdr"
_Static_assert(sizeof(struct cowrap_info) == COWRAP_INFO_SIZE_VER0, "size");
_Static_assert(offsetof(struct cowrap_info, size) == 0, "size first");
_Static_assert(offsetof(struct cowrap_info, features) % 8 == 0, "u64 aligned");
EOC
gcc -std=c11 -Wall -Werror -fsyntax-only "$out/layout.c"
result $? "uapi struct layout matches the documented sizes"

exit $fail
