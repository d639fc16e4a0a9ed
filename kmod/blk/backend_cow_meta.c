// SPDX-License-Identifier: GPL-2.0
/*
 * The cow backend's metadata: the superblock and the chunk map on the
 * overlay (Documentation/cow-format.rst), and their write-back.
 *
 * The rule that keeps the map consistent: a bit reaches the overlay only
 * after the data of its chunk is durable.  A copy-up sets the bit in
 * memory once its chunk has been written; the write-back of a map block
 * snapshots it first and then sends a FLUSH down, so every bit in the
 * snapshot belongs to a chunk whose write had completed before that
 * FLUSH, and only then writes the snapshot with FUA.  Bits are only ever
 * set, so a map block torn at any sector boundary is still valid.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "backend_cow.h"

/* 64-bit FNV-1a over @n bytes, continuing from @h. */
static u64 cowrap_cow_fnv(u64 h, const void *p, size_t n)
{
	const u8 *b = p;

	while (n--) {
		h ^= *b++;
		h *= COWRAP_COW_FNV_PRIME;
	}
	return h;
}

static u64 cowrap_cow_sb_csum(const struct cowrap_cow_sb *sb)
{
	return cowrap_cow_fnv(COWRAP_COW_FNV_OFFSET, sb,
			      offsetof(struct cowrap_cow_sb, csum));
}

/**
 * cowrap_cow_submit_page() - submit a bio on a buffer as part of a batch
 * @c: backend state (its bio_set)
 * @b: batch, set up with cowrap_co_batch_init()
 * @bdev: lower device
 * @opf: operation and flags
 * @pos: byte offset on @bdev
 * @page: first page of a physically contiguous buffer, or NULL (no data)
 * @off: byte offset in @page
 * @len: bytes (0 with no data)
 */
void coroutine_fn cowrap_cow_submit_page(struct cowrap_cow *c,
					 struct cowrap_bio_batch *b,
					 struct block_device *bdev,
					 blk_opf_t opf, u64 pos,
					 struct page *page, unsigned int off,
					 unsigned int len)
{
	struct bio *bio = bio_alloc_bioset(bdev, page ? 1 : 0, opf, GFP_NOIO,
					   &c->bs);

	bio->bi_iter.bi_sector = pos >> SECTOR_SHIFT;
	if (page)
		__bio_add_page(bio, page, len, off);
	cowrap_co_batch_submit(b, bio);
}

/**
 * cowrap_cow_co_wait() - wait for a batch of the backend
 * @b: batch
 *
 * Return: 0 or the negative errno of the first bio that failed.
 */
int coroutine_fn cowrap_cow_co_wait(struct cowrap_bio_batch *b)
{
	return blk_status_to_errno(cowrap_co_batch_wait(b));
}

/* One bio and its wait: 0 or -errno. */
static int coroutine_fn cowrap_cow_co_io(struct cowrap_cow *c,
					 struct block_device *bdev,
					 blk_opf_t opf, u64 pos,
					 struct page *page, unsigned int len)
{
	struct cowrap_bio_batch b;
	int ret = cowrap_co_batch_init(&b);

	if (ret)
		return ret;
	cowrap_cow_submit_page(c, &b, bdev, opf, pos, page, 0, len);
	return cowrap_cow_co_wait(&b);
}

/**
 * cowrap_cow_set_mapped() - record in memory that a chunk is in the overlay
 * @c: backend state
 * @chunk: chunk whose data write has completed
 *
 * From now on the chunk is read from the overlay; its bit reaches the
 * overlay with the next write-back of its map block.
 */
void coroutine_fn cowrap_cow_set_mapped(struct cowrap_cow *c, u64 chunk)
{
	set_bit_le(chunk, c->map);
	/* a snapshot that sees the new gen sees the bit */
	smp_mb__after_atomic();
	atomic64_inc(&cowrap_cow_mblk_of(c, chunk)->gen);
}

static bool cowrap_cow_mblk_dirty(struct cowrap_cow_mblk *mb)
{
	return atomic64_read(&mb->gen) != READ_ONCE(mb->disk_gen);
}

