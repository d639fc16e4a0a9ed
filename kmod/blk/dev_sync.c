// SPDX-License-Identifier: GPL-2.0
/*
 * The coroutine_fn halves of the synchronous entry points (dev_sync.h).
 * They share the request path's latency, fault and statistics handling
 * (cowrap_dev_co_begin(), cowrap_dev_account()) and the backend, so the
 * ioctls and /dev/cowrapN see and change the same data.
 */
#include <linux/bvec.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "backend.h"
#include "dev.h"
#include "dev_sync.h"

/* Pages of the caller's buffer handed to the backend at a time. */
#define COWRAP_SYNC_VECS	16

static struct page *cowrap_buf_page(const void *p)
{
	return is_vmalloc_addr(p) ? vmalloc_to_page(p) : virt_to_page(p);
}

/* Describe up to COWRAP_SYNC_VECS pages of @buf: returns the bytes. */
static size_t cowrap_buf_to_bvec(const void *buf, size_t len,
				 struct bio_vec *bv, unsigned int *nr)
{
	size_t done = 0;

	*nr = 0;
	while (done < len && *nr < COWRAP_SYNC_VECS) {
		const void *p = buf + done;
		size_t n = min_t(size_t, PAGE_SIZE - offset_in_page(p),
				 len - done);

		bvec_set_page(&bv[(*nr)++], cowrap_buf_page(p), n,
			      offset_in_page(p));
		done += n;
	}
	return done;
}

/* Move @len bytes between @buf and the backend, in chunks. */
static int coroutine_fn cowrap_dev_co_rw(struct cowrap_dev *dev, u64 off,
					 void *buf, u32 len, bool write,
					 bool fua)
{
	struct bio_vec bv[COWRAP_SYNC_VECS];
	size_t done = 0;
	int ret = 0;

	while (done < len) {
		struct iov_iter it;
		unsigned int nr;
		size_t n = cowrap_buf_to_bvec(buf + done, len - done, bv, &nr);

		iov_iter_bvec(&it, write ? ITER_SOURCE : ITER_DEST, bv, nr, n);
		if (write)
			ret = dev->ops->co_write(dev, off + done, &it, fua);
		else
			ret = dev->ops->co_read(dev, off + done, &it);
		if (ret)
			break;
		done += n;
	}
	return ret;
}

/* Start of every synchronous call: count it, then the common checks. */
static int coroutine_fn cowrap_dev_co_sync_begin(struct cowrap_dev *dev,
						 unsigned int op)
{
	cowrap_dev_stat_inc(dev, sync_calls);
	cowrap_dev_stat_inc(dev, co_started);
	return cowrap_dev_co_begin(dev, op);
}

/**
 * cowrap_dev_co_pread() - read from a device into a kernel buffer
 * @dev: device
 * @off: byte offset
 * @buf: destination
 * @len: bytes
 *
 * Return: 0 or a negative errno.
 */
int coroutine_fn cowrap_dev_co_pread(struct cowrap_dev *dev, u64 off,
				     void *buf, u32 len)
{
	int ret = cowrap_dev_co_sync_begin(dev, COWRAP_OP_READ);

	if (!ret)
		ret = cowrap_dev_co_rw(dev, off, buf, len, false, false);
	cowrap_dev_account(dev, COWRAP_OP_READ, len, ret);
	return ret;
}

/**
 * cowrap_dev_co_pwrite() - write a kernel buffer to a device
 * @dev: device
 * @off: byte offset
 * @buf: source
 * @len: bytes
 * @fua: durable on return
 *
 * Return: 0 or a negative errno.
 */
int coroutine_fn cowrap_dev_co_pwrite(struct cowrap_dev *dev, u64 off,
				      const void *buf, u32 len, bool fua)
{
	int ret = cowrap_dev_co_sync_begin(dev, COWRAP_OP_WRITE);

	if (!ret)
		ret = cowrap_dev_co_rw(dev, off, (void *)buf, len, true, fua);
	cowrap_dev_account(dev, COWRAP_OP_WRITE, len, ret);
	return ret;
}

/**
 * cowrap_dev_co_flush() - make completed writes durable
 * @dev: device
 *
 * Return: 0 or a negative errno.
 */
int coroutine_fn cowrap_dev_co_flush(struct cowrap_dev *dev)
{
	int ret = cowrap_dev_co_sync_begin(dev, COWRAP_OP_FLUSH);

	if (!ret)
		ret = dev->ops->co_flush(dev);
	cowrap_dev_account(dev, COWRAP_OP_FLUSH, 0, ret);
	return ret;
}

/**
 * cowrap_dev_co_discard() - discard a range
 * @dev: device
 * @off: byte offset
 * @len: bytes
 *
 * Return: 0 or a negative errno.
 */
