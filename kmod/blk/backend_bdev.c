// SPDX-License-Identifier: GPL-2.0
/*
 * The bdev backend: a linear stacking driver over an existing block
 * device, held exclusively while the cowrap device exists.  The disk's
 * limits and features are stacked from the lower device (dev.c,
 * compat.h).  A block request is passed down the way device-mapper does
 * it: every bio of the request is cloned onto the lower device, a
 * bio-based device's bio into its own state's spare bio, a request's from
 * the backend's bio_set (the clone shares the bio's pages and carries its
 * priority, write hint and blkcg association), all clones are submitted
 * side by side, from queue_rq itself (the queue is blocking) or from the
 * submitter's ->submit_bio (a bio-based device), and the request or bio
 * finishes when the last one ends (cowrap_co_batch_finish()).  The lower
 * device's block layer splits a clone to its own limits.
 * Documentation/blkdev.rst, "The bdev backend".
 */
#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"

/*
 * Bios the backend's bio_set keeps in reserve: one is enough for forward
 * progress, since a request's clones are allocated one at a time and each
 * is submitted before the next is allocated (it ends and returns to the
 * pool without waiting for anything of ours).  Submitted from inside
 * submit_bio() (->submit_bio, or a queue_rq called from it), a clone only
 * joins the task's bio list: the rescuer (BIOSET_NEED_RESCUER) issues that
 * list when the pool would wait, as device-mapper's bio sets do.
 */
#define COWRAP_BDEV_POOL	BIO_POOL_SIZE

/*
 * Flags of an upper bio that are not passed down: a request's PREFLUSH
 * and FUA (see cowrap_bdev_co_clone()); NOWAIT, which was honoured when
 * the request got its tag or the bio its state, since the clone is
 * submitted from a task that may block.
 */
#define COWRAP_BDEV_OPF_DROP	(REQ_PREFLUSH | REQ_FUA | REQ_NOWAIT)

/**
 * struct cowrap_bdev - bdev backend state
 * @lower: the lower device
 * @bs: bio_set of the lower bios (clones and synchronous calls' bios)
 */
struct cowrap_bdev {
	struct cowrap_lower lower;
	struct bio_set bs;
};

/* Stack the configuration on the lower device: only narrowing options. */
static int cowrap_bdev_check(struct block_device *bdev,
			     struct cowrap_dev_cfg *cfg)
{
	u64 lower_size = bdev_nr_bytes(bdev);

	if (bdev_is_zoned(bdev))
		return -EMEDIUMTYPE;
	/* a smaller lbs than the lower's cannot be honoured: raise it */
	cfg->lbs = max(cfg->lbs, bdev_logical_block_size(bdev));
	cfg->pbs = max3(cfg->pbs, cfg->lbs, bdev_physical_block_size(bdev));
	if (cfg->pbs > COWRAP_MAX_PBS)
		return -EINVAL;
	if (!cfg->size)
		cfg->size = round_down(min_t(u64, lower_size,
					     COWRAP_MAX_DEV_SIZE), cfg->lbs);
	if (!cfg->size || cfg->size > lower_size || cfg->size % cfg->lbs)
		return -EINVAL;
	if ((cfg->flags & COWRAP_DEV_DISCARD) && !bdev_max_discard_sectors(bdev))
		return -EOPNOTSUPP;
	if ((cfg->flags & COWRAP_DEV_WRITE_ZEROES) &&
	    !bdev_write_zeroes_sectors(bdev))
		return -EOPNOTSUPP;
	/* what the lower device supports, the cowrap device does */
	cfg->flags &= ~(COWRAP_DEV_DISCARD | COWRAP_DEV_WRITE_ZEROES |
			COWRAP_DEV_WRITE_CACHE);
	if (bdev_max_discard_sectors(bdev))
		cfg->flags |= COWRAP_DEV_DISCARD;
	if (bdev_write_zeroes_sectors(bdev))
		cfg->flags |= COWRAP_DEV_WRITE_ZEROES;
	if (bdev_write_cache(bdev))
		cfg->flags |= COWRAP_DEV_WRITE_CACHE;
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
	ret = bioset_init(&b->bs, COWRAP_BDEV_POOL, 0, BIOSET_NEED_RESCUER);
	if (ret)
		goto err_free;
	ret = cowrap_lower_open(&b->lower, cfg->path, writable, dev);
	if (ret)
		goto err_bioset;
	ret = cowrap_bdev_check(b->lower.bdev, cfg);
	if (ret)
		goto err_close;
	dev->backend_priv = b;
	dev->lower = b->lower.bdev;
	return 0;

err_close:
	cowrap_lower_close(&b->lower, dev);
err_bioset:
	bioset_exit(&b->bs);
err_free:
	kfree(b);
	return ret;
}

