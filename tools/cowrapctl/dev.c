// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl's device commands: add, del, list and info (their "devices"
 * table is in devices.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cowrapctl.h"

/* add: options and backends are tables, one row each. */

#define ADD_U32(fn, field)						\
static int fn(void *ctx, const char *arg)				\
{									\
	return parse_u32(arg, &((struct ctl_add *)ctx)->add.field);	\
}
#define ADD_U64(fn, field)						\
static int fn(void *ctx, const char *arg)				\
{									\
	return parse_u64(arg, &((struct ctl_add *)ctx)->add.field);	\
}
#define ADD_FLAG(fn, bit)						\
static int fn(void *ctx, const char *arg)				\
{									\
	(void)arg;							\
	((struct ctl_add *)ctx)->add.dev_flags |= (bit);		\
	return 0;							\
}

ADD_U64(add_size, dev_size)
ADD_U32(add_lbs, logical_block_size)
ADD_U32(add_pbs, physical_block_size)
ADD_U64(add_latency, latency_ns)
ADD_U32(add_timeout, timeout_ms)
ADD_U32(add_chunk, chunk_size)
ADD_FLAG(add_ro, COWRAP_DEV_READ_ONLY)
ADD_FLAG(add_wc, COWRAP_DEV_WRITE_CACHE)
ADD_FLAG(add_discard, COWRAP_DEV_DISCARD)
ADD_FLAG(add_wz, COWRAP_DEV_WRITE_ZEROES)
ADD_FLAG(add_bio, COWRAP_DEV_BIO_BASED)

static int add_queues(void *ctx, const char *arg)
{
	struct ctl_add *a = ctx;

	a->queues_set = 1;
	return parse_u32(arg, &a->add.nr_hw_queues);
}

static int add_mq(void *ctx, const char *arg)
{
	(void)arg;
	((struct ctl_add *)ctx)->mq = 1;
	return 0;
}

static int add_depth(void *ctx, const char *arg)
{
	struct ctl_add *a = ctx;

	a->queues_set = 1;
	return parse_u32(arg, &a->add.queue_depth);
}

static int add_id(void *ctx, const char *arg)
{
	struct ctl_add *a = ctx;

	a->add.flags |= COWRAP_ADD_REQ_ID;
	return parse_dev(arg, &a->add.dev_id);
}

static int add_backend(void *ctx, const char *arg)
{
	struct ctl_add *a = ctx;

	a->backend = backend_by_name(arg);
	return a->backend ? 0 : -1;
}

static int add_path(void *ctx, const char *arg)
{
	((struct ctl_add *)ctx)->path = arg;
	return 0;
}

static int add_overlay(void *ctx, const char *arg)
{
	((struct ctl_add *)ctx)->overlay = arg;
	return 0;
}

static int add_format(void *ctx, const char *arg)
{
	(void)arg;
	((struct ctl_add *)ctx)->format = 1;
	return 0;
}

static int add_force(void *ctx, const char *arg)
{
	(void)arg;
	((struct ctl_add *)ctx)->force = 1;
	return 0;
}

static const struct ctl_opt add_opts[] = {
	{ "id", "N", "ask for id N (fails with 'File exists' if taken)", add_id },
	{ "backend", "NAME", "ram (default), null, bdev or cow", add_backend },
	{ "size", "SIZE", "bytes, K/M/G/T suffixes; bdev, cow: 0 = lower size", add_size },
	{ "path", "PATH", "lower block device (bdev backend)", add_path },
	{ "base", "PATH", "cow: the read-only base device (same as --path)", add_path },
	{ "overlay", "PATH", "cow: the overlay device, holding the writes", add_overlay },
	{ "chunk-size", "N", "cow: the overlay's chunk size (with --format:\n"
	  "4096..1048576, default 65536)", add_chunk },
	{ "format", NULL, "cow: format the overlay first", add_format },
	{ "force", NULL, "cow: --format over a valid overlay", add_force },
	{ "lbs", "N", "logical block size, 512..4096 (default 512)", add_lbs },
	{ "pbs", "N", "physical block size (default: lbs)", add_pbs },
	{ "queues", "N", "hardware queues (default 1)", add_queues },
	{ "depth", "N", "queue depth, 1..1024 (default 128)", add_depth },
	{ "latency-ns", "NS", "latency added to every request", add_latency },
	{ "timeout-ms", "MS", "fail a request running that long with ETIMEDOUT\n"
	  "(0 = never, the default; at most 3600000)", add_timeout },
	{ "ro", NULL, "read-only", add_ro },
	{ "wc", NULL, "volatile write cache (FLUSH/FUA)", add_wc },
	{ "discard", NULL, "support discard", add_discard },
	{ "write-zeroes", NULL, "support write-zeroes", add_wz },
	{ "bio", NULL, "bio-based: no blk-mq queue, a coroutine per bio\n"
	  "(no --queues, --depth or --timeout-ms); bdev's default", add_bio },
	{ "mq", NULL, "blk-mq: requests on hardware queues; the default\n"
	  "of ram, null and cow, and of bdev with --queues,\n"
	  "--depth or --timeout-ms", add_mq },
	{ NULL }
};

