// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl's cow overlay commands: format an overlay and check one
 * offline (Documentation/cow-format.rst).  The devices are read and
 * written with O_DIRECT, so nothing stale from the page cache is seen
 * after the kernel wrote the overlay with bios.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/cowrap.h>
#include <linux/cowrap_cow.h>

#include "cowrapctl.h"
#include "cow.h"

#define BLK	COWRAP_COW_BLOCK

/* Open with O_DIRECT where the file supports it. */
static int cow_open(const char *path, int flags)
{
	int fd = open(path, flags | O_DIRECT);

	if (fd < 0 && errno == EINVAL)
		fd = open(path, flags);
	if (fd < 0 && errno == EBUSY && (flags & O_EXCL))
		fprintf(stderr, "cowrapctl: %s: in use (by a cow device or a mount): delete or unmount it first\n",
			path);
	else if (fd < 0)
		fprintf(stderr, "cowrapctl: %s: %s\n", path, strerror(errno));
	return fd;
}

/*
 * The overlay, offline: a block device that a cow device (or anything
 * else) holds is refused (O_EXCL, EBUSY), so that --format never
 * overwrites a live overlay's map and cow-check never reads one that is
 * changing under it.  O_EXCL means nothing for a regular file.
 */
static int cow_open_overlay(const char *path, int flags)
{
	return cow_open(path, flags | O_EXCL);
}

static int cow_size(int fd, const char *path, __u64 *size)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		goto fail;
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, size) < 0)
			goto fail;
	} else {
		*size = st.st_size;
	}
	return 0;
fail:
	fprintf(stderr, "cowrapctl: %s: %s\n", path, strerror(errno));
	return -1;
}

static int cow_pio(int fd, void *buf, size_t len, __u64 pos, int wr,
		   const char *path)
{
	ssize_t n = wr ? pwrite(fd, buf, len, pos) : pread(fd, buf, len, pos);

	if (n == (ssize_t)len)
		return 0;
	fprintf(stderr, "cowrapctl: %s: %s at %llu: %s\n", path,
		wr ? "write" : "read", (unsigned long long)pos,
		n < 0 ? strerror(errno) : "short transfer");
	return -1;
}

static void *cow_buf(size_t len)
{
	void *p = NULL;

	if (posix_memalign(&p, BLK, len))
		return NULL;
	memset(p, 0, len);
	return p;
}

static __u64 fnv(__u64 h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--) {
		h ^= *b++;
		h *= COWRAP_COW_FNV_PRIME;
	}
	return h;
}

static __u64 sb_csum(const struct cowrap_cow_sb *sb)
{
	return fnv(COWRAP_COW_FNV_OFFSET, sb,
		   offsetof(struct cowrap_cow_sb, csum));
}

/* The base's identity: FNV-1a of its size and COWRAP_COW_ID_SAMPLES blocks. */
static int base_id(int fd, const char *path, __u64 size, __u64 *id)
{
	__u64 le = htole64(size), h = fnv(COWRAP_COW_FNV_OFFSET, &le, 8);
	void *buf = cow_buf(BLK);
	unsigned int k;
	int ret = 0;

	if (!buf)
		return -1;
	for (k = 0; k < COWRAP_COW_ID_SAMPLES && !ret; k++) {
		__u64 pos = k * size / COWRAP_COW_ID_SAMPLES / BLK * BLK;

		ret = cow_pio(fd, buf, BLK, pos, 0, path);
		h = fnv(h, buf, BLK);
	}
	free(buf);
	*id = h;
	return ret;
}

/**
 * struct cow_layout - the derived fields of a superblock
 * @nr_chunks: chunks of the base
 * @map_blocks: blocks of the map
 * @data_offset: byte offset of chunk 0
 * @end: bytes the overlay needs
 */
struct cow_layout {
	__u64 nr_chunks;
	__u64 map_blocks;
	__u64 data_offset;
	__u64 end;
};

static void cow_layout(__u64 base_size, __u32 chunk, struct cow_layout *l)
{
	l->nr_chunks = (base_size + chunk - 1) / chunk;
	l->map_blocks = (l->nr_chunks + COWRAP_COW_MAP_BITS - 1) /
			COWRAP_COW_MAP_BITS;
	l->data_offset = (BLK + l->map_blocks * BLK + chunk - 1) / chunk * chunk;
	l->end = l->data_offset + l->nr_chunks * chunk;
}

static int chunk_ok(__u32 c)
{
	return c >= COWRAP_COW_MIN_CHUNK && c <= COWRAP_COW_MAX_CHUNK &&
	       !(c & (c - 1));
}

/* Problems of a superblock as a string, NULL for none. */
static const char *sb_problem(const struct cowrap_cow_sb *sb, __u64 ovl_size,
			      struct cow_layout *l)
{
	unsigned int i;

