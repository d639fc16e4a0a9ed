/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between kernels, kept in one place so that the rest of the
 * module reads like mainline code.  Each boundary is the mainline release
 * that changed the API; the commit is named at the #if.
 *
 *  - 6.5: block_device_operations.open takes (gendisk, blk_mode_t) and
 *    release only the gendisk; blkdev_get_by_path() takes blk_mode_t, a
 *    holder and holder ops, blkdev_put() the holder.
 *  - 6.7: bdev_open_by_path() / bdev_release() with a struct bdev_handle
 *    (blkdev_get_by_path() removed in 6.8).
 *  - 6.9: lower devices are opened as files (bdev_file_open_by_path(),
 *    bdev_fput()); blk_mq_alloc_disk() takes the queue_limits.
 *  - 6.10: the blk_queue_*() limit setters are gone.
 *  - 6.11: write cache and rotational move from queue flags to
 *    queue_limits.features.
 *
 * How the boundaries were checked: only Debian's 6.1 and 6.12 headers can
 * be installed here (the configured bookworm repositories serve no other
 * series), and both build in "make check".  No mainline git history was
 * at hand: the boundaries in between come from the kernel's history as
 * out-of-tree ports of other projects record it (the commit ids named
 * below are the ones those ports cite; the others are given by title and
 * release), and no 6.5-6.11 tree was built, so those branches are
 * unbuilt.
 */
#ifndef _COWRAP_COMPAT_H
#define _COWRAP_COMPAT_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/version.h>

/**
 * struct cowrap_limits - queue limits of a new cowrap disk
 * @lbs: logical block size
 * @pbs: physical block size
 * @max_hw_sectors: largest request, in 512-byte sectors
 * @max_discard_sectors: 0 when discard is not supported
 * @max_write_zeroes_sectors: 0 when write-zeroes is not supported
 * @write_cache: volatile write cache (FLUSH and FUA honoured)
 * @lower: a lower device to stack on (bdev backend), or NULL
 *
 * With @lower, the disk's limits and features are the lower device's,
 * stacked as device-mapper does (blk_stack_limits()), and the other
 * fields can only narrow them: @lbs and @pbs raise the block sizes, a
 * zero @max_discard_sectors or @max_write_zeroes_sectors turns the
 * operation off, any other value, @max_hw_sectors and @write_cache are
 * ignored (the lower device decides).
 */
struct cowrap_limits {
	unsigned int lbs;
	unsigned int pbs;
	unsigned int max_hw_sectors;
	unsigned int max_discard_sectors;
	unsigned int max_write_zeroes_sectors;
	bool write_cache;
	struct block_device *lower;
};

/*
 * queue_limits_stack_bdev() (stack a bdev with its partition offset):
 * 6.9, with the queue_limits API; blk_stack_limits() before.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
static inline void cowrap_stack_bdev(struct queue_limits *lim,
				     struct block_device *lower)
{
	queue_limits_stack_bdev(lim, lower, 0, "cowrap");
}
#else
static inline void cowrap_stack_bdev(struct queue_limits *lim,
				     struct block_device *lower)
{
	if (blk_stack_limits(lim, &bdev_get_queue(lower)->limits,
			     get_start_sect(lower)))
		pr_notice("cowrap: lower device %pg is misaligned\n", lower);
}
#endif

/**
 * cowrap_limits_stacked() - queue limits stacked on a lower device
 * @lim: filled in
 * @cl: the narrowing options, cl->lower set
 *
 * The limits of blk_set_stacking_limits() combined with the lower
 * device's (block sizes, dma_alignment, max sectors, segments and
 * segment size, boundaries, discard and write-zeroes support and
 * granularity, and on 6.11 and later the inherited features), then
 * narrowed by @cl.
 */
