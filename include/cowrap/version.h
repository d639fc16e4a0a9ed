/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap: release and API version of the coroutine layer.
 *
 * COWRAP_VERSION is the release (the module's MODULE_VERSION, the dkms
 * package version, the kit's include directory cowrap-<version>).
 * COWRAP_API_MAJOR and COWRAP_API_MINOR version what a consumer module
 * compiles and links against: <cowrap/coroutine.h>, <cowrap/annotations.h>
 * and the symbols cowrap_blk.ko exports.  The minor number grows when the
 * API grows compatibly; the major number when a consumer built for the old
 * one may no longer work.
 *
 * A consumer checks both:
 *
 * - at build time, against the headers it compiles with:
 *
 *	#if COWRAP_API_MAJOR != 1 || COWRAP_API_MINOR < 0
 *	#error "mydrv needs the cowrap API 1.0 or a compatible later one"
 *	#endif
 *
 * - at load time, against the cowrap_blk.ko that is loaded: referencing
 *   cowrap_api_version makes the module depend on cowrap_blk (modprobe
 *   loads it first, insmod refuses with "Unknown symbol" without it, and
 *   on a CONFIG_MODVERSIONS kernel the symbol's CRC from the kit's
 *   Module.symvers must match), and cowrap_api_check() in the module's
 *   init compares the numbers.
 */
#ifndef _COWRAP_VERSION_H
#define _COWRAP_VERSION_H

#define COWRAP_VERSION		"0.1.0"

#define COWRAP_API_MAJOR	1
#define COWRAP_API_MINOR	1

/* One number for comparisons: (major << 16) | minor. */
#define COWRAP_API_VERSION_CODE(major, minor)	(((major) << 16) | (minor))
#define COWRAP_API_VERSION \
	COWRAP_API_VERSION_CODE(COWRAP_API_MAJOR, COWRAP_API_MINOR)

#ifdef __KERNEL__
#include <linux/errno.h>

/*
 * COWRAP_API_VERSION of the loaded cowrap_blk.ko (EXPORT_SYMBOL_GPL,
 * kmod/co/co_version.c).
 */
extern const unsigned int cowrap_api_version;

/**
 * cowrap_api_check() - whether the loaded layer serves this module
 *
 * Compares the API version this module was compiled against with the one
 * of the loaded cowrap_blk.ko: the major numbers must be equal and the
 * loaded minor number at least the compiled one.  Call it first in the
 * module's init and fail the load on an error.
 *
 * Return: 0 when compatible, -ENOEXEC otherwise.
 */
static inline int cowrap_api_check(void)
{
	unsigned int have = cowrap_api_version;

	if (have >> 16 != COWRAP_API_MAJOR ||
	    (have & 0xffff) < COWRAP_API_MINOR)
		return -ENOEXEC;
	return 0;
}
#endif /* __KERNEL__ */

#endif /* _COWRAP_VERSION_H */