	if (le64toh(sb->magic) != COWRAP_COW_MAGIC)
		return "no cow superblock (bad magic)";
	if (le64toh(sb->csum) != sb_csum(sb))
		return "superblock checksum mismatch";
	if (le32toh(sb->version) != COWRAP_COW_VERSION)
		return "unknown version";
	if (le32toh(sb->flags) & ~COWRAP_COW_SB_FLAGS_ALL || sb->reserved)
		return "unknown flags or reserved field set";
	for (i = 0; i < 4; i++)
		if (sb->reserved2[i])
			return "reserved field set";
	if (!chunk_ok(le32toh(sb->chunk_size)))
		return "bad chunk size";
	if (!sb->base_size || le64toh(sb->base_size) % BLK)
		return "bad base size";
	cow_layout(le64toh(sb->base_size), le32toh(sb->chunk_size), l);
	if (le64toh(sb->nr_chunks) != l->nr_chunks ||
	    le64toh(sb->map_offset) != BLK ||
	    le64toh(sb->map_blocks) != l->map_blocks ||
	    le64toh(sb->data_offset) != l->data_offset)
		return "inconsistent layout";
	if (ovl_size < l->end)
		return "overlay smaller than its data area";
	return NULL;
}

static int write_fresh(int fd, const char *overlay, __u64 base_size,
		       __u64 id, __u32 chunk, const struct cow_layout *l)
{
	struct cowrap_cow_sb *sb;
	void *buf = cow_buf(BLK);
	__u64 i;
	int ret = 0;

	if (!buf)
		return -1;
	for (i = 0; i < l->map_blocks && !ret; i++)
		ret = cow_pio(fd, buf, BLK, BLK * (i + 1), 1, overlay);
	sb = buf;
	sb->magic = htole64(COWRAP_COW_MAGIC);
	sb->version = htole32(COWRAP_COW_VERSION);
	sb->chunk_size = htole32(chunk);
	sb->base_size = htole64(base_size);
	sb->base_id = htole64(id);
	sb->nr_chunks = htole64(l->nr_chunks);
	sb->map_offset = htole64(BLK);
	sb->map_blocks = htole64(l->map_blocks);
	sb->data_offset = htole64(l->data_offset);
	sb->csum = htole64(sb_csum(sb));
	/* the map first, durable, then the superblock that names it */
	if (!ret && fsync(fd) < 0)
		ret = -1;
	if (!ret)
		ret = cow_pio(fd, buf, BLK, 0, 1, overlay);
	if (!ret && fsync(fd) < 0)
		ret = -1;
	free(buf);
	return ret;
}

int cow_format(const char *base, const char *overlay, __u32 chunk, int force)
{
	int bfd = -1, ofd = -1, ret = 1;
	__u64 bsize, osize, id;
	struct cowrap_cow_sb *sb = cow_buf(BLK);
	struct cow_layout l;

	if (!sb || !chunk_ok(chunk)) {
		fprintf(stderr, "cowrapctl: chunk size %u: a power of two, %u..%u\n",
			chunk, COWRAP_COW_MIN_CHUNK, COWRAP_COW_MAX_CHUNK);
		goto out;
	}
	bfd = cow_open(base, O_RDONLY);
	ofd = cow_open_overlay(overlay, O_RDWR);
	if (bfd < 0 || ofd < 0 || cow_size(bfd, base, &bsize) ||
	    cow_size(ofd, overlay, &osize) ||
	    cow_pio(ofd, sb, BLK, 0, 0, overlay))
		goto out;
	bsize -= bsize % BLK;
	if (!force && !sb_problem(sb, osize, &l)) {
		fprintf(stderr, "cowrapctl: %s holds a valid overlay: --force to overwrite it\n",
			overlay);
		goto out;
	}
	cow_layout(bsize, chunk, &l);
	if (!bsize || osize < l.end) {
		fprintf(stderr, "cowrapctl: %s: %llu bytes, the overlay of %s needs %llu\n",
			overlay, (unsigned long long)osize, base,
			(unsigned long long)l.end);
		goto out;
	}
	if (base_id(bfd, base, bsize, &id) ||
	    write_fresh(ofd, overlay, bsize, id, chunk, &l))
		goto out;
	ret = 0;
out:
	if (bfd >= 0)
		close(bfd);
	if (ofd >= 0)
		close(ofd);
	free(sb);
	return ret;
}

