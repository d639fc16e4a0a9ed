// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl's synchronous I/O commands: pread, pwrite, flush, discard and
 * write-zeroes, through the ioctls that run the generated wrappers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cowrapctl.h"

/**
 * struct ctl_io - the request of an I/O command
 * @io: the ioctl argument
 * @op: COWRAP_OP_* of the command
 * @file: --file, or NULL
 * @fua: --fua
 */
struct ctl_io {
	struct cowrap_io io;
	int op;
	const char *file;
	int fua;
};

enum { IO_ID, IO_NAME, IO_OP, IO_OFFSET, IO_LENGTH, IO_FUA };

static const struct out_col io_cols[] = {
	[IO_ID] = { "ID", "id", OUT_NUM, "device id N" },
	[IO_NAME] = { "NAME", "device", OUT_STR, "device node, /dev/cowrapN" },
	[IO_OP] = { "OP", "operation", OUT_STR, "write, flush, discard or write-zeroes" },
	[IO_OFFSET] = { "OFFSET", "offset", OUT_NUM, "first byte" },
	[IO_LENGTH] = { "LENGTH", "length", OUT_NUM, "bytes done" },
	[IO_FUA] = { "FUA", "fua", OUT_BOOL, "forced unit access" },
};

static void io_cell(const void *obj, int col, char *buf, size_t len)
{
	const struct ctl_io *c = obj;

	switch (col) {
	case IO_ID: snprintf(buf, len, "%u", c->io.dev_id); break;
	case IO_NAME: snprintf(buf, len, "/dev/cowrap%u", c->io.dev_id); break;
	case IO_OP: snprintf(buf, len, "%s", ctl_op_names[c->op]); break;
	case IO_OFFSET: snprintf(buf, len, "%llu", (unsigned long long)c->io.offset); break;
	case IO_LENGTH: snprintf(buf, len, "%llu", (unsigned long long)c->io.length); break;
	case IO_FUA: snprintf(buf, len, "%d", !!(c->io.flags & COWRAP_IO_FUA)); break;
	}
}

static const struct out_table io_table = {
	.name = "io",
	.cols = io_cols,
	.ncols = ARRAY_LEN(io_cols),
	.defaults = "ID,NAME,OP,OFFSET,LENGTH,FUA",
	.cell = io_cell,
};

/* What the command did, with -J/-r/-l/-o; nothing otherwise. */
static int io_report(struct ctl_io *c)
{
	struct out *o;

	if (!out_any())
		return 0;
	o = out_begin(&io_table, 0);
	if (!o)
		return 1;
	if (out_row(o, c)) {
		out_end(o);
		return ctl_fail(ctl_op_names[c->op], c->io.dev_id, ENOMEM);
	}
	return out_end(o);
}

static int io_file(void *ctx, const char *arg)
{
	((struct ctl_io *)ctx)->file = arg;
	return 0;
}

static int io_fua(void *ctx, const char *arg)
{
	(void)arg;
	((struct ctl_io *)ctx)->fua = 1;
	return 0;
}

/* DEVICE OFFSET [LENGTH] */
static int io_args(struct ctl_io *c, int argc, char **argv, int need_len)
{
	c->io.size = sizeof(c->io);
	if (argc != (need_len ? 3 : 2))
		return usage_error("%s", "wrong number of arguments");
	if (parse_dev(argv[0], &c->io.dev_id))
		return usage_error("bad device '%s'", argv[0]);
	if (parse_u64(argv[1], &c->io.offset))
		return usage_error("bad offset '%s'", argv[1]);
	if (need_len && parse_u64(argv[2], &c->io.length))
		return usage_error("bad length '%s'", argv[2]);
	return 0;
}

/* pread */

static const struct ctl_opt pread_opts[] = {
	{ "file", "FILE", "write the data to FILE", io_file },
	{ NULL }
};

static int write_out(const char *file, const char *buf, size_t len)
{
	int out = 1, ret = 0;

	if (file) {
		out = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (out < 0) {
			fprintf(stderr, "cowrapctl: %s: %s\n", file, strerror(errno));
			return 1;
		}
	}
	if (write(out, buf, len) != (ssize_t)len) {
		fprintf(stderr, "cowrapctl: write: %s\n", strerror(errno));
		ret = 1;
	}
	if (file)
		close(out);
	return ret;
}

static int pread_run(void *ctx, int argc, char **argv)
{
	struct ctl_io *c = ctx;
	char *buf;
	int ret;

	ret = io_args(c, argc, argv, 1);
	if (ret)
		return ret;
	if (c->io.length > COWRAP_MAX_IO_LEN)
		return usage_error("length above %s", "1 MiB");
	buf = malloc(c->io.length ? c->io.length : 1);
	if (!buf)
		return ctl_fail("pread", c->io.dev_id, ENOMEM);
	c->io.buf = (uintptr_t)buf;
	if (ctl_ioctl(COWRAP_IOC_PREAD, &c->io) < 0)
		ret = ctl_fail("pread", c->io.dev_id, errno);
	else
		ret = write_out(c->file, buf, c->io.length);
	free(buf);
	return ret;
}

