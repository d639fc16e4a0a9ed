// SPDX-License-Identifier: GPL-2.0
/*
 * The bdev backend: passthrough to an existing block device, held
 * exclusively while the cowrap device exists.  The coroutine builds bios
 * on its own stack around the request's pages (no allocation), submits
 * them to the lower device and yields until each completes.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"

/* Pages per lower bio; larger requests are sent as several bios. */
#define COWRAP_BDEV_VECS	32

/**
 * struct cowrap_bdev - bdev backend state
 * @lower: the lower device
 * @lower_lbs: its logical block size
 */
struct cowrap_bdev {
	struct cowrap_lower lower;
	unsigned int lower_lbs;
};

static int cowrap_bdev_check(struct block_device *bdev,
			     struct cowrap_dev_cfg *cfg)
{
	u64 lower_size = bdev_nr_bytes(bdev);

	if (cfg->lbs < bdev_logical_block_size(bdev))
		return -EINVAL;
	if (!cfg->size)
		cfg->size = round_down(min_t(u64, lower_size,
					     COWRAP_MAX_DEV_SIZE), cfg->lbs);
	if (!cfg->size || cfg->size > lower_size)
		return -EINVAL;
	if ((cfg->flags & COWRAP_DEV_DISCARD) && !bdev_max_discard_sectors(bdev))
		return -EOPNOTSUPP;
	if ((cfg->flags & COWRAP_DEV_WRITE_ZEROES) &&
	    !bdev_write_zeroes_sectors(bdev))
		return -EOPNOTSUPP;
	return 0;
}

static int cowrap_bdev_open(struct cowrap_dev *dev, struct cowrap_dev_cfg *cfg)
{
	bool writable = !(cfg->flags & COWRAP_DEV_READ_ONLY);
	struct cowrap_bdev *b;
	int ret;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	ret = cowrap_lower_open(&b->lower, cfg->path, writable, dev);
	if (ret)
		goto err_free;
	ret = cowrap_bdev_check(b->lower.bdev, cfg);
	if (ret)
		goto err_close;
	b->lower_lbs = bdev_logical_block_size(b->lower.bdev);
	dev->backend_priv = b;
	return 0;

err_close:
	cowrap_lower_close(&b->lower, dev);
err_free:
	kfree(b);
	return ret;
}

static void cowrap_bdev_close(struct cowrap_dev *dev)
{
	struct cowrap_bdev *b = dev->backend_priv;

	cowrap_lower_close(&b->lower, dev);
	kfree(b);
	dev->backend_priv = NULL;
}

/* Submit @bio to the lower device and park until it completes. */
static int coroutine_fn cowrap_bdev_co_submit(struct cowrap_dev *dev,
					      struct bio *bio)
{
	blk_status_t st;
	int ret;

	/* inline in queue_rq: nothing submitted, restart on a worker */
	ret = cowrap_co_need_worker();
	if (ret) {
		bio_uninit(bio);
		return ret;
	}
	cowrap_dev_stat_inc(dev, co_yields);
	st = cowrap_co_submit_bio_wait(bio);
	cowrap_dev_stat_inc(dev, co_wakes);
	bio_uninit(bio);
	return blk_status_to_errno(st);
}

/* Fill @bio with up to COWRAP_BDEV_VECS pieces of @it. */
static void cowrap_bdev_fill(struct bio *bio, struct iov_iter *it)
{
	while (iov_iter_count(it) && bio->bi_vcnt < COWRAP_BDEV_VECS) {
		const struct bio_vec *bv = it->bvec;
		size_t off = bv->bv_offset + it->iov_offset;
		size_t n = min_t(size_t, bv->bv_len - it->iov_offset,
				 iov_iter_count(it));
		struct page *page = bv->bv_page + off / PAGE_SIZE;

		if (!n) {
			iov_iter_advance(it, 0);
			break;
		}
		if (bio_add_page(bio, page, n, off % PAGE_SIZE) != n)
			break;
		iov_iter_advance(it, n);
	}
}