int coroutine_fn cowrap_dev_co_discard(struct cowrap_dev *dev, u64 off,
				       u64 len)
{
	int ret = cowrap_dev_co_sync_begin(dev, COWRAP_OP_DISCARD);

	if (!ret)
		ret = dev->ops->co_discard(dev, off, len);
	cowrap_dev_account(dev, COWRAP_OP_DISCARD, len, ret);
	return ret;
}

/**
 * cowrap_dev_co_write_zeroes() - zero a range
 * @dev: device
 * @off: byte offset
 * @len: bytes
 *
 * Return: 0 or a negative errno.
 */
int coroutine_fn cowrap_dev_co_write_zeroes(struct cowrap_dev *dev, u64 off,
					    u64 len)
{
	int ret = cowrap_dev_co_sync_begin(dev, COWRAP_OP_WRITE_ZEROES);

	if (!ret)
		ret = dev->ops->co_write_zeroes(dev, off, len);
	cowrap_dev_account(dev, COWRAP_OP_WRITE_ZEROES, len, ret);
	return ret;
}

static void cowrap_sync_io_release(struct cowrap_poll_call *c)
{
	struct cowrap_sync_io *io = container_of(c, struct cowrap_sync_io,
						 call);

	kvfree(io->buf);
	kfree(io);
}

/**
 * cowrap_sync_io_alloc() - prepare a killable synchronous call
 * @dev: device, held by the caller (cowrap_dev_get()) until it is put
 * @op: COWRAP_OP_*
 * @off: byte offset (validated: cowrap_io_check_args())
 * @len: bytes (validated)
 * @fua: PWRITE: durable on return
 *
 * PREAD and PWRITE get a buffer of @len bytes at @io->buf: the caller
 * fills it before a PWRITE and reads it after a PREAD returned 0.
 *
 * Return: the call, holding one reference, or NULL (-ENOMEM).
 */
struct cowrap_sync_io *cowrap_sync_io_alloc(struct cowrap_dev *dev,
					    unsigned int op, u64 off, u64 len,
					    bool fua)
{
	struct cowrap_sync_io *io = kzalloc(sizeof(*io), GFP_KERNEL);

	if (!io)
		return NULL;
	if (op == COWRAP_OP_READ || op == COWRAP_OP_WRITE) {
		io->buf = kvmalloc(len, GFP_KERNEL);
		if (!io->buf) {
			kfree(io);
			return NULL;
		}
	}
	cowrap_poll_call_init(&io->call, cowrap_sync_io_release);
	io->dev = dev;
	io->op = op;
	io->off = off;
	io->len = len;
	io->fua = fua;
	return io;
}

static void coroutine_fn cowrap_sync_io_entry(void *opaque)
{
	struct cowrap_sync_io *io = opaque;
	struct cowrap_dev *dev = io->dev;

	__cowrap_co_context_enter();
	switch (io->op) {
	case COWRAP_OP_READ:
		io->ret = cowrap_dev_co_pread(dev, io->off, io->buf, io->len);
		break;
	case COWRAP_OP_WRITE:
		io->ret = cowrap_dev_co_pwrite(dev, io->off, io->buf, io->len,
					       io->fua);
		break;
	case COWRAP_OP_FLUSH:
		io->ret = cowrap_dev_co_flush(dev);
		break;
	case COWRAP_OP_DISCARD:
		io->ret = cowrap_dev_co_discard(dev, io->off, io->len);
		break;
	default:
		io->ret = cowrap_dev_co_write_zeroes(dev, io->off, io->len);
		break;
	}
	__cowrap_co_context_exit();
}
cowrap_co_addr_ok(cowrap_sync_io_entry);	/* handed to cowrap_poll_co_killable() */

/**
 * cowrap_sync_io_run() - run a synchronous call in the device's context
 * @io: call from cowrap_sync_io_alloc(), run once
 *
 * Waits killably: on a fatal signal it returns -EINTR and the call goes
 * on (counted, and finished before the device can go away).
 *
 * Return: the call's result (0 or a negative errno), or -EINTR.
 */
int no_coroutine_fn cowrap_sync_io_run(struct cowrap_sync_io *io)
{
	int ret = cowrap_poll_co_killable(&io->call, cowrap_dev_ctx(io->dev),
					  cowrap_sync_io_entry, io);

	return ret ? ret : io->ret;
}

/**
 * cowrap_sync_io_put() - the caller is done with a call
 * @io: call; freed now, or when its coroutine ends
 */
void cowrap_sync_io_put(struct cowrap_sync_io *io)
{
	cowrap_poll_call_put(&io->call);
}
