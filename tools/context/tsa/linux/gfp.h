/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in of <linux/gfp.h> for check-tsa.sh. */
#ifndef _COWRAP_TSA_GFP_H
#define _COWRAP_TSA_GFP_H

typedef unsigned int gfp_t;
#define GFP_KERNEL	((gfp_t)0xcc0)

#endif /* _COWRAP_TSA_GFP_H */
