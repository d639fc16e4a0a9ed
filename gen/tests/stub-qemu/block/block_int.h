/* SPDX-License-Identifier: GPL-2.0 */
/* stand-in for cowrap-gen's QEMU-flavor compile test: see qemu/osdep.h */
#ifndef STUB_BLOCK_BLOCK_INT_H
#define STUB_BLOCK_BLOCK_INT_H

#include "qemu/osdep.h"

#endif /* STUB_BLOCK_BLOCK_INT_H */
