/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cow backend's private state, shared by its metadata half
 * (backend_cow_meta.c: superblock, chunk map, FLUSH) and its I/O half
 * (backend_cow.c: reads, copy-up, writes).  Documentation/cow-format.rst.
 */
#ifndef _COWRAP_BACKEND_COW_H
#define _COWRAP_BACKEND_COW_H

#include <linux/atomic.h>
#include <linux/bio.h>
#include <linux/bitops.h>
#include <linux/mempool.h>
#include <linux/types.h>
#include <linux/cowrap.h>
#include <linux/cowrap_cow.h>

#include <cowrap/coroutine.h>

#include "compat.h"

/* Buckets of chunks being copied up (chunk % COWRAP_COW_BUCKETS). */
#define COWRAP_COW_BUCKETS	64

/**
 * struct cowrap_cow_mblk - one block of the chunk map
 * @lock: serialises the write-back of this block (FUA commits, FLUSH)
 * @gen: bumped after every bit set in the block
 * @disk_gen: the @gen the durable copy of the block holds (under @lock)
 * @snap_gen: the @gen of @shadow (under @lock)
 * @shadow: the page written to the overlay: a snapshot of the block
 */
struct cowrap_cow_mblk {
	struct cowrap_co_mutex lock;
	atomic64_t gen;
	u64 disk_gen;
	u64 snap_gen;
	struct page *shadow;
};

/**
 * struct cowrap_cow_bucket - chunks of one hash bucket being copied up
 * @lock: protects @busy; held only for a lookup, never across I/O
 * @busy: chunk numbers being copied up, in struct cowrap_cow_busy
 * @done: waiters for any copy-up of the bucket to finish
 */
struct cowrap_cow_bucket {
	struct cowrap_co_mutex lock;
	struct list_head busy;
	struct cowrap_co_queue done;
};

/**
 * struct cowrap_cow - cow backend state
 * @base: the base device, opened read-only
 * @ovl: the overlay device
 * @bs: bio_set of every lower bio
 * @pool: chunk buffers of copy-ups (pages of order @chunk_order)
 * @map: the chunk map in memory, @nr_mblk blocks, little-endian bit order
 * @mblk: per map block write-back state
 * @bucket: copy-ups in flight
 * @zero_bv: @chunk_size bytes of ZERO_PAGE(0), the source of write-zeroes
 * @sb: the superblock as last read or written
 * @chunk_size: bytes per chunk
 * @chunk_shift: log2(@chunk_size)
 * @chunk_order: page order of a chunk buffer
 * @nr_chunks: chunks of the base
 * @nr_mblk: map blocks
 * @base_size: bytes of the base
 * @data_offset: byte offset of chunk 0 in the overlay
 * @writable: the overlay is written (not a read-only device)
 */
struct cowrap_cow {
	struct cowrap_lower base;
	struct cowrap_lower ovl;
	struct bio_set bs;
	mempool_t *pool;
	void *map;
	struct cowrap_cow_mblk *mblk;
	struct cowrap_cow_bucket bucket[COWRAP_COW_BUCKETS];
	struct bio_vec *zero_bv;
	struct cowrap_cow_sb sb;
	u32 chunk_size;
	unsigned int chunk_shift;
	unsigned int chunk_order;
	u64 nr_chunks;
	u64 nr_mblk;
	u64 base_size;
	u64 data_offset;
	bool writable;
};

static inline bool cowrap_cow_mapped(struct cowrap_cow *c, u64 chunk)
{
	return test_bit_le(chunk, c->map);
}

static inline struct cowrap_cow_mblk *cowrap_cow_mblk_of(struct cowrap_cow *c,
							 u64 chunk)
{
	return &c->mblk[chunk / COWRAP_COW_MAP_BITS];
}

/* backend_cow_meta.c */
void coroutine_fn cowrap_cow_submit_page(struct cowrap_cow *c,
					 struct cowrap_bio_batch *b,
					 struct block_device *bdev,
					 blk_opf_t opf, u64 pos,
					 struct page *page, unsigned int off,
					 unsigned int len);
int coroutine_fn cowrap_cow_co_wait(struct cowrap_bio_batch *b);
void coroutine_fn cowrap_cow_set_mapped(struct cowrap_cow *c, u64 chunk);
int coroutine_fn cowrap_cow_co_commit(struct cowrap_cow *c, u64 first,
				      u64 last);
int coroutine_fn cowrap_cow_co_flush_map(struct cowrap_cow *c);
int cowrap_cow_meta_open(struct cowrap_cow *c, u32 chunk_size);
void cowrap_cow_meta_close(struct cowrap_cow *c);

#endif /* _COWRAP_BACKEND_COW_H */
