// SPDX-License-Identifier: GPL-2.0
/*
 * The cow backend: a read-only base device presented with every write
 * redirected to an overlay device, chunk by chunk.  This half does the
 * I/O: reads split between base and overlay, copy-up of unwritten
 * chunks, rewrites, FUA and FLUSH; backend_cow_meta.c holds the format.
 * Documentation/cow-format.rst.
 *
 * Every step is a coroutine_fn in sequential style.  Reads and rewrites
 * of chunks already in the overlay go down from queue_rq itself and are
 * finished by their last bio (cowrap_cow_co_request()); the other
 * operations move to a worker up front (cowrap_co_need_worker()): a
 * copy-up waits for other copy-ups of its chunk and allocates a chunk
 * buffer, which it cannot do inline.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "backend.h"
#include "backend_cow.h"
#include "compat.h"
#include "dev.h"

/* Chunk buffers kept in reserve for copy-ups. */
#define COWRAP_COW_POOL_MIN	4

/**
 * struct cowrap_cow_busy - a chunk being copied up
 * @node: in the bucket's busy list
 * @chunk: the chunk
 */
struct cowrap_cow_busy {
	struct list_head node;
	u64 chunk;
};

static struct cowrap_cow_bucket *cowrap_cow_bucket_of(struct cowrap_cow *c,
						      u64 chunk)
{
	return &c->bucket[chunk % COWRAP_COW_BUCKETS];
}

static bool cowrap_cow_is_busy(struct cowrap_cow_bucket *bk, u64 chunk)
{
	struct cowrap_cow_busy *b;

	list_for_each_entry(b, &bk->busy, node)
		if (b->chunk == chunk)
			return true;
	return false;
}

/*
 * Claim @chunk for a copy-up.  Return: 1 claimed (@me queued), 0 the
 * chunk is mapped (write it in place), or a negative errno.  Waits while
 * another copy-up of the chunk is in flight.
 */
static int coroutine_fn cowrap_cow_co_claim(struct cowrap_cow *c, u64 chunk,
					    struct cowrap_cow_busy *me)
{
	struct cowrap_cow_bucket *bk = cowrap_cow_bucket_of(c, chunk);
	int ret;

	ret = cowrap_co_mutex_lock(&bk->lock);
	if (ret)
		return ret;
	while (!cowrap_cow_mapped(c, chunk) && cowrap_cow_is_busy(bk, chunk)) {
		ret = cowrap_co_queue_wait_mutex(&bk->done, &bk->lock);
		if (ret) {
			cowrap_co_mutex_unlock(&bk->lock);
			return ret;
		}
	}
	ret = 0;
	if (!cowrap_cow_mapped(c, chunk)) {
		me->chunk = chunk;
		list_add_tail(&me->node, &bk->busy);
		ret = 1;
	}
	cowrap_co_mutex_unlock(&bk->lock);
	return ret;
}

/* End a claim: the chunk is mapped now (or the copy-up failed). */
static void coroutine_fn cowrap_cow_co_release(struct cowrap_cow *c,
					       struct cowrap_cow_busy *me)
{
	struct cowrap_cow_bucket *bk = cowrap_cow_bucket_of(c, me->chunk);

	/* a worker: never refused */
	cowrap_co_mutex_lock(&bk->lock);
	list_del(&me->node);
	cowrap_co_mutex_unlock(&bk->lock);
	cowrap_co_queue_restart_all(&bk->done);
}

/* Bytes of chunk @chunk that lie on the base (the last may be short). */
static u32 cowrap_cow_chunk_len(struct cowrap_cow *c, u64 chunk)
{
	u64 start = chunk << c->chunk_shift;

	return min_t(u64, c->chunk_size, c->base_size - start);
}

/*
 * Submit @len bytes of @it at @pos of @bdev as one bio of a batch: in
 * @spare (the I/O's own bio) if there is one, else from the bio_set.
 */
