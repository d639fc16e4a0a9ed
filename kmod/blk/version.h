/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _COWRAP_VERSION_H
#define _COWRAP_VERSION_H

#define COWRAP_MODULE_VERSION	"0.1.0"

#endif /* _COWRAP_VERSION_H */