/* Count the map's bits; bits past the last chunk are an error. */
static int check_map(int fd, const char *overlay, const struct cow_layout *l,
		     __u64 *mapped)
{
	unsigned char *buf = cow_buf(BLK);
	__u64 i, bit;
	int ret = 0;

	if (!buf)
		return -1;
	*mapped = 0;
	for (i = 0; i < l->map_blocks && !ret; i++) {
		ret = cow_pio(fd, buf, BLK, BLK * (i + 1), 0, overlay);
		for (bit = 0; !ret && bit < COWRAP_COW_MAP_BITS; bit++) {
			if (!(buf[bit / 8] & (1 << bit % 8)))
				continue;
			if (i * COWRAP_COW_MAP_BITS + bit >= l->nr_chunks) {
				printf("error: map bit %llu past the last chunk\n",
				       (unsigned long long)(i * COWRAP_COW_MAP_BITS + bit));
				ret = 1;
			}
			(*mapped)++;
		}
	}
	free(buf);
	return ret;
}

/* Check the overlay's base: size and identity. */
static int check_base(const char *base, const struct cowrap_cow_sb *sb)
{
	int fd = cow_open(base, O_RDONLY), ret = -1;
	__u64 size, id;

	if (fd < 0)
		return -1;
	if (cow_size(fd, base, &size))
		goto out;
	ret = 1;
	if (size != le64toh(sb->base_size))
		printf("error: base %s has %llu bytes, the overlay's %llu\n",
		       base, (unsigned long long)size,
		       (unsigned long long)le64toh(sb->base_size));
	else if (base_id(fd, base, size, &id))
		ret = -1;
	else if (id != le64toh(sb->base_id))
		printf("error: %s is not the overlay's base (identity)\n", base);
	else
		ret = 0;
out:
	close(fd);
	return ret;
}

static int check_overlay(const char *overlay, const char *base)
{
	struct cowrap_cow_sb *sb = cow_buf(BLK);
	int fd = cow_open_overlay(overlay, O_RDONLY), ret = 1;
	struct cow_layout l;
	const char *why;
	__u64 osize, mapped;

	if (!sb || fd < 0 || cow_size(fd, overlay, &osize) ||
	    cow_pio(fd, sb, BLK, 0, 0, overlay))
		goto out;
	why = sb_problem(sb, osize, &l);
	if (why) {
		printf("error: %s\n", why);
		goto out;
	}
	printf("chunk_size: %u\nbase_size: %llu\nchunks: %llu\n",
	       le32toh(sb->chunk_size),
	       (unsigned long long)le64toh(sb->base_size),
	       (unsigned long long)l.nr_chunks);
	printf("state: %s\nopen_count: %llu\ndirty_count: %llu\n",
	       le32toh(sb->flags) & COWRAP_COW_SB_DIRTY ? "dirty" : "clean",
	       (unsigned long long)le64toh(sb->open_count),
	       (unsigned long long)le64toh(sb->dirty_count));
	if (check_map(fd, overlay, &l, &mapped))
		goto out;
	printf("mapped: %llu\n", (unsigned long long)mapped);
	if (base && check_base(base, sb))
		goto out;
	ret = 0;
	printf("consistent\n");
out:
	if (fd >= 0)
		close(fd);
	free(sb);
	return ret;
}

/**
 * backend_check_cow() - the cow backend's add: --base and --overlay
 * @a: the request
 *
 * Formats the overlay first with --format.
 *
 * Return: 0, 1 after a failed format, or 2 after a usage error.
 */
int backend_check_cow(struct ctl_add *a)
{
	if (!a->path || !a->overlay)
		return usage_error("%s", "the cow backend needs --base and --overlay");
	if (a->force && !a->format)
		return usage_error("%s", "--force goes with --format");
	if (a->format && cow_format(a->path, a->overlay, a->add.chunk_size ?:
				    COW_DEFAULT_CHUNK, a->force))
		return 1;
	a->add.path = (uintptr_t)a->path;
	a->add.path_len = strlen(a->path) + 1;
	a->add.overlay = (uintptr_t)a->overlay;
	a->add.overlay_len = strlen(a->overlay) + 1;
	return 0;
}

/* cow-check */

static int check_base_opt(void *ctx, const char *arg)
{
	*(const char **)ctx = arg;
	return 0;
}

static const struct ctl_opt check_opts[] = {
	{ "base", "PATH", "also check that PATH is the overlay's base", check_base_opt },
	{ NULL }
};

static int check_run(void *ctx, int argc, char **argv)
{
	if (argc != 1)
		return usage_error("%s", "one OVERLAY expected");
	return check_overlay(argv[0], *(const char **)ctx);
}

const struct ctl_cmd cmd_cow_check = {
	.name = "cow-check",
	.usage = "[--base PATH] OVERLAY",
	.help = "Check a cow overlay offline (exit 1 if inconsistent).",
	.opts = check_opts,
	.run = check_run,
	.ctx_size = sizeof(const char *),
};
