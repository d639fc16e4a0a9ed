// SPDX-License-Identifier: GPL-2.0
/*
 * cowsample: module glue and file operations.  The file operations run in
 * the calling process; they copy between user and kernel memory and call
 * the generated co_wrapper functions (cowsample_ops.h), which run the
 * operation in a coroutine and wait for it.  The coroutine may run on a
 * worker thread of the journal's context, which has no access to the
 * caller's memory: that is why the copies happen here.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <cowrap/coroutine.h>
#include <cowrap/version.h>

#include "cowsample.h"
#include "cowsample_ops.h"

/* Build-time check of the kit's headers against what this code expects. */
#if COWRAP_API_MAJOR != 1 || COWRAP_API_MINOR < 0
#error "cowsample is written for the cowrap API 1.0 or a compatible later one"
#endif

#define COWSAMPLE_MAX_DELAY_US	1000000
#define COWSAMPLE_MAX_WORKERS	8

static unsigned int delay_us = 1000;
module_param(delay_us, uint, 0444);
MODULE_PARM_DESC(delay_us,
		 "latency of every operation in microseconds, slept holding the journal's CoMutex (default 1000, at most 1000000)");

static char *backing;
module_param(backing, charp, 0444);
MODULE_PARM_DESC(backing,
		 "path of a block device that keeps the journal across loads, 68 KiB or more (default: none, memory only)");

static struct cowsample cowsample_journal;
static struct dentry *cowsample_debugfs;

static int cowsample_open(struct inode *inode, struct file *file)
{
	int ret;

	if (!(file->f_mode & FMODE_WRITE) || !(file->f_flags & O_TRUNC))
		return 0;
	ret = cowsample_reset(&cowsample_journal);
	return ret < 0 ? ret : 0;
}

static ssize_t cowsample_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	ssize_t ret;
	void *buf;

	if (!len)
		return 0;
	if (len > COWSAMPLE_MAX_RECORD)
		return -EINVAL;
	buf = memdup_user(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = cowsample_append(&cowsample_journal, buf, len);
	kfree(buf);
	return ret;
}

static ssize_t cowsample_read_fop(struct file *file, char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	ssize_t ret;
	void *buf;

	if (*ppos < 0)
		return -EINVAL;
	len = min_t(size_t, len, COWSAMPLE_CAPACITY);
	if (!len)
		return 0;
	buf = kvmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = cowsample_read(&cowsample_journal, buf, len, *ppos);
	if (ret > 0) {
		if (copy_to_user(ubuf, buf, ret))
			ret = -EFAULT;
		else
			*ppos += ret;
	}
	kvfree(buf);
	return ret;
}

static const struct file_operations cowsample_fops = {
	.owner = THIS_MODULE,
	.open = cowsample_open,
	.read = cowsample_read_fop,
	.write = cowsample_write,
	.llseek = default_llseek,
};

static struct miscdevice cowsample_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "cowsample",
	.fops = &cowsample_fops,
	.mode = 0600,
};

static int cowsample_stats_show(struct seq_file *m, void *unused)
{
	struct cowsample *s = &cowsample_journal;
	struct cowrap_ctx_stats st;

	cowrap_ctx_get_stats(s->ctx, &st);
	seq_printf(m, "len %zu\n", READ_ONCE(s->len));
	seq_printf(m, "appends %lld\n", atomic64_read(&s->nr_appends));
	seq_printf(m, "reads %lld\n", atomic64_read(&s->nr_reads));
	seq_printf(m, "resets %lld\n", atomic64_read(&s->nr_resets));
	seq_printf(m, "full %lld\n", atomic64_read(&s->nr_full));
	seq_printf(m, "inflight %d\n", atomic_read(&s->inflight));
	seq_printf(m, "max_inflight %d\n", atomic_read(&s->max_inflight));
	seq_printf(m, "max_holders %d\n", atomic_read(&s->max_holders));
	seq_printf(m, "backing %d\n", !!s->backing.bdev);
	seq_printf(m, "bios %lld\n", atomic64_read(&s->nr_bios));
	seq_printf(m, "ctx_finished %llu\n", st.nr_finished);
	seq_printf(m, "ctx_live %u\n", st.nr_live);
	seq_printf(m, "ctx_workers %u\n", st.nr_workers);
	seq_printf(m, "ctx_max_workers %u\n", st.max_workers);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cowsample_stats);