static void coroutine_fn cowrap_cow_submit_iter(struct cowrap_cow *c,
						struct cowrap_bio_batch *b,
						struct block_device *bdev,
						blk_opf_t opf, u64 pos,
						struct iov_iter *it, u32 len,
						struct bio *spare)
{
	size_t rest = iov_iter_count(it) - len;
	struct bio *bio = spare;
	int ret;

	if (spare)
		bio_init(bio, bdev, NULL, 0, opf);
	else
		bio = bio_alloc_bioset(bdev, 0, opf, GFP_NOIO, &c->bs);
	bio->bi_iter.bi_sector = pos >> SECTOR_SHIFT;
	iov_iter_truncate(it, len);
	ret = bio_iov_iter_get_pages(bio, it);	/* ITER_BVEC: never fails */
	iov_iter_reexpand(it, rest);
	if (ret) {
		if (spare)
			bio_uninit(bio);
		else
			bio_put(bio);
		cowrap_co_batch_error(b, errno_to_blk_status(ret));
		iov_iter_advance(it, len);
		return;
	}
	if (spare)
		cowrap_co_batch_submit_embedded(b, bio);
	else
		cowrap_co_batch_submit(b, bio);
}

/* Where byte @pos of the device lives for a read: base or overlay. */
static void coroutine_fn cowrap_cow_read_piece(struct cowrap_cow *c,
					       struct cowrap_bio_batch *b,
					       u64 pos, struct iov_iter *to,
					       u32 len, struct bio *spare)
{
	if (cowrap_cow_mapped(c, pos >> c->chunk_shift))
		cowrap_cow_submit_iter(c, b, c->ovl.bdev, REQ_OP_READ,
				       c->data_offset + pos, to, len, spare);
	else
		cowrap_cow_submit_iter(c, b, c->base.bdev, REQ_OP_READ, pos,
				       to, len, spare);
}

/* Read: one bio per chunk piece, base and overlay side by side. */
static int coroutine_fn cowrap_cow_co_read(struct cowrap_dev *dev, u64 pos,
					   struct iov_iter *to)
{
	struct cowrap_cow *c = dev->backend_priv;
	struct cowrap_bio_batch b;
	int ret;

	ret = cowrap_co_batch_init(&b);
	if (ret)
		return ret;
	while (iov_iter_count(to)) {
		u64 end = round_down(pos, c->chunk_size) + c->chunk_size;
		u32 len = min_t(u64, iov_iter_count(to), end - pos);

		cowrap_cow_read_piece(c, &b, pos, to, len, NULL);
		pos += len;
	}
	return cowrap_cow_co_wait(&b);
}

/*
 * Copy-up of @chunk for a write of @len bytes of @from at @off in it:
 * read the rest of the chunk from the base, merge, write the whole chunk
 * to the overlay, then mark it mapped in memory.  Its map bit becomes
 * durable at the next commit or FLUSH (backend_cow_meta.c).
 */
static int coroutine_fn cowrap_cow_co_copy_up(struct cowrap_cow *c, u64 chunk,
					      u32 off, struct iov_iter *from,
					      u32 len)
{
	u32 clen = cowrap_cow_chunk_len(c, chunk);
	u64 start = chunk << c->chunk_shift;
	struct cowrap_bio_batch b;
	struct page *page;
	int ret;

	page = mempool_alloc(c->pool, GFP_NOIO);	/* a worker: waits */
	ret = cowrap_co_batch_init(&b);
	if (ret)
		goto out;
	if (off)
		cowrap_cow_submit_page(c, &b, c->base.bdev, REQ_OP_READ, start,
				       page, 0, off);
	if (off + len < clen)
		cowrap_cow_submit_page(c, &b, c->base.bdev, REQ_OP_READ,
				       start + off + len, page, off + len,
				       clen - off - len);
	ret = cowrap_cow_co_wait(&b);
	if (ret)
		goto out;
	if (copy_from_iter(page_address(page) + off, len, from) != len) {
		ret = -EFAULT;
		goto out;
	}
	ret = cowrap_co_batch_init(&b);
	if (ret)
		goto out;
	cowrap_cow_submit_page(c, &b, c->ovl.bdev, REQ_OP_WRITE | REQ_SYNC,
			       c->data_offset + start, page, 0, clen);
	ret = cowrap_cow_co_wait(&b);
	if (!ret)
		cowrap_cow_set_mapped(c, chunk);
out:
	mempool_free(page, c->pool);
	return ret;
}

