// SPDX-License-Identifier: GPL-2.0
/*
 * The null backend: no data.  Writes are dropped, reads return zeroes (so
 * no stale memory of a freshly allocated page-cache page can reach a
 * reader), everything completes at once.
 */
#include <linux/uio.h>

#include "backend.h"
#include "dev.h"

static int cowrap_null_open(struct cowrap_dev *dev, struct cowrap_dev_cfg *cfg)
{
	dev->backend_priv = NULL;
	return 0;
}

static void cowrap_null_close(struct cowrap_dev *dev)
{
}

static int coroutine_fn cowrap_null_co_read(struct cowrap_dev *dev, u64 pos,
					    struct iov_iter *to)
{
	size_t n = iov_iter_count(to);

	return iov_iter_zero(n, to) == n ? 0 : -EFAULT;
}

static int coroutine_fn cowrap_null_co_write(struct cowrap_dev *dev, u64 pos,
					     struct iov_iter *from, bool fua)
{
	iov_iter_advance(from, iov_iter_count(from));
	return 0;
}

static int coroutine_fn cowrap_null_co_flush(struct cowrap_dev *dev)
{
	return 0;
}

static int coroutine_fn cowrap_null_co_zero(struct cowrap_dev *dev, u64 pos,
					    u64 len)
{
	return 0;
}

cowrap_co_addr_ok(cowrap_null_co_read);
cowrap_co_addr_ok(cowrap_null_co_write);
cowrap_co_addr_ok(cowrap_null_co_flush);
cowrap_co_addr_ok(cowrap_null_co_zero);

const struct cowrap_backend_ops cowrap_backend_null = {
	.name			= "null",
	.open			= cowrap_null_open,
	.close			= cowrap_null_close,
	.co_read		= cowrap_null_co_read,
	.co_write		= cowrap_null_co_write,
	.co_flush		= cowrap_null_co_flush,
	.co_discard		= cowrap_null_co_zero,
	.co_write_zeroes	= cowrap_null_co_zero,
};
