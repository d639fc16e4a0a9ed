/* SPDX-License-Identifier: GPL-2.0 */
/*
 * null_blk devices through configfs for the VM tests (blk_bdev_test,
 * cow_test): /dev/nullbN made with "attr=value" settings, powered off and
 * on (power off drops a volatile cache; memory_backed=1 keeps the media),
 * and removed.  The peers' modules are in the guest's /lib/peer.
 */
#ifndef NULLB_UTIL_H
#define NULLB_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blk_util.h"

#define NULLB_CFG	"/sys/kernel/config/nullb"

/* Load configfs and null_blk (no devices of its own) and mount configfs, once. */
static inline void nullb_setup(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	if (system("insmod /lib/peer/configfs.ko 2>/dev/null; "
		   "mkdir -p /sys/kernel/config; "
		   "mount -t configfs configfs /sys/kernel/config 2>/dev/null; "
		   "insmod /lib/peer/null_blk.ko nr_devices=0 2>/dev/null; true"))
		return;
}

/* Set configfs attribute @attr of nullb@idx to @val: 0 or -errno. */
static inline int nullb_set(int idx, const char *attr, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), NULLB_CFG "/nullb%d/%s", idx, attr);
	return write_str(path, val);
}

/* Power nullb@idx off and remove its configfs item (if it exists). */
static inline void nullb_destroy(int idx)
{
	char path[128];

	nullb_set(idx, "power", "0");
	snprintf(path, sizeof(path), NULLB_CFG "/nullb%d", idx);
	rmdir(path);
}

/*
 * Create /dev/nullb@idx (the directory's name, index @idx on every
 * kernel) with "attr=value" settings separated by spaces, powered on.
 * On failure the configfs item is removed again: one left behind holds
 * the null_blk module (a kernel without zoned devices refuses zoned=1).
 * Return: 0 or a negative errno.
 */
static inline int nullb_create(int idx, const char *attrs)
{
	char path[128], buf[512], *a, *save = NULL;
	int ret = 0;

	nullb_setup();
	snprintf(path, sizeof(path), NULLB_CFG "/nullb%d", idx);
	if (mkdir(path, 0755))
		return -errno;
	snprintf(buf, sizeof(buf), "index=%d %s", idx, attrs);
	for (a = strtok_r(buf, " ", &save); a && !ret;
	     a = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(a, '=');

		if (!eq || (*eq = 0, nullb_set(idx, a, eq + 1)))
			ret = -EINVAL;
	}
	if (!ret && nullb_set(idx, "power", "1"))
		ret = -EIO;
	snprintf(path, sizeof(path), "/dev/nullb%d", idx);
	if (!ret && access(path, F_OK))
		ret = -ENODEV;
	if (ret)
		nullb_destroy(idx);
	return ret;
}

#endif /* NULLB_UTIL_H */
