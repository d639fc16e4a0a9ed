#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh OUTBASE: build the debug kernel of "make check-debug" from
# Debian's linux-source-6.12 with tools/debug-kernel/debug.config, unless
# OUTBASE already holds the build for this source version and fragment.
# Prints the build's directory on stdout; everything else goes to stderr.
#
# OUTBASE/src-VER/        the unpacked source, shared by every fragment
# OUTBASE/VER-HASH/obj/   the kernel tree (O=): KDIR for M= module builds
# OUTBASE/VER-HASH/mods/  modules_install with INSTALL_MOD_PATH
# OUTBASE/VER-HASH/bzImage, kernelrelease, build.log, build-seconds
#
# Environment: DEBUG_KERNEL_JOBS (default 2), DEBUG_KERNEL_NICE (default 10).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
frag=$here/debug.config
base=${1:?usage: build.sh OUTBASE}
jobs=${DEBUG_KERNEL_JOBS:-2}
niceness=${DEBUG_KERNEL_NICE:-10}

say() {
	echo "debug-kernel: $*" >&2
}
die() {
	say "$*"
	exit 1
}

tarball=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || die "no /usr/src/linux-source-6.12*.tar.xz (run make deps)"
ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
	ver=$(stat -c %s-%Y "$tarball")
ver=${ver//[^A-Za-z0-9.+_-]/_}
hash=$(sha256sum "$frag" | cut -c1-12)
dir=$base/$ver-$hash

# One build at a time per OUTBASE (a second caller waits, then reuses it).
mkdir -p "$base"
exec 9> "$base/.lock"
flock 9

if [ -r "$dir/kernelrelease" ] && [ -r "$dir/bzImage" ]; then
	say "cached: $dir ($(cat "$dir/kernelrelease"), built in $(cat "$dir/build-seconds" 2>/dev/null || echo '?') s)"
	echo "$dir"
	exit 0
fi

src=$base/src-$ver
if [ ! -e "$src/.unpacked" ]; then
	say "unpacking $tarball into $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" --strip-components=1 -xf "$tarball"
	touch "$src.tmp/.unpacked"
	mv "$src.tmp" "$src"
fi

rm -rf "$dir"
mkdir -p "$dir/obj"
log=$dir/build.log
# Nothing of a calling make (-n, -j, its command-line variables such as
# KDIR) may leak into the kernel's build.
kmake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		nice -n "$niceness" make -C "$src" O="$dir/obj" ARCH=x86_64 "$@"
}

say "configuring (allnoconfig + $frag)"
kmake KCONFIG_ALLCONFIG="$frag" allnoconfig > "$log" 2>&1 ||
	{ tail -n 30 "$log" >&2; die "configuration failed, see $log"; }

# Every line of the fragment must hold in the result: a symbol whose
# dependencies are missing is dropped silently by Kconfig.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" "$dir/obj/.config" || {
			say "not in .config: $line"
			bad=1
		}
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		if grep -q "^$sym=" "$dir/obj/.config"; then
			say "set in .config: $sym"
			bad=1
		fi
		;;
	esac
done < "$frag"
[ "$bad" -eq 0 ] || die "the fragment does not apply to $ver; fix $frag"

say "building $ver with -j$jobs under nice -n $niceness, log in $log"
start=$(date +%s)
kmake -j"$jobs" bzImage modules >> "$log" 2>&1 ||
	{ tail -n 40 "$log" >&2; die "build failed, see $log"; }
kmake INSTALL_MOD_PATH="$dir/mods" modules_install >> "$log" 2>&1 ||
	{ tail -n 20 "$log" >&2; die "modules_install failed, see $log"; }
end=$(date +%s)

cp "$dir/obj/arch/x86/boot/bzImage" "$dir/bzImage"
echo $((end - start)) > "$dir/build-seconds"
# kernelrelease is written last: it marks the build as complete.
kmake -s kernelrelease > "$dir/kernelrelease.tmp"
mv "$dir/kernelrelease.tmp" "$dir/kernelrelease"
say "built $(cat "$dir/kernelrelease") in $((end - start)) s"
echo "$dir"
