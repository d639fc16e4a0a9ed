// SPDX-License-Identifier: GPL-2.0
/*
 * Device commands of /dev/cowrap-ctl: ADD, DEL, LIST, GET_DEV_INFO,
 * GET_STATS, SET_FAULT, GET_FEATURES and the synchronous I/O commands,
 * which run the coroutine_fn halves of dev_sync.h through a killable,
 * refcounted call (struct cowrap_sync_io).
 */
#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/cowrap.h>

#include "ctl.h"
#include "dev.h"
#include "dev_sync.h"

#define COWRAP_CTL_DEV_FEATURES						\
	(COWRAP_F_DEV | COWRAP_F_STATS | COWRAP_F_FAULT | COWRAP_F_SYNC_IO | \
	 COWRAP_F_FEATURES | COWRAP_F_DEL_FORCE | COWRAP_F_BIO_BASED)

/**
 * cowrap_ctl_dev_features() - COWRAP_F_* bits of the device commands
 *
 * Return: the bits, for COWRAP_IOC_GET_INFO.
 */
u64 cowrap_ctl_dev_features(void)
{
	return COWRAP_CTL_DEV_FEATURES;
}

static long cowrap_ctl_add(void __user *uarg)
{
	struct cowrap_dev_cfg *cfg;
	struct cowrap_dev_add add;
	u64 serial;
	u32 id;
	int ret;

	ret = cowrap_ctl_copy_in(&add, sizeof(add), COWRAP_DEV_ADD_SIZE_VER0,
				 uarg);
	if (ret)
		return ret;
	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	ret = cowrap_dev_cfg_from_user(&add, cfg);
	if (!ret)
		ret = cowrap_dev_add(cfg, &id, &serial);
	if (ret)
		goto out;
	add.dev_id = id;
	add.dev_size = cfg->size;
	ret = cowrap_ctl_copy_out(uarg, &add, sizeof(add), add.size);
	if (ret)	/* the caller cannot learn the id: undo */
		cowrap_dev_del_serial(id, serial);
out:
	kfree(cfg);
	return ret;
}

static long cowrap_ctl_del(void __user *uarg)
{
	struct cowrap_dev_del del;
	int ret;

	ret = cowrap_ctl_copy_in(&del, sizeof(del), COWRAP_DEV_DEL_SIZE_VER0,
				 uarg);
	if (ret)
		return ret;
	if (del.flags & ~COWRAP_DEL_FORCE || del.reserved)
		return -EINVAL;
	return cowrap_dev_del(del.dev_id, del.flags & COWRAP_DEL_FORCE);
}

