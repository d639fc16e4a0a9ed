// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl's device commands: add, del, list, info, and the columns of
 * the "devices" table they print.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cowrapctl.h"

enum {
	DEV_NAME, DEV_ID, DEV_MAJMIN, DEV_BACKEND, DEV_PATH, DEV_SIZE,
	DEV_LOG_SEC, DEV_PHY_SEC, DEV_QUEUES, DEV_DEPTH, DEV_FLAGS, DEV_RO,
	DEV_LATENCY, DEV_STATE, DEV_OPEN, DEV_MAX_HW_SECT, DEV_MAX_SECT,
	DEV_MAX_SEGS, DEV_MAX_SEG_SIZE, DEV_DMA_ALIGN, DEV_DISC_GRAN,
	DEV_DISC_MAX, DEV_WZ_MAX, DEV_WCACHE, DEV_FUA, DEV_ROTA,
};

static const struct out_col dev_cols[] = {
	[DEV_NAME] = { "NAME", "device", OUT_STR, "device node, /dev/cowrapN" },
	[DEV_ID] = { "ID", "id", OUT_NUM, "device id N" },
	[DEV_MAJMIN] = { "MAJ:MIN", "major:minor", OUT_STR, "major:minor device number" },
	[DEV_BACKEND] = { "BACKEND", "backend", OUT_STR, "ram, null or bdev" },
	[DEV_PATH] = { "PATH", "lower device", OUT_STR, "bdev: the lower device" },
	[DEV_SIZE] = { "SIZE", "size (bytes)", OUT_NUM, "size in bytes" },
	[DEV_LOG_SEC] = { "LOG-SEC", "logical block size", OUT_NUM, "logical block size" },
	[DEV_PHY_SEC] = { "PHY-SEC", "physical block size", OUT_NUM, "physical block size" },
	[DEV_QUEUES] = { "QUEUES", "hardware queues", OUT_NUM, "hardware queues" },
	[DEV_DEPTH] = { "DEPTH", "queue depth", OUT_NUM, "queue depth" },
	[DEV_FLAGS] = { "FLAGS", "flags", OUT_STR, "ro,wc,discard,write-zeroes as set" },
	[DEV_RO] = { "RO", "read-only", OUT_BOOL, "read-only device" },
	[DEV_LATENCY] = { "LATENCY", "latency (ns)", OUT_NUM, "latency added to a request, ns" },
	[DEV_STATE] = { "STATE", "state", OUT_STR, "live or deleting" },
	[DEV_OPEN] = { "OPEN", "open count", OUT_NUM, "opens of the block device" },
	[DEV_MAX_HW_SECT] = { "MAX-HW-SECT", "max hw sectors", OUT_NUM, "hardware limit of a request, sectors" },
	[DEV_MAX_SECT] = { "MAX-SECT", "max sectors", OUT_NUM, "limit of a request, sectors" },
	[DEV_MAX_SEGS] = { "MAX-SEGS", "max segments", OUT_NUM, "segments of a request" },
	[DEV_MAX_SEG_SIZE] = { "MAX-SEG-SIZE", "max segment size", OUT_NUM, "bytes of a segment" },
	[DEV_DMA_ALIGN] = { "DMA-ALIGN", "dma alignment", OUT_NUM, "direct I/O alignment, bytes" },
	[DEV_DISC_GRAN] = { "DISC-GRAN", "discard granularity", OUT_NUM, "discard granularity, bytes (0: none)" },
	[DEV_DISC_MAX] = { "DISC-MAX", "max discard sectors", OUT_NUM, "discard limit, sectors (0: none)" },
	[DEV_WZ_MAX] = { "WZ-MAX", "max write-zeroes sectors", OUT_NUM, "write-zeroes limit, sectors (0: none)" },
	[DEV_WCACHE] = { "WCACHE", "write cache", OUT_BOOL, "volatile write cache (write back)" },
	[DEV_FUA] = { "FUA", "fua", OUT_BOOL, "FUA honoured" },
	[DEV_ROTA] = { "ROTA", "rotational", OUT_BOOL, "rotational device" },
};

static int has_limits(const struct cowrap_dev_info *i)
{
	return i->size >= COWRAP_DEV_INFO_SIZE_VER1;
}

static int limit_cell(const struct cowrap_dev_info *i, int col,
		      unsigned long long *v)
{
	switch (col) {
	case DEV_MAX_HW_SECT: *v = i->max_hw_sectors; break;
	case DEV_MAX_SECT: *v = i->max_sectors; break;
	case DEV_MAX_SEGS: *v = i->max_segments; break;
	case DEV_MAX_SEG_SIZE: *v = i->max_segment_size; break;
	case DEV_DMA_ALIGN: *v = i->dma_alignment + 1ULL; break;
	case DEV_DISC_GRAN: *v = i->discard_granularity; break;
	case DEV_DISC_MAX: *v = i->max_discard_sectors; break;
	case DEV_WZ_MAX: *v = i->max_write_zeroes_sectors; break;
	case DEV_WCACHE: *v = !!(i->queue_flags & COWRAP_QUEUE_WRITE_CACHE); break;
	case DEV_FUA: *v = !!(i->queue_flags & COWRAP_QUEUE_FUA); break;
	case DEV_ROTA: *v = !!(i->queue_flags & COWRAP_QUEUE_ROTATIONAL); break;
	default: return 0;
	}
	return 1;
}