static inline void cowrap_limits_stacked(struct queue_limits *lim,
					 const struct cowrap_limits *cl)
{
	blk_set_stacking_limits(lim);
	cowrap_stack_bdev(lim, cl->lower);
	lim->logical_block_size = max(lim->logical_block_size, cl->lbs);
	lim->physical_block_size = max3(lim->physical_block_size, cl->pbs,
					lim->logical_block_size);
	lim->io_min = max(lim->io_min, lim->physical_block_size);
	if (!cl->max_discard_sectors) {
		lim->max_hw_discard_sectors = 0;
		lim->max_discard_sectors = 0;
	}
	if (!cl->max_write_zeroes_sectors)
		lim->max_write_zeroes_sectors = 0;
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
/*
 * Before 6.11 write cache, FUA, rotational and stable writes are queue
 * flags, which blk_stack_limits() does not carry: take them from the
 * lower device here, or set the defaults of a disk that does not stack.
 */
static inline void cowrap_stack_queue_flags(struct request_queue *q,
					    const struct cowrap_limits *cl)
{
	struct block_device *lower = cl->lower;

	if (!lower) {
		blk_queue_write_cache(q, cl->write_cache, cl->write_cache);
		blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
		return;
	}
	blk_queue_write_cache(q, bdev_write_cache(lower), bdev_fua(lower));
	if (bdev_nonrot(lower))
		blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	else
		blk_queue_flag_clear(QUEUE_FLAG_NONROT, q);
	if (blk_queue_stable_writes(bdev_get_queue(lower)))
		blk_queue_flag_set(QUEUE_FLAG_STABLE_WRITES, q);
}
#endif


/*
 * A bio-based disk: blk_alloc_disk() takes the limits since 6.9 ("block:
 * pass a queue_limits argument to blk_alloc_disk") and returns an
 * ERR_PTR() since then; before, it returned NULL on failure.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
static inline struct gendisk *cowrap_alloc_bio_disk(struct queue_limits *lim,
						    void *queuedata)
{
	struct gendisk *disk = blk_alloc_disk(lim, NUMA_NO_NODE);

	if (!IS_ERR(disk))
		disk->queue->queuedata = queuedata;
	return disk;
}
#else
static inline struct gendisk *cowrap_alloc_bio_disk(void *queuedata)
{
	struct gendisk *disk = blk_alloc_disk(NUMA_NO_NODE);

	if (!disk)
		return ERR_PTR(-ENOMEM);
	disk->queue->queuedata = queuedata;
	return disk;
}
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
/* What blk-mq sets on its queues (QUEUE_FLAG_MQ_DEFAULT), for a bio disk. */
static inline void cowrap_bio_queue_flags(struct request_queue *q)
{
	blk_queue_flag_set(QUEUE_FLAG_IO_STAT, q);
	blk_queue_flag_set(QUEUE_FLAG_NOWAIT, q);
}
#endif

/*
 * "block: move cache control settings out of queue->flags" and "block:
 * move the nonrot flag to queue_limits": 6.11 (QUEUE_FLAG_WC gone in 6.11,
 * as OpenZFS's 6.11 write cache fix notes).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
/**
 * cowrap_alloc_disk() - allocate a disk with the given limits
 * @set: initialised tag set, or NULL for a bio-based disk (the caller
 *	sets its fops' submit_bio)
 * @cl: limits
 * @queuedata: stored in the request queue
 *
 * Return: the disk or an ERR_PTR().
 */
static inline struct gendisk *cowrap_alloc_disk(struct blk_mq_tag_set *set,
						const struct cowrap_limits *cl,
						void *queuedata)
{
	struct queue_limits lim = {
		.logical_block_size	= cl->lbs,
		.physical_block_size	= cl->pbs,
		.io_min			= cl->pbs,
		.max_hw_sectors		= cl->max_hw_sectors,
		.max_hw_discard_sectors	= cl->max_discard_sectors,
		.max_write_zeroes_sectors = cl->max_write_zeroes_sectors,
		.discard_granularity	= cl->max_discard_sectors ? cl->lbs : 0,
	};

	if (cl->lower) {
		cowrap_limits_stacked(&lim, cl);
		/* what blk_stack_limits() inherits, but for zoned (refused) */
		lim.features &= BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA |
				BLK_FEAT_ROTATIONAL | BLK_FEAT_STABLE_WRITES;
	} else if (cl->write_cache) {
		lim.features |= BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA;
	}
	if (set)
		return blk_mq_alloc_disk(set, &lim, queuedata);
	/* what blk-mq gives its queues, a bio-based disk asks for */
	lim.features |= BLK_FEAT_IO_STAT | BLK_FEAT_NOWAIT;
	return cowrap_alloc_bio_disk(&lim, queuedata);
}
/*
 * "block: pass a queue_limits argument to blk_mq_alloc_disk": 6.9; the
 * setters it replaces went in 6.10 (ec84ca4025c0, which iomemory-vsl4's
 * 6.10 port names; OpenZFS issue 16231 on 6.10-rc1), the queue flags
 * stay until 6.11.
 */
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
static inline struct gendisk *cowrap_alloc_disk(struct blk_mq_tag_set *set,
						const struct cowrap_limits *cl,
						void *queuedata)
{
	struct queue_limits lim = {
		.logical_block_size	= cl->lbs,
		.physical_block_size	= cl->pbs,
		.io_min			= cl->pbs,
		.max_hw_sectors		= cl->max_hw_sectors,
		.max_hw_discard_sectors	= cl->max_discard_sectors,
		.max_write_zeroes_sectors = cl->max_write_zeroes_sectors,
		.discard_granularity	= cl->max_discard_sectors ? cl->lbs : 0,
	};
	struct gendisk *disk;

	if (cl->lower)
		cowrap_limits_stacked(&lim, cl);
	if (set)
		disk = blk_mq_alloc_disk(set, &lim, queuedata);
	else
		disk = cowrap_alloc_bio_disk(&lim, queuedata);
	if (IS_ERR(disk))
		return disk;
	cowrap_stack_queue_flags(disk->queue, cl);
	if (!set)
		cowrap_bio_queue_flags(disk->queue);
	return disk;
}
#else
static inline struct gendisk *cowrap_alloc_disk(struct blk_mq_tag_set *set,
						const struct cowrap_limits *cl,
						void *queuedata)
{
	struct gendisk *disk;
	struct request_queue *q;

	disk = set ? blk_mq_alloc_disk(set, queuedata) :
		     cowrap_alloc_bio_disk(queuedata);
	if (IS_ERR(disk))
		return disk;
	q = disk->queue;
	if (!set)
		cowrap_bio_queue_flags(q);
	if (cl->lower) {
		struct queue_limits lim;

		/* as device-mapper sets a table's limits */
		cowrap_limits_stacked(&lim, cl);
		q->limits = lim;
		/* rounds the max sectors to a larger lbs */
		blk_queue_logical_block_size(q, lim.logical_block_size);
		cowrap_stack_queue_flags(q, cl);
		return disk;
	}
	blk_queue_logical_block_size(q, cl->lbs);
	blk_queue_physical_block_size(q, cl->pbs);
	blk_queue_io_min(q, cl->pbs);
	blk_queue_max_hw_sectors(q, cl->max_hw_sectors);
	blk_queue_max_discard_sectors(q, cl->max_discard_sectors);
	if (cl->max_discard_sectors)
		q->limits.discard_granularity = cl->lbs;
	blk_queue_max_write_zeroes_sectors(q, cl->max_write_zeroes_sectors);
	blk_queue_write_cache(q, cl->write_cache, cl->write_cache);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	return disk;
}
#endif

/*
 * block_device_operations.open/release signatures: "block: pass a gendisk
 * to ->open", "block: replace fmode_t with a block-specific type for block
 * open flags" (blk_mode_t) and "block: remove the unused mode argument to
 * ->release": all 6.5.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define COWRAP_BDOPS_OPEN_ARGS		struct gendisk *disk, blk_mode_t mode
#define COWRAP_BDOPS_OPEN_DISK		(disk)
#define COWRAP_BDOPS_RELEASE_ARGS	struct gendisk *disk
#else
#define COWRAP_BDOPS_OPEN_ARGS		struct block_device *bdev, fmode_t mode
#define COWRAP_BDOPS_OPEN_DISK		(bdev->bd_disk)
#define COWRAP_BDOPS_RELEASE_ARGS	struct gendisk *disk, fmode_t mode
#endif

/**
 * struct cowrap_lower - a block device held exclusively by a cowrap device
 * @bdev: the device
 * @file: the open file holding it (6.9 and later)
 * @handle: the handle holding it (6.7 and 6.8)
 * @mode: the mode it was opened with (before 6.5)
 */
struct cowrap_lower {
	struct block_device *bdev;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	struct file *file;
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	struct bdev_handle *handle;
#elif LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
	fmode_t mode;
#endif
};

/*
 * f3a608827d1f ("bdev: open block device as files") and 22650a99821d
 * ("fs,block: yield devices early", bdev_fput()): 6.9 (SCST's 6.9
 * ports, OpenZFS issue 16027 on 6.9-rc1).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
/**
 * cowrap_lower_open() - open a block device by path, exclusively
 * @lower: filled in on success
 * @path: kernel string
 * @writable: open for writing too
 * @holder: exclusive holder cookie
 *
 * Return: 0 or a negative errno (-ENOENT, -ENOTBLK, -EBUSY, ...).
 */
static inline int cowrap_lower_open(struct cowrap_lower *lower,
				    const char *path, bool writable,
				    void *holder)
{
	blk_mode_t mode = BLK_OPEN_READ | (writable ? BLK_OPEN_WRITE : 0);
	struct file *f = bdev_file_open_by_path(path, mode, holder, NULL);

	if (IS_ERR(f))
		return PTR_ERR(f);
	lower->file = f;
	lower->bdev = file_bdev(f);
	return 0;
}

/**
 * cowrap_lower_close() - release a device opened by cowrap_lower_open()
 * @lower: the device
 * @holder: the holder cookie used to open it
 */
static inline void cowrap_lower_close(struct cowrap_lower *lower, void *holder)
{
	bdev_fput(lower->file);
	lower->file = NULL;
	lower->bdev = NULL;
}
/*
 * e719b4d15674 ("block: Provide bdev_open_* functions"): 6.7 (backported
 * to 6.6.23 as dd0bd4291250); cd34758c5238 ("block: Remove
 * blkdev_get_by_*() functions"): 6.8 (both named by SCST's 6.8 port).
 */
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
static inline int cowrap_lower_open(struct cowrap_lower *lower,
				    const char *path, bool writable,
				    void *holder)
{
	blk_mode_t mode = BLK_OPEN_READ | (writable ? BLK_OPEN_WRITE : 0);
	struct bdev_handle *h = bdev_open_by_path(path, mode, holder, NULL);

	if (IS_ERR(h))
		return PTR_ERR(h);
	lower->handle = h;
	lower->bdev = h->bdev;
	return 0;
}

static inline void cowrap_lower_close(struct cowrap_lower *lower, void *holder)
{
	bdev_release(lower->handle);
	lower->handle = NULL;
	lower->bdev = NULL;
}
/*
 * blk_mode_t, "block: introduce holder ops" (the fourth argument) and
 * "block: use the holder as indication for exclusive opens"
 * (blkdev_put(bdev, holder)): 6.5, the series of ->open above.
 */
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
static inline int cowrap_lower_open(struct cowrap_lower *lower,
				    const char *path, bool writable,
				    void *holder)
{
	blk_mode_t mode = BLK_OPEN_READ | (writable ? BLK_OPEN_WRITE : 0);
	struct block_device *bdev = blkdev_get_by_path(path, mode, holder,
						       NULL);

	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	lower->bdev = bdev;
	return 0;
}

static inline void cowrap_lower_close(struct cowrap_lower *lower, void *holder)
{
	blkdev_put(lower->bdev, holder);
	lower->bdev = NULL;
}
#else
static inline int cowrap_lower_open(struct cowrap_lower *lower,
				    const char *path, bool writable,
				    void *holder)
{
	fmode_t mode = FMODE_READ | FMODE_EXCL | (writable ? FMODE_WRITE : 0);
	struct block_device *bdev = blkdev_get_by_path(path, mode, holder);

	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	lower->bdev = bdev;
	lower->mode = mode;
	return 0;
}

static inline void cowrap_lower_close(struct cowrap_lower *lower, void *holder)
{
	blkdev_put(lower->bdev, lower->mode);
	lower->bdev = NULL;
}
#endif

#endif /* _COWRAP_COMPAT_H */
