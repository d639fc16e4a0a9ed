/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the supported kernels (Debian's 6.1 and 6.12), kept
 * in one place so that the rest of the module reads like mainline code.
 */
#ifndef _COWRAP_COMPAT_H
#define _COWRAP_COMPAT_H

#include <linux/version.h>

#endif /* _COWRAP_COMPAT_H */
