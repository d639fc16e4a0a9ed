#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-kit.sh KVER ARCH KDIR: dkms's POST_BUILD script (dkms.conf). Run in
# dkms's build directory after the module is built for KVER, it installs
# the development kit for that kernel next to the module dkms keeps,
# $dkms_tree/cowrap/<version>/KVER/ARCH/kit (PREFIX-style: bin/cowrap-config
# --kbuild, --symvers=KVER ...; Documentation/driver-guide.rst). dkms
# removes it with the module ("dkms remove").
set -euo pipefail

kver=$1
arch=$2
kdir=$3

base=$(cd .. && pwd)/$kver/$arch
[ -d "$base" ] || { echo "dkms-kit: no $base: not run by dkms after a build?" >&2; exit 1; }
rm -rf "$base/kit"
make --no-print-directory _kit-install KVER="$kver" KDIR="$kdir" \
	DESTDIR= PREFIX="$base/kit"
echo "dkms-kit: cowrap kit for $kver in $base/kit"