static int number_cell(const struct cowrap_dev_info *i, int col,
		       unsigned long long *v)
{
	switch (col) {
	case DEV_ID: *v = i->dev_id; break;
	case DEV_SIZE: *v = i->dev_size; break;
	case DEV_LOG_SEC: *v = i->logical_block_size; break;
	case DEV_PHY_SEC: *v = i->physical_block_size; break;
	case DEV_QUEUES: *v = i->nr_hw_queues; break;
	case DEV_DEPTH: *v = i->queue_depth; break;
	case DEV_RO: *v = !!(i->dev_flags & COWRAP_DEV_READ_ONLY); break;
	case DEV_LATENCY: *v = i->latency_ns; break;
	case DEV_OPEN: *v = i->open_count; break;
	default: return 0;
	}
	return 1;
}

static void dev_cell(const void *obj, int col, char *buf, size_t len)
{
	const struct cowrap_dev_info *i = obj;
	unsigned long long v;

	switch (col) {
	case DEV_NAME:
		snprintf(buf, len, "/dev/%s", (const char *)i->disk_name);
		return;
	case DEV_MAJMIN:
		snprintf(buf, len, "%u:%u", i->major, i->minor);
		return;
	case DEV_BACKEND:
		snprintf(buf, len, "%s", backend_name(i->backend));
		return;
	case DEV_PATH:
		snprintf(buf, len, "%s", (const char *)i->path);
		return;
	case DEV_FLAGS:
		dev_flags_str(i->dev_flags, ",", buf, len);
		return;
	case DEV_STATE:
		snprintf(buf, len, "%s", i->state == COWRAP_STATE_LIVE ?
			 "live" : "deleting");
		return;
	}
	if (number_cell(i, col, &v) || (has_limits(i) && limit_cell(i, col, &v)))
		snprintf(buf, len, "%llu", v);
}

/* list: one row per device, as losetup --list. */
static const struct out_table dev_table = {
	.name = "devices",
	.cols = dev_cols,
	.ncols = ARRAY_LEN(dev_cols),
	.defaults = "NAME,BACKEND,SIZE,LOG-SEC,QUEUES,DEPTH,FLAGS,STATE,OPEN",
	.cell = dev_cell,
};

/* info: every column, as "label: value" lines unless a table is asked. */
static const struct out_table dev_info_table = {
	.name = "devices",
	.cols = dev_cols,
	.ncols = ARRAY_LEN(dev_cols),
	.defaults = "NAME,ID,MAJ:MIN,BACKEND,PATH,SIZE,LOG-SEC,PHY-SEC,QUEUES,"
		    "DEPTH,FLAGS,RO,LATENCY,STATE,OPEN,MAX-HW-SECT,MAX-SECT,"
		    "MAX-SEGS,MAX-SEG-SIZE,DMA-ALIGN,DISC-GRAN,DISC-MAX,WZ-MAX,"
		    "WCACHE,FUA,ROTA",
	.cell = dev_cell,
};

/* Print the devices table of the single device @id. */
static int print_dev(const struct out_table *t, int record, __u32 id,
		     const char *what)
{
	struct cowrap_dev_info info;
	struct out *o;

	if (ctl_get_info(id, &info) < 0)
		return ctl_fail(what, id, errno);
	o = out_begin(t, record);
	if (!o)
		return 1;
	if (out_row(o, &info)) {
		out_end(o);
		return ctl_fail(what, id, ENOMEM);
	}
	return out_end(o);
}

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
ADD_U32(add_queues, nr_hw_queues)
ADD_U32(add_depth, queue_depth)
ADD_U64(add_latency, latency_ns)
ADD_U32(add_timeout, timeout_ms)
ADD_FLAG(add_ro, COWRAP_DEV_READ_ONLY)
ADD_FLAG(add_wc, COWRAP_DEV_WRITE_CACHE)
ADD_FLAG(add_discard, COWRAP_DEV_DISCARD)
ADD_FLAG(add_wz, COWRAP_DEV_WRITE_ZEROES)

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

static const struct ctl_opt add_opts[] = {
	{ "id", "N", "ask for id N (fails with 'File exists' if taken)", add_id },
	{ "backend", "NAME", "ram (default), null or bdev", add_backend },
	{ "size", "SIZE", "bytes, K/M/G/T suffixes; bdev: 0 = lower size", add_size },
	{ "path", "PATH", "lower block device (bdev backend)", add_path },
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
	if (!a->path)
		return usage_error("%s", "the bdev backend needs --path");
	a->add.path = (uintptr_t)a->path;
	a->add.path_len = strlen(a->path) + 1;
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
	if (a->path)
		return usage_error("%s", "--path is only for the bdev backend");
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
	a->add.backend = a->backend->id;
	if (a->backend->check) {
		ret = a->backend->check(a);
		if (ret)
			return ret;
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
	for (i = 0; i < (__u32)argc; i++)
		if (parse_dev(argv[i], &ids[0]))
			return usage_error("bad device '%s'", argv[i]);
	if (!argc && ctl_list_ids(ids, COWRAP_MAX_DEVICES, &n) < 0)
		return ctl_fail("list", ~0U, errno);
	o = out_begin(&dev_table, 0);
	if (!o)
		return 1;
	if (argc)
		for (i = 0; i < (__u32)argc; i++) {
			parse_dev(argv[i], &ids[0]);
			ret |= list_one(o, ids[0], 1);
		}
	else
		for (i = 0; i < n && !ret; i++)
			ret = list_one(o, ids[i], 0);
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
