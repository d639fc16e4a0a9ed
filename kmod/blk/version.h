/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _COWRAP_BLK_VERSION_H
#define _COWRAP_BLK_VERSION_H

#include <cowrap/version.h>

/* The release: one number for the module, the layer and the kit. */
#define COWRAP_MODULE_VERSION	COWRAP_VERSION

#endif /* _COWRAP_BLK_VERSION_H */