/* Lock @mb if it is dirty and snapshot it; true if it was. */
static bool coroutine_fn cowrap_cow_co_snap(struct cowrap_cow *c, u64 i)
{
	struct cowrap_cow_mblk *mb = &c->mblk[i];

	if (!cowrap_cow_mblk_dirty(mb))
		return false;
	cowrap_co_mutex_lock(&mb->lock);	/* a worker: never refused */
	if (!cowrap_cow_mblk_dirty(mb)) {
		cowrap_co_mutex_unlock(&mb->lock);
		return false;
	}
	mb->snap_gen = atomic64_read(&mb->gen);
	smp_rmb();	/* pairs with cowrap_cow_set_mapped() */
	memcpy(page_address(mb->shadow), c->map + i * COWRAP_COW_BLOCK,
	       COWRAP_COW_BLOCK);
	return true;
}

/* Write the snapshots of the locked blocks of [@from, @to), then unlock. */
static int coroutine_fn cowrap_cow_co_put_snaps(struct cowrap_cow *c,
						u64 from, u64 to, bool *locked,
						int ret)
{
	struct cowrap_bio_batch b;
	u64 i;

	if (!ret)
		ret = cowrap_co_batch_init(&b);
	if (!ret) {
		for (i = from; i < to; i++)
			if (locked[i - from])
				cowrap_cow_submit_page(c, &b, c->ovl.bdev,
						       REQ_OP_WRITE | REQ_SYNC |
						       REQ_META | REQ_FUA,
						       le64_to_cpu(c->sb.map_offset) +
						       i * COWRAP_COW_BLOCK,
						       c->mblk[i].shadow, 0,
						       COWRAP_COW_BLOCK);
		ret = cowrap_cow_co_wait(&b);
	}
	for (i = from; i < to; i++) {
		struct cowrap_cow_mblk *mb = &c->mblk[i];

		if (!locked[i - from])
			continue;
		if (!ret)
			WRITE_ONCE(mb->disk_gen, mb->snap_gen);
		cowrap_co_mutex_unlock(&mb->lock);
	}
	return ret;
}

/* Map blocks written back by one FLUSH and one batch at most. */
#define COWRAP_COW_WB_MAX	64

/*
 * Write back the dirty blocks of [@from, @to) (at most COWRAP_COW_WB_MAX):
 * snapshot them, FLUSH the overlay (the data of every bit in a snapshot
 * is then durable), write the snapshots with FUA.  @always sends the
 * FLUSH even when no block is dirty.
 */
static int coroutine_fn cowrap_cow_co_writeback(struct cowrap_cow *c,
						u64 from, u64 to, bool always)
{
	bool locked[COWRAP_COW_WB_MAX];
	bool any = false;
	int ret = 0;
	u64 i;

	for (i = from; i < to; i++) {
		locked[i - from] = cowrap_cow_co_snap(c, i);
		any |= locked[i - from];
	}
	if (!any && !always)
		return 0;
	ret = cowrap_cow_co_io(c, c->ovl.bdev,
			       REQ_OP_WRITE | REQ_PREFLUSH | REQ_SYNC, 0,
			       NULL, 0);
	if (!any)
		return ret;
	return cowrap_cow_co_put_snaps(c, from, to, locked, ret);
}

/**
 * cowrap_cow_co_commit() - make the map of a range of chunks durable
 * @c: backend state
 * @first: first chunk
 * @last: last chunk
 *
 * For a FUA write: every bit set in the blocks that cover the chunks
 * before the call is durable on return.
 *
 * Return: 0 or a negative errno.
 */
int coroutine_fn cowrap_cow_co_commit(struct cowrap_cow *c, u64 first,
				      u64 last)
{
	u64 i = first / COWRAP_COW_MAP_BITS, end = last / COWRAP_COW_MAP_BITS;
	int ret = 0;

	for (; i <= end && !ret; i += COWRAP_COW_WB_MAX)
		ret = cowrap_cow_co_writeback(c, i,
					      min(end + 1, i + COWRAP_COW_WB_MAX),
					      false);
	return ret;
}

/**
 * cowrap_cow_co_flush_map() - FLUSH: make every completed write durable
 * @c: backend state
 *
 * Sends a FLUSH to the overlay and writes back every dirty map block
 * after it.
 *
 * Return: 0 or a negative errno.
 */
int coroutine_fn cowrap_cow_co_flush_map(struct cowrap_cow *c)
{
	int ret = 0;
	u64 i;

	for (i = 0; i < c->nr_mblk && !ret; i += COWRAP_COW_WB_MAX)
		ret = cowrap_cow_co_writeback(c, i,
					      min(c->nr_mblk,
						  i + COWRAP_COW_WB_MAX),
					      i == 0);
	return ret;
}

