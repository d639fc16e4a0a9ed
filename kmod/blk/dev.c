// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap block devices: creation, lookup and removal, the block device
 * operations and the registry of ids.
 *
 * Lifecycle (Documentation/uapi.rst, "Removal"): DEL of a device nobody
 * has open removes it at once, waiting for requests in flight to
 * complete.  DEL of an open device fails with -EBUSY, or with
 * COWRAP_DEL_FORCE fails all outstanding and future I/O with EIO and
 * removes the device after the last close.  Module unload removes every
 * device; the kernel refuses to unload while a device is open.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"

static unsigned int nr_devices;
module_param(nr_devices, uint, 0444);
MODULE_PARM_DESC(nr_devices, "ram devices to create at load (default 0, at most 16)");

static unsigned int dev_size_mb = 64;
module_param(dev_size_mb, uint, 0444);
MODULE_PARM_DESC(dev_size_mb, "size of the devices of nr_devices in MiB (default 64)");

/*
 * Registry: id -> device.  cowrap_devs_lock only guards the registry and
 * the devices' @serial and @dying: ids are reserved, published, looked up
 * and erased under it, and nothing slow happens with it held.  Creation
 * (backend open, context, add_disk) runs between reservation and
 * publication, removal (waiting for control users, del_gendisk, context
 * teardown, backend close) after @dying is set, both without it, as
 * loop-control and ublk do.  A reserved id holds a zero entry: lookups
 * and lists do not see it, and nobody else can take the id.
 */
static DEFINE_XARRAY_ALLOC(cowrap_devs);
static DEFINE_MUTEX(cowrap_devs_lock);
/* Woken when a device leaves the registry (an ADD may wait for its id). */
static DECLARE_WAIT_QUEUE_HEAD(cowrap_devs_erased);
static struct workqueue_struct *cowrap_dev_wq;
static u64 cowrap_dev_next_serial;	/* under cowrap_devs_lock */

/* Live objects of the device layer, shown in debugfs (dev_debugfs.c). */
struct cowrap_live_counts cowrap_live;

const struct cowrap_backend_ops *cowrap_backend_find(u32 backend)
{
	switch (backend) {
	case COWRAP_BACKEND_RAM:
		return &cowrap_backend_ram;
	case COWRAP_BACKEND_NULL:
		return &cowrap_backend_null;
	case COWRAP_BACKEND_BDEV:
		return &cowrap_backend_bdev;
	case COWRAP_BACKEND_COW:
		return &cowrap_backend_cow;
	default:
		return NULL;
	}
}

/**
 * cowrap_dev_ctx() - the execution context of a device
 * @dev: device
 *
 * The generated synchronous wrappers of dev_sync.h run their coroutine
 * here (cowrap-gen --ctx 'struct cowrap_dev *=cowrap_dev_ctx').
 *
 * Return: the device's context.
 */
struct cowrap_ctx *cowrap_dev_ctx(struct cowrap_dev *dev)
{
	return dev->ctx;
}

static int cowrap_bd_open(COWRAP_BDOPS_OPEN_ARGS)
{
	struct cowrap_dev *dev = COWRAP_BDOPS_OPEN_DISK->private_data;
	int ret = 0;

	mutex_lock(&dev->lock);
	if (dev->state == COWRAP_STATE_LIVE)
		dev->open_count++;
	else
		ret = -ENXIO;
	mutex_unlock(&dev->lock);
	return ret;
}

static void cowrap_bd_release(COWRAP_BDOPS_RELEASE_ARGS)
{
	struct cowrap_dev *dev = disk->private_data;
	bool remove;

	mutex_lock(&dev->lock);
	remove = !--dev->open_count && dev->state == COWRAP_STATE_DELETING;
	mutex_unlock(&dev->lock);
	/* del_gendisk() needs the open_mutex we are called with */
	if (remove)
		queue_work(cowrap_dev_wq, &dev->remove_work);
}