static long cowrap_ctl_list(void __user *uarg)
{
	struct cowrap_dev_list list;
	u32 *ids = NULL;
	u32 total;
	int ret;

	ret = cowrap_ctl_copy_in(&list, sizeof(list),
				 COWRAP_DEV_LIST_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (list.flags || list.reserved || list.count > COWRAP_MAX_DEVICES)
		return -EINVAL;
	if (list.count) {
		ids = kcalloc(list.count, sizeof(*ids), GFP_KERNEL);
		if (!ids)
			return -ENOMEM;
	}
	total = cowrap_dev_list(ids, list.count);
	if (ids && copy_to_user(u64_to_user_ptr(list.ids), ids,
				min(total, list.count) * sizeof(*ids)))
		ret = -EFAULT;
	kfree(ids);
	if (ret)
		return ret;
	list.count = total;
	return cowrap_ctl_copy_out(uarg, &list, sizeof(list), list.size);
}

static long cowrap_ctl_dev_info(void __user *uarg)
{
	struct cowrap_dev_info *info;
	struct cowrap_dev *dev;
	u32 usize;
	int ret;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	ret = cowrap_ctl_copy_in(info, sizeof(*info),
				 COWRAP_DEV_INFO_SIZE_VER0, uarg);
	if (ret)
		goto out;
	ret = -EINVAL;
	if (info->flags)
		goto out;
	ret = -ENODEV;
	dev = cowrap_dev_get(info->dev_id);
	if (!dev)
		goto out;
	usize = info->size;
	memset(info, 0, sizeof(*info));
	cowrap_dev_fill_info(dev, info);
	cowrap_dev_put(dev);
	ret = cowrap_ctl_copy_out(uarg, info, sizeof(*info), usize);
out:
	kfree(info);
	return ret;
}

static long cowrap_ctl_stats(void __user *uarg)
{
	struct cowrap_dev_stats st;
	struct cowrap_dev *dev;
	bool reset;
	u32 usize;
	int ret;

	ret = cowrap_ctl_copy_in(&st, sizeof(st), COWRAP_DEV_STATS_SIZE_VER0,
				 uarg);
	if (ret)
		return ret;
	if (st.flags & ~COWRAP_STATS_RESET || st.reserved)
		return -EINVAL;
	reset = st.flags & COWRAP_STATS_RESET;
	if (reset && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	dev = cowrap_dev_get(st.dev_id);
	if (!dev)
		return -ENODEV;
	usize = st.size;
	memset(&st, 0, sizeof(st));
	st.dev_id = dev->cfg.id;
	cowrap_dev_fill_stats(dev, &st, reset);
	cowrap_dev_put(dev);
	return cowrap_ctl_copy_out(uarg, &st, sizeof(st), usize);
}

static long cowrap_ctl_fault(void __user *uarg)
{
	struct cowrap_fault f;
	struct cowrap_dev *dev;
	int ret;

	ret = cowrap_ctl_copy_in(&f, sizeof(f), COWRAP_FAULT_SIZE_VER0, uarg);
	if (ret)
		return ret;
	ret = cowrap_fault_check_args(&f);
	if (ret)
		return ret;
	dev = cowrap_dev_get(f.dev_id);
	if (!dev)
		return -ENODEV;
	cowrap_fault_set(dev, &f);
	cowrap_dev_put(dev);
	return 0;
}

static long cowrap_ctl_features(void __user *uarg)
{
	struct cowrap_features ft;
	u32 usize;
	int ret;

	ret = cowrap_ctl_copy_in(&ft, sizeof(ft), COWRAP_FEATURES_SIZE_VER0,
				 uarg);
	if (ret)
		return ret;
	if (ft.flags)
		return -EINVAL;
	usize = ft.size;
	memset(&ft, 0, sizeof(ft));
	ft.features = COWRAP_F_GET_INFO | COWRAP_CTL_DEV_FEATURES;
	ft.backends = (1ULL << COWRAP_BACKEND_RAM) |
		      (1ULL << COWRAP_BACKEND_NULL) |
		      (1ULL << COWRAP_BACKEND_BDEV) |
		      (1ULL << COWRAP_BACKEND_COW);
	ft.dev_flags = COWRAP_DEV_FLAGS_ALL;
	ft.max_dev_size = COWRAP_MAX_DEV_SIZE;
	ft.max_latency_ns = COWRAP_MAX_LATENCY_NS;
	ft.max_devices = COWRAP_MAX_DEVICES;
	ft.max_hw_queues = nr_cpu_ids;
	ft.max_queue_depth = COWRAP_MAX_QUEUE_DEPTH;
	ft.max_io_len = COWRAP_MAX_IO_LEN;
	ft.min_lbs = COWRAP_MIN_LBS;
	ft.max_lbs = COWRAP_MAX_LBS;
	ft.max_pbs = COWRAP_MAX_PBS;
	ft.nr_devices = cowrap_dev_list(NULL, 0);
	return cowrap_ctl_copy_out(uarg, &ft, sizeof(ft), usize);
}

/*
 * Run a validated synchronous I/O command; PREAD and PWRITE bounce through
 * a buffer the call owns, since a killed caller leaves the call running.
 */
static long no_coroutine_fn cowrap_ctl_io_run(struct cowrap_dev *dev,
					      unsigned int op,
					      const struct cowrap_io *io)
{
	void __user *ubuf = u64_to_user_ptr(io->buf);
	struct cowrap_sync_io *sio;
	int ret = 0;

	sio = cowrap_sync_io_alloc(dev, op, io->offset, io->length,
				   io->flags & COWRAP_IO_FUA);
	if (!sio)
		return -ENOMEM;
	if (op == COWRAP_OP_WRITE && copy_from_user(sio->buf, ubuf, io->length))
		ret = -EFAULT;
	if (!ret)
		ret = cowrap_sync_io_run(sio);
	if (!ret && op == COWRAP_OP_READ &&
	    copy_to_user(ubuf, sio->buf, io->length))
		ret = -EFAULT;
	cowrap_sync_io_put(sio);
	return ret;
}

static long no_coroutine_fn cowrap_ctl_io(void __user *uarg,
					  unsigned int op)
{
	struct cowrap_dev *dev;
	struct cowrap_io io;
	int ret;

	ret = cowrap_ctl_copy_in(&io, sizeof(io), COWRAP_IO_SIZE_VER0, uarg);
	if (ret)
		return ret;
	dev = cowrap_dev_get(io.dev_id);
	if (!dev)
		return -ENODEV;
	ret = cowrap_io_check_args(dev, op, &io);
	if (!ret)
		ret = cowrap_ctl_io_run(dev, op, &io);
	cowrap_dev_put(dev);
	return ret;
}

/* Commands that change state or touch device data. */
static bool cowrap_ctl_privileged(unsigned int cmd)
{
	switch (cmd) {
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_ADD):
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_DEL):
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_SET_FAULT):
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_PREAD):
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_PWRITE):
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_FLUSH):
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_DISCARD):
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_WRITE_ZEROES):
		return true;
	default:
		return false;
	}
}

/**
 * cowrap_ctl_dev_ioctl() - dispatch a device command
 * @cmd: command number with its size bits cleared (COWRAP_IOC_NOSIZE())
 * @uarg: user pointer to the command's struct
 *
 * Return: the command's result, -EPERM without CAP_SYS_ADMIN for a
 * mutating command, -ENOTTY for a command that is not a device command.
 */
long cowrap_ctl_dev_ioctl(unsigned int cmd, void __user *uarg)
{
	if (cowrap_ctl_privileged(cmd) && !capable(CAP_SYS_ADMIN))
		return -EPERM;

	switch (cmd) {
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_ADD):
		return cowrap_ctl_add(uarg);
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_DEL):
		return cowrap_ctl_del(uarg);
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_LIST):
		return cowrap_ctl_list(uarg);
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_GET_DEV_INFO):
		return cowrap_ctl_dev_info(uarg);
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_GET_STATS):
		return cowrap_ctl_stats(uarg);
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_SET_FAULT):
		return cowrap_ctl_fault(uarg);
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_GET_FEATURES):
		return cowrap_ctl_features(uarg);
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_PREAD):
		return cowrap_ctl_io(uarg, COWRAP_OP_READ);
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_PWRITE):
		return cowrap_ctl_io(uarg, COWRAP_OP_WRITE);
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_FLUSH):
		return cowrap_ctl_io(uarg, COWRAP_OP_FLUSH);
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_DISCARD):
		return cowrap_ctl_io(uarg, COWRAP_OP_DISCARD);
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_WRITE_ZEROES):
		return cowrap_ctl_io(uarg, COWRAP_OP_WRITE_ZEROES);
	default:
		return -ENOTTY;
	}
}
