#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what cowrap needs with apt-get; a no-op when everything is there.
set -euo pipefail

# bc bison flex libelf-dev libssl-dev and linux-source-6.12 also build the
# debug kernel of "make check-debug".
PKGS=(build-essential bc bison flex kmod xz-utils cpio gzip sparse libelf-dev
      clang libclang-rt-14-dev qemu-system-x86 busybox-static fio dkms
      groff-base man-db bsdextrautils dmsetup libsmartcols-dev jq python3
      pkgconf
      linux-image-amd64 linux-headers-amd64
      linux-source-6.12 libssl-dev)

missing=()
have() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

for p in "${PKGS[@]}"; do
	have "$p" || missing+=("$p")
done

# The 6.12 series: any installed amd64 image with its headers will do; when
# there is none, take the newest the archive has.
have612=
for img in $(dpkg-query -W -f='${Package}\n' 'linux-image-6.12.*-amd64-unsigned' 2>/dev/null); do
	have "$img" || continue
	v=${img#linux-image-}
	v=${v%-unsigned}
	if have "linux-headers-$v"; then
		have612=$v
	fi
done

updated=
apt_update() {
	if [ -z "$updated" ]; then
		apt-get update -q
		updated=1
	fi
}

if [ -z "$have612" ]; then
	apt_update
	v=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+.*-amd64-unsigned$' |
	    awk '{print $1}' | grep -v -e '-cloud-' -e '-rt-' |
	    sed -e 's/^linux-image-//' -e 's/-unsigned$//' | sort -V | tail -n 1)
	if [ -z "$v" ]; then
		echo "deps: no linux-image-6.12.*-amd64-unsigned in the archive" >&2
		exit 1
	fi
	missing+=("linux-image-$v-unsigned" "linux-headers-$v")
fi

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

echo "deps: installing ${missing[*]}"
apt_update
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