/* The superblock fields derived from the others, as cow-format.rst says. */
static int cowrap_cow_check_layout(struct cowrap_cow *c, u64 ovl_size)
{
	const struct cowrap_cow_sb *sb = &c->sb;
	u64 map_end;

	c->base_size = le64_to_cpu(sb->base_size);
	c->nr_chunks = DIV_ROUND_UP_ULL(c->base_size, c->chunk_size);
	c->nr_mblk = DIV_ROUND_UP_ULL(c->nr_chunks, COWRAP_COW_MAP_BITS);
	map_end = COWRAP_COW_BLOCK + c->nr_mblk * COWRAP_COW_BLOCK;
	c->data_offset = round_up(map_end, (u64)c->chunk_size);
	if (!c->base_size || c->base_size % COWRAP_COW_BLOCK ||
	    c->base_size > COWRAP_MAX_DEV_SIZE ||
	    le64_to_cpu(sb->nr_chunks) != c->nr_chunks ||
	    le64_to_cpu(sb->map_offset) != COWRAP_COW_BLOCK ||
	    le64_to_cpu(sb->map_blocks) != c->nr_mblk ||
	    le64_to_cpu(sb->data_offset) != c->data_offset)
		return -EINVAL;
	if (ovl_size < c->data_offset + c->nr_chunks * c->chunk_size)
		return -ENOSPC;
	return 0;
}

/* Is block 0 a superblock this module can use?  0 or -errno. */
static int cowrap_cow_check_sb(struct cowrap_cow *c, u32 chunk_size)
{
	const struct cowrap_cow_sb *sb = &c->sb;
	int ret;

	if (le64_to_cpu(sb->magic) != COWRAP_COW_MAGIC) {
		pr_err("cowrap: cow: %pg holds no overlay (format it first)\n",
		       c->ovl.bdev);
		return -EINVAL;
	}
	if (le64_to_cpu(sb->csum) != cowrap_cow_sb_csum(sb) ||
	    le32_to_cpu(sb->version) != COWRAP_COW_VERSION ||
	    le32_to_cpu(sb->flags) & ~COWRAP_COW_SB_FLAGS_ALL || sb->reserved ||
	    memchr_inv(sb->reserved2, 0, sizeof(sb->reserved2))) {
		pr_err("cowrap: cow: %pg: bad superblock (checksum, version or reserved fields)\n",
		       c->ovl.bdev);
		return -EINVAL;
	}
	c->chunk_size = le32_to_cpu(sb->chunk_size);
	if (c->chunk_size < COWRAP_COW_MIN_CHUNK ||
	    c->chunk_size > COWRAP_COW_MAX_CHUNK ||
	    !is_power_of_2(c->chunk_size) ||
	    (chunk_size && chunk_size != c->chunk_size)) {
		pr_err("cowrap: cow: %pg: chunk size %u refused\n",
		       c->ovl.bdev, c->chunk_size);
		return -EINVAL;
	}
	c->chunk_shift = ilog2(c->chunk_size);
	c->chunk_order = get_order(c->chunk_size);
	ret = cowrap_cow_check_layout(c, bdev_nr_bytes(c->ovl.bdev));
	if (ret)
		pr_err("cowrap: cow: %pg: %s\n", c->ovl.bdev, ret == -ENOSPC ?
		       "overlay smaller than its data area" :
		       "inconsistent superblock layout");
	return ret;
}

/* The base's identity (cow-format.rst): its size and sample blocks. */
static int coroutine_fn cowrap_cow_co_base_id(struct cowrap_cow *c,
					      struct page *page, u64 *id)
{
	__le64 size = cpu_to_le64(c->base_size);
	u64 h = cowrap_cow_fnv(COWRAP_COW_FNV_OFFSET, &size, sizeof(size));
	unsigned int k;
	int ret;

	for (k = 0; k < COWRAP_COW_ID_SAMPLES; k++) {
		u64 pos = round_down(div_u64(k * c->base_size,
					     COWRAP_COW_ID_SAMPLES),
				     COWRAP_COW_BLOCK);

		ret = cowrap_cow_co_io(c, c->base.bdev, REQ_OP_READ, pos, page,
				       COWRAP_COW_BLOCK);
		if (ret)
			return ret;
		h = cowrap_cow_fnv(h, page_address(page), COWRAP_COW_BLOCK);
	}
	*id = h;
	return 0;
}