static const struct block_device_operations cowrap_bdops = {
	.owner		= THIS_MODULE,
	.open		= cowrap_bd_open,
	.release	= cowrap_bd_release,
};

/* A bio-based disk: the same, and its bios go to dev_bio.c. */
static const struct block_device_operations cowrap_bio_bdops = {
	.owner		= THIS_MODULE,
	.submit_bio	= cowrap_submit_bio,
	.open		= cowrap_bd_open,
	.release	= cowrap_bd_release,
};

static int cowrap_dev_alloc_ctx(struct cowrap_dev *dev)
{
	const struct cowrap_dev_cfg *cfg = &dev->cfg;
	unsigned int max = cfg->nr_hw_queues * cfg->queue_depth +
			   COWRAP_DEV_SYNC_WORKERS;
	char name[16];

	if (cowrap_dev_bio_based(dev))
		max = COWRAP_DEV_BIO_WORKERS + COWRAP_DEV_SYNC_WORKERS;

	/* workers are "cowrap<cpu>:dev<id>" */
	snprintf(name, sizeof(name), "dev%u", cfg->id);
	dev->ctx = cowrap_ctx_create_reserved(name, max,
					      COWRAP_DEV_RESERVED_WORKERS);
	if (IS_ERR(dev->ctx)) {
		int ret = PTR_ERR(dev->ctx);

		dev->ctx = NULL;
		return ret;
	}
	atomic_inc(&cowrap_live.ctxs);
	return 0;
}

static void cowrap_dev_free_ctx(struct cowrap_dev *dev)
{
	cowrap_ctx_destroy(dev->ctx);
	dev->ctx = NULL;
	atomic_dec(&cowrap_live.ctxs);
}

static int cowrap_dev_open_backend(struct cowrap_dev *dev)
{
	int ret = dev->ops->open(dev, &dev->cfg);

	if (!ret)
		atomic_inc(&cowrap_live.backends);
	return ret;
}

static void cowrap_dev_close_backend(struct cowrap_dev *dev)
{
	dev->ops->close(dev);
	atomic_dec(&cowrap_live.backends);
}

/* The tag set of a blk-mq device: 0 or -errno. */
static int cowrap_dev_alloc_tag_set(struct cowrap_dev *dev)
{
	const struct cowrap_dev_cfg *cfg = &dev->cfg;
	struct blk_mq_tag_set *set = &dev->tag_set;

	set->ops = &cowrap_mq_ops;
	set->nr_hw_queues = cfg->nr_hw_queues;
	set->queue_depth = cfg->queue_depth;
	set->numa_node = NUMA_NO_NODE;
	set->cmd_size = sizeof(struct cowrap_rq);
	/*
	 * No I/O scheduler unless the user picks one: a ram or null device
	 * has nothing to reorder, and a bdev device's lower one has its own
	 * (as null_blk, whose poll queue makes it multi-queue, and dm-mq).
	 */
	set->flags = BLK_MQ_F_SHOULD_MERGE | BLK_MQ_F_NO_SCHED_BY_DEFAULT;
	if (dev->ops->blocking)
		set->flags |= BLK_MQ_F_BLOCKING;
	set->driver_data = dev;
	/* 0: the block layer's default, with cowrap_timeout() re-arming */
	if (cfg->timeout_ms)
		set->timeout = msecs_to_jiffies(cfg->timeout_ms);
	return blk_mq_alloc_tag_set(set);
}

/* What feeds the disk: a tag set, or the bio path of a bio-based one. */
static int cowrap_dev_alloc_queue(struct cowrap_dev *dev)
{
	if (cowrap_dev_bio_based(dev))
		return cowrap_dev_bio_init(dev);
	return cowrap_dev_alloc_tag_set(dev);
}

static void cowrap_dev_free_queue(struct cowrap_dev *dev)
{
	if (cowrap_dev_bio_based(dev))
		cowrap_dev_bio_exit(dev);
	else
		blk_mq_free_tag_set(&dev->tag_set);
}