static void add_init(void *ctx)
{
	struct ctl_add *a = ctx;

	a->add.size = sizeof(a->add);
	a->add.backend = COWRAP_BACKEND_RAM;
	a->add.logical_block_size = 512;
	a->add.nr_hw_queues = 1;
	a->add.queue_depth = 128;
	a->backend = backend_by_name("ram");
}

/**
 * backend_check_bdev() - the bdev backend's add: --path, --size optional
 * @a: the request
 *
 * Return: 0, or 2 after a usage error.
 */
int backend_check_bdev(struct ctl_add *a)
{
	if (a->overlay || a->add.chunk_size || a->format || a->force)
		return usage_error("%s", "--overlay, --chunk-size, --format and --force are for the cow backend");
	if (!a->path)
		return usage_error("%s", "the bdev backend needs --path");
	a->add.path = (uintptr_t)a->path;
	a->add.path_len = strlen(a->path) + 1;
	/* a stacking device is bio-based unless it asks for queues */
	if (!a->mq && !a->queues_set && !a->add.timeout_ms)
		a->add.dev_flags |= COWRAP_DEV_BIO_BASED;
	return 0;
}

/**
 * backend_check_sized() - ram and null: --size, no --path
 * @a: the request
 *
 * Return: 0, or 2 after a usage error.
 */
int backend_check_sized(struct ctl_add *a)
{
	if (a->overlay || a->add.chunk_size || a->format || a->force)
		return usage_error("%s", "--overlay, --chunk-size, --format and --force are for the cow backend");
	if (a->path)
		return usage_error("%s", "--path is only for the bdev and cow backends");
	if (!a->add.dev_size)
		return usage_error("%s", "--size is required");
	return 0;
}

static int add_run(void *ctx, int argc, char **argv)
{
	struct ctl_add *a = ctx;
	int ret;

	if (argc)
		return usage_error("unexpected argument '%s'", argv[0]);
	if (a->mq && (a->add.dev_flags & COWRAP_DEV_BIO_BASED))
		return usage_error("%s", "--mq and --bio exclude each other");
	a->add.backend = a->backend->id;
	if (a->backend->check) {
		ret = a->backend->check(a);
		if (ret)
			return ret;
	}
	if (a->add.dev_flags & COWRAP_DEV_BIO_BASED) {
		if (a->queues_set || a->add.timeout_ms)
			return usage_error("%s", "--bio takes no --queues, --depth or --timeout-ms");
		a->add.nr_hw_queues = 0;
		a->add.queue_depth = 0;
	}
	if (ctl_ioctl(COWRAP_IOC_ADD, &a->add) < 0)
		return ctl_fail("add", a->add.flags & COWRAP_ADD_REQ_ID ?
				a->add.dev_id : ~0U, errno);
	if (out_any())
		return print_dev(&dev_table, 0, a->add.dev_id, "info");
	printf("/dev/cowrap%u\n", a->add.dev_id);
	return 0;
}

const struct ctl_cmd cmd_add = {
	.name = "add",
	.usage = "[OPTIONS] --size SIZE",
	.help = "Create a device and print its name (/dev/cowrapN).",
	.opts = add_opts,
	.out = &dev_table,
	.run = add_run,
	.ctx_size = sizeof(struct ctl_add),
	.init = add_init,
};

/* del */

enum { DEL_ID, DEL_NAME, DEL_FORCE };