static void cowrap_bdev_close(struct cowrap_dev *dev)
{
	struct cowrap_bdev *b = dev->backend_priv;

	cowrap_lower_close(&b->lower, dev);
	bioset_exit(&b->bs);
	kfree(b);
	dev->backend_priv = NULL;
	dev->lower = NULL;
}

/* Wait for a batch and count how many of its bios ran side by side. */
static int coroutine_fn cowrap_bdev_co_wait(struct cowrap_dev *dev,
					    struct cowrap_bio_batch *batch)
{
	unsigned int n = cowrap_co_batch_inflight(batch);
	blk_status_t st;

	if (n > this_cpu_read(dev->stats->lower_batch_max))
		this_cpu_write(dev->stats->lower_batch_max, n);
	cowrap_dev_stat_inc(dev, co_yields);
	st = cowrap_co_batch_wait(batch);
	cowrap_dev_stat_inc(dev, co_wakes);
	return blk_status_to_errno(st);
}

/* A flush request of the upper queue: an empty PREFLUSH write below. */
static void coroutine_fn cowrap_bdev_co_flush_rq(struct cowrap_bdev *b,
						 struct cowrap_bio_batch *batch)
{
	struct bio *bio = bio_alloc_bioset(b->lower.bdev, 0,
					   REQ_OP_WRITE | REQ_PREFLUSH |
					   REQ_SYNC, GFP_NOIO, &b->bs);

	cowrap_co_batch_submit(batch, bio);
}

/*
 * A clone of @bio on the lower device, in @spare if there is one, else from
 * the bio_set.  GFP_NOIO (a task that may sleep) and a mempool: the bio_set
 * never fails; bio_init_clone() may, for an integrity payload only.
 */
static struct bio *cowrap_bdev_clone(struct cowrap_bdev *b, struct bio *bio,
				     struct bio *spare)
{
	if (!spare)
		return bio_alloc_clone(b->lower.bdev, bio, GFP_NOIO, &b->bs);
	return bio_init_clone(b->lower.bdev, spare, bio, GFP_NOIO) ? NULL : spare;
}

/*
 * Clone every bio of @io onto the lower device and submit the clones: the
 * first into the I/O's spare bio if it has one (a bio-based device's bio:
 * its state and its clone are one allocation, as in device-mapper), the
 * others from the bio_set.  A request's PREFLUSH and FUA were dealt with
 * by the upper queue's flush machinery (the request says whether this one
 * is FUA); a bio-based device's bio passes them down as they are.
 */
static void coroutine_fn cowrap_bdev_co_clone(struct cowrap_bdev *b,
					      struct cowrap_blk_io *io,
					      bool bio_based)
{
	blk_opf_t drop = COWRAP_BDEV_OPF_DROP;
	blk_opf_t fua = io->opf & REQ_FUA;
	struct bio *spare = io->spare_bio;
	struct bio *bio, *clone;

	if (bio_based)
		drop &= ~(REQ_PREFLUSH | REQ_FUA);
	for (bio = io->bio; bio; bio = bio->bi_next) {
		clone = cowrap_bdev_clone(b, bio, spare);
		if (!clone) {
			cowrap_co_batch_error(&io->batch, BLK_STS_RESOURCE);
			return;
		}
		clone->bi_opf = (bio->bi_opf & ~drop) | fua;
		if (clone == spare)
			cowrap_co_batch_submit_embedded(&io->batch, clone);
		else
			cowrap_co_batch_submit(&io->batch, clone);
		spare = NULL;
	}
}

/* A flush request: the lower flush, waited for on a worker. */
static int coroutine_fn cowrap_bdev_co_flush_wait(struct cowrap_dev *dev,
						  struct cowrap_bdev *b,
						  struct cowrap_bio_batch *batch)
{
	int ret = cowrap_co_batch_init(batch);

	if (ret)
		return ret;
	cowrap_bdev_co_flush_rq(b, batch);
	return cowrap_bdev_co_wait(dev, batch);
}

/*
 * A block request or bio: every lower bio in flight at once, and it
 * finishes when the last one ends (cowrap_co_batch_finish(): nothing
 * parks; a request's flush excepted).  A blocking queue's request and a
 * bio-based device's bio run inline on the submitter's task and submit
 * from there; where they cannot (an atomic inline run: a restart from a
 * latency timer, a REQ_NOWAIT bio), the batch refuses before anything is
 * allocated or submitted and the body runs again on a worker
 * (Documentation/coroutines.rst, rule 4).  The batch lives in the I/O's
 * state: it outlives the body.
 */
