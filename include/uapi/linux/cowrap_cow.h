/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * On-disk format of a cowrap cow overlay (Documentation/cow-format.rst),
 * shared by the cow backend and cowrapctl's format and check commands.
 * All fields are little-endian.
 *
 * Layout: the superblock in block 0, the chunk map in blocks 1 .. map_blocks
 * (bit c of the map, at byte c / 8 bit c % 8, says that chunk c of the base
 * lives in the overlay), data chunks from data_offset on: chunk c at
 * data_offset + c * chunk_size.  A block is COWRAP_COW_BLOCK bytes.
 */
#ifndef _UAPI_LINUX_COWRAP_COW_H
#define _UAPI_LINUX_COWRAP_COW_H

#include <linux/types.h>

#define COWRAP_COW_MAGIC	0x564f504152574f43ULL	/* "COWRAPOV" */
#define COWRAP_COW_VERSION	1
#define COWRAP_COW_BLOCK	4096
#define COWRAP_COW_MAP_BITS	(COWRAP_COW_BLOCK * 8)	/* chunks per block */

/* Identity of the base: this many sample blocks, see cow-format.rst. */
#define COWRAP_COW_ID_SAMPLES	8

/* 64-bit FNV-1a, the checksum and identity hash of the format. */
#define COWRAP_COW_FNV_OFFSET	0xcbf29ce484222325ULL
#define COWRAP_COW_FNV_PRIME	0x100000001b3ULL

/* struct cowrap_cow_sb.flags */
#define COWRAP_COW_SB_DIRTY	(1U << 0)	/* open, or not closed cleanly */
#define COWRAP_COW_SB_FLAGS_ALL	COWRAP_COW_SB_DIRTY

/**
 * struct cowrap_cow_sb - superblock of an overlay, at byte 0
 * @magic: COWRAP_COW_MAGIC
 * @version: COWRAP_COW_VERSION
 * @flags: COWRAP_COW_SB_* bits
 * @chunk_size: bytes, a power of two, COWRAP_COW_MIN_CHUNK ..
 *	COWRAP_COW_MAX_CHUNK
 * @reserved: 0
 * @base_size: bytes of the base, a multiple of COWRAP_COW_BLOCK
 * @base_id: FNV-1a of the base's size and sample blocks
 * @nr_chunks: DIV_ROUND_UP(@base_size, @chunk_size)
 * @map_offset: byte offset of the map: COWRAP_COW_BLOCK
 * @map_blocks: DIV_ROUND_UP(@nr_chunks, COWRAP_COW_MAP_BITS)
 * @data_offset: byte offset of chunk 0: @map_offset + @map_blocks blocks,
 *	rounded up to @chunk_size
 * @open_count: times the backend opened the overlay
 * @dirty_count: times it found it dirty (not closed cleanly)
 * @reserved2: 0
 * @csum: FNV-1a of the bytes before it
 *
 * 128 bytes, inside the first sector: it is written whole or not at all.
 */
struct cowrap_cow_sb {
	__le64 magic;
	__le32 version;
	__le32 flags;
	__le32 chunk_size;
	__le32 reserved;
	__le64 base_size;
	__le64 base_id;
	__le64 nr_chunks;
	__le64 map_offset;
	__le64 map_blocks;
	__le64 data_offset;
	__le64 open_count;
	__le64 dirty_count;
	__le64 reserved2[4];
	__le64 csum;
};

#endif /* _UAPI_LINUX_COWRAP_COW_H */
