/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backend interface of cowrap devices: where the data of a device
 * lives.  A backend is a set of operations; the I/O ones run only inside
 * the device's coroutines and may yield.
 */
#ifndef _COWRAP_BACKEND_H
#define _COWRAP_BACKEND_H

#include <linux/types.h>

#include <cowrap/annotations.h>

struct cowrap_dev;
struct cowrap_dev_cfg;
struct cowrap_blk_io;
struct iov_iter;

/* What co_request returns for "carry this request out with the range ops". */
#define COWRAP_RQ_RANGE_OPS	1

/**
 * struct cowrap_backend_ops - a backend
 * @name: short name ("ram", "null", "bdev", "cow")
 * @open: process context, before the disk exists: allocate state in
 *	dev->backend_priv; may fill in cfg->size (bdev with size 0) and
 *	check @cfg against the backend (return a negative errno)
 * @close: process context, after the last request has completed
 * @co_read: coroutine_fn: fill @to (an ITER_BVEC) from byte @pos
 * @co_write: coroutine_fn: store @from (an ITER_BVEC) at byte @pos; @fua
 *	asks for it to be durable on return
 * @co_flush: coroutine_fn: make completed writes durable
 * @co_discard: coroutine_fn: deallocate @len bytes at @pos (reads return
 *	zeroes afterwards)
 * @co_write_zeroes: coroutine_fn: zero @len bytes at @pos
 * @co_request: coroutine_fn, optional: carry out a whole block I/O (a
 *	request of a blk-mq device, a bio of a bio-based one: read, write,
 *	flush, discard, write-zeroes) instead of the range operations
 *	above, e.g. a stacking backend that passes its bios down; the
 *	synchronous calls still use the range operations.  It may end with
 *	cowrap_co_batch_finish() on the I/O's @batch (struct cowrap_blk_io),
 *	or return COWRAP_RQ_RANGE_OPS to have the I/O carried out by the
 *	range operations after all.  A bio-based device's bio may carry
 *	REQ_PREFLUSH (a flush before its data) and REQ_FUA in @opf
 * @blocking: the device's queue_rq may sleep (BLK_MQ_F_BLOCKING): the
 *	request coroutine runs inline from cowrap_co_enter_sleepable(), where
 *	it may allocate with GFP_NOIO and submit bios (a bio-based device's
 *	bios always run so, but those with REQ_NOWAIT)
 *
 * The I/O operations return 0 or a negative errno, which the caller maps
 * with errno_to_blk_status().  @pos and @len are multiples of the logical
 * block size and within the device.  The coroutine_fn markers cannot be
 * written on function-pointer members (Documentation/context-checks.rst):
 * every implementation is a coroutine_fn, registered with
 * cowrap_co_addr_ok().
 */
struct cowrap_backend_ops {
	const char *name;
	int (*open)(struct cowrap_dev *dev, struct cowrap_dev_cfg *cfg);
	void (*close)(struct cowrap_dev *dev);
	int (*co_read)(struct cowrap_dev *dev, u64 pos, struct iov_iter *to);
	int (*co_write)(struct cowrap_dev *dev, u64 pos, struct iov_iter *from,
			bool fua);
	int (*co_flush)(struct cowrap_dev *dev);
	int (*co_discard)(struct cowrap_dev *dev, u64 pos, u64 len);
	int (*co_write_zeroes)(struct cowrap_dev *dev, u64 pos, u64 len);
	int (*co_request)(struct cowrap_dev *dev, struct cowrap_blk_io *io);
	bool blocking;
};

extern const struct cowrap_backend_ops cowrap_backend_ram;
extern const struct cowrap_backend_ops cowrap_backend_null;
extern const struct cowrap_backend_ops cowrap_backend_bdev;
extern const struct cowrap_backend_ops cowrap_backend_cow;

/**
 * cowrap_backend_find() - the operations of a backend
 * @backend: COWRAP_BACKEND_*
 *
 * Return: the ops, or NULL for an unknown backend.
 */
const struct cowrap_backend_ops *cowrap_backend_find(u32 backend);

#endif /* _COWRAP_BACKEND_H */
