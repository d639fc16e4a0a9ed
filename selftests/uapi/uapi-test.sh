#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# uapi-test.sh HEADER OUTDIR: compile the UAPI header standalone as C99 and
# C++ with strict warnings, and check its structs have no implicit holes.
set -uo pipefail

hdr=$1
out=$2
mkdir -p "$out"
. "$(dirname "$0")/../tap.sh"

printf '#include "%s"\n' "$hdr" > "$out/c99.c"
gcc -std=c99 -Wall -Wextra -pedantic -Werror -fsyntax-only "$out/c99.c"
tap $? "uapi header compiles standalone as C99"

printf '#include "%s"\nint main() { return 0; }\n' "$hdr" > "$out/cxx.cc"
g++ -std=c++11 -Wall -Wextra -pedantic -Werror -fsyntax-only "$out/cxx.cc"
tap $? "uapi header compiles standalone as C++"

# -Wpadded reports every implicit hole or tail padding.
gcc -std=c99 -Wpadded -Werror -fsyntax-only "$out/c99.c"
tap $? "uapi structs have no implicit padding"

cat > "$out/layout.c" <<EOC
#include <stddef.h>
#include "$hdr"
_Static_assert(sizeof(struct cowrap_info) == COWRAP_INFO_SIZE_VER0, "size");
_Static_assert(offsetof(struct cowrap_info, size) == 0, "size first");
_Static_assert(offsetof(struct cowrap_info, features) % 8 == 0, "u64 aligned");
/* device commands: sizes, header, and every __u64 8-byte aligned */
#define HDR(s) \
	_Static_assert(offsetof(struct s, size) == 0, #s " size"); \
	_Static_assert(offsetof(struct s, flags) == 4, #s " flags"); \
	_Static_assert(sizeof(struct s) % 8 == 0, #s " 8-byte multiple")
#define AL(s, f) _Static_assert(offsetof(struct s, f) % 8 == 0, #s "." #f)
HDR(cowrap_dev_add); HDR(cowrap_dev_del); HDR(cowrap_dev_list);
HDR(cowrap_dev_info); HDR(cowrap_dev_stats); HDR(cowrap_fault);
HDR(cowrap_io); HDR(cowrap_features);
_Static_assert(sizeof(struct cowrap_dev_add) == COWRAP_DEV_ADD_SIZE_VER2, "add");
_Static_assert(offsetof(struct cowrap_dev_add, overlay) == COWRAP_DEV_ADD_SIZE_VER1, "add.overlay");
_Static_assert(offsetof(struct cowrap_dev_add, timeout_ms) == COWRAP_DEV_ADD_SIZE_VER0, "add.timeout_ms");
_Static_assert(sizeof(struct cowrap_dev_del) == COWRAP_DEV_DEL_SIZE_VER0, "del");
_Static_assert(sizeof(struct cowrap_dev_list) == COWRAP_DEV_LIST_SIZE_VER0, "list");
_Static_assert(sizeof(struct cowrap_dev_info) == COWRAP_DEV_INFO_SIZE_VER2, "info");
_Static_assert(offsetof(struct cowrap_dev_info, overlay) == COWRAP_DEV_INFO_SIZE_VER1, "info.overlay");
_Static_assert(offsetof(struct cowrap_dev_info, max_hw_sectors) == COWRAP_DEV_INFO_SIZE_VER0, "info.max_hw_sectors");
_Static_assert(sizeof(struct cowrap_dev_stats) == COWRAP_DEV_STATS_SIZE_VER0, "stats");
_Static_assert(sizeof(struct cowrap_fault) == COWRAP_FAULT_SIZE_VER0, "fault");
_Static_assert(sizeof(struct cowrap_io) == COWRAP_IO_SIZE_VER0, "io");
_Static_assert(sizeof(struct cowrap_features) == COWRAP_FEATURES_SIZE_VER0, "features");
AL(cowrap_dev_add, dev_size); AL(cowrap_dev_add, dev_flags);
AL(cowrap_dev_add, latency_ns); AL(cowrap_dev_add, path);
_Static_assert(offsetof(struct cowrap_dev_add, dev_id) == 8, "add.dev_id");
_Static_assert(offsetof(struct cowrap_dev_add, path_len) == 64, "add.path_len");
_Static_assert(offsetof(struct cowrap_dev_del, dev_id) == 8, "del.dev_id");
AL(cowrap_dev_list, ids);
_Static_assert(offsetof(struct cowrap_dev_list, count) == 8, "list.count");
AL(cowrap_dev_info, dev_size); AL(cowrap_dev_info, dev_flags);
AL(cowrap_dev_info, latency_ns);
_Static_assert(offsetof(struct cowrap_dev_info, dev_id) == 8, "info.dev_id");
_Static_assert(offsetof(struct cowrap_dev_info, disk_name) == 72, "info.disk_name");
_Static_assert(offsetof(struct cowrap_dev_info, path) == 104, "info.path");
AL(cowrap_dev_stats, reqs); AL(cowrap_dev_stats, bytes);
AL(cowrap_dev_stats, errors); AL(cowrap_dev_stats, co_started);
AL(cowrap_dev_stats, faults_injected);
_Static_assert(offsetof(struct cowrap_dev_stats, inflight) == 176, "stats.inflight");
AL(cowrap_fault, latency_ns);
_Static_assert(offsetof(struct cowrap_fault, mode) == 12, "fault.mode");
AL(cowrap_io, offset); AL(cowrap_io, length); AL(cowrap_io, buf);
AL(cowrap_features, features); AL(cowrap_features, max_dev_size);
_Static_assert(offsetof(struct cowrap_features, nr_devices) == 76, "features.nr_devices");
EOC
gcc -std=c11 -Wall -Werror -fsyntax-only "$out/layout.c"
tap $? "uapi struct layout matches the documented sizes"

tap_done
