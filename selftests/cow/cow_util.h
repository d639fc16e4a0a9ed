/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the cow backend's VM tests: devices filled with a pattern,
 * and cow devices added through the ioctl or through cowrapctl (the
 * null_blk devices under them: ../blk/nullb_util.h).
 */
#ifndef COW_UTIL_H
#define COW_UTIL_H

#include "../harness.h"
#include "../blk/blk_util.h"
#include "../blk/nullb_util.h"

#define CTL_TOOL	"/lib/cowrap/cowrapctl"

/* Fill @len bytes of @path with pattern @seed (O_DIRECT, then fsync). */
static inline int fill_dev(const char *path, __u64 len, unsigned int seed)
{
	const size_t step = MiB;
	unsigned char *b = abuf(step);
	int fd = open(path, O_WRONLY | O_DIRECT), ret = 0;
	__u64 off;

	if (fd < 0 || !b) {
		free(b);
		return -1;
	}
	for (off = 0; off < len && !ret; off += step) {
		pat_fill(b, off, step, seed);
		ret = full_pwrite(fd, b, step, off);
	}
	if (!ret)
		ret = fsync(fd);
	close(fd);
	free(b);
	return ret;
}

/* A cow device through the ioctl: its id or -errno. */
static inline int cow_add(const char *base, const char *ovl, __u32 chunk,
			  __u64 flags)
{
	struct cowrap_dev_add a;

	add_init(&a, COWRAP_BACKEND_COW, 0);
	a.path = (uintptr_t)base;
	a.path_len = strlen(base) + 1;
	a.overlay = (uintptr_t)ovl;
	a.overlay_len = strlen(ovl) + 1;
	a.chunk_size = chunk;
	a.dev_flags = flags;
	if (flags & COWRAP_DEV_BIO_BASED)
		add_set_bio(&a);
	return dev_add(&a);
}

/*
 * Run "cowrapctl ARGS" and keep the first line of its output in @out
 * (may be NULL).  Return: its exit status, or -1.
 */
static inline int ctl_run(char *out, size_t len, const char *args)
{
	char cmd[512], line[256];
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), CTL_TOOL " %s 2>&1", args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out && len)
		*out = 0;
	while (fgets(line, sizeof(line), p)) {
		if (out && len && !*out) {
			size_t n = strnlen(line, len - 1);

			memcpy(out, line, n);
			out[n] = 0;
		}
		TH_LOG("  %.*s", (int)strcspn(line, "\n"), line);
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Format @ovl for @base and add a cow device over them: its id or -1. */
static inline int cow_format_add(const char *base, const char *ovl,
				 __u32 chunk, const char *more)
{
	char args[256], out[64];
	int id;

	snprintf(args, sizeof(args),
		 "add --backend cow --base %s --overlay %s --chunk-size %u --format --force %s",
		 base, ovl, chunk, more);
	if (ctl_run(out, sizeof(out), args) ||
	    sscanf(out, "/dev/cowrap%d", &id) != 1)
		return -1;
	return id;
}

/* "cowrapctl cow-check": 0 consistent; *@dirty from its "state:" line. */
static inline int cow_check(const char *base, const char *ovl, int *dirty)
{
	char cmd[256], line[256];
	int st, d = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), CTL_TOOL " cow-check --base %s %s 2>&1",
		 base, ovl);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		if (!strcmp(line, "state: dirty\n"))
			d = 1;
		else if (!strcmp(line, "state: clean\n"))
			d = 0;
		else if (strncmp(line, "chunk_size", 10) &&
			 strncmp(line, "base_size", 9))
			TH_LOG("  cow-check: %.*s", (int)strcspn(line, "\n"),
				line);
	}
	st = pclose(p);
	if (dirty)
		*dirty = d;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#endif /* COW_UTIL_H */