/* Write @len bytes of @from at @pos, inside one chunk. */
static int coroutine_fn cowrap_cow_co_write_piece(struct cowrap_cow *c,
						  u64 pos, struct iov_iter *from,
						  u32 len, bool fua)
{
	u64 chunk = pos >> c->chunk_shift;
	struct cowrap_cow_busy me;
	struct cowrap_bio_batch b;
	int ret = 0;

	if (!cowrap_cow_mapped(c, chunk))
		ret = cowrap_cow_co_claim(c, chunk, &me);
	if (ret < 0)
		return ret;
	if (ret) {
		ret = cowrap_cow_co_copy_up(c, chunk, pos & (c->chunk_size - 1),
					    from, len);
		cowrap_cow_co_release(c, &me);
		return ret;
	}
	/* mapped: its chunk is in the overlay, rewrite in place */
	ret = cowrap_co_batch_init(&b);
	if (ret)
		return ret;
	cowrap_cow_submit_iter(c, &b, c->ovl.bdev,
			       REQ_OP_WRITE | REQ_SYNC | (fua ? REQ_FUA : 0),
			       c->data_offset + pos, from, len, NULL);
	return cowrap_cow_co_wait(&b);
}

/*
 * Write: chunk by chunk, then for FUA make the map of the chunks durable
 * (a FLUSH after the copy-ups' data, then the map blocks with FUA).
 */
static int coroutine_fn cowrap_cow_co_write(struct cowrap_dev *dev, u64 pos,
					    struct iov_iter *from, bool fua)
{
	struct cowrap_cow *c = dev->backend_priv;
	u64 first = pos >> c->chunk_shift;
	int ret;

	ret = cowrap_co_need_worker();
	if (ret)
		return ret;
	while (iov_iter_count(from)) {
		u64 end = round_down(pos, c->chunk_size) + c->chunk_size;
		u32 len = min_t(u64, iov_iter_count(from), end - pos);

		ret = cowrap_cow_co_write_piece(c, pos, from, len, fua);
		if (ret)
			return ret;
		pos += len;
	}
	if (!fua)
		return 0;
	return cowrap_cow_co_commit(c, first, (pos - 1) >> c->chunk_shift);
}

static int coroutine_fn cowrap_cow_co_flush(struct cowrap_dev *dev)
{
	/* the map blocks' CoMutexes may have to be waited for */
	return cowrap_co_need_worker() ?:
	       cowrap_cow_co_flush_map(dev->backend_priv);
}

/*
 * Discard and write-zeroes both write zeroes through the write path:
 * the base cannot be unmapped and the format has no "zero chunk" state,
 * so a zeroed chunk is a copied-up chunk of zeroes (cow-format.rst).
 */
static int coroutine_fn cowrap_cow_co_write_zeroes(struct cowrap_dev *dev,
						   u64 pos, u64 len)
{
	struct cowrap_cow *c = dev->backend_priv;
	struct iov_iter it;
	int ret;

	while (len) {
		u32 n = min_t(u64, len, c->chunk_size);

		iov_iter_bvec(&it, ITER_SOURCE, c->zero_bv,
			      c->chunk_size >> PAGE_SHIFT, n);
		ret = cowrap_cow_co_write(dev, pos, &it, false);
		if (ret)
			return ret;
		pos += n;
		len -= n;
	}
	return 0;
}

static int coroutine_fn cowrap_cow_co_discard(struct cowrap_dev *dev, u64 pos,
					      u64 len)
{
	return cowrap_cow_co_write_zeroes(dev, pos, len);
}

