// SPDX-License-Identifier: GPL-2.0
/*
 * Validation of everything userspace asks of a device, in one place:
 * device parameters (ADD), fault rules (SET_FAULT) and synchronous I/O
 * ranges (PREAD ... WRITE_ZEROES).  Errors are documented in
 * Documentation/uapi.rst.
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "dev.h"

static bool cowrap_pow2_in(u32 v, u32 lo, u32 hi)
{
	return v >= lo && v <= hi && is_power_of_2(v);
}

/*
 * Hardware queues, depth and request timeout: a blk-mq device needs the
 * first two and may have the third; a bio-based one has none of them.
 */
static int cowrap_cfg_check_queues(const struct cowrap_dev_add *add,
				   struct cowrap_dev_cfg *cfg)
{
	if (add->dev_flags & COWRAP_DEV_BIO_BASED)
		return add->nr_hw_queues || add->queue_depth ||
		       add->timeout_ms ? -EINVAL : 0;
	cfg->nr_hw_queues = add->nr_hw_queues;
	if (!cfg->nr_hw_queues || cfg->nr_hw_queues > nr_cpu_ids)
		return -EINVAL;
	cfg->queue_depth = add->queue_depth;
	if (!cfg->queue_depth || cfg->queue_depth > COWRAP_MAX_QUEUE_DEPTH)
		return -EINVAL;
	cfg->timeout_ms = add->timeout_ms;
	if (cfg->timeout_ms > COWRAP_MAX_TIMEOUT_MS)
		return -EINVAL;
	return 0;
}

/* Geometry and queue parameters: 0 or -EINVAL. */
static int cowrap_cfg_check_numbers(const struct cowrap_dev_add *add,
				    struct cowrap_dev_cfg *cfg)
{
	cfg->lbs = add->logical_block_size;
	cfg->pbs = add->physical_block_size ?: add->logical_block_size;
	if (!cowrap_pow2_in(cfg->lbs, COWRAP_MIN_LBS, COWRAP_MAX_LBS))
		return -EINVAL;
	if (!cowrap_pow2_in(cfg->pbs, cfg->lbs, COWRAP_MAX_PBS))
		return -EINVAL;

	cfg->size = add->dev_size;
	if (cfg->size > COWRAP_MAX_DEV_SIZE || cfg->size % cfg->lbs)
		return -EINVAL;
	/* bdev and cow: 0 means the lower (base) device's size */
	if (!cfg->size && add->backend != COWRAP_BACKEND_BDEV &&
	    add->backend != COWRAP_BACKEND_COW)
		return -EINVAL;

	cfg->latency_ns = add->latency_ns;
	if (cfg->latency_ns > COWRAP_MAX_LATENCY_NS)
		return -EINVAL;
	return cowrap_cfg_check_queues(add, cfg);
}

/* A NUL-terminated path of 2 .. COWRAP_PATH_MAX bytes: 0, -EINVAL, -EFAULT. */
static int cowrap_cfg_copy_str(char *dst, u64 uptr, u32 len)
{
	long n;

	if (!uptr || len < 2 || len > COWRAP_PATH_MAX)
		return -EINVAL;
	n = strncpy_from_user(dst, u64_to_user_ptr(uptr), len);
	if (n < 0)
		return n;
	if (n == len || n == 0)	/* no NUL in the buffer, or "" */
		return -EINVAL;
	return 0;
}

/* The paths of the bdev and cow backends: 0, -EINVAL or -EFAULT. */
static int cowrap_cfg_copy_path(const struct cowrap_dev_add *add,
				struct cowrap_dev_cfg *cfg)
{
	bool cow = add->backend == COWRAP_BACKEND_COW;
	int ret;

	if (!cow && (add->overlay || add->overlay_len || add->chunk_size))
		return -EINVAL;
	if (add->backend != COWRAP_BACKEND_BDEV && !cow)
		return add->path || add->path_len ? -EINVAL : 0;
	ret = cowrap_cfg_copy_str(cfg->path, add->path, add->path_len);
	if (ret || !cow)
		return ret;
	cfg->chunk_size = add->chunk_size;
	if (cfg->chunk_size &&
	    !cowrap_pow2_in(cfg->chunk_size, COWRAP_COW_MIN_CHUNK,
			    COWRAP_COW_MAX_CHUNK))
		return -EINVAL;
	return cowrap_cfg_copy_str(cfg->overlay, add->overlay,
				   add->overlay_len);
}

/**
 * cowrap_dev_cfg_from_user() - validate the parameters of COWRAP_IOC_ADD
 * @add: the struct as copied from userspace
 * @cfg: filled in (and zeroed first)
 *
 * Every field is checked for zero, its upper bound, power of two where it
 * applies, unknown bits and reserved values here and nowhere else.
 *
 * Return: 0; -EINVAL for a bad value, unknown flag or non-zero reserved
 * field; -EFAULT for an unreadable path.
 */