static int cowrap_dev_alloc_disk(struct cowrap_dev *dev)
{
	const struct cowrap_dev_cfg *cfg = &dev->cfg;
	bool bio_based = cowrap_dev_bio_based(dev);
	struct cowrap_limits lim = {
		.lbs = cfg->lbs,
		.pbs = cfg->pbs,
		.max_hw_sectors = COWRAP_DEV_MAX_SECTORS,
		.write_cache = cfg->flags & COWRAP_DEV_WRITE_CACHE,
		.lower = dev->lower,
	};
	struct gendisk *disk;
	int ret;

	if (cfg->flags & COWRAP_DEV_DISCARD)
		lim.max_discard_sectors = UINT_MAX >> SECTOR_SHIFT;
	if (cfg->flags & COWRAP_DEV_WRITE_ZEROES)
		lim.max_write_zeroes_sectors = UINT_MAX >> SECTOR_SHIFT;

	ret = cowrap_dev_alloc_queue(dev);
	if (ret)
		return ret;
	disk = cowrap_alloc_disk(bio_based ? NULL : &dev->tag_set, &lim, dev);
	if (IS_ERR(disk)) {
		cowrap_dev_free_queue(dev);
		return PTR_ERR(disk);
	}
	disk->fops = bio_based ? &cowrap_bio_bdops : &cowrap_bdops;
	disk->private_data = dev;
	disk->flags |= GENHD_FL_NO_PART;
	snprintf(disk->disk_name, sizeof(disk->disk_name), "cowrap%u", cfg->id);
	set_capacity(disk, cfg->size >> SECTOR_SHIFT);
	set_disk_ro(disk, cfg->flags & COWRAP_DEV_READ_ONLY);
	dev->disk = disk;
	atomic_inc(&cowrap_live.disks);
	return 0;
}

static void cowrap_dev_free_disk(struct cowrap_dev *dev)
{
	put_disk(dev->disk);
	cowrap_dev_free_queue(dev);
	dev->disk = NULL;
	atomic_dec(&cowrap_live.disks);
}

/* Free a device that is out of the registry or never got in. */
static void cowrap_dev_free(struct cowrap_dev *dev)
{
	free_percpu(dev->stats);
	kfree(dev);
	atomic_dec(&cowrap_live.devices);
}

/* Make @dev invisible to new lookups; the registry lock is held. */
static void cowrap_dev_mark_dying(struct cowrap_dev *dev)
{
	lockdep_assert_held(&cowrap_devs_lock);
	dev->dying = true;
}

/*
 * Remove a device: no opener, state DELETING, @dying set, registry lock
 * not held.  Waits for control-path users and for every request in
 * flight; the id stays reserved until the device is gone.
 */
static void cowrap_dev_destroy(struct cowrap_dev *dev)
{
	wait_event(dev->users_wq, !atomic_read(&dev->users));
	/* waits for the requests of a blk-mq disk, not for bios */
	del_gendisk(dev->disk);
	if (cowrap_dev_bio_based(dev))
		cowrap_dev_bio_drain(dev);
	cowrap_dev_free_ctx(dev);
	cowrap_dev_free_disk(dev);
	cowrap_dev_close_backend(dev);
	mutex_lock(&cowrap_devs_lock);
	xa_erase(&cowrap_devs, dev->cfg.id);
	mutex_unlock(&cowrap_devs_lock);
	wake_up_all(&cowrap_devs_erased);
	cowrap_dev_free(dev);
}

static void cowrap_dev_remove_work(struct work_struct *work)
{
	struct cowrap_dev *dev = container_of(work, struct cowrap_dev,
					      remove_work);

	mutex_lock(&cowrap_devs_lock);
	cowrap_dev_mark_dying(dev);
	mutex_unlock(&cowrap_devs_lock);
	cowrap_dev_destroy(dev);
}