static int coroutine_fn cowrap_bdev_co_rw(struct cowrap_dev *dev, u64 pos,
					  struct iov_iter *it, blk_opf_t opf)
{
	struct cowrap_bdev *b = dev->backend_priv;
	struct bio_vec vecs[COWRAP_BDEV_VECS];
	struct bio bio;
	int ret;

	while (iov_iter_count(it)) {
		bio_init(&bio, b->lower.bdev, vecs, COWRAP_BDEV_VECS, opf);
		bio.bi_iter.bi_sector = pos >> SECTOR_SHIFT;
		cowrap_bdev_fill(&bio, it);
		if (!bio.bi_iter.bi_size ||
		    (bio.bi_iter.bi_size & (b->lower_lbs - 1))) {
			/* a piece the lower device cannot take on its own */
			bio_uninit(&bio);
			return -EIO;
		}
		pos += bio.bi_iter.bi_size;
		ret = cowrap_bdev_co_submit(dev, &bio);
		if (ret)
			return ret;
	}
	return 0;
}

static int coroutine_fn cowrap_bdev_co_read(struct cowrap_dev *dev, u64 pos,
					    struct iov_iter *to)
{
	return cowrap_bdev_co_rw(dev, pos, to, REQ_OP_READ);
}

static int coroutine_fn cowrap_bdev_co_write(struct cowrap_dev *dev, u64 pos,
					     struct iov_iter *from, bool fua)
{
	return cowrap_bdev_co_rw(dev, pos, from,
				 REQ_OP_WRITE | (fua ? REQ_FUA : 0));
}

/* A bio without data: flush, discard, write-zeroes. */
static int coroutine_fn cowrap_bdev_co_nodata(struct cowrap_dev *dev,
					      blk_opf_t opf, u64 pos, u64 len)
{
	struct cowrap_bdev *b = dev->backend_priv;
	struct bio bio;
	int ret;

	do {
		u64 n = min_t(u64, len, round_down(UINT_MAX, b->lower_lbs));

		bio_init(&bio, b->lower.bdev, NULL, 0, opf);
		bio.bi_iter.bi_sector = pos >> SECTOR_SHIFT;
		bio.bi_iter.bi_size = n;
		ret = cowrap_bdev_co_submit(dev, &bio);
		if (ret)
			return ret;
		pos += n;
		len -= n;
	} while (len);
	return 0;
}

static int coroutine_fn cowrap_bdev_co_flush(struct cowrap_dev *dev)
{
	return cowrap_bdev_co_nodata(dev, REQ_OP_WRITE | REQ_PREFLUSH, 0, 0);
}

static int coroutine_fn cowrap_bdev_co_discard(struct cowrap_dev *dev,
					       u64 pos, u64 len)
{
	return cowrap_bdev_co_nodata(dev, REQ_OP_DISCARD, pos, len);
}

static int coroutine_fn cowrap_bdev_co_write_zeroes(struct cowrap_dev *dev,
						    u64 pos, u64 len)
{
	return cowrap_bdev_co_nodata(dev, REQ_OP_WRITE_ZEROES, pos, len);
}

cowrap_co_addr_ok(cowrap_bdev_co_read);
cowrap_co_addr_ok(cowrap_bdev_co_write);
cowrap_co_addr_ok(cowrap_bdev_co_flush);
cowrap_co_addr_ok(cowrap_bdev_co_discard);
cowrap_co_addr_ok(cowrap_bdev_co_write_zeroes);

const struct cowrap_backend_ops cowrap_backend_bdev = {
	.name			= "bdev",
	.open			= cowrap_bdev_open,
	.close			= cowrap_bdev_close,
	.co_read		= cowrap_bdev_co_read,
	.co_write		= cowrap_bdev_co_write,
	.co_flush		= cowrap_bdev_co_flush,
	.co_discard		= cowrap_bdev_co_discard,
	.co_write_zeroes	= cowrap_bdev_co_write_zeroes,
};