/*
 * The request fast path: a read, or a write that is not FUA and whose
 * chunks are all in the overlay already (a rewrite), touches no map and
 * waits for nothing but its own bios.  Every piece of every bio of the
 * request goes down from queue_rq at once (the queue is blocking), the
 * first in the I/O's spare bio if it has one (a bio-based device's), and
 * the last one to end finishes the request (cowrap_co_batch_finish()).
 * A chunk's map bit only ever goes from 0 to 1, so a read that finds it
 * 0 reads the base while a copy-up of the chunk may be in flight: it
 * sees the data from before the write, as a read that overlaps a write
 * may.  Anything else goes through the range operations, on a worker.
 */
static bool cowrap_cow_io_mapped(struct cowrap_cow *c, struct cowrap_blk_io *io)
{
	u64 chunk = io->pos >> c->chunk_shift;
	u64 last = (io->pos + io->bytes - 1) >> c->chunk_shift;

	for (; chunk <= last; chunk++)
		if (!cowrap_cow_mapped(c, chunk))
			return false;
	return true;
}

/* The bvecs of @bio as an iterator, as the range operations see them. */
static void cowrap_cow_bio_iter(struct bio *bio, unsigned int dir,
				struct iov_iter *it)
{
	unsigned int nr = 0;
	struct bvec_iter bi;
	struct bio_vec bv;

	bio_for_each_bvec(bv, bio, bi)
		nr++;
	iov_iter_bvec(it, dir, __bvec_iter_bvec(bio->bi_io_vec, bio->bi_iter),
		      nr, bio->bi_iter.bi_size);
	it->iov_offset = bio->bi_iter.bi_bvec_done;
}

static int coroutine_fn cowrap_cow_co_request(struct cowrap_dev *dev,
					      struct cowrap_blk_io *io)
{
	struct cowrap_bio_batch *b = &io->batch;
	struct cowrap_cow *c = dev->backend_priv;
	bool write = io->op == COWRAP_OP_WRITE;
	struct bio *spare = io->spare_bio;
	u64 pos = io->pos;
	struct iov_iter it;
	struct bio *bio;
	int ret;

	/* a bio-based device's flush before the data: the range operations */
	if (io->op != COWRAP_OP_READ &&
	    (!write || (io->opf & (REQ_FUA | REQ_PREFLUSH)) ||
	     !cowrap_cow_io_mapped(c, io)))
		return COWRAP_RQ_RANGE_OPS;
	ret = cowrap_co_batch_init_last(b);
	if (ret)
		return ret;
	for (bio = io->bio; bio; bio = bio->bi_next) {
		cowrap_cow_bio_iter(bio, write ? ITER_SOURCE : ITER_DEST, &it);
		while (iov_iter_count(&it)) {
			u64 end = round_down(pos, c->chunk_size) + c->chunk_size;
			u32 len = min_t(u64, iov_iter_count(&it), end - pos);

			if (write)
				cowrap_cow_submit_iter(c, b, c->ovl.bdev,
						       REQ_OP_WRITE | REQ_SYNC,
						       c->data_offset + pos,
						       &it, len, spare);
			else
				cowrap_cow_read_piece(c, b, pos, &it, len,
						      spare);
			pos += len;
			spare = NULL;
		}
	}
	return cowrap_co_batch_finish(b);
}

/* The device's geometry from the two lower devices and the superblock. */
static int cowrap_cow_check_cfg(struct cowrap_cow *c,
				struct cowrap_dev_cfg *cfg)
{
	unsigned int lbs = max(bdev_logical_block_size(c->base.bdev),
			       bdev_logical_block_size(c->ovl.bdev));

	if (bdev_is_zoned(c->base.bdev) || bdev_is_zoned(c->ovl.bdev))
		return -EMEDIUMTYPE;
	cfg->lbs = max(cfg->lbs, lbs);
	cfg->pbs = max(cfg->pbs, cfg->lbs);
	if (cfg->pbs > COWRAP_MAX_PBS || cfg->lbs > COWRAP_COW_BLOCK)
		return -EINVAL;
	if (!cfg->size)
		cfg->size = round_down(c->base_size, cfg->lbs);
	if (!cfg->size || cfg->size > c->base_size || cfg->size % cfg->lbs)
		return -EINVAL;
	/* the map needs FLUSH and FUA to reach the backend */
	cfg->flags |= COWRAP_DEV_WRITE_CACHE;
	/* what GET_DEV_INFO reports: the superblock's, also when 0 was asked */
	cfg->chunk_size = c->chunk_size;
	return 0;
}

