// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O path of bio-based cowrap devices (COWRAP_DEV_BIO_BASED): no
 * blk-mq queue, no tag, no request.  ->submit_bio takes the state of the
 * bio (struct cowrap_bio_rq, with its coroutine and a spare bio for a
 * stacking backend's clone) from the device's mempool and runs the
 * coroutine inline on the submitter's task, as device-mapper runs a bio
 * through its target; the bio ends when the coroutine has finished.  The
 * coroutine body and the backend calls are those of a blk-mq request
 * (dev_io.c).
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/mempool.h>
#include <linux/slab.h>

#include "dev.h"

/*
 * Bio states a device keeps in reserve.  A bio in flight never waits for
 * another bio of the same device to start, so a freed state always comes
 * back: one would guarantee progress, a few keep a burst from waiting.
 */
#define COWRAP_BIO_POOL		16

static struct kmem_cache *cowrap_bio_cache;

/* The body of a bio's coroutine: as a request's, without a timeout. */
static int coroutine_fn cowrap_bio_co(void *opaque)
{
	struct cowrap_bio_rq *brq = opaque;
	struct cowrap_blk_io *io = &brq->io;
	int ret;

	ret = cowrap_dev_co_wait(io->dev, &io->begin);
	if (ret)
		return ret;
	return cowrap_io_co_exec(io);
}

/* The bio's coroutine has finished: end the bio, once. */
static void cowrap_bio_done(void *opaque, int ret)
{
	struct cowrap_bio_rq *brq = opaque;
	struct cowrap_dev *dev = brq->io.dev;
	struct bio *bio = brq->io.bio;

	ret = cowrap_io_done_status(ret);
	cowrap_dev_account(dev, brq->io.op, brq->io.bytes, ret);
	if (brq->start)
		bio_end_io_acct(bio, brq->start);
	/* the layer no longer touches the coroutine */
	mempool_free(brq, dev->bio_pool);
	bio->bi_status = errno_to_blk_status(ret);
	bio_endio(bio);
	/* last action: the device may go once its last bio has ended */
	percpu_ref_put(&dev->bio_ref);
}

/* Fill in the state of @bio, decide its delay and fault, count it. */
static void cowrap_bio_start(struct cowrap_dev *dev, struct cowrap_bio_rq *brq,
			     struct bio *bio, int op)
{
	struct cowrap_blk_io *io = &brq->io;

	io->dev = dev;
	io->op = op;
	io->bio = bio;
	io->pos = (u64)bio->bi_iter.bi_sector << SECTOR_SHIFT;
	io->bytes = bio->bi_iter.bi_size;
	io->opf = bio->bi_opf;
	io->spare_bio = &brq->clone;
	/* 0 is "not accounted"; a start at jiffies 0 is shifted by one */
	brq->start = 0;
	if (blk_queue_io_stat(dev->disk->queue))
		brq->start = bio_start_io_acct(bio) ?: 1;
	cowrap_io_begin(io, bio_prio(bio));
	cowrap_co_init_restartable(&io->co, dev->ctx, cowrap_bio_co,
				   cowrap_bio_done, brq);
}

/**
 * cowrap_submit_bio() - ->submit_bio of a bio-based cowrap disk
 * @bio: the bio
 *
 * Splits @bio to the disk's limits (but for a stacking backend's, whose
 * lower device splits) and runs it.  A bio that may wait is run with
 * cowrap_co_enter_sleepable() (the submitter's task may sleep, so its body
 * may allocate and submit bios; those go on the submitter's bio list,
 * issued when this returns); a REQ_NOWAIT one with cowrap_co_enter(),
 * which hands it to a worker rather than sleep.
 */
void cowrap_submit_bio(struct bio *bio)
{
	struct cowrap_dev *dev = bio->bi_bdev->bd_disk->private_data;
	struct cowrap_bio_rq *brq;
	bool nowait;
	int op;

	/*
	 * A stacking backend's lower device splits the clone to its own
	 * limits, which are the disk's (as for dm-linear); splitting here
	 * too would send two clones where it sends one.
	 */
	if (!dev->lower) {
		bio = bio_split_to_limits(bio);
		if (!bio)
			return;
	}
	if (unlikely(READ_ONCE(dev->failing))) {
		bio_io_error(bio);
		return;
	}
	op = cowrap_io_op(dev, bio->bi_opf, bio->bi_iter.bi_size);
	if (unlikely(op < 0)) {
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
		return;
	}
	nowait = bio->bi_opf & REQ_NOWAIT;
	/* GFP_NOIO waits for a state to come back: it never fails */
	brq = mempool_alloc(dev->bio_pool, nowait ? GFP_NOWAIT : GFP_NOIO);
	if (unlikely(!brq)) {
		bio_wouldblock_error(bio);
		return;
	}
	percpu_ref_get(&dev->bio_ref);
	cowrap_bio_start(dev, brq, bio, op);
	if (nowait)
		cowrap_co_enter(&brq->io.co);
	else
		cowrap_co_enter_sleepable(&brq->io.co);
}

static void cowrap_bio_ref_release(struct percpu_ref *ref)
{
	struct cowrap_dev *dev = container_of(ref, struct cowrap_dev, bio_ref);

	complete(&dev->bio_drained);
}

/**
 * cowrap_dev_bio_init() - set up the bio path of a bio-based device
 * @dev: device, before its disk is allocated
 *
 * Return: 0 or -ENOMEM.
 */
int cowrap_dev_bio_init(struct cowrap_dev *dev)
{
	int ret;

	init_completion(&dev->bio_drained);
	ret = percpu_ref_init(&dev->bio_ref, cowrap_bio_ref_release, 0,
			      GFP_KERNEL);
	if (ret)
		return ret;
	dev->bio_pool = mempool_create_slab_pool(COWRAP_BIO_POOL,
						 cowrap_bio_cache);
	if (!dev->bio_pool) {
		percpu_ref_exit(&dev->bio_ref);
		return -ENOMEM;
	}
	return 0;
}

/**
 * cowrap_dev_bio_drain() - wait until every bio of @dev has ended
 * @dev: device whose disk takes no more bios (after del_gendisk(), or
 *	never added)
 *
 * The disk's queue counts a bio only while ->submit_bio runs; a bio in
 * flight holds @dev->bio_ref until it has ended.  Once only.
 */
void cowrap_dev_bio_drain(struct cowrap_dev *dev)
{
	percpu_ref_kill(&dev->bio_ref);
	wait_for_completion(&dev->bio_drained);
}

/**
 * cowrap_dev_bio_exit() - free what cowrap_dev_bio_init() set up
 * @dev: device, drained (cowrap_dev_bio_drain()) or never given a bio
 */
void cowrap_dev_bio_exit(struct cowrap_dev *dev)
{
	if (!percpu_ref_is_dying(&dev->bio_ref))
		cowrap_dev_bio_drain(dev);
	mempool_destroy(dev->bio_pool);
	dev->bio_pool = NULL;
	percpu_ref_exit(&dev->bio_ref);
}

/**
 * cowrap_bio_cache_init() - create the slab of bio states
 *
 * Return: 0 or -ENOMEM.
 */
int cowrap_bio_cache_init(void)
{
	cowrap_bio_cache = KMEM_CACHE(cowrap_bio_rq, 0);
	return cowrap_bio_cache ? 0 : -ENOMEM;
}

/**
 * cowrap_bio_cache_exit() - destroy the slab of bio states
 *
 * After the last bio-based device is gone.
 */
void cowrap_bio_cache_exit(void)
{
	kmem_cache_destroy(cowrap_bio_cache);
}
