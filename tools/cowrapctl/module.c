// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl features and version: what the loaded module is and supports.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cowrapctl.h"

/* COWRAP_F_* bits, in bit order. */
static const char *const feature_names[] = {
	"get-info", "dev", "stats", "fault", "sync-io", "features",
	"del-force", "bio-based",
};

enum {
	FE_FEATURES, FE_BACKENDS, FE_MAX_DEV_SIZE, FE_MAX_LATENCY, FE_DEVICES,
	FE_MAX_DEVICES, FE_MAX_QUEUES, FE_MAX_DEPTH, FE_MAX_IO_LEN,
	FE_MIN_LBS, FE_MAX_LBS, FE_MAX_PBS,
};

static const struct out_col fe_cols[] = {
	[FE_FEATURES] = { "FEATURES", "features", OUT_LIST, "feature names (COWRAP_F_*)" },
	[FE_BACKENDS] = { "BACKENDS", "backends", OUT_LIST, "backends built in" },
	[FE_MAX_DEV_SIZE] = { "MAX-DEV-SIZE", "max device size (bytes)", OUT_NUM, "largest --size" },
	[FE_MAX_LATENCY] = { "MAX-LATENCY", "max latency (ns)", OUT_NUM, "largest --latency-ns" },
	[FE_DEVICES] = { "DEVICES", "devices", OUT_NUM, "devices that exist now" },
	[FE_MAX_DEVICES] = { "MAX-DEVICES", "max devices", OUT_NUM, "most devices at once" },
	[FE_MAX_QUEUES] = { "MAX-QUEUES", "max hw queues", OUT_NUM, "largest --queues" },
	[FE_MAX_DEPTH] = { "MAX-DEPTH", "max queue depth", OUT_NUM, "largest --depth" },
	[FE_MAX_IO_LEN] = { "MAX-IO-LEN", "max sync I/O length", OUT_NUM, "largest pread/pwrite, bytes" },
	[FE_MIN_LBS] = { "MIN-LBS", "min logical block size", OUT_NUM, "smallest --lbs" },
	[FE_MAX_LBS] = { "MAX-LBS", "max logical block size", OUT_NUM, "largest --lbs" },
	[FE_MAX_PBS] = { "MAX-PBS", "max physical block size", OUT_NUM, "largest --pbs" },
};

static size_t add_name(char *buf, size_t len, size_t n, const char *name)
{
	int r = snprintf(buf + n, n < len ? len - n : 0, "%s%s",
			 n ? out_list_sep() : "", name);

	return r > 0 ? n + r : n;
}

static void names_cell(const struct cowrap_features *ft, int col, char *buf,
		       size_t len)
{
	size_t i, n = 0;

	if (col == FE_FEATURES) {
		for (i = 0; i < ARRAY_LEN(feature_names); i++)
			if (ft->features & (1ULL << i))
				n = add_name(buf, len, n, feature_names[i]);
		return;
	}
	for (i = 0; i < ctl_nr_backends; i++)
		if (ft->backends & (1ULL << ctl_backends[i].id))
			n = add_name(buf, len, n, ctl_backends[i].name);
}

static void fe_cell(const void *obj, int col, char *buf, size_t len)
{
	const struct cowrap_features *ft = obj;
	unsigned long long v;

	switch (col) {
	case FE_FEATURES:
	case FE_BACKENDS:
		names_cell(ft, col, buf, len);
		return;
	case FE_MAX_DEV_SIZE: v = ft->max_dev_size; break;
	case FE_MAX_LATENCY: v = ft->max_latency_ns; break;
	case FE_DEVICES: v = ft->nr_devices; break;
	case FE_MAX_DEVICES: v = ft->max_devices; break;
	case FE_MAX_QUEUES: v = ft->max_hw_queues; break;
	case FE_MAX_DEPTH: v = ft->max_queue_depth; break;
	case FE_MAX_IO_LEN: v = ft->max_io_len; break;
	case FE_MIN_LBS: v = ft->min_lbs; break;
	case FE_MAX_LBS: v = ft->max_lbs; break;
	case FE_MAX_PBS: v = ft->max_pbs; break;
	default: return;
	}
	snprintf(buf, len, "%llu", v);
}

static const struct out_table fe_table = {
	.name = "features",
	.cols = fe_cols,
	.ncols = ARRAY_LEN(fe_cols),
	.defaults = "FEATURES,BACKENDS,MAX-DEV-SIZE,MAX-LATENCY,DEVICES,"
		    "MAX-DEVICES,MAX-QUEUES,MAX-DEPTH,MAX-IO-LEN,MIN-LBS,"
		    "MAX-LBS,MAX-PBS",
	.cell = fe_cell,
};

static int print_record(const struct out_table *t, const void *obj)
{
	struct out *o = out_begin(t, 1);

	if (!o)
		return 1;
	if (out_row(o, obj)) {
		out_end(o);
		return ctl_fail("output", ~0U, ENOMEM);
	}
	return out_end(o);
}

static int no_args(int argc, char **argv)
{
	return argc ? usage_error("unexpected argument '%s'", argv[0]) : 0;
}

static int features_run(void *ctx, int argc, char **argv)
{
	struct cowrap_features ft;
	int ret;

	(void)ctx;
	ret = no_args(argc, argv);
	if (ret)
		return ret;
	memset(&ft, 0, sizeof(ft));
	ft.size = sizeof(ft);
	if (ctl_ioctl(COWRAP_IOC_GET_FEATURES, &ft) < 0)
		return ctl_fail("features", ~0U, errno);
	return print_record(&fe_table, &ft);
}

const struct ctl_cmd cmd_features = {
	.name = "features",
	.usage = "",
	.help = "Show what the loaded module supports.",
	.out = &fe_table,
	.run = features_run,
};

/* version */

enum { VE_MODULE, VE_ABI, VE_FEATURES };

static const struct out_col ve_cols[] = {
	[VE_MODULE] = { "MODULE-VERSION", "module version", OUT_STR, "cowrap_blk.ko's version" },
	[VE_ABI] = { "ABI-VERSION", "abi version", OUT_NUM, "COWRAP_ABI_VERSION of the module" },
	[VE_FEATURES] = { "FEATURES", "features", OUT_NUM, "COWRAP_F_* bits (a number; hex in a table)" },
};

static void ve_cell(const void *obj, int col, char *buf, size_t len)
{
	const struct cowrap_info *i = obj;

	switch (col) {
	case VE_MODULE:
		snprintf(buf, len, "%.*s", (int)sizeof(i->version),
			 (const char *)i->version);
		break;
	case VE_ABI:
		snprintf(buf, len, "%u", i->abi_version);
		break;
	case VE_FEATURES:
		snprintf(buf, len, out_opts.json ? "%llu" : "%#llx",
			 (unsigned long long)i->features);
		break;
	}
}

static const struct out_table ve_table = {
	.name = "version",
	.cols = ve_cols,
	.ncols = ARRAY_LEN(ve_cols),
	.defaults = "MODULE-VERSION,ABI-VERSION,FEATURES",
	.cell = ve_cell,
};

static int version_run(void *ctx, int argc, char **argv)
{
	struct cowrap_info info;
	int ret;

	(void)ctx;
	ret = no_args(argc, argv);
	if (ret)
		return ret;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	if (ctl_ioctl(COWRAP_IOC_GET_INFO, &info) < 0)
		return ctl_fail("GET_INFO", ~0U, errno);
	return print_record(&ve_table, &info);
}

const struct ctl_cmd cmd_version = {
	.name = "version",
	.usage = "",
	.help = "Show the module and ABI versions.",
	.out = &ve_table,
	.run = version_run,
};