const struct ctl_cmd cmd_pread = {
	.name = "pread",
	.usage = "[--file FILE] DEVICE OFFSET LENGTH",
	.help = "Read through the synchronous ioctl path (to stdout or FILE).",
	.opts = pread_opts,
	.run = pread_run,
	.ctx_size = sizeof(struct ctl_io),
};

/* pwrite */

static const struct ctl_opt pwrite_opts[] = {
	{ "file", "FILE", "read the data from FILE", io_file },
	{ "fua", NULL, "forced unit access", io_fua },
	{ NULL }
};

/* Read all of @file (at most COWRAP_MAX_IO_LEN + 1 bytes, to see more). */
static char *slurp(const char *file, __u64 *len)
{
	char *buf = malloc(COWRAP_MAX_IO_LEN + 1);
	size_t n = 0;
	ssize_t r = 0;
	int in = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) : 0;

	if (!buf || in < 0) {
		free(buf);
		return NULL;
	}
	while (n <= COWRAP_MAX_IO_LEN &&
	       (r = read(in, buf + n, COWRAP_MAX_IO_LEN + 1 - n)) > 0)
		n += r;
	if (in)
		close(in);
	if (r < 0) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static int pwrite_run(void *ctx, int argc, char **argv)
{
	struct ctl_io *c = ctx;
	const char *file = c->file ? c->file : "-";
	char *buf;
	int ret;

	ret = io_args(c, argc, argv, 0);
	if (ret)
		return ret;
	buf = slurp(file, &c->io.length);
	if (!buf) {
		fprintf(stderr, "cowrapctl: %s: %s\n", file, strerror(errno));
		return 1;
	}
	if (c->io.length > COWRAP_MAX_IO_LEN) {
		free(buf);
		return usage_error("input larger than %s", "1 MiB");
	}
	c->io.buf = (uintptr_t)buf;
	c->io.flags = c->fua ? COWRAP_IO_FUA : 0;
	c->op = COWRAP_OP_WRITE;
	if (ctl_ioctl(COWRAP_IOC_PWRITE, &c->io) < 0)
		ret = ctl_fail("pwrite", c->io.dev_id, errno);
	else
		ret = io_report(c);
	free(buf);
	return ret;
}

const struct ctl_cmd cmd_pwrite = {
	.name = "pwrite",
	.usage = "[--file FILE] [--fua] DEVICE OFFSET",
	.help = "Write stdin (or FILE, at most 1 MiB) through the synchronous ioctl path.",
	.opts = pwrite_opts,
	.out = &io_table,
	.run = pwrite_run,
	.ctx_size = sizeof(struct ctl_io),
};

/* flush, discard, write-zeroes */

static int range_run(struct ctl_io *c, int argc, char **argv,
		     unsigned long req, int op)
{
	int ret;

	ret = io_args(c, argc, argv, 1);
	if (ret)
		return ret;
	c->op = op;
	if (ctl_ioctl(req, &c->io) < 0)
		return ctl_fail(ctl_op_names[op], c->io.dev_id, errno);
	return io_report(c);
}

static int discard_run(void *ctx, int argc, char **argv)
{
	return range_run(ctx, argc, argv, COWRAP_IOC_DISCARD, COWRAP_OP_DISCARD);
}

static int write_zeroes_run(void *ctx, int argc, char **argv)
{
	return range_run(ctx, argc, argv, COWRAP_IOC_WRITE_ZEROES,
			 COWRAP_OP_WRITE_ZEROES);
}

static int flush_run(void *ctx, int argc, char **argv)
{
	struct ctl_io *c = ctx;
	int ret;

	c->io.size = sizeof(c->io);
	ret = dev_args(argc, argv, &c->io.dev_id);
	if (ret)
		return ret;
	c->op = COWRAP_OP_FLUSH;
	if (ctl_ioctl(COWRAP_IOC_FLUSH, &c->io) < 0)
		return ctl_fail("flush", c->io.dev_id, errno);
	return io_report(c);
}

const struct ctl_cmd cmd_flush = {
	.name = "flush",
	.usage = "DEVICE",
	.help = "Flush through the synchronous ioctl path.",
	.out = &io_table,
	.run = flush_run,
	.ctx_size = sizeof(struct ctl_io),
};

const struct ctl_cmd cmd_discard = {
	.name = "discard",
	.usage = "DEVICE OFFSET LENGTH",
	.help = "Discard a range through the synchronous ioctl path.",
	.out = &io_table,
	.run = discard_run,
	.ctx_size = sizeof(struct ctl_io),
};

const struct ctl_cmd cmd_write_zeroes = {
	.name = "write-zeroes",
	.usage = "DEVICE OFFSET LENGTH",
	.help = "Zero a range through the synchronous ioctl path.",
	.out = &io_table,
	.run = write_zeroes_run,
	.ctx_size = sizeof(struct ctl_io),
};