static struct cowrap_dev *cowrap_dev_new(const struct cowrap_dev_cfg *cfg)
{
	struct cowrap_dev *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (!dev)
		return NULL;
	dev->stats = alloc_percpu(struct cowrap_dev_counters);
	if (!dev->stats) {
		kfree(dev);
		return NULL;
	}
	atomic_inc(&cowrap_live.devices);
	dev->cfg = *cfg;
	dev->ops = cowrap_backend_find(cfg->backend);
	mutex_init(&dev->lock);
	atomic_set(&dev->users, 0);
	init_waitqueue_head(&dev->users_wq);
	INIT_WORK(&dev->remove_work, cowrap_dev_remove_work);
	spin_lock_init(&dev->fault.lock);
	return dev;
}

/*
 * Reserve the requested id.  A device on its way out (dying: no longer
 * listed, GET_DEV_INFO says ENODEV) still holds its id until its teardown
 * ends; the ADD waits for that, killably and without the registry lock,
 * rather than fail with -EEXIST for an id nobody can see.
 */
static int cowrap_dev_reserve_id(u32 id)
{
	struct cowrap_dev *old;
	int ret;

	for (;;) {
		mutex_lock(&cowrap_devs_lock);
		ret = xa_insert(&cowrap_devs, id, NULL, GFP_KERNEL);
		old = ret == -EBUSY ? xa_load(&cowrap_devs, id) : NULL;
		if (old && !old->dying)
			old = NULL;
		mutex_unlock(&cowrap_devs_lock);
		if (ret != -EBUSY)
			return ret;
		if (!old)
			return -EEXIST;
		/* only the pointer is compared: @old may be freed by now */
		if (wait_event_killable(cowrap_devs_erased,
					xa_load(&cowrap_devs, id) != old))
			return -EINTR;
	}
}

/*
 * Reserve an id for @dev (a zero entry, invisible to lookups): 0, -EEXIST,
 * -ENOSPC, -ENOMEM, -EINTR.
 */
static int cowrap_dev_reserve(struct cowrap_dev *dev)
{
	u32 id;
	int ret;

	if (dev->cfg.req_id)
		return cowrap_dev_reserve_id(dev->cfg.id);
	mutex_lock(&cowrap_devs_lock);
	ret = xa_alloc(&cowrap_devs, &id, NULL,
		       XA_LIMIT(0, COWRAP_MAX_DEVICES - 1), GFP_KERNEL);
	mutex_unlock(&cowrap_devs_lock);
	if (ret == -EBUSY)
		return -ENOSPC;
	if (!ret)
		dev->cfg.id = id;
	return ret;
}

/* Give a reserved id back. */
static void cowrap_dev_unreserve(struct cowrap_dev *dev)
{
	mutex_lock(&cowrap_devs_lock);
	xa_release(&cowrap_devs, dev->cfg.id);
	mutex_unlock(&cowrap_devs_lock);
}

/* Make a set-up device visible under its reserved id: 0 or -ENOMEM. */
static int cowrap_dev_publish(struct cowrap_dev *dev)
{
	void *old;

	mutex_lock(&cowrap_devs_lock);
	dev->serial = ++cowrap_dev_next_serial;
	old = xa_store(&cowrap_devs, dev->cfg.id, dev, GFP_KERNEL);
	mutex_unlock(&cowrap_devs_lock);
	return xa_err(old);
}

/* Backend, context, disk: the slow part, registry lock not held. */
static int cowrap_dev_setup(struct cowrap_dev *dev)
{
	int ret;

	if (!dev->ops)
		return -EINVAL;
	ret = cowrap_dev_open_backend(dev);
	if (ret)
		return ret;
	ret = cowrap_dev_alloc_ctx(dev);
	if (ret)
		goto err_backend;
	ret = cowrap_dev_alloc_disk(dev);
	if (ret)
		goto err_ctx;
	dev->state = COWRAP_STATE_LIVE;
	ret = add_disk(dev->disk);
	if (ret)
		goto err_disk;
	return 0;

err_disk:
	dev->state = COWRAP_STATE_DELETING;
	cowrap_dev_free_disk(dev);
err_ctx:
	cowrap_dev_free_ctx(dev);
err_backend:
	cowrap_dev_close_backend(dev);
	return ret;
}