int cowrap_dev_cfg_from_user(const struct cowrap_dev_add *add,
			     struct cowrap_dev_cfg *cfg)
{
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	if (add->flags & ~COWRAP_ADD_REQ_ID || add->reserved || add->reserved2)
		return -EINVAL;
	cfg->req_id = add->flags & COWRAP_ADD_REQ_ID;
	if (cfg->req_id && add->dev_id >= COWRAP_MAX_DEVICES)
		return -EINVAL;
	if (!cfg->req_id && add->dev_id)
		return -EINVAL;
	cfg->id = add->dev_id;

	if (!add->backend || add->backend > COWRAP_BACKEND_MAX)
		return -EINVAL;
	cfg->backend = add->backend;
	if (add->dev_flags & ~COWRAP_DEV_FLAGS_ALL)
		return -EINVAL;
	cfg->flags = add->dev_flags;

	ret = cowrap_cfg_check_numbers(add, cfg);
	if (ret)
		return ret;
	return cowrap_cfg_copy_path(add, cfg);
}

static bool cowrap_fault_errno_ok(u32 error)
{
	switch (error) {
	case EIO:
	case ENOSPC:
	case ETIMEDOUT:
	case ENOLINK:
	case ENODATA:
	case EILSEQ:
	case EREMOTEIO:
		return true;
	default:
		return false;
	}
}

/**
 * cowrap_fault_check_args() - validate a COWRAP_IOC_SET_FAULT struct
 * @f: the struct as copied from userspace (dev_id not checked here)
 *
 * Return: 0 or -EINVAL.
 */
int cowrap_fault_check_args(const struct cowrap_fault *f)
{
	if (f->flags || f->reserved || f->mode > COWRAP_FAULT_MODE_MAX)
		return -EINVAL;
	if (f->mode == COWRAP_FAULT_NONE)
		return f->ops || f->nth || f->error || f->latency_ns ?
			-EINVAL : 0;
	if (!f->ops || f->ops & ~COWRAP_OP_MASK_ALL)
		return -EINVAL;
	if (!f->nth || f->nth > COWRAP_FAULT_MAX_NTH)
		return -EINVAL;
	if (f->mode == COWRAP_FAULT_DELAY)
		return f->error || !f->latency_ns ||
			f->latency_ns > COWRAP_MAX_LATENCY_NS ? -EINVAL : 0;
	return !cowrap_fault_errno_ok(f->error) || f->latency_ns ? -EINVAL : 0;
}

/**
 * cowrap_io_check_args() - validate a synchronous I/O request
 * @dev: target device
 * @op: COWRAP_OP_*
 * @io: the struct as copied from userspace
 *
 * Return: 0; -EINVAL for unknown flags, non-zero reserved, a zero,
 * misaligned or too long length, a range beyond the device (overflow
 * checked) or a buffer where none belongs; -EROFS for a write to a
 * read-only device; -EOPNOTSUPP for discard or write-zeroes on a device
 * created without them.
 */
int cowrap_io_check_args(const struct cowrap_dev *dev, unsigned int op,
			 const struct cowrap_io *io)
{
	const struct cowrap_dev_cfg *cfg = &dev->cfg;
	bool data = op == COWRAP_OP_READ || op == COWRAP_OP_WRITE;
	u32 known = op == COWRAP_OP_WRITE ? COWRAP_IO_FUA : 0;
	u64 end;

	if (io->flags & ~known || io->reserved)
		return -EINVAL;
	if (op == COWRAP_OP_FLUSH)
		return io->offset || io->length || io->buf ? -EINVAL : 0;
	if (data ? !io->buf : io->buf)
		return -EINVAL;
	if (!io->length || io->length % cfg->lbs || io->offset % cfg->lbs)
		return -EINVAL;
	if (data && io->length > COWRAP_MAX_IO_LEN)
		return -EINVAL;
	if (check_add_overflow(io->offset, io->length, &end) || end > cfg->size)
		return -EINVAL;
	if (op != COWRAP_OP_READ && (cfg->flags & COWRAP_DEV_READ_ONLY))
		return -EROFS;
	if (op == COWRAP_OP_DISCARD && !(cfg->flags & COWRAP_DEV_DISCARD))
		return -EOPNOTSUPP;
	if (op == COWRAP_OP_WRITE_ZEROES &&
	    !(cfg->flags & COWRAP_DEV_WRITE_ZEROES))
		return -EOPNOTSUPP;
	return 0;
}
