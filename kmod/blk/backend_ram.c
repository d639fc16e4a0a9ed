// SPDX-License-Identifier: GPL-2.0
/*
 * The ram backend: device data in pages of an xarray, allocated on first
 * write (the only allocation on the I/O path: cowrap_co_gfp(), so inline
 * in queue_rq it does not sleep, and a failure there restarts the request
 * on a worker, where it may), unwritten areas read as zeroes, discard and
 * write-zeroes free whole pages.  Nothing here parks: requests finish
 * inline, on the submitting thread.
 *
 * Readers and writers look pages up and copy under rcu_read_lock(); a
 * page removed by discard is freed after an RCU grace period, so a racing
 * request never touches freed memory.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/xarray.h>

#include "backend.h"
#include "dev.h"

/**
 * struct cowrap_ram - ram backend state
 * @pages: page index -> struct page
 * @nr_pages: pages allocated
 */
struct cowrap_ram {
	struct xarray pages;
	atomic_long_t nr_pages;
};

static int cowrap_ram_open(struct cowrap_dev *dev, struct cowrap_dev_cfg *cfg)
{
	struct cowrap_ram *ram;

	ram = kzalloc(sizeof(*ram), GFP_KERNEL);
	if (!ram)
		return -ENOMEM;
	/* updated inline in any context: the lock is taken irq-safe */
	xa_init_flags(&ram->pages, XA_FLAGS_LOCK_IRQ);
	atomic_long_set(&ram->nr_pages, 0);
	dev->backend_priv = ram;
	return 0;
}

/*
 * Requests run inline in whatever context enters them (task, softirq,
 * hardirq, with interrupts off or on), so the xarray's lock is taken with
 * interrupts saved; an allocation that may sleep (on a worker) lets the
 * xarray drop the lock around it, which needs the _irq form.
 */
static struct page *cowrap_ram_insert(struct cowrap_ram *ram, pgoff_t idx,
				      struct page *page, gfp_t gfp)
{
	unsigned long flags;
	void *old;

	if (gfpflags_allow_blocking(gfp))
		return xa_cmpxchg_irq(&ram->pages, idx, NULL, page, gfp);
	xa_lock_irqsave(&ram->pages, flags);
	old = __xa_cmpxchg(&ram->pages, idx, NULL, page, gfp);
	xa_unlock_irqrestore(&ram->pages, flags);
	return old;
}

static struct page *cowrap_ram_erase(struct cowrap_ram *ram, pgoff_t idx)
{
	unsigned long flags;
	void *page;

	xa_lock_irqsave(&ram->pages, flags);
	page = __xa_erase(&ram->pages, idx);
	xa_unlock_irqrestore(&ram->pages, flags);
	return page;
}

static void cowrap_ram_close(struct cowrap_dev *dev)
{
	struct cowrap_ram *ram = dev->backend_priv;
	struct page *page;
	unsigned long idx;

	/* discards may still have pages waiting for their grace period */
	rcu_barrier();
	/*
	 * Erased one by one, so that the xarray's nodes go as the loop goes:
	 * xa_destroy() of a full tree frees them all with the lock held and
	 * interrupts off (200 ms for 1.5 GiB on the KASAN kernel).
	 */
	xa_for_each(&ram->pages, idx, page) {
		cowrap_ram_erase(ram, idx);
		__free_page(page);
		atomic_long_dec(&cowrap_live.ram_pages);
		cond_resched();	/* a full device holds millions (brd does it) */
	}
	xa_destroy(&ram->pages);
	kfree(ram);
	dev->backend_priv = NULL;
}

static int coroutine_fn cowrap_ram_co_read(struct cowrap_dev *dev, u64 pos,
					   struct iov_iter *to)
{
	struct cowrap_ram *ram = dev->backend_priv;

	while (iov_iter_count(to)) {
		size_t off = offset_in_page(pos);
		size_t n = min_t(size_t, PAGE_SIZE - off, iov_iter_count(to));
		struct page *page;
		size_t done;

		rcu_read_lock();
		page = xa_load(&ram->pages, pos >> PAGE_SHIFT);
		if (page)
			done = copy_page_to_iter(page, off, n, to);
		else
			done = iov_iter_zero(n, to);
		rcu_read_unlock();
		if (done != n)
			return -EFAULT;
		pos += n;
	}
	return 0;
}

/* A page entered the xarray. */
static void cowrap_ram_count_page(struct cowrap_ram *ram)
{
	atomic_long_inc(&ram->nr_pages);
	atomic_long_inc(&cowrap_live.ram_pages);
}

/*
 * The fail_page_alloc test hook (dev_debugfs.c) stands for memory that is
 * short: an inline GFP_NOWAIT attempt fails while it is armed, and the
 * attempt that may sleep, on a worker, consumes it.
 */
static bool cowrap_ram_alloc_fails(gfp_t gfp)
{
	return cowrap_test_fail_page_alloc(gfpflags_allow_blocking(gfp));
}

/*
 * Copy into the page at @idx, allocating it if needed: 0 or -errno.  A
 * failed allocation inline returns -EAGAIN: the request restarts on a
 * worker and copies again what it had copied, which is harmless.
 */
static int coroutine_fn cowrap_ram_write_page(struct cowrap_ram *ram,
					      pgoff_t idx, size_t off, size_t n,
					      struct iov_iter *from)
{
	gfp_t gfp = cowrap_co_gfp();
	struct page *page, *old;
	size_t done;

