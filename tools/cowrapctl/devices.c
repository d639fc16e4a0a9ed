// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl's "devices" table: the columns of struct cowrap_dev_info that
 * list, add and info print.
 */
#include <errno.h>
#include <stdio.h>

#include "cowrapctl.h"

enum {
	DEV_NAME, DEV_ID, DEV_MAJMIN, DEV_BACKEND, DEV_PATH, DEV_OVERLAY,
	DEV_CHUNK, DEV_SIZE,
	DEV_LOG_SEC, DEV_PHY_SEC, DEV_QUEUES, DEV_DEPTH, DEV_FLAGS, DEV_RO,
	DEV_LATENCY, DEV_STATE, DEV_OPEN, DEV_MAX_HW_SECT, DEV_MAX_SECT,
	DEV_MAX_SEGS, DEV_MAX_SEG_SIZE, DEV_DMA_ALIGN, DEV_DISC_GRAN,
	DEV_DISC_MAX, DEV_WZ_MAX, DEV_WCACHE, DEV_FUA, DEV_ROTA,
};

static const struct out_col dev_cols[] = {
	[DEV_NAME] = { "NAME", "device", OUT_STR, "device node, /dev/cowrapN" },
	[DEV_ID] = { "ID", "id", OUT_NUM, "device id N" },
	[DEV_MAJMIN] = { "MAJ:MIN", "major:minor", OUT_STR, "major:minor device number" },
	[DEV_BACKEND] = { "BACKEND", "backend", OUT_STR, "ram, null, bdev or cow" },
	[DEV_PATH] = { "PATH", "lower or base device", OUT_STR, "bdev: the lower device; cow: the base" },
	[DEV_OVERLAY] = { "OVERLAY", "overlay", OUT_STR, "cow: the overlay device" },
	[DEV_CHUNK] = { "CHUNK", "chunk size", OUT_NUM, "cow: the overlay's chunk size, bytes" },
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

/* The overlay and chunk size of a cow device (COWRAP_DEV_INFO_SIZE_VER2). */
static int has_cow_info(const struct cowrap_dev_info *i)
{
	return i->size >= COWRAP_DEV_INFO_SIZE_VER2 &&
	       i->backend == COWRAP_BACKEND_COW;
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
	case DEV_OVERLAY:
		if (has_cow_info(i))
			snprintf(buf, len, "%s", (const char *)i->overlay);
		return;
	case DEV_CHUNK:
		if (has_cow_info(i))
			snprintf(buf, len, "%u", i->chunk_size);
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

/* list and add: one row per device, as losetup --list. */
const struct out_table dev_table = {
	.name = "devices",
	.cols = dev_cols,
	.ncols = ARRAY_LEN(dev_cols),
	.defaults = "NAME,BACKEND,SIZE,LOG-SEC,QUEUES,DEPTH,FLAGS,STATE,OPEN",
	.cell = dev_cell,
};

/* info: every column, as "label: value" lines unless a table is asked. */
const struct out_table dev_info_table = {
	.name = "devices",
	.cols = dev_cols,
	.ncols = ARRAY_LEN(dev_cols),
	.defaults = "NAME,ID,MAJ:MIN,BACKEND,PATH,OVERLAY,CHUNK,SIZE,LOG-SEC,"
		    "PHY-SEC,QUEUES,DEPTH,FLAGS,RO,LATENCY,STATE,OPEN,"
		    "MAX-HW-SECT,MAX-SECT,"
		    "MAX-SEGS,MAX-SEG-SIZE,DMA-ALIGN,DISC-GRAN,DISC-MAX,WZ-MAX,"
		    "WCACHE,FUA,ROTA",
	.cell = dev_cell,
};

/**
 * print_dev() - print the devices table @t of one device
 * @t: dev_table or dev_info_table
 * @record: the record form unless a table is asked (out_begin())
 * @id: the device
 * @what: the command, for an error message
 *
 * Return: the exit status.
 */
int print_dev(const struct out_table *t, int record, __u32 id,
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