static int cowrap_cow_alloc(struct cowrap_cow *c)
{
	unsigned int i, nr = c->chunk_size >> PAGE_SHIFT;

	c->pool = mempool_create_page_pool(COWRAP_COW_POOL_MIN, c->chunk_order);
	c->zero_bv = kvcalloc(nr, sizeof(*c->zero_bv), GFP_KERNEL);
	if (!c->pool || !c->zero_bv)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		c->zero_bv[i].bv_page = ZERO_PAGE(0);
		c->zero_bv[i].bv_len = PAGE_SIZE;
		c->zero_bv[i].bv_offset = 0;
	}
	for (i = 0; i < COWRAP_COW_BUCKETS; i++) {
		cowrap_co_mutex_init(&c->bucket[i].lock);
		INIT_LIST_HEAD(&c->bucket[i].busy);
		cowrap_co_queue_init(&c->bucket[i].done);
	}
	return 0;
}

static void cowrap_cow_free(struct cowrap_cow *c, struct cowrap_dev *dev)
{
	if (c->pool)
		mempool_destroy(c->pool);
	kvfree(c->zero_bv);
	if (c->ovl.bdev)
		cowrap_lower_close(&c->ovl, dev);
	if (c->base.bdev)
		cowrap_lower_close(&c->base, dev);
	bioset_exit(&c->bs);
	kfree(c);
}

static int cowrap_cow_open(struct cowrap_dev *dev, struct cowrap_dev_cfg *cfg)
{
	struct cowrap_cow *c;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	ret = bioset_init(&c->bs, BIO_POOL_SIZE, 0,
			  BIOSET_NEED_BVECS | BIOSET_NEED_RESCUER);
	if (ret) {
		kfree(c);
		return ret;
	}
	c->writable = !(cfg->flags & COWRAP_DEV_READ_ONLY);
	ret = cowrap_lower_open(&c->base, cfg->path, false, dev);
	if (!ret)
		ret = cowrap_lower_open(&c->ovl, cfg->overlay, c->writable,
					dev);
	if (!ret && c->ovl.bdev == c->base.bdev)
		ret = -EINVAL;	/* the base would be written */
	if (!ret)
		ret = cowrap_cow_meta_open(c, cfg->chunk_size);
	if (ret)
		goto err;
	ret = cowrap_cow_alloc(c);
	if (!ret)
		ret = cowrap_cow_check_cfg(c, cfg);
	if (ret) {
		cowrap_cow_meta_close(c);
		goto err;
	}
	dev->backend_priv = c;
	return 0;
err:
	cowrap_cow_free(c, dev);
	return ret;
}

static void cowrap_cow_close(struct cowrap_dev *dev)
{
	struct cowrap_cow *c = dev->backend_priv;

	cowrap_cow_meta_close(c);
	cowrap_cow_free(c, dev);
	dev->backend_priv = NULL;
}

cowrap_co_addr_ok(cowrap_cow_co_read);
cowrap_co_addr_ok(cowrap_cow_co_write);
cowrap_co_addr_ok(cowrap_cow_co_flush);
cowrap_co_addr_ok(cowrap_cow_co_discard);
cowrap_co_addr_ok(cowrap_cow_co_write_zeroes);
cowrap_co_addr_ok(cowrap_cow_co_request);

const struct cowrap_backend_ops cowrap_backend_cow = {
	.name			= "cow",
	.open			= cowrap_cow_open,
	.close			= cowrap_cow_close,
	.co_read		= cowrap_cow_co_read,
	.co_write		= cowrap_cow_co_write,
	.co_flush		= cowrap_cow_co_flush,
	.co_discard		= cowrap_cow_co_discard,
	.co_write_zeroes	= cowrap_cow_co_write_zeroes,
	.co_request		= cowrap_cow_co_request,
	.blocking		= true,
};
