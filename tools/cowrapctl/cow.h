/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrapctl's cow overlay commands (cow.c): formatting an overlay for
 * "add --backend cow --format" and the offline check "cow-check".
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

/**
 * cmd_cow_check() - the "cow-check" command
 * @argc: arguments, argv[0] being the command name
 * @argv: arguments
 *
 * Return: 0 for a consistent overlay, 1 for an inconsistent one or an
 * error, 2 for bad usage.
 */
int cmd_cow_check(int argc, char **argv);

#endif /* COWRAPCTL_COW_H */