static int __init cowsample_init(void)
{
	struct cowsample *s = &cowsample_journal;
	int ret;

	ret = cowrap_api_check();
	if (ret) {
		pr_err("cowsample: built for the cowrap API %d.%d, cowrap_blk.ko has %u.%u\n",
		       COWRAP_API_MAJOR, COWRAP_API_MINOR,
		       cowrap_api_version >> 16, cowrap_api_version & 0xffff);
		return ret;
	}
	if (delay_us > COWSAMPLE_MAX_DELAY_US) {
		pr_err("cowsample: delay_us=%u is above %u\n", delay_us,
		       COWSAMPLE_MAX_DELAY_US);
		return -EINVAL;
	}
	s->delay_ns = (u64)delay_us * NSEC_PER_USEC;
	/* whole pages, contiguous: a bio transfers them as they are */
	s->data_pages = alloc_pages(GFP_KERNEL | __GFP_ZERO,
				    get_order(COWSAMPLE_CAPACITY));
	if (!s->data_pages)
		return -ENOMEM;
	s->data = page_address(s->data_pages);
	s->hdr_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!s->hdr_page) {
		ret = -ENOMEM;
		goto err_data;
	}
	cowrap_co_mutex_init(&s->lock);
	s->ctx = cowrap_ctx_create("cowsample", COWSAMPLE_MAX_WORKERS);
	if (IS_ERR(s->ctx)) {
		ret = PTR_ERR(s->ctx);
		goto err_hdr;
	}
	if (backing) {
		ret = cowsample_backing_open(&s->backing, backing, s);
		if (ret) {
			pr_err("cowsample: backing=%s: cannot use it: %d\n",
			       backing, ret);
			goto err_ctx;
		}
		ret = cowsample_load(s);
		if (ret) {
			pr_err("cowsample: backing=%s: cannot read the journal: %d\n",
			       backing, ret);
			goto err_backing;
		}
	}
	cowsample_debugfs = debugfs_create_dir("cowsample", NULL);
	debugfs_create_file("stats", 0444, cowsample_debugfs, NULL,
			    &cowsample_stats_fops);
	/* Last: the device can be used as soon as it is registered. */
	ret = misc_register(&cowsample_misc);
	if (ret)
		goto err_debugfs;
	pr_info("cowsample: /dev/cowsample ready, %zu bytes in the journal (cowrap %s, API %d.%d)\n",
		s->len, COWRAP_VERSION, COWRAP_API_MAJOR, COWRAP_API_MINOR);
	return 0;

err_debugfs:
	debugfs_remove_recursive(cowsample_debugfs);
err_backing:
	cowsample_backing_close(&s->backing, s);
err_ctx:
	cowrap_ctx_destroy(s->ctx);
err_hdr:
	__free_page(s->hdr_page);
err_data:
	__free_pages(s->data_pages, get_order(COWSAMPLE_CAPACITY));
	return ret;
}

/*
 * The file operations hold a reference to the module (.owner), so no
 * operation is running any more; the context has nothing left to wait for.
 */
static void __exit cowsample_exit(void)
{
	struct cowsample *s = &cowsample_journal;

	misc_deregister(&cowsample_misc);
	debugfs_remove_recursive(cowsample_debugfs);
	cowrap_ctx_destroy(s->ctx);
	cowsample_backing_close(&s->backing, s);
	__free_page(s->hdr_page);
	__free_pages(s->data_pages, get_order(COWSAMPLE_CAPACITY));
}

module_init(cowsample_init);
module_exit(cowsample_exit);

MODULE_DESCRIPTION("cowsample: an append-only journal whose operations are cowrap coroutines");
MODULE_AUTHOR("The cowrap developers");
MODULE_LICENSE("GPL");