	for (;;) {
		rcu_read_lock();
		page = xa_load(&ram->pages, idx);
		if (page) {
			done = copy_page_from_iter(page, off, n, from);
			rcu_read_unlock();
			return done == n ? 0 : -EFAULT;
		}
		rcu_read_unlock();

		page = cowrap_ram_alloc_fails(gfp) ? NULL :
		       alloc_page(gfp | __GFP_ZERO | __GFP_HIGHMEM);
		if (!page)
			return cowrap_co_need_worker() ?: -ENOMEM;
		old = cowrap_ram_insert(ram, idx, page, gfp);
		if (xa_is_err(old)) {
			__free_page(page);
			if (xa_err(old) == -ENOMEM && cowrap_co_need_worker())
				return -EAGAIN;
			return xa_err(old);
		}
		if (old)
			__free_page(page);	/* lost the race: use theirs */
		else
			cowrap_ram_count_page(ram);
	}
}

static int coroutine_fn cowrap_ram_co_write(struct cowrap_dev *dev, u64 pos,
					    struct iov_iter *from, bool fua)
{
	struct cowrap_ram *ram = dev->backend_priv;
	int ret;

	while (iov_iter_count(from)) {
		size_t off = offset_in_page(pos);
		size_t n = min_t(size_t, PAGE_SIZE - off, iov_iter_count(from));

		ret = cowrap_ram_write_page(ram, pos >> PAGE_SHIFT, off, n, from);
		if (ret)
			return ret;
		pos += n;
	}
	return 0;
}

static int coroutine_fn cowrap_ram_co_flush(struct cowrap_dev *dev)
{
	return 0;	/* memory is as durable as it gets */
}

static void cowrap_ram_free_rcu(struct rcu_head *head)
{
	__free_page(container_of(head, struct page, rcu_head));
	atomic_long_dec(&cowrap_live.ram_pages);
}

/* Zero @n bytes of one page at @pos, if that page exists. */
static void cowrap_ram_zero_part(struct cowrap_ram *ram, u64 pos, size_t n)
{
	struct page *page;

	rcu_read_lock();
	page = xa_load(&ram->pages, pos >> PAGE_SHIFT);
	if (page)
		memzero_page(page, offset_in_page(pos), n);
	rcu_read_unlock();
}

/* Pages a discard frees inline (preemption off) before it moves to a worker. */
#define COWRAP_RAM_INLINE_FREE	64

/*
 * Free the pages of [@first, @last].  Only pages that exist are visited,
 * so zeroing a huge, mostly unwritten range costs what it holds, not its
 * length.  On a worker it reschedules between pages; inline, after
 * COWRAP_RAM_INLINE_FREE pages it returns -EAGAIN to go on from a worker
 * (the pages freed so far are not found again).  Return: 0 or -EAGAIN.
 */
static int coroutine_fn cowrap_ram_free_range(struct cowrap_ram *ram,
					      pgoff_t first, pgoff_t last)
{
	bool may_sleep = cowrap_co_may_sleep();
	unsigned long idx = first;
	unsigned int n = 0;
	struct page *page;

	for (page = xa_find(&ram->pages, &idx, last, XA_PRESENT); page;
	     page = xa_find_after(&ram->pages, &idx, last, XA_PRESENT)) {
		if (!may_sleep && ++n > COWRAP_RAM_INLINE_FREE)
			return cowrap_co_need_worker();
		page = cowrap_ram_erase(ram, idx);
		if (!page)	/* a racing discard took it */
			continue;
		atomic_long_dec(&ram->nr_pages);
		call_rcu(&page->rcu_head, cowrap_ram_free_rcu);
		if (may_sleep)
			cond_resched();
	}
	return 0;
}

/* Zero a range: whole pages are freed, partial ones zeroed in place. */
static int coroutine_fn cowrap_ram_co_zero(struct cowrap_dev *dev, u64 pos,
					   u64 len)
{
	struct cowrap_ram *ram = dev->backend_priv;
	size_t head = offset_in_page(pos);
	int ret;
	u64 nr;

	if (head) {
		size_t n = min_t(u64, PAGE_SIZE - head, len);

		cowrap_ram_zero_part(ram, pos, n);
		pos += n;
		len -= n;
	}
	nr = len >> PAGE_SHIFT;
	if (nr) {
		ret = cowrap_ram_free_range(ram, pos >> PAGE_SHIFT,
					    (pos >> PAGE_SHIFT) + nr - 1);
		if (ret)
			return ret;	/* zeroing the head again is harmless */
		pos += nr << PAGE_SHIFT;
		len -= nr << PAGE_SHIFT;
	}
	if (len)
		cowrap_ram_zero_part(ram, pos, len);
	return 0;
}

cowrap_co_addr_ok(cowrap_ram_co_read);
cowrap_co_addr_ok(cowrap_ram_co_write);
cowrap_co_addr_ok(cowrap_ram_co_flush);
cowrap_co_addr_ok(cowrap_ram_co_zero);

const struct cowrap_backend_ops cowrap_backend_ram = {
	.name			= "ram",
	.open			= cowrap_ram_open,
	.close			= cowrap_ram_close,
	.co_read		= cowrap_ram_co_read,
	.co_write		= cowrap_ram_co_write,
	.co_flush		= cowrap_ram_co_flush,
	.co_discard		= cowrap_ram_co_zero,
	.co_write_zeroes	= cowrap_ram_co_zero,
};
