// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl stats and fault: a device's counters and its fault rule.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cowrapctl.h"

/*
 * The "stats" table: one row per device, a column per counter. The human
 * form shows the per-operation counters as the "ops" table and the rest as
 * "label: value" lines.
 */
enum { ST_REQS, ST_BYTES, ST_ERRS, ST_PER_OP };

#define ST_OP_COLS	(COWRAP_OP_NR * ST_PER_OP)

enum {
	ST_ID = ST_OP_COLS, ST_NAME, ST_CO_STARTED, ST_CO_YIELDS, ST_CO_WAKES,
	ST_SYNC_CALLS, ST_FAULTS, ST_INFLIGHT,
};

#define OP_COLS(op, lab)						\
	{ op "-REQS", lab " requests", OUT_NUM, lab " requests" },	\
	{ op "-BYTES", lab " bytes", OUT_NUM, lab " bytes" },		\
	{ op "-ERRS", lab " errors", OUT_NUM, lab " requests failed" }

static const struct out_col st_cols[] = {
	OP_COLS("READ", "read"),
	OP_COLS("WRITE", "write"),
	OP_COLS("FLUSH", "flush"),
	OP_COLS("DISCARD", "discard"),
	OP_COLS("WZEROES", "write-zeroes"),
	[ST_ID] = { "ID", "id", OUT_NUM, "device id N" },
	[ST_NAME] = { "NAME", "device", OUT_STR, "device node, /dev/cowrapN" },
	[ST_CO_STARTED] = { "CO-STARTED", "coroutines started", OUT_NUM, "coroutines started" },
	[ST_CO_YIELDS] = { "CO-YIELDS", "coroutine yields", OUT_NUM, "coroutine yields" },
	[ST_CO_WAKES] = { "CO-WAKES", "coroutine wakes", OUT_NUM, "coroutine wakes" },
	[ST_SYNC_CALLS] = { "SYNC-CALLS", "sync calls", OUT_NUM, "synchronous wrapper calls" },
	[ST_FAULTS] = { "FAULTS", "faults injected", OUT_NUM, "faults injected" },
	[ST_INFLIGHT] = { "INFLIGHT", "in flight", OUT_NUM, "requests in flight" },
};

_Static_assert(ARRAY_LEN(st_cols) == ST_INFLIGHT + 1, "a column per counter");

static void st_cell(const void *obj, int col, char *buf, size_t len)
{
	const struct cowrap_dev_stats *s = obj;
	const __u64 *per_op[ST_PER_OP] = { s->reqs, s->bytes, s->errors };
	unsigned long long v;

	if (col < ST_OP_COLS) {
		v = per_op[col % ST_PER_OP][col / ST_PER_OP];
		snprintf(buf, len, "%llu", v);
		return;
	}
	switch (col) {
	case ST_ID: v = s->dev_id; break;
	case ST_NAME: snprintf(buf, len, "/dev/cowrap%u", s->dev_id); return;
	case ST_CO_STARTED: v = s->co_started; break;
	case ST_CO_YIELDS: v = s->co_yields; break;
	case ST_CO_WAKES: v = s->co_wakes; break;
	case ST_SYNC_CALLS: v = s->sync_calls; break;
	case ST_FAULTS: v = s->faults_injected; break;
	case ST_INFLIGHT: v = s->inflight; break;
	default: return;
	}
	snprintf(buf, len, "%llu", v);
}

static const struct out_table st_table = {
	.name = "stats",
	.cols = st_cols,
	.ncols = ARRAY_LEN(st_cols),
	.defaults = "ID,NAME,READ-REQS,READ-BYTES,READ-ERRS,WRITE-REQS,"
		    "WRITE-BYTES,WRITE-ERRS,FLUSH-REQS,FLUSH-BYTES,FLUSH-ERRS,"
		    "DISCARD-REQS,DISCARD-BYTES,DISCARD-ERRS,WZEROES-REQS,"
		    "WZEROES-BYTES,WZEROES-ERRS,CO-STARTED,CO-YIELDS,CO-WAKES,"
		    "SYNC-CALLS,FAULTS,INFLIGHT",
	.cell = st_cell,
};

/* The human form's second part. */
static const struct out_table st_summary = {
	.name = "stats",
	.cols = st_cols,
	.ncols = ARRAY_LEN(st_cols),
	.defaults = "CO-STARTED,CO-YIELDS,CO-WAKES,SYNC-CALLS,FAULTS,INFLIGHT",
	.cell = st_cell,
};