/**
 * cowrap_dev_add() - create a device
 * @cfg: validated parameters (cowrap_dev_cfg_from_user())
 * @id: set to the new device's id
 * @serial: set to the new device's serial (for cowrap_dev_del_serial());
 *	may be NULL
 *
 * Process context; sleeps.
 *
 * Return: 0; -EEXIST if the requested id is taken, -ENOSPC if no id is
 * free, the backend's error (e.g. -ENOENT, -ENOTBLK, -EBUSY, -EINVAL,
 * -EOPNOTSUPP for bdev), -ENOMEM.
 */
int cowrap_dev_add(struct cowrap_dev_cfg *cfg, u32 *id, u64 *serial)
{
	struct cowrap_dev *dev;
	int ret;

	dev = cowrap_dev_new(cfg);
	if (!dev)
		return -ENOMEM;
	ret = cowrap_dev_reserve(dev);
	if (ret)
		goto err_free;
	ret = cowrap_dev_setup(dev);
	if (ret)
		goto err_unreserve;
	ret = cowrap_dev_publish(dev);
	if (ret)
		goto err_destroy;
	*id = dev->cfg.id;
	if (serial)
		*serial = dev->serial;
	cfg->size = dev->cfg.size;	/* bdev: the lower size */
	return 0;

err_destroy:
	/* still invisible: nobody can have looked it up */
	mutex_lock(&dev->lock);
	dev->state = COWRAP_STATE_DELETING;
	mutex_unlock(&dev->lock);
	cowrap_dev_destroy(dev);
	return ret;
err_unreserve:
	cowrap_dev_unreserve(dev);
err_free:
	cowrap_dev_free(dev);
	return ret;
}

/* DEL, and the undo of an ADD (@serial non-zero).  See below. */
static int cowrap_dev_do_del(u32 id, u64 serial, bool force)
{
	struct cowrap_dev *dev;
	bool now = false;
	int ret = 0;

	mutex_lock(&cowrap_devs_lock);
	dev = xa_load(&cowrap_devs, id);
	if (!dev || dev->dying || (serial && dev->serial != serial)) {
		ret = -ENODEV;
		goto out;
	}
	mutex_lock(&dev->lock);
	if (dev->state == COWRAP_STATE_DELETING) {
		ret = -EBUSY;
	} else if (dev->open_count && !force) {
		ret = -EBUSY;
	} else {
		dev->state = COWRAP_STATE_DELETING;
		WRITE_ONCE(dev->failing, force);
		/* an open force-deleted device goes in cowrap_bd_release() */
		now = !dev->open_count;
	}
	mutex_unlock(&dev->lock);
	if (now)
		cowrap_dev_mark_dying(dev);
out:
	mutex_unlock(&cowrap_devs_lock);
	if (now)
		cowrap_dev_destroy(dev);
	return ret;
}

/**
 * cowrap_dev_del() - remove a device
 * @id: device id
 * @force: fail I/O and remove after the last close instead of -EBUSY
 *
 * Return: 0; -ENODEV for an unknown id; -EBUSY if the device is open and
 * @force is false, or if it is already waiting for its last close.
 */
int cowrap_dev_del(u32 id, bool force)
{
	return cowrap_dev_do_del(id, 0, force);
}

/**
 * cowrap_dev_del_serial() - force-remove a device if it is the one meant
 * @id: device id
 * @serial: serial from cowrap_dev_add() (non-zero)
 *
 * Undoes an ADD whose caller could not be told the id: it must not hit a
 * device that another caller deleted and re-created with the same id
 * meanwhile.  The removal is forced, as with cowrap_dev_del().
 *
 * Return: as cowrap_dev_del(); -ENODEV also when the device with @id has
 * another serial.
 */
int cowrap_dev_del_serial(u32 id, u64 serial)
{
	return cowrap_dev_do_del(id, serial, true);
}

