#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run.sh: build an initramfs with busybox, cowrap_blk.ko, extra files
# and test programs, boot it on a Debian kernel under qemu (TCG), stream the
# console, and report TAP results.
#
#   vm-run.sh --kver V --kmod KO --out DIR [--mode check|demo|bench]
#             [--timeout S] [--mem SIZE] [--tap FILE] [--files "F..."]
#             [--bins "B..."] [--python "M..."] [--only NAME[,NAME...]] [--kernel IMAGE] [--moddir DIR]
#             [--timeout-scale N] -- PROGRAM...
#
# --kernel boots IMAGE instead of /boot/vmlinuz-V, --moddir takes the peer
# drivers from DIR instead of /lib/modules/V (the debug kernel of "make
# check-debug" keeps both under build/). --timeout-scale N multiplies the
# guest's time limit and every test's own timeouts (selftests/harness.h
# reads COWRAP_TIMEOUT_SCALE) for a slower kernel.
#
# --bins copies host programs (e.g. fio) into the guest's /usr/bin with
# every library ldd lists and the dynamic loader, at their host paths; a
# dynamically linked program among --files (cowrapctl: libsmartcols) gets
# its libraries the same way.
#
# --python copies Debian's /usr/bin/python3 into the guest with the
# standard library's top-level modules (the ones imported lazily too, such
# as locale) and, of its packages and extension modules, those that the
# host's interpreter has loaded after starting and importing the modules M
# (e.g. json.tool, for "python3 -m json.tool").
#
# Environment: QEMU (default qemu-system-x86_64), VM_ACCEL (default tcg),
# VM_SMP (default 2: QEMU's -smp), VM_BOOT_TRIES (default 2): boots when the kernel crashes before /init
# runs (tools/vm/boot-crashed.sh); a crash after that is never retried.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
mode=check
tmo=600
mem=2G
tap=
files=
bins=
python=
only=
kver=
kmod=
out=
kernel=
moddir=
scale=1

while [ $# -gt 0 ]; do
	case "$1" in
	--kver) kver=$2; shift 2 ;;
	--kmod) kmod=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--mode) mode=$2; shift 2 ;;
	--timeout) tmo=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--tap) tap=$2; shift 2 ;;
	--files) files=$2; shift 2 ;;
	--bins) bins=$2; shift 2 ;;
	--python) python=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--moddir) moddir=$2; shift 2 ;;
	--timeout-scale) scale=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "vm-run: unknown option $1" >&2; exit 2 ;;
	esac
done

die() {
	echo "vm-run: $*" >&2
	exit 2
}

[ -n "$kver" ] && [ -n "$kmod" ] && [ -n "$out" ] || die "--kver, --kmod and --out are required"
case "$scale" in
'' | *[!0-9]* | 0) die "--timeout-scale wants a positive integer, not '$scale'" ;;
esac
tmo=$((tmo * scale))
kernel=${kernel:-/boot/vmlinuz-$kver}
moddir=${moddir:-/lib/modules/$kver}
[ -r "$kernel" ] || die "no kernel image $kernel (run make deps)"
[ -r "$kmod" ] || die "no module $kmod"
[ -x /bin/busybox ] || die "no /bin/busybox (busybox-static; run make deps)"

progs=()
for p in "$@"; do
	case ",$only," in
	,,|*",$(basename "$p"),"*) progs+=("$p") ;;
	esac