/* Allocate the map and its write-back state, from the superblock. */
static int cowrap_cow_alloc_map(struct cowrap_cow *c)
{
	u64 i;

	c->map = vzalloc(c->nr_mblk * COWRAP_COW_BLOCK);
	c->mblk = kvcalloc(c->nr_mblk, sizeof(*c->mblk), GFP_KERNEL);
	if (!c->map || !c->mblk)
		return -ENOMEM;
	for (i = 0; i < c->nr_mblk; i++) {
		cowrap_co_mutex_init(&c->mblk[i].lock);
		atomic64_set(&c->mblk[i].gen, 0);
		c->mblk[i].shadow = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!c->mblk[i].shadow)
			return -ENOMEM;
	}
	return 0;
}

/* Read the map (through the shadow pages); bits past the last chunk: bad. */
static int coroutine_fn cowrap_cow_co_read_map(struct cowrap_cow *c)
{
	u64 bits = c->nr_mblk * COWRAP_COW_MAP_BITS;
	struct cowrap_bio_batch b;
	u64 i;
	int ret;

	ret = cowrap_co_batch_init(&b);
	if (ret)
		return ret;
	for (i = 0; i < c->nr_mblk; i++)
		cowrap_cow_submit_page(c, &b, c->ovl.bdev, REQ_OP_READ | REQ_META,
				       COWRAP_COW_BLOCK * (i + 1),
				       c->mblk[i].shadow, 0, COWRAP_COW_BLOCK);
	ret = cowrap_cow_co_wait(&b);
	if (ret)
		return ret;
	for (i = 0; i < c->nr_mblk; i++)
		memcpy(c->map + i * COWRAP_COW_BLOCK,
		       page_address(c->mblk[i].shadow), COWRAP_COW_BLOCK);
	if (find_next_bit_le(c->map, bits, c->nr_chunks) < bits) {
		pr_err("cowrap: cow: %pg: map bits past the last chunk\n",
		       c->ovl.bdev);
		return -EINVAL;
	}
	return 0;
}

/* Write the superblock (@sb, in @page) with FUA after a FLUSH. */
static int coroutine_fn cowrap_cow_co_write_sb(struct cowrap_cow *c,
					       struct page *page)
{
	c->sb.csum = cpu_to_le64(cowrap_cow_sb_csum(&c->sb));
	memset(page_address(page), 0, PAGE_SIZE);
	memcpy(page_address(page), &c->sb, sizeof(c->sb));
	return cowrap_cow_co_io(c, c->ovl.bdev,
				REQ_OP_WRITE | REQ_SYNC | REQ_META |
				REQ_PREFLUSH | REQ_FUA, 0, page,
				COWRAP_COW_BLOCK);
}

/* Mark the superblock dirty (counting an unclean previous close). */
static int coroutine_fn cowrap_cow_co_mark_dirty(struct cowrap_cow *c,
						 struct page *page)
{
	u32 flags = le32_to_cpu(c->sb.flags);

	if (flags & COWRAP_COW_SB_DIRTY) {
		pr_notice("cowrap: cow: %pg was not closed cleanly: writes after its last completed FLUSH may be lost\n",
			  c->ovl.bdev);
		le64_add_cpu(&c->sb.dirty_count, 1);
	}
	le64_add_cpu(&c->sb.open_count, 1);
	c->sb.flags = cpu_to_le32(flags | COWRAP_COW_SB_DIRTY);
	return cowrap_cow_co_write_sb(c, page);
}

/**
 * struct cowrap_cow_call - a metadata step run through cowrap_poll_co()
 * @c: backend state
 * @chunk_size: chunk size asked for (0: the overlay's)
 * @ret: result
 */
struct cowrap_cow_call {
	struct cowrap_cow *c;
	u32 chunk_size;
	int ret;
};

/* Read and check superblock, base identity and map; mark dirty. */
static int coroutine_fn cowrap_cow_co_load(struct cowrap_cow *c, u32 chunk_size,
					   struct page *page)
{
	u64 id;
	int ret;

