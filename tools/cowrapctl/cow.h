/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrapctl's cow overlay commands (cow.c): formatting an overlay for
 * "add --backend cow --format" and the offline check "cow-check"
 * (cmd_cow_check and backend_check_cow are declared in cowrapctl.h).
 */
#ifndef COWRAPCTL_COW_H
#define COWRAPCTL_COW_H

#include <linux/types.h>

/* Chunk size of "add --backend cow --format" without --chunk-size. */
#define COW_DEFAULT_CHUNK	65536

/**
 * cow_format() - write a fresh superblock and an empty map on an overlay
 * @base: path of the base device
 * @overlay: path of the overlay device
 * @chunk_size: bytes, a power of two in the format's bounds
 * @force: overwrite a valid superblock
 *
 * Return: 0, or 1 after printing why not.
 */
int cow_format(const char *base, const char *overlay, __u32 chunk_size,
	       int force);

#endif /* COWRAPCTL_COW_H */