static const struct out_col del_cols[] = {
	[DEL_ID] = { "ID", "id", OUT_NUM, "device id N" },
	[DEL_NAME] = { "NAME", "device", OUT_STR, "device node, /dev/cowrapN" },
	[DEL_FORCE] = { "FORCE", "forced", OUT_BOOL, "removed with --force" },
};

static void del_cell(const void *obj, int col, char *buf, size_t len)
{
	const struct cowrap_dev_del *d = obj;

	switch (col) {
	case DEL_ID: snprintf(buf, len, "%u", d->dev_id); break;
	case DEL_NAME: snprintf(buf, len, "/dev/cowrap%u", d->dev_id); break;
	case DEL_FORCE: snprintf(buf, len, "%d", !!(d->flags & COWRAP_DEL_FORCE)); break;
	}
}

static const struct out_table del_table = {
	.name = "deleted",
	.cols = del_cols,
	.ncols = ARRAY_LEN(del_cols),
	.defaults = "ID,NAME,FORCE",
	.cell = del_cell,
};

static int del_force(void *ctx, const char *arg)
{
	(void)arg;
	((struct cowrap_dev_del *)ctx)->flags |= COWRAP_DEL_FORCE;
	return 0;
}

static const struct ctl_opt del_opts[] = {
	{ "force", NULL, "fail I/O now and remove after the last close", del_force },
	{ NULL }
};

static int del_run(void *ctx, int argc, char **argv)
{
	struct cowrap_dev_del *del = ctx;
	struct out *o;
	int ret;

	ret = dev_args(argc, argv, &del->dev_id);
	if (ret)
		return ret;
	del->size = sizeof(*del);
	if (ctl_ioctl(COWRAP_IOC_DEL, del) < 0)
		return ctl_fail("delete", del->dev_id, errno);
	if (!out_any())
		return 0;
	o = out_begin(&del_table, 0);
	if (!o)
		return 1;
	if (out_row(o, del)) {
		out_end(o);
		return ctl_fail("delete", del->dev_id, ENOMEM);
	}
	return out_end(o);
}

const struct ctl_cmd cmd_del = {
	.name = "del",
	.usage = "[--force] DEVICE",
	.help = "Remove a device (DEVICE: N, cowrapN or /dev/cowrapN).",
	.opts = del_opts,
	.out = &del_table,
	.run = del_run,
	.ctx_size = sizeof(struct cowrap_dev_del),
};

/* list */

static int list_one(struct out *o, __u32 id, int must)
{
	struct cowrap_dev_info info;

	if (ctl_get_info(id, &info) < 0) {
		if (!must)
			return 0;	/* removed meanwhile */
		return ctl_fail("info", id, errno);
	}
	return out_row(o, &info) ? ctl_fail("list", id, ENOMEM) : 0;
}

static int list_run(void *ctx, int argc, char **argv)
{
	__u32 ids[COWRAP_MAX_DEVICES], n, i;
	struct out *o;
	int ret = 0, end;

	(void)ctx;
	if (argc > COWRAP_MAX_DEVICES)
		return usage_error("%s", "too many devices");
	for (i = 0; i < (__u32)argc; i++)
		if (parse_dev(argv[i], &ids[i]))
			return usage_error("bad device '%s'", argv[i]);
	n = argc;
	if (!argc && ctl_list_ids(ids, COWRAP_MAX_DEVICES, &n) < 0)
		return ctl_fail("list", ~0U, errno);
	o = out_begin(&dev_table, 0);
	if (!o)
		return 1;
	/* a named device must exist; one of the whole list may have gone */
	for (i = 0; i < n; i++) {
		int st = list_one(o, ids[i], argc > 0);

		ret = ret ? ret : st;
	}
	end = out_end(o);
	return ret ? ret : end;
}

const struct ctl_cmd cmd_list = {
	.name = "list",
	.usage = "[DEVICE...]",
	.help = "List the devices (or those named) as a table.",
	.out = &dev_table,
	.run = list_run,
};

/* info */

static int info_run(void *ctx, int argc, char **argv)
{
	__u32 id;
	int ret;

	(void)ctx;
	ret = dev_args(argc, argv, &id);
	if (ret)
		return ret;
	return print_dev(&dev_info_table, 1, id, "info");
}

const struct ctl_cmd cmd_info = {
	.name = "info",
	.usage = "DEVICE",
	.help = "Show a device's parameters and state.",
	.out = &dev_info_table,
	.run = info_run,
};