	ret = cowrap_cow_co_io(c, c->ovl.bdev, REQ_OP_READ | REQ_META, 0, page,
			       COWRAP_COW_BLOCK);
	if (ret)
		return ret;
	memcpy(&c->sb, page_address(page), sizeof(c->sb));
	ret = cowrap_cow_check_sb(c, chunk_size);
	if (ret)
		return ret;
	if (bdev_nr_bytes(c->base.bdev) != c->base_size) {
		pr_err("cowrap: cow: base %pg is not the overlay's base (size)\n",
		       c->base.bdev);
		return -EMEDIUMTYPE;
	}
	ret = cowrap_cow_co_base_id(c, page, &id);
	if (ret)
		return ret;
	if (id != le64_to_cpu(c->sb.base_id)) {
		pr_err("cowrap: cow: base %pg is not the overlay's base (identity)\n",
		       c->base.bdev);
		return -EMEDIUMTYPE;
	}
	ret = cowrap_cow_alloc_map(c);
	if (!ret)
		ret = cowrap_cow_co_read_map(c);
	if (!ret && c->writable)
		ret = cowrap_cow_co_mark_dirty(c, page);
	return ret;
}

static void coroutine_fn cowrap_cow_co_open_entry(void *opaque)
{
	struct cowrap_cow_call *call = opaque;
	struct page *page = alloc_page(GFP_NOIO);

	call->ret = -ENOMEM;
	if (page)
		call->ret = cowrap_cow_co_load(call->c, call->chunk_size, page);
	if (page)
		__free_page(page);
}

/* Write back the map and mark the superblock clean. */
static void coroutine_fn cowrap_cow_co_close_entry(void *opaque)
{
	struct cowrap_cow_call *call = opaque;
	struct cowrap_cow *c = call->c;
	struct page *page = alloc_page(GFP_NOIO);

	call->ret = -ENOMEM;
	if (!page)
		return;
	call->ret = cowrap_cow_co_flush_map(c);
	if (!call->ret) {
		c->sb.flags &= ~cpu_to_le32(COWRAP_COW_SB_DIRTY);
		call->ret = cowrap_cow_co_write_sb(c, page);
	}
	__free_page(page);
}

static void cowrap_cow_free_map(struct cowrap_cow *c)
{
	u64 i;

	for (i = 0; c->mblk && i < c->nr_mblk; i++)
		if (c->mblk[i].shadow)
			__free_page(c->mblk[i].shadow);
	kvfree(c->mblk);
	vfree(c->map);
	c->mblk = NULL;
	c->map = NULL;
}

/**
 * cowrap_cow_meta_open() - load an overlay's metadata
 * @c: backend state with both devices open and @c->writable set
 * @chunk_size: chunk size the superblock must hold, 0 for any
 *
 * Reads and checks the superblock, the base's identity and the map, and
 * marks a writable overlay dirty.  Process context.
 *
 * Return: 0; -EINVAL for a missing or bad superblock or map, -EMEDIUMTYPE
 * for the wrong base, -ENOSPC for an overlay smaller than its layout,
 * -ENOMEM, or an I/O error.
 */
int cowrap_cow_meta_open(struct cowrap_cow *c, u32 chunk_size)
{
	struct cowrap_cow_call call = { .c = c, .chunk_size = chunk_size };
	struct cowrap_poll_co p;
	int ret;

	ret = cowrap_poll_co(&p, NULL, cowrap_cow_co_open_entry, &call);
	if (!ret)
		ret = call.ret;
	if (ret)
		cowrap_cow_free_map(c);
	return ret;
}

/**
 * cowrap_cow_meta_close() - write back an overlay's metadata and free it
 * @c: backend state, after the last request
 *
 * A writable overlay gets its dirty map blocks and a clean superblock;
 * if that fails it stays dirty (and consistent).  Process context.
 */
void cowrap_cow_meta_close(struct cowrap_cow *c)
{
	struct cowrap_cow_call call = { .c = c };
	struct cowrap_poll_co p;

	if (c->writable && !cowrap_poll_co(&p, NULL, cowrap_cow_co_close_entry,
					   &call) && call.ret)
		pr_warn("cowrap: cow: %pg left dirty: %d\n", c->ovl.bdev,
			call.ret);
	cowrap_cow_free_map(c);
}

cowrap_co_addr_ok(cowrap_cow_co_open_entry);
cowrap_co_addr_ok(cowrap_cow_co_close_entry);