/* The human form's first part: a row per operation. */
enum { OPS_OP, OPS_REQS, OPS_BYTES, OPS_ERRS };

static const struct out_col ops_cols[] = {
	[OPS_OP] = { "OP", "operation", OUT_STR, "operation" },
	[OPS_REQS] = { "REQUESTS", "requests", OUT_NUM, "requests" },
	[OPS_BYTES] = { "BYTES", "bytes", OUT_NUM, "bytes" },
	[OPS_ERRS] = { "ERRORS", "errors", OUT_NUM, "requests failed" },
};

struct op_row {
	const struct cowrap_dev_stats *st;
	int op;
};

static void ops_cell(const void *obj, int col, char *buf, size_t len)
{
	const struct op_row *r = obj;

	if (col == OPS_OP)
		snprintf(buf, len, "%s", ctl_op_names[r->op]);
	else
		st_cell(r->st, r->op * ST_PER_OP + col - OPS_REQS, buf, len);
}

static const struct out_table ops_table = {
	.name = "ops",
	.cols = ops_cols,
	.ncols = ARRAY_LEN(ops_cols),
	.defaults = "OP,REQUESTS,BYTES,ERRORS",
	.cell = ops_cell,
};

static int print_one(const struct out_table *t, int record, const void *obj)
{
	struct out *o = out_begin(t, record);

	if (!o)
		return 1;
	if (out_row(o, obj)) {
		out_end(o);
		return ctl_fail("output", ~0U, ENOMEM);
	}
	return out_end(o);
}

static int print_ops(const struct cowrap_dev_stats *st)
{
	struct op_row rows[COWRAP_OP_NR];
	struct out *o;
	const char *cols = out_opts.columns;
	int i, ret;

	out_opts.columns = NULL;	/* ops has its own, fixed columns */
	o = out_begin(&ops_table, 0);
	out_opts.columns = cols;
	if (!o)
		return 1;
	for (i = 0; i < COWRAP_OP_NR; i++) {
		rows[i].st = st;
		rows[i].op = i;
		if (out_row(o, &rows[i])) {
			out_end(o);
			return ctl_fail("output", ~0U, ENOMEM);
		}
	}
	ret = out_end(o);
	return ret ? ret : print_one(&st_summary, 1, st);
}

static int stats_reset(void *ctx, const char *arg)
{
	(void)arg;
	((struct cowrap_dev_stats *)ctx)->flags |= COWRAP_STATS_RESET;
	return 0;
}

static const struct ctl_opt stats_opts[] = {
	{ "reset", NULL, "zero the counters after reading", stats_reset },
	{ NULL }
};

static int stats_run(void *ctx, int argc, char **argv)
{
	struct cowrap_dev_stats *st = ctx;
	int ret;

	ret = dev_args(argc, argv, &st->dev_id);
	if (ret)
		return ret;
	st->size = sizeof(*st);
	if (ctl_ioctl(COWRAP_IOC_GET_STATS, st) < 0)
		return ctl_fail("stats", st->dev_id, errno);
	if (out_any())
		return print_one(&st_table, 1, st);
	return print_ops(st);
}

const struct ctl_cmd cmd_stats = {
	.name = "stats",
	.usage = "[--reset] DEVICE",
	.help = "Show a device's counters.",
	.opts = stats_opts,
	.out = &st_table,
	.run = stats_run,
	.ctx_size = sizeof(struct cowrap_dev_stats),
};

/* fault */

struct ctl_fault {
	struct cowrap_fault f;
	int modes;
};

enum { FT_ID, FT_NAME, FT_MODE, FT_OPS, FT_NTH, FT_ERROR, FT_ERRNO, FT_LATENCY };

static const struct out_col ft_cols[] = {
	[FT_ID] = { "ID", "id", OUT_NUM, "device id N" },
	[FT_NAME] = { "NAME", "device", OUT_STR, "device node, /dev/cowrapN" },
	[FT_MODE] = { "MODE", "mode", OUT_STR, "none, fail-nth, fail-every or delay-every" },
	[FT_OPS] = { "OPS", "operations", OUT_LIST, "the operations the rule counts" },
	[FT_NTH] = { "NTH", "nth", OUT_NUM, "N of the mode" },
	[FT_ERROR] = { "ERROR", "error", OUT_STR, "the errno failed requests get, by name" },
	[FT_ERRNO] = { "ERRNO", "errno", OUT_NUM, "the same errno, a number" },
	[FT_LATENCY] = { "LATENCY", "latency (ns)", OUT_NUM, "delay of delay-every, ns" },
};