static int coroutine_fn cowrap_bdev_co_request(struct cowrap_dev *dev,
					       struct cowrap_blk_io *io)
{
	bool bio_based = cowrap_dev_bio_based(dev);
	struct cowrap_bdev *b = dev->backend_priv;
	unsigned int n;
	int ret;

	/*
	 * A request's flush ends below in the lower queue's flush_end_io(),
	 * under its flush lock: finishing ours from there would take our
	 * queue's flush lock inside it.  It waits on a worker instead.  A
	 * bio-based device has no flush lock: its flush goes down as a clone.
	 */
	if (io->op == COWRAP_OP_FLUSH && !bio_based)
		return cowrap_bdev_co_flush_wait(dev, b, &io->batch);
	ret = cowrap_co_batch_init_last(&io->batch);
	if (ret)
		return ret;
	/* queue_rq's plug, or the submitter's bio list, batches the clones */
	cowrap_bdev_co_clone(b, io, bio_based);
	n = cowrap_co_batch_inflight(&io->batch);
	if (n > this_cpu_read(dev->stats->lower_batch_max))
		this_cpu_write(dev->stats->lower_batch_max, n);
	return cowrap_co_batch_finish(&io->batch);
}

/*
 * Synchronous calls: the range @it (an ITER_BVEC) as one bio that points
 * at its vectors (bio_iov_iter_get_pages()); the lower device splits it.
 */
static int coroutine_fn cowrap_bdev_co_rw(struct cowrap_dev *dev, u64 pos,
					  struct iov_iter *it, blk_opf_t opf)
{
	struct cowrap_bdev *b = dev->backend_priv;
	struct cowrap_bio_batch batch;
	struct bio *bio;
	int ret;

	ret = cowrap_co_batch_init(&batch);
	if (ret)
		return ret;
	bio = bio_alloc_bioset(b->lower.bdev, 0, opf, GFP_NOIO, &b->bs);
	bio->bi_iter.bi_sector = pos >> SECTOR_SHIFT;
	ret = bio_iov_iter_get_pages(bio, it);
	if (ret) {
		bio_put(bio);
		cowrap_co_batch_error(&batch, errno_to_blk_status(ret));
	} else {
		cowrap_co_batch_submit(&batch, bio);
	}
	return cowrap_bdev_co_wait(dev, &batch);
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
				 REQ_OP_WRITE | REQ_SYNC | (fua ? REQ_FUA : 0));
}

/* A range without data (flush, discard, write-zeroes), bios side by side. */
static int coroutine_fn cowrap_bdev_co_nodata(struct cowrap_dev *dev,
					      blk_opf_t opf, u64 pos, u64 len)
{
	struct cowrap_bdev *b = dev->backend_priv;
	unsigned int lbs = bdev_logical_block_size(b->lower.bdev);
	struct cowrap_bio_batch batch;
	struct bio *bio;
	int ret;

	ret = cowrap_co_batch_init(&batch);
	if (ret)
		return ret;
	do {
		u64 n = min_t(u64, len, round_down(UINT_MAX, lbs));

		bio = bio_alloc_bioset(b->lower.bdev, 0, opf, GFP_NOIO, &b->bs);
		bio->bi_iter.bi_sector = pos >> SECTOR_SHIFT;
		bio->bi_iter.bi_size = n;
		cowrap_co_batch_submit(&batch, bio);
		pos += n;
		len -= n;
	} while (len);
	return cowrap_bdev_co_wait(dev, &batch);
}

static int coroutine_fn cowrap_bdev_co_flush(struct cowrap_dev *dev)
{
	return cowrap_bdev_co_nodata(dev, REQ_OP_WRITE | REQ_PREFLUSH | REQ_SYNC,
				     0, 0);
}

static int coroutine_fn cowrap_bdev_co_discard(struct cowrap_dev *dev,
					       u64 pos, u64 len)
{
	return cowrap_bdev_co_nodata(dev, REQ_OP_DISCARD, pos, len);
}

/* As blkdev_issue_zeroout() without BLKDEV_ZERO_NOUNMAP: may unmap. */
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
cowrap_co_addr_ok(cowrap_bdev_co_request);

const struct cowrap_backend_ops cowrap_backend_bdev = {
	.name			= "bdev",
	.open			= cowrap_bdev_open,
	.close			= cowrap_bdev_close,
	.co_read		= cowrap_bdev_co_read,
	.co_write		= cowrap_bdev_co_write,
	.co_flush		= cowrap_bdev_co_flush,
	.co_discard		= cowrap_bdev_co_discard,
	.co_write_zeroes	= cowrap_bdev_co_write_zeroes,
	.co_request		= cowrap_bdev_co_request,
	.blocking		= true,
};