/**
 * cowrap_dev_get() - look a device up for a control command
 * @id: device id
 *
 * The device stays allocated until cowrap_dev_put(); removal waits.
 *
 * Return: the device, or NULL for an unknown id.
 */
struct cowrap_dev *cowrap_dev_get(u32 id)
{
	struct cowrap_dev *dev;

	mutex_lock(&cowrap_devs_lock);
	dev = xa_load(&cowrap_devs, id);
	if (dev && !dev->dying)
		atomic_inc(&dev->users);
	else
		dev = NULL;
	mutex_unlock(&cowrap_devs_lock);
	return dev;
}

/**
 * cowrap_dev_put() - end a control command's use of a device
 * @dev: device from cowrap_dev_get()
 */
void cowrap_dev_put(struct cowrap_dev *dev)
{
	if (atomic_dec_and_test(&dev->users))
		wake_up(&dev->users_wq);
}

/**
 * cowrap_dev_list() - ids of the existing devices
 * @ids: array of @max slots, filled in ascending order
 * @max: slots at @ids
 *
 * Return: the number of devices (may exceed @max).
 */
u32 cowrap_dev_list(u32 *ids, u32 max)
{
	struct cowrap_dev *dev;
	unsigned long id;
	u32 n = 0;

	mutex_lock(&cowrap_devs_lock);
	xa_for_each(&cowrap_devs, id, dev) {
		if (dev->dying)
			continue;
		if (n < max)
			ids[n] = id;
		n++;
	}
	mutex_unlock(&cowrap_devs_lock);
	return n;
}

/* The effective limits of the disk, as the block layer applies them. */
static void cowrap_dev_fill_limits(struct cowrap_dev *dev,
				   struct cowrap_dev_info *info)
{
	struct block_device *bdev = dev->disk->part0;
	struct request_queue *q = dev->disk->queue;

	info->logical_block_size = queue_logical_block_size(q);
	info->physical_block_size = queue_physical_block_size(q);
	info->max_hw_sectors = queue_max_hw_sectors(q);
	info->max_sectors = queue_max_sectors(q);
	info->max_segments = queue_max_segments(q);
	info->max_segment_size = queue_max_segment_size(q);
	info->dma_alignment = queue_dma_alignment(q);
	info->max_discard_sectors = bdev_max_discard_sectors(bdev);
	if (info->max_discard_sectors)
		info->discard_granularity = bdev_discard_granularity(bdev);
	info->max_write_zeroes_sectors = bdev_write_zeroes_sectors(bdev);
	if (bdev_write_cache(bdev))
		info->queue_flags |= COWRAP_QUEUE_WRITE_CACHE;
	if (bdev_fua(bdev))
		info->queue_flags |= COWRAP_QUEUE_FUA;
	if (!bdev_nonrot(bdev))
		info->queue_flags |= COWRAP_QUEUE_ROTATIONAL;
}

/**
 * cowrap_dev_fill_info() - describe a device
 * @dev: device
 * @info: output fields filled; the caller zeroed it
 */
void cowrap_dev_fill_info(struct cowrap_dev *dev, struct cowrap_dev_info *info)
{
	const struct cowrap_dev_cfg *cfg = &dev->cfg;

	info->dev_id = cfg->id;
	info->backend = cfg->backend;
	info->dev_size = cfg->size;
	info->logical_block_size = cfg->lbs;
	info->physical_block_size = cfg->pbs;
	info->nr_hw_queues = cfg->nr_hw_queues;
	info->queue_depth = cfg->queue_depth;
	info->dev_flags = cfg->flags;
	info->latency_ns = cfg->latency_ns;
	info->major = dev->disk->major;
	info->minor = dev->disk->first_minor;
	mutex_lock(&dev->lock);
	info->open_count = dev->open_count;
	info->state = dev->state;
	mutex_unlock(&dev->lock);
	strscpy(info->disk_name, dev->disk->disk_name, sizeof(info->disk_name));
	strscpy(info->path, cfg->path, sizeof(info->path));
	strscpy(info->overlay, cfg->overlay, sizeof(info->overlay));
	info->chunk_size = cfg->chunk_size;
	cowrap_dev_fill_limits(dev, info);
}