static void ft_cell(const void *obj, int col, char *buf, size_t len)
{
	const struct cowrap_fault *f = obj;

	switch (col) {
	case FT_ID: snprintf(buf, len, "%u", f->dev_id); break;
	case FT_NAME: snprintf(buf, len, "/dev/cowrap%u", f->dev_id); break;
	case FT_MODE: snprintf(buf, len, "%s", fault_mode_name(f->mode)); break;
	case FT_OPS: ops_str(f->ops, out_list_sep(), buf, len); break;
	case FT_NTH: snprintf(buf, len, "%u", f->nth); break;
	case FT_ERROR: snprintf(buf, len, "%s", errno_name(f->error)); break;
	case FT_ERRNO: snprintf(buf, len, "%u", f->error); break;
	case FT_LATENCY: snprintf(buf, len, "%llu", (unsigned long long)f->latency_ns); break;
	}
}

static const struct out_table ft_table = {
	.name = "fault",
	.cols = ft_cols,
	.ncols = ARRAY_LEN(ft_cols),
	.defaults = "ID,NAME,MODE,OPS,NTH,ERROR,ERRNO,LATENCY",
	.cell = ft_cell,
};

static int ft_mode(struct ctl_fault *c, __u32 mode, const char *arg)
{
	c->f.mode = mode;
	c->modes++;
	return arg ? parse_u32(arg, &c->f.nth) : 0;
}

static int ft_nth(void *ctx, const char *arg)
{
	return ft_mode(ctx, COWRAP_FAULT_FAIL_NTH, arg);
}

static int ft_every(void *ctx, const char *arg)
{
	return ft_mode(ctx, COWRAP_FAULT_FAIL_EVERY, arg);
}

static int ft_delay(void *ctx, const char *arg)
{
	return ft_mode(ctx, COWRAP_FAULT_DELAY, arg);
}

static int ft_clear(void *ctx, const char *arg)
{
	(void)arg;
	return ft_mode(ctx, COWRAP_FAULT_NONE, NULL);
}

static int ft_ops(void *ctx, const char *arg)
{
	return parse_ops(arg, &((struct ctl_fault *)ctx)->f.ops);
}

static int ft_error(void *ctx, const char *arg)
{
	return parse_errno(arg, &((struct ctl_fault *)ctx)->f.error);
}

static int ft_latency(void *ctx, const char *arg)
{
	return parse_u64(arg, &((struct ctl_fault *)ctx)->f.latency_ns);
}

static const struct ctl_opt fault_opts[] = {
	{ "fail-nth", "N", "fail the Nth matching request once", ft_nth },
	{ "fail-every", "N", "fail every Nth matching request", ft_every },
	{ "delay-every", "N", "delay every Nth matching request", ft_delay },
	{ "clear", NULL, "remove the rule", ft_clear },
	{ "ops", "LIST", "read,write,flush,discard,write-zeroes,all\n(default all)", ft_ops },
	{ "error", "ERR", "EIO (default), ENOSPC, ETIMEDOUT, ENOLINK,\n"
	  "ENODATA, EILSEQ, EREMOTEIO", ft_error },
	{ "latency-ns", "NS", "delay of --delay-every", ft_latency },
	{ NULL }
};

static int fault_run(void *ctx, int argc, char **argv)
{
	struct ctl_fault *c = ctx;
	struct cowrap_fault *f = &c->f;
	int ret;

	if (c->modes != 1)
		return usage_error("%s", "give exactly one of --fail-nth, "
				   "--fail-every, --delay-every, --clear");
	ret = dev_args(argc, argv, &f->dev_id);
	if (ret)
		return ret;
	f->size = sizeof(*f);
	if (f->mode != COWRAP_FAULT_NONE && !f->ops)
		f->ops = COWRAP_OP_MASK_ALL;
	if ((f->mode == COWRAP_FAULT_FAIL_NTH ||
	     f->mode == COWRAP_FAULT_FAIL_EVERY) && !f->error)
		f->error = EIO;
	if (ctl_ioctl(COWRAP_IOC_SET_FAULT, f) < 0)
		return ctl_fail("fault", f->dev_id, errno);
	return out_any() ? print_one(&ft_table, 0, f) : 0;
}

const struct ctl_cmd cmd_fault = {
	.name = "fault",
	.usage = "MODE [--ops OPS] [--error ERR] [--latency-ns NS] DEVICE",
	.help = "Set or clear the device's fault rule.",
	.opts = fault_opts,
	.out = &ft_table,
	.run = fault_run,
	.ctx_size = sizeof(struct ctl_fault),
};
