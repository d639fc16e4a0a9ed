// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs view of the device layer's live objects: cowrap/live lists
 * "name value" lines, one per counter (Documentation/reliability.rst);
 * cowrap/seen the request attributes each device received (one line per
 * device, Documentation/blkdev.rst).
 * Every value is 0 when no device exists and no removal is pending;
 * selftests/mem checks that after add / I/O / del cycles.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <cowrap/coroutine.h>
#include "dev.h"

static struct dentry *cowrap_debugfs_dir;

/* Test hook: cowrap/test/fail_page_alloc, see cowrap_test_fail_page_alloc(). */
static atomic_t cowrap_fail_page_alloc = ATOMIC_INIT(0);

/**
 * cowrap_test_fail_page_alloc() - whether to fail this ram page allocation
 * @consume: count this failure against the N
 *
 * A test hook (selftests/robust): writing N to debugfs
 * cowrap/test/fail_page_alloc makes the next N page allocations of the
 * ram backend fail as if memory were short; an attempt that does not
 * consume fails too while any is left.  Any context.
 *
 * Return: true if the caller must treat its allocation as failed.
 */
bool cowrap_test_fail_page_alloc(bool consume)
{
	if (!consume)
		return atomic_read(&cowrap_fail_page_alloc) > 0;
	return atomic_add_unless(&cowrap_fail_page_alloc, -1, 0);
}

static int cowrap_live_show(struct seq_file *m, void *unused)
{
	struct cowrap_ctx_stats dev_ctx = { 0 }, def;
	u32 nr_devs;

	cowrap_dev_sum_ctx_stats(&dev_ctx, &nr_devs);
	cowrap_ctx_get_stats(cowrap_default_ctx(), &def);
	seq_printf(m, "registry_devices %u\n", nr_devs);
	seq_printf(m, "devices %d\n", atomic_read(&cowrap_live.devices));
	seq_printf(m, "disks %d\n", atomic_read(&cowrap_live.disks));
	seq_printf(m, "contexts %d\n", atomic_read(&cowrap_live.ctxs));
	seq_printf(m, "backends %d\n", atomic_read(&cowrap_live.backends));
	seq_printf(m, "ram_pages %ld\n",
		   atomic_long_read(&cowrap_live.ram_pages));
	seq_printf(m, "dev_coroutines %u\n", dev_ctx.nr_live);
	seq_printf(m, "dev_coroutines_allocated %u\n", dev_ctx.nr_allocated);
	seq_printf(m, "dev_workers %u\n", dev_ctx.nr_workers);
	seq_printf(m, "dev_parked %u\n", dev_ctx.nr_parked);
	seq_printf(m, "dev_inline %llu\n", dev_ctx.nr_inline);
	seq_printf(m, "dev_restarts %llu\n", dev_ctx.nr_restarts);
	seq_printf(m, "default_coroutines %u\n", def.nr_live);
	seq_printf(m, "default_coroutines_allocated %u\n", def.nr_allocated);
	seq_printf(m, "default_workers %u\n", def.nr_workers);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cowrap_live);

static int cowrap_seen_show(struct seq_file *m, void *unused)
{
	cowrap_dev_show_seen(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cowrap_seen);

/**
 * cowrap_dev_debugfs_init() - create cowrap/live, cowrap/seen and cowrap/test/
 * in debugfs
 *
 * Failure is not fatal (debugfs may be absent): the file is just missing.
 */
void cowrap_dev_debugfs_init(void)
{
	struct dentry *test;

	cowrap_debugfs_dir = debugfs_create_dir("cowrap", NULL);
	debugfs_create_file("live", 0400, cowrap_debugfs_dir, NULL,
			    &cowrap_live_fops);
	debugfs_create_file("seen", 0400, cowrap_debugfs_dir, NULL,
			    &cowrap_seen_fops);
	test = debugfs_create_dir("test", cowrap_debugfs_dir);
	debugfs_create_atomic_t("fail_page_alloc", 0600, test,
				&cowrap_fail_page_alloc);
}

/**
 * cowrap_dev_debugfs_exit() - remove cowrap/ from debugfs
 *
 * Waits for readers of the file to finish.
 */
void cowrap_dev_debugfs_exit(void)
{
	debugfs_remove_recursive(cowrap_debugfs_dir);
	cowrap_debugfs_dir = NULL;
}
