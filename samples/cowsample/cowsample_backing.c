// SPDX-License-Identifier: GPL-2.0
/*
 * cowsample: the backing device.  Opening it differs between the kernels
 * the sample builds for; the I/O does not: a bio over the journal's own
 * pages, submitted by the coroutine, which parks until the bio ends.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/mm.h>
#include <linux/version.h>

#include <cowrap/coroutine.h>

#include "cowsample.h"
#include "cowsample_backing.h"

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
static int cowsample_bdev_open(struct cowsample_backing *b, const char *path,
			       void *holder)
{
	struct file *f = bdev_file_open_by_path(path,
						BLK_OPEN_READ | BLK_OPEN_WRITE,
						holder, NULL);

	if (IS_ERR(f))
		return PTR_ERR(f);
	b->file = f;
	b->bdev = file_bdev(f);
	return 0;
}

static void cowsample_bdev_close(struct cowsample_backing *b, void *holder)
{
	bdev_fput(b->file);
}
#elif LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
static int cowsample_bdev_open(struct cowsample_backing *b, const char *path,
			       void *holder)
{
	struct block_device *bdev;

	bdev = blkdev_get_by_path(path, FMODE_READ | FMODE_WRITE | FMODE_EXCL,
				  holder);
	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	b->bdev = bdev;
	return 0;
}

static void cowsample_bdev_close(struct cowsample_backing *b, void *holder)
{
	blkdev_put(b->bdev, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
}
#else
#error "cowsample opens its backing device the 6.1 or the 6.9+ way only"
#endif

/**
 * cowsample_backing_open() - open the backing device, exclusively
 * @b: filled in on success
 * @path: the device's path
 * @holder: exclusive holder cookie
 *
 * Process context.
 *
 * Return: 0; -ENOSPC when the device is smaller than the header and the
 * journal; the error of opening it (-ENOENT, -ENOTBLK, -EBUSY, ...).
 */
int cowsample_backing_open(struct cowsample_backing *b, const char *path,
			   void *holder)
{
	int ret;

	ret = cowsample_bdev_open(b, path, holder);
	if (ret)
		return ret;
	if (bdev_nr_bytes(b->bdev) < COWSAMPLE_DATA_OFFSET + COWSAMPLE_CAPACITY) {
		cowsample_backing_close(b, holder);
		return -ENOSPC;
	}
	return 0;
}

/**
 * cowsample_backing_close() - close a device cowsample_backing_open() opened
 * @b: the device; nothing is done when it has none
 * @holder: the cookie it was opened with
 */
void cowsample_backing_close(struct cowsample_backing *b, void *holder)
{
	if (!b->bdev)
		return;
	cowsample_bdev_close(b, holder);
	b->bdev = NULL;
	b->file = NULL;
}

/* One bio over @nr pages from @page at byte @dev_off, waited for. */
static int coroutine_fn cowsample_co_bio(struct cowsample *s, blk_opf_t opf,
					 struct page *page, unsigned int nr,
					 u64 dev_off)
{
	blk_status_t st;
	struct bio *bio;
	unsigned int i;

	bio = bio_alloc(s->backing.bdev, nr, opf, GFP_NOIO);
	bio->bi_iter.bi_sector = dev_off >> SECTOR_SHIFT;
	for (i = 0; i < nr; i++) {
		if (bio_add_page(bio, nth_page(page, i), PAGE_SIZE, 0) !=
		    PAGE_SIZE) {
			bio_put(bio);
			return -EIO;
		}
	}
	st = cowrap_co_submit_bio_wait(bio);
	bio_put(bio);
	atomic64_inc(&s->nr_bios);
	return blk_status_to_errno(st);
}

/**
 * cowsample_co_backing_data() - read or write journal bytes on the device
 * @s: journal with a backing device
 * @write: write to the device, or read from it
 * @pos: first byte of the journal
 * @len: bytes, not 0; @pos + @len at most %COWSAMPLE_CAPACITY
 *
 * Transfers the whole pages of s->data that hold those bytes.  Called with
 * the journal's mutex held.
 *
 * Return: 0 or a negative errno (-EIO, ...).
 */
int coroutine_fn cowsample_co_backing_data(struct cowsample *s, bool write,
					   size_t pos, size_t len)
{
	size_t first = pos >> PAGE_SHIFT;
	size_t last = (pos + len - 1) >> PAGE_SHIFT;

	return cowsample_co_bio(s, write ? REQ_OP_WRITE : REQ_OP_READ,
				nth_page(s->data_pages, first),
				last - first + 1,
				COWSAMPLE_DATA_OFFSET + (first << PAGE_SHIFT));
}

/**
 * cowsample_co_backing_header() - read or write the header block
 * @s: journal with a backing device
 * @write: false: *@len becomes the length recorded on the device, 0
 *	when the device holds no journal; true: records *@len, with a cache
 *	flush before and FUA, so that data written before is on the device
 *	first
 * @len: the journal's length
 *
 * Called with the journal's mutex held, or before the device is visible.
 *
 * Return: 0; -EUCLEAN for a header whose length is out of range; the I/O
 * error.
 */
int coroutine_fn cowsample_co_backing_header(struct cowsample *s, bool write,
					     size_t *len)
{
	struct cowsample_disk_header *h = page_address(s->hdr_page);
	u32 n;
	int ret;

	if (write) {
		memset(h, 0, PAGE_SIZE);
		h->magic = cpu_to_le32(COWSAMPLE_MAGIC);
		h->len = cpu_to_le32(*len);
		return cowsample_co_bio(s, REQ_OP_WRITE | REQ_PREFLUSH | REQ_FUA,
					s->hdr_page, 1, 0);
	}
	ret = cowsample_co_bio(s, REQ_OP_READ, s->hdr_page, 1, 0);
	if (ret)
		return ret;
	if (le32_to_cpu(h->magic) != COWSAMPLE_MAGIC) {
		*len = 0;
		return 0;
	}
	n = le32_to_cpu(h->len);
	if (n > COWSAMPLE_CAPACITY)
		return -EUCLEAN;
	*len = n;
	return 0;
}