/**
 * cowrap_dev_fill_stats() - read (and optionally reset) a device's counters
 * @dev: device
 * @st: counters filled; the caller zeroed it
 * @reset: zero the counters after reading (not atomic with concurrent I/O)
 */
void cowrap_dev_fill_stats(struct cowrap_dev *dev, struct cowrap_dev_stats *st,
			   bool reset)
{
	struct cowrap_dev_counters *c;
	long inflight = 0;
	int cpu, i;

#define COWRAP_STAT(f) (reset ? xchg(&c->f, 0) : READ_ONCE(c->f))
	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(dev->stats, cpu);
		for (i = 0; i < COWRAP_OP_NR; i++) {
			st->reqs[i] += COWRAP_STAT(reqs[i]);
			st->bytes[i] += COWRAP_STAT(bytes[i]);
			st->errors[i] += COWRAP_STAT(errors[i]);
		}
		st->co_started += COWRAP_STAT(co_started);
		st->co_yields += COWRAP_STAT(co_yields);
		st->co_wakes += COWRAP_STAT(co_wakes);
		st->sync_calls += COWRAP_STAT(sync_calls);
		st->faults_injected += COWRAP_STAT(faults_injected);
		inflight += READ_ONCE(c->inflight);
	}
#undef COWRAP_STAT
	st->inflight = max(inflight, 0L);
}

/**
 * cowrap_dev_sum_ctx_stats() - add up the counters of every device context
 * @sum: zeroed by the caller; the counters of each context are added
 * @nr_devs: set to the number of devices in the registry (any state)
 *
 * Process context (takes the registry lock).
 */
void cowrap_dev_sum_ctx_stats(struct cowrap_ctx_stats *sum, u32 *nr_devs)
{
	struct cowrap_ctx_stats st;
	struct cowrap_dev *dev;
	unsigned long id;

	*nr_devs = 0;
	mutex_lock(&cowrap_devs_lock);
	xa_for_each(&cowrap_devs, id, dev) {
		(*nr_devs)++;
		if (dev->dying)		/* its context may be going away */
			continue;
		cowrap_ctx_get_stats(dev->ctx, &st);
		sum->nr_live += st.nr_live;
		sum->nr_queued += st.nr_queued;
		sum->nr_allocated += st.nr_allocated;
		sum->nr_workers += st.nr_workers;
		sum->nr_parked += st.nr_parked;
		sum->nr_inline += st.nr_inline;
		sum->nr_restarts += st.nr_restarts;
	}
	mutex_unlock(&cowrap_devs_lock);
}

static const char * const cowrap_seen_names[COWRAP_SEEN_NR] = {
	[COWRAP_SEEN_FUA]		= "fua",
	[COWRAP_SEEN_NOUNMAP]		= "nounmap",
	[COWRAP_SEEN_SYNC]		= "sync",
	[COWRAP_SEEN_META]		= "meta",
	[COWRAP_SEEN_PRIO]		= "prio",
	[COWRAP_SEEN_IDLE]		= "idle",
	[COWRAP_SEEN_IOPRIO_RT]		= "ioprio_rt",
	[COWRAP_SEEN_IOPRIO_BE]		= "ioprio_be",
	[COWRAP_SEEN_IOPRIO_IDLE]	= "ioprio_idle",
};

/* One "cowrap<id> name=count ... lower_batch_max=N" line. */
static void cowrap_dev_show_seen_one(struct seq_file *m, struct cowrap_dev *dev)
{
	u64 seen[COWRAP_SEEN_NR] = { 0 };
	unsigned int batch = 0;
	int cpu, i;

	for_each_possible_cpu(cpu) {
		struct cowrap_dev_counters *c = per_cpu_ptr(dev->stats, cpu);

		for (i = 0; i < COWRAP_SEEN_NR; i++)
			seen[i] += READ_ONCE(c->seen[i]);
		batch = max(batch, READ_ONCE(c->lower_batch_max));
	}
	seq_printf(m, "cowrap%u", dev->cfg.id);
	for (i = 0; i < COWRAP_SEEN_NR; i++)
		seq_printf(m, " %s=%llu", cowrap_seen_names[i], seen[i]);
	seq_printf(m, " lower_batch_max=%u\n", batch);
}

