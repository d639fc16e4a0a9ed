/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowsample: the optional backing block device (module parameter
 * backing=PATH) that makes the journal survive a reload.  Layout on the
 * device: a header block at byte 0 (struct cowsample_disk_header), the
 * journal's COWSAMPLE_CAPACITY bytes from byte COWSAMPLE_DATA_OFFSET.
 * The I/O is coroutine code: a bio submitted and waited for with
 * cowrap_co_submit_bio_wait().
 */
#ifndef _COWSAMPLE_BACKING_H
#define _COWSAMPLE_BACKING_H

#include <linux/blk_types.h>
#include <linux/types.h>

#include <cowrap/annotations.h>

struct cowsample;
struct file;

#define COWSAMPLE_MAGIC		0x63775331	/* "cwS1" */
#define COWSAMPLE_DATA_OFFSET	4096

/**
 * struct cowsample_disk_header - the header block, little endian
 * @magic: %COWSAMPLE_MAGIC
 * @len: bytes of the journal in use
 */
struct cowsample_disk_header {
	__le32 magic;
	__le32 len;
};

/**
 * struct cowsample_backing - an opened backing device
 * @bdev: the device, NULL when the journal has none
 * @file: what holds it open (kernels from 6.9 open devices as files)
 */
struct cowsample_backing {
	struct block_device *bdev;
	struct file *file;
};

int cowsample_backing_open(struct cowsample_backing *b, const char *path,
			   void *holder);
void cowsample_backing_close(struct cowsample_backing *b, void *holder);

int coroutine_fn cowsample_co_backing_data(struct cowsample *s, bool write,
					   size_t pos, size_t len);
int coroutine_fn cowsample_co_backing_header(struct cowsample *s, bool write,
					     size_t *len);

#endif /* _COWSAMPLE_BACKING_H */