done
if [ -n "$only" ] && [ ${#progs[@]} -eq 0 ]; then
	die "no test program named $only"
fi

root=$out/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,root,etc/cowrap,lib/cowrap,lib/peer,tests}
cp /bin/busybox "$root/bin/busybox"
cp "$here/init.sh" "$root/init"
chmod 755 "$root/init"
cp "$kmod" "$root/lib/cowrap/"

# The libraries of $1 and the dynamic loader at their host paths; nothing
# for a static program, a script or a module (ldd refuses those).
copy_libs() {
	ldd "$1" > /dev/null 2>&1 || return 0
	for lib in $(ldd "$1" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

for f in $files; do
	cp "$f" "$root/lib/cowrap/"
	copy_libs "$f"
done

for b in $bins; do
	path=$(command -v "$b") || die "no program $b on the host (run make deps)"
	mkdir -p "$root/usr/bin"
	cp "$path" "$root/usr/bin/"
	copy_libs "$path"
done

# Python 3 with the modules it needs for $python (see --python above), from
# its standard library only, with their cached bytecode.
copy_python() {
	local py=/usr/bin/python3 stdlib f
	[ -x $py ] || die "no $py on the host (python3; run make deps)"
	stdlib=$($py -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
	mkdir -p "$root/usr/bin" "$root$stdlib/lib-dynload"
	cp -L $py "$root/usr/bin/python3"
	copy_libs $py
	cp -r "$stdlib/encodings" "$root$stdlib/"
	mkdir -p "$root$stdlib/__pycache__"
	cp "$stdlib"/*.py "$root$stdlib/"
	cp "$stdlib"/__pycache__/*.cpython-*[0-9].pyc "$root$stdlib/__pycache__/"
	for f in $(env -u PYTHONPATH -u PYTHONHOME $py -c '
import importlib, importlib.util, os, sys
for m in ["runpy"] + sys.argv[1:]:
    importlib.import_module(m)
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None)
    if not f:
        continue
    print(f)
    if f.endswith(".py"):
        c = importlib.util.cache_from_source(f)
        if os.path.exists(c):
            print(c)
' $python); do
		case "$f" in
		"$stdlib"/*) ;;
		*) continue ;;
		esac
		mkdir -p "$root$(dirname "$f")"
		cp "$f" "$root$f"
		case "$f" in
		*.so) copy_libs "$f" ;;
		esac
	done
}

[ -z "$python" ] || copy_python

# Peer drivers for stacking tests and benchmarks, uncompressed for insmod
# (the crypto core is built in on Debian's kernels, a module in the debug
# kernel).
for m in fs/configfs/configfs drivers/block/null_blk/null_blk drivers/block/brd \
	 drivers/md/dm-mod drivers/md/dm-bufio drivers/md/dm-snapshot \
	 crypto/crypto crypto/crypto_algapi crypto/crypto_hash \
	 lib/crc16 fs/mbcache fs/jbd2/jbd2 crypto/crc32c_generic fs/ext4/ext4; do
	if [ -r "$moddir/kernel/$m.ko" ]; then
		cp "$moddir/kernel/$m.ko" "$root/lib/peer/"
	elif [ -r "$moddir/kernel/$m.ko.xz" ]; then
		xz -dc "$moddir/kernel/$m.ko.xz" > "$root/lib/peer/$(basename "$m").ko"
	fi
done

names=()
for p in "${progs[@]}"; do
	n=$(basename "$p")
	if [ -e "$p" ]; then
		cp "$p" "$root/tests/$n"
	fi
	names+=("$n")
done
printf '%s\n' "${names[@]}" > "$root/etc/cowrap/run"
echo "$mode" > "$root/etc/cowrap/mode"
echo "$tmo" > "$root/etc/cowrap/timeout"
echo "$scale" > "$root/etc/cowrap/timeout_scale"

initrd=$out/initramfs.cpio.gz
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$initrd"

# The demo shows only what the guest says; the kernel log dump stays in
# the log file, where it is still checked.
show() {
	if [ "$mode" = demo ]; then
		tr -d '\r' | awk '/^cowrap-vm: klog-begin/ { h = 1 } !h { print } /^cowrap-vm: klog-end/ { h = 0 }'
	else
		cat
	fi
}

log=$out/console.log
qemu=${QEMU:-qemu-system-x86_64}
# A large log buffer: the kernel log is checked from the dmesg dump at the
# end, and a debug kernel's reports (and fault injection's) are long.
append="console=ttyS0 panic=-1 oops=panic rdinit=/init quiet loglevel=3 log_buf_len=16M"
tries=${VM_BOOT_TRIES:-2}
try=1
echo "vm-run: booting $kver ($mode, ${#names[@]} programs, timeout ${tmo}s), log in $log"
while :; do
	set +e
	timeout --kill-after=10 "$tmo" "$qemu" -accel "${VM_ACCEL:-tcg}" -smp "${VM_SMP:-2}" -m "$mem" \
		-nographic -no-reboot -kernel "$kernel" -initrd "$initrd" \
		-append "$append" < /dev/null 2>&1 | tee "$log" | show
	qstatus=${PIPESTATUS[0]}
	set -e
	# a crash before /init ran is the boot's, not cowrap's: boot again
	[ "$try" -lt "$tries" ] && "$here/boot-crashed.sh" "$log" || break
	mv "$log" "$out/console.boot$try.log"
	try=$((try + 1))
	echo "vm-run: the kernel crashed while booting, before /init ran (log kept in $out/console.boot$((try - 1)).log); booting again ($try of $tries)"
done

if [ -n "$tap" ]; then
	mkdir -p "$(dirname "$tap")"
	rstatus=0
	"$here/report.sh" "$log" "$kver" "$qstatus" "$tmo" "${names[@]}" > "$tap" || rstatus=$?
	cat "$tap"
	exit $rstatus
fi
exit "$qstatus"
