#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Load and unload cowrap_blk.ko 50 times; the control device must come and
# go with it and the kernel log must stay clean. Leaves the module loaded.

ko=/lib/cowrap/cowrap_blk.ko
cycles=50
bad='BUG:|WARNING:|Oops|general protection|soft lockup|hung task|refcount_t|list_add corruption'

echo "TAP version 13"
echo "1..3"

before=$(dmesg | wc -l)
fail=0
i=0
while [ $i -lt $cycles ]; do
	if ! rmmod cowrap_blk; then
		echo "# cycle $i: rmmod failed"
		fail=1
		break
	fi
	if [ -e /dev/cowrap-ctl ]; then
		echo "# cycle $i: /dev/cowrap-ctl still there after rmmod"
		fail=1
		break
	fi
	if ! insmod $ko; then
		echo "# cycle $i: insmod failed"
		fail=1
		break
	fi
	if [ ! -c /dev/cowrap-ctl ]; then
		echo "# cycle $i: no /dev/cowrap-ctl after insmod"
		fail=1
		break
	fi
	i=$((i + 1))
done
if [ $fail -eq 0 ]; then
	echo "ok 1 load_unload_${cycles}_cycles"
else
	echo "not ok 1 load_unload_${cycles}_cycles"
fi

if grep -q '^cowrap_blk ' /proc/modules; then
	echo "ok 2 module_loaded_after_cycles"
else
	echo "not ok 2 module_loaded_after_cycles"
	insmod $ko
fi

if dmesg | tail -n +"$((before + 1))" | grep -Eq "$bad"; then
	dmesg | tail -n +"$((before + 1))" | grep -E "$bad" | sed 's/^/# /'
	echo "not ok 3 load_unload_kernel_log_clean"
	exit 1
fi
echo "ok 3 load_unload_kernel_log_clean"
[ $fail -eq 0 ]
