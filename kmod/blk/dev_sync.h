/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synchronous entry points of a cowrap device: the ioctls PREAD, PWRITE,
 * FLUSH, DISCARD and WRITE_ZEROES call the co_wrapper functions declared
 * here; cowrap-gen generates them (build/.../kmod/blk/dev_sync-gen.c) to run
 * the matching coroutine_fn in the device's execution context,
 * cowrap_dev_ctx(dev), and wait until it has returned.
 *
 * @buf is kernel memory (kmalloc or vmalloc), @off and @len are validated
 * by cowrap_io_check_args().  Every function returns 0 or a negative errno.
 */
#ifndef _COWRAP_DEV_SYNC_H
#define _COWRAP_DEV_SYNC_H

#include <linux/types.h>

#include <cowrap/annotations.h>
#include <cowrap/coroutine.h>

struct cowrap_dev;

int coroutine_fn cowrap_dev_co_pread(struct cowrap_dev *dev, u64 off,
				     void *buf, u32 len);
int co_wrapper cowrap_dev_pread(struct cowrap_dev *dev, u64 off, void *buf,
				u32 len);

int coroutine_fn cowrap_dev_co_pwrite(struct cowrap_dev *dev, u64 off,
				      const void *buf, u32 len, bool fua);
int co_wrapper cowrap_dev_pwrite(struct cowrap_dev *dev, u64 off,
				 const void *buf, u32 len, bool fua);

int coroutine_fn cowrap_dev_co_flush(struct cowrap_dev *dev);
int co_wrapper cowrap_dev_flush(struct cowrap_dev *dev);

int coroutine_fn cowrap_dev_co_discard(struct cowrap_dev *dev, u64 off,
				       u64 len);
int co_wrapper cowrap_dev_discard(struct cowrap_dev *dev, u64 off, u64 len);

int coroutine_fn cowrap_dev_co_write_zeroes(struct cowrap_dev *dev, u64 off,
					    u64 len);
int co_wrapper cowrap_dev_write_zeroes(struct cowrap_dev *dev, u64 off,
				       u64 len);

/**
 * struct cowrap_sync_io - a synchronous call whose caller may be killed
 * @call: killable call state (refcounted)
 * @dev: device; its context outlives the coroutine (cowrap_dev_destroy()
 *	waits for it)
 * @op: COWRAP_OP_*
 * @off: byte offset
 * @len: bytes
 * @fua: PWRITE: durable on return
 * @buf: PREAD/PWRITE: @len bytes owned by the call
 * @ret: result of the coroutine_fn
 *
 * The ioctls run their coroutine_fn through this rather than through the
 * generated wrappers, whose state lives on the caller's stack: a fatal
 * signal ends the caller's wait while the coroutine finishes with memory
 * it holds a reference to.
 */
struct cowrap_sync_io {
	struct cowrap_poll_call call;
	struct cowrap_dev *dev;
	unsigned int op;
	u64 off;
	u64 len;
	bool fua;
	void *buf;
	int ret;
};

struct cowrap_sync_io *cowrap_sync_io_alloc(struct cowrap_dev *dev,
					    unsigned int op, u64 off, u64 len,
					    bool fua);
int no_coroutine_fn cowrap_sync_io_run(struct cowrap_sync_io *io);
void cowrap_sync_io_put(struct cowrap_sync_io *io);

#endif /* _COWRAP_DEV_SYNC_H */