/**
 * cowrap_dev_show_seen() - the request attributes each device has seen
 * @m: debugfs cowrap/seen
 *
 * Process context (takes the registry lock).
 */
void cowrap_dev_show_seen(struct seq_file *m)
{
	struct cowrap_dev *dev;
	unsigned long id;

	mutex_lock(&cowrap_devs_lock);
	xa_for_each(&cowrap_devs, id, dev)
		if (!dev->dying)
			cowrap_dev_show_seen_one(m, dev);
	mutex_unlock(&cowrap_devs_lock);
}

/**
 * cowrap_dev_create_param_devices() - create the devices of nr_devices=
 *
 * Called last in module init, once /dev/cowrap-ctl is registered: a
 * device is visible to udev (which may open it) as soon as it is added,
 * so nothing after this may fail and unwind the module.  A device that
 * cannot be created is reported and skipped, as loop and brd do.
 */
void cowrap_dev_create_param_devices(void)
{
	struct cowrap_dev_cfg cfg = {
		.backend = COWRAP_BACKEND_RAM,
		.size = (u64)dev_size_mb << 20,
		.lbs = 512,
		.pbs = 4096,
		.nr_hw_queues = 1,
		.queue_depth = 128,
		.flags = COWRAP_DEV_DISCARD | COWRAP_DEV_WRITE_ZEROES,
	};
	unsigned int i;
	u32 id;
	int ret;

	if (!cfg.size || cfg.size > COWRAP_MAX_DEV_SIZE) {
		pr_warn("cowrap: dev_size_mb=%u out of range, no devices created\n",
			dev_size_mb);
		return;
	}
	for (i = 0; i < min(nr_devices, 16U); i++) {
		ret = cowrap_dev_add(&cfg, &id, NULL);
		if (ret) {
			pr_warn("cowrap: creating device %u failed: %d\n", i, ret);
			return;
		}
	}
}

/**
 * cowrap_dev_init() - set up the device registry
 *
 * Creates no device: see cowrap_dev_create_param_devices().  The
 * coroutine layer must be initialised first.
 *
 * Return: 0 or -ENOMEM.
 */
int cowrap_dev_init(void)
{
	int ret = cowrap_bio_cache_init();

	if (ret)
		return ret;
	cowrap_dev_wq = alloc_workqueue("cowrap_dev", WQ_MEM_RECLAIM, 0);
	if (!cowrap_dev_wq) {
		cowrap_bio_cache_exit();
		return -ENOMEM;
	}
	cowrap_dev_debugfs_init();
	return 0;
}

/**
 * cowrap_dev_exit() - remove every device
 *
 * Called at module unload, when no device can be open (an open device
 * holds a module reference).  Waits for pending removals first.
 */
void cowrap_dev_exit(void)
{
	struct cowrap_dev *dev;
	unsigned long id;

	cowrap_dev_debugfs_exit();
	flush_workqueue(cowrap_dev_wq);
	for (;;) {
		id = 0;
		mutex_lock(&cowrap_devs_lock);
		dev = xa_find(&cowrap_devs, &id, ULONG_MAX, XA_PRESENT);
		if (dev)
			cowrap_dev_mark_dying(dev);
		mutex_unlock(&cowrap_devs_lock);
		if (!dev)
			break;
		mutex_lock(&dev->lock);
		dev->state = COWRAP_STATE_DELETING;
		mutex_unlock(&dev->lock);
		cowrap_dev_destroy(dev);
	}
	destroy_workqueue(cowrap_dev_wq);
	xa_destroy(&cowrap_devs);
	cowrap_bio_cache_exit();
}
