// SPDX-License-Identifier: GPL-2.0
/*
 * The bdev backend as a stacking driver (Documentation/blkdev.rst, "The
 * bdev backend"): durability of flushed and FUA writes across a power
 * cycle of a null_blk lower device with a volatile cache, a 4 KiB-sector
 * lower device, limits and discard / write-zeroes stacked from the lower
 * device, the bios of a request sent side by side, and request
 * attributes (NOUNMAP, FUA, SYNC, priority) seen at a lower cowrap device
 * (debugfs cowrap/seen).
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/uio.h>
#include <linux/falloc.h>
#include <linux/ioprio.h>

#include "../harness.h"
#include "blk_util.h"
#include "nullb_util.h"


/* /sys/block/@disk/queue/@attr as a number, or -1. */
static long long queue_attr(const char *disk, const char *attr)
{
	char path[160], buf[64];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/block/%s/queue/%s", disk, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f)) {
		if (!strncmp(buf, "write back", 10))
			v = 1;
		else if (!strncmp(buf, "write through", 13))
			v = 0;
		else
			v = strtoll(buf, NULL, 10);
	}
	fclose(f);
	return v;
}

/*
 * Each case runs twice: over a blk-mq bdev device and a bio-based one
 * (COWRAP_DEV_BIO_BASED, Documentation/blkdev.rst), @mode being 0 or that
 * flag.
 */
#define BDEV_TEST(name, secs)						\
	TEST_TIMEOUT(name, secs)					\
	{								\
		name(0);						\
	}								\
	TEST_TIMEOUT(name##_bio, secs)					\
	{								\
		name(COWRAP_DEV_BIO_BASED);				\
	}

/* A bdev device over @path, lbs 512 asked for; returns its id. */
static int bdev_add(const char *path, __u64 flags)
{
	struct cowrap_dev_add a;

	add_init(&a, COWRAP_BACKEND_BDEV, 0);
	a.path = (uintptr_t)path;
	a.path_len = strlen(path) + 1;
	a.dev_flags = flags;
	if (flags & COWRAP_DEV_BIO_BASED)
		add_set_bio(&a);
	return dev_add(&a);
}

static int cowrap_path(int id, char *buf, size_t len)
{
	return snprintf(buf, len, "/dev/cowrap%d", id);
}

/*
 * Flushed and FUA writes through cowrap survive a power cycle of a
 * null_blk lower device whose volatile cache loses what was not flushed.
 */
static void bdev_durable_flush_fua(__u64 mode)
{
	const size_t la = 1 * MiB, lb = 256 * 1024, lc = 256 * 1024;
	const __u64 oa = 0, ob = 4 * MiB, oc = 8 * MiB;
	unsigned char *b = abuf(la);
	struct cowrap_dev_info info;
	struct iovec iov;
	char disk[32];
	int id, fd, lfd;
	long long wc;

	del_all();
	/*
	 * The cache larger than the device: it never fills, so null_blk never
	 * evicts (its eviction can livelock a FLUSH: Documentation/testing.rst).
	 */
	ASSERT_EQ(nullb_create(5, "size=64 blocksize=512 memory_backed=1 cache_size=68"), 0);
	ASSERT_EQ(queue_attr("nullb5", "write_cache"), 1);
	id = bdev_add("/dev/nullb5", mode);
	ASSERT_GE(id, 0);
	/* checked after the power cycle, which is the point of the test */
	ASSERT_EQ(dev_info(id, &info), 0);
	snprintf(disk, sizeof(disk), "cowrap%d", id);
	wc = queue_attr(disk, "write_cache");
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	/* A: written, then fsync (a FLUSH) */
	pat_fill(b, oa, la, 11);
	ASSERT_EQ(full_pwrite(fd, b, la, oa), 0);
	ASSERT_EQ(fsync(fd), 0);
	/* B: written with RWF_DSYNC (FUA, or a post-flush without FUA) */
	pat_fill(b, ob, lb, 12);
	iov.iov_base = b;
	iov.iov_len = lb;
	ASSERT_EQ(pwritev2(fd, &iov, 1, ob, RWF_DSYNC), (ssize_t)lb);
	/* C: written, never flushed */
	pat_fill(b, oc, lc, 13);
	ASSERT_EQ(full_pwrite(fd, b, lc, oc), 0);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);

	/* power off and on: the cache is dropped, the media stays */
	ASSERT_EQ(nullb_set(5, "power", "0"), 0);
	ASSERT_EQ(nullb_set(5, "power", "1"), 0);
	lfd = open("/dev/nullb5", O_RDONLY | O_DIRECT);
	ASSERT_GE(lfd, 0);
	ASSERT_EQ(full_pread(lfd, b, la, oa), 0);
	ASSERT_EQ(pat_check(b, oa, la, 11), -1);
	ASSERT_EQ(full_pread(lfd, b, lb, ob), 0);
	ASSERT_EQ(pat_check(b, ob, lb, 12), -1);
	/* the unflushed write was lost: the cache really is volatile */
	ASSERT_EQ(full_pread(lfd, b, lc, oc), 0);
	ASSERT_NE(pat_check(b, oc, lc, 13), -1);
	close(lfd);
	/* write cache and FUA follow the lower device, without --wc */
	ASSERT_EQ(wc, 1);
	ASSERT_EQ(info.size, COWRAP_DEV_INFO_SIZE_VER2);
	ASSERT_TRUE(info.queue_flags & COWRAP_QUEUE_WRITE_CACHE);
	ASSERT_EQ(!!(info.queue_flags & COWRAP_QUEUE_FUA),
		  queue_attr("nullb5", "fua") == 1);
	ASSERT_TRUE(info.dev_flags & COWRAP_DEV_WRITE_CACHE);
	nullb_destroy(5);
	free(b);
}
BDEV_TEST(bdev_durable_flush_fua, 120)

/* Write, read back through cowrap and through the lower device. */
static int rw_check(int fd, int lfd, unsigned char *b, unsigned char *lb,
		    size_t len, __u64 off, unsigned int seed)
{
	pat_fill(b, off, len, seed);
	if (full_pwrite(fd, b, len, off))
		return -1;
	memset(b, 0, len);
	if (full_pread(fd, b, len, off) || pat_check(b, off, len, seed) != -1)
		return -2;
	memset(lb, 0, len);
	if (full_pread(lfd, lb, len, off) || pat_check(lb, off, len, seed) != -1)
		return -3;
	return 0;
}

/*
 * A 4 KiB-sector lower device: cowrap's logical block size is raised to
 * 4096 (lbs 512 asked for), direct I/O of every multiple of 4 KiB up to
 * 1 MiB is correct on cowrap and on the lower device, 512-aligned
 * lengths below are refused with EINVAL, never EIO.  null_blk takes every
 * segment for whole blocks (its copy of a segment that starts inside a
 * block runs past its page), so buffers not aligned to 4 KiB, which the
 * stacked dma_alignment of 511 allows, go to a 4 KiB-sector cowrap ram
 * device below: those split the request's vectors off the block size,
 * where the old 32-vector cut failed with EIO.
 */
static void bdev_4k_lower(__u64 mode)
{
	unsigned char *mem = abuf(MiB + 8192), *lb = abuf(MiB);
	struct cowrap_dev_info info;
	struct cowrap_dev_add a;
	char disk[32], lpath[32];
	int id, fd, lfd, n, lower;
	__u64 off = 0;

	del_all();
	ASSERT_EQ(nullb_create(6, "size=256 blocksize=4096 memory_backed=1"), 0);
	id = bdev_add("/dev/nullb6", mode);
	ASSERT_GE(id, 0);
	ASSERT_EQ(dev_info(id, &info), 0);
	ASSERT_EQ(info.logical_block_size, 4096);
	ASSERT_GE(info.physical_block_size, 4096);
	snprintf(disk, sizeof(disk), "cowrap%d", id);
	ASSERT_EQ(queue_attr(disk, "logical_block_size"), 4096);
	ASSERT_EQ(queue_attr(disk, "logical_block_size"),
		  queue_attr("nullb6", "logical_block_size"));
	fd = dev_open(id, O_RDWR | O_DIRECT);
	lfd = open("/dev/nullb6", O_RDONLY | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_GE(lfd, 0);
	for (n = 1; n <= 256; n += (n < 40 ? 1 : 7)) {
		ASSERT_EQ(rw_check(fd, lfd, mem, lb, n * 4096, off, 20 + n), 0);
		off = (off + n * 4096 + 4096 * 3) % (200 * MiB);
	}
	for (n = 1; n < 8; n++)
		ASSERT_ERRNO(pwrite(fd, mem, 4096 + 512 * n, 0), EINVAL);
	ASSERT_ERRNO(pwrite(fd, mem, 4096, 512), EINVAL);
	close(fd);
	close(lfd);
	ASSERT_EQ(dev_del(id), 0);
	nullb_destroy(6);

	add_init(&a, COWRAP_BACKEND_RAM, 64 * MiB);
	a.logical_block_size = 4096;
	lower = dev_add(&a);
	ASSERT_GE(lower, 0);
	cowrap_path(lower, lpath, sizeof(lpath));
	id = bdev_add(lpath, mode);
	ASSERT_GE(id, 0);
	ASSERT_EQ(dev_info(id, &info), 0);
	ASSERT_EQ(info.logical_block_size, 4096);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	lfd = open(lpath, O_RDONLY | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_GE(lfd, 0);
	off = 0;
	for (n = 1; n <= 256; n += (n < 40 ? 1 : 7)) {
		/* a buffer 512-aligned, not page-aligned */
		ASSERT_EQ(rw_check(fd, lfd, mem + 512 * (1 + n % 7), lb,
				   n * 4096, off, 50 + n), 0);
		off = (off + n * 4096 + 4096 * 3) % (48 * MiB);
	}
	close(fd);
	close(lfd);
	ASSERT_EQ(dev_del(id), 0);
	ASSERT_EQ(dev_del(lower), 0);
	free(mem);
	free(lb);
}
BDEV_TEST(bdev_4k_lower, 180)

/* Limits of @disk (cowrap) equal the lower's @lower, attribute by attribute. */
static int same_limits(const char *disk, const char *lower)
{
	static const char * const attrs[] = {
		"logical_block_size", "physical_block_size", "max_hw_sectors_kb",
		"max_sectors_kb", "max_segments", "max_segment_size",
		"discard_granularity", "discard_max_hw_bytes",
		"write_zeroes_max_bytes", "rotational", "write_cache",
	};
	unsigned int i;
	int diff = 0;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		long long c = queue_attr(disk, attrs[i]);
		long long l = queue_attr(lower, attrs[i]);

		if (c != l) {
			TH_LOG("%s: %s %lld, %s %lld", attrs[i], disk, c, lower, l);
			diff++;
		}
	}
	return diff;
}

/*
 * A lower device with small max_sectors, discard off and on, write-zeroes
 * off and on: cowrap reports (sysfs and GET_DEV_INFO) and honours the
 * same limits.
 */
static void bdev_limits_stacked(__u64 mode)
{
	unsigned char *b = abuf(MiB);
	struct cowrap_dev_info info;
	struct cowrap_dev_stats st;
	char disk[32], lpath[32];
	__u64 r[2] = { 0, 65536 };
	int id, fd, lower;

	del_all();
	/* max_sectors 64 (32 KiB), no discard, no write-zeroes */
	ASSERT_EQ(nullb_create(7, "size=64 blocksize=512 memory_backed=1 max_sectors=64"), 0);
	id = bdev_add("/dev/nullb7", mode);
	ASSERT_GE(id, 0);
	snprintf(disk, sizeof(disk), "cowrap%d", id);
	ASSERT_EQ(same_limits(disk, "nullb7"), 0);
	ASSERT_EQ(dev_info(id, &info), 0);
	ASSERT_EQ(info.max_hw_sectors, 64);
	ASSERT_EQ(info.max_hw_sectors * 512 / 1024,
		  queue_attr("nullb7", "max_hw_sectors_kb"));
	ASSERT_EQ(info.max_segments, queue_attr("nullb7", "max_segments"));
	ASSERT_EQ(info.max_discard_sectors, 0);
	ASSERT_FALSE(info.dev_flags & COWRAP_DEV_DISCARD);
	/*
	 * Honoured: a 1 MiB write reaches a blk-mq cowrap device as requests
	 * of 32 KiB; a bio-based one passes its bios down whole, as
	 * dm-linear does, and the lower device splits them.
	 */
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(dev_stats(id, &st, COWRAP_STATS_RESET), 0);
	pat_fill(b, 0, MiB, 31);
	ASSERT_EQ(full_pwrite(fd, b, MiB, 0), 0);
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_GE(st.reqs[COWRAP_OP_WRITE], mode ? 1 : MiB / (64 * 512));
	memset(b, 0, MiB);
	ASSERT_EQ(full_pread(fd, b, MiB, 0), 0);
	ASSERT_EQ(pat_check(b, 0, MiB, 31), -1);
	ASSERT_ERRNO(ioctl(fd, BLKDISCARD, r), EOPNOTSUPP);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	/* asking for discard on a lower device without it fails */
	ASSERT_EQ(bdev_add("/dev/nullb7", COWRAP_DEV_DISCARD | mode), -EOPNOTSUPP);
	nullb_destroy(7);

	/* discard on */
	ASSERT_EQ(nullb_create(7, "size=64 blocksize=512 memory_backed=1 discard=1"), 0);
	id = bdev_add("/dev/nullb7", mode);
	ASSERT_GE(id, 0);
	snprintf(disk, sizeof(disk), "cowrap%d", id);
	ASSERT_EQ(same_limits(disk, "nullb7"), 0);
	ASSERT_EQ(dev_info(id, &info), 0);
	ASSERT_GT(info.max_discard_sectors, 0);
	ASSERT_EQ((long long)info.discard_granularity,
		  queue_attr("nullb7", "discard_granularity"));
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	pat_fill(b, 0, 65536, 32);
	ASSERT_EQ(full_pwrite(fd, b, 65536, 0), 0);
	ASSERT_EQ(ioctl(fd, BLKDISCARD, r), 0);
	ASSERT_EQ(full_pread(fd, b, 65536, 0), 0);
	ASSERT_EQ(zero_check(b, 65536), -1);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	nullb_destroy(7);

	/* write-zeroes off and on: a cowrap ram device as the lower one */
	lower = dev_add_simple(COWRAP_BACKEND_RAM, 64 * MiB, 0);
	ASSERT_GE(lower, 0);
	cowrap_path(lower, lpath, sizeof(lpath));
	id = bdev_add(lpath, mode);
	ASSERT_GE(id, 0);
	ASSERT_EQ(dev_info(id, &info), 0);
	ASSERT_EQ(info.max_write_zeroes_sectors, 0);
	snprintf(disk, sizeof(disk), "cowrap%d", id);
	ASSERT_EQ(same_limits(disk, lpath + 5), 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_ERRNO(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       0, 65536), EOPNOTSUPP);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	ASSERT_EQ(dev_del(lower), 0);
	lower = dev_add_simple(COWRAP_BACKEND_RAM, 64 * MiB,
			       COWRAP_DEV_WRITE_ZEROES);
	ASSERT_GE(lower, 0);
	cowrap_path(lower, lpath, sizeof(lpath));
	id = bdev_add(lpath, mode);
	ASSERT_GE(id, 0);
	ASSERT_EQ(dev_info(id, &info), 0);
	ASSERT_GT(info.max_write_zeroes_sectors, 0);
	ASSERT_TRUE(info.dev_flags & COWRAP_DEV_WRITE_ZEROES);
	snprintf(disk, sizeof(disk), "cowrap%d", id);
	ASSERT_EQ(same_limits(disk, lpath + 5), 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	pat_fill(b, 0, 65536, 33);
	ASSERT_EQ(full_pwrite(fd, b, 65536, 0), 0);
	ASSERT_EQ(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			    0, 65536), 0);
	ASSERT_EQ(full_pread(fd, b, 65536, 0), 0);
	ASSERT_EQ(zero_check(b, 65536), -1);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	ASSERT_EQ(dev_del(lower), 0);
	free(b);
}
BDEV_TEST(bdev_limits_stacked, 120)

/* A zoned lower device is refused. */
static void bdev_zoned_refused(__u64 mode)
{
	del_all();
	if (nullb_create(8, "size=64 memory_backed=1 zoned=1 zone_size=16"))
		SKIP("no zoned null_blk");
	ASSERT_EQ(bdev_add("/dev/nullb8", mode), -EMEDIUMTYPE);
	nullb_destroy(8);
}
BDEV_TEST(bdev_zoned_refused, TH_DEFAULT_TIMEOUT)

/* Requests in flight at @disk (/sys/block/@disk/inflight), or -1. */
static long long disk_inflight(const char *disk)
{
	unsigned long long rw[2];

	return disk_nums(disk, "inflight", rw, 2) == 2 ?
	       (long long)(rw[0] + rw[1]) : -1;
}

/*
 * 1 MiB submitted as 16 contiguous 64 KiB direct writes in one io_submit.
 * On a blk-mq device the block layer merges them into requests of
 * several bios, whose clones are in flight at the lower device at once
 * (it takes 2 ms a request).  A bio-based device passes each bio down as
 * it comes: when io_submit returns, several are in flight at the lower
 * device (200 ms each, so the count is read well before the first ends).
 * Data verified.
 */
static void bdev_parallel_lower_bios(__u64 mode)
{
	const size_t chunk = 64 * 1024;
	struct cowrap_dev_add a;
	struct iocb cbs[16], *cbp[16];
	struct io_event ev[16];
	unsigned char *b = abuf(MiB);
	aio_context_t ctx;
	char lpath[32];
	int lower, id, fd, lfd, i, got = 0;
	long long inflight;

	del_all();
	add_init(&a, COWRAP_BACKEND_RAM, 64 * MiB);
	a.latency_ns = mode ? 200000000 : 2000000;
	lower = dev_add(&a);
	ASSERT_GE(lower, 0);
	cowrap_path(lower, lpath, sizeof(lpath));
	id = bdev_add(lpath, mode);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	pat_fill(b, 0, MiB, 41);
	ASSERT_EQ(aio_setup(16, &ctx), 0);
	aio_prep_seq(cbs, cbp, 16, fd, IOCB_CMD_PWRITE, b, chunk);
	ASSERT_EQ(aio_submit(ctx, 16, cbp), 16);
	inflight = disk_inflight(lpath + 5);
	while (got < 16) {
		long n = aio_getevents(ctx, 1, 16, ev);

		ASSERT_GT(n, 0);
		for (i = 0; i < n; i++)
			ASSERT_EQ(ev[i].res, (__s64)chunk);
		got += n;
	}
	aio_destroy(ctx);
	TH_LOG("lower requests in flight after io_submit: %lld; most lower bios of one request at once: %lld",
	       inflight, dev_seen(id, "lower_batch_max"));
	if (mode)
		ASSERT_GE(inflight, 2);
	else
		ASSERT_GE(dev_seen(id, "lower_batch_max"), 2);
	lfd = open(lpath, O_RDONLY | O_DIRECT);
	ASSERT_GE(lfd, 0);
	memset(b, 0, MiB);
	ASSERT_EQ(full_pread(lfd, b, MiB, 0), 0);
	ASSERT_EQ(pat_check(b, 0, MiB, 41), -1);
	close(lfd);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	ASSERT_EQ(dev_del(lower), 0);
	free(b);
}
BDEV_TEST(bdev_parallel_lower_bios, 120)

/*
 * Request attributes reach the lower device: NOUNMAP of a ZERO_RANGE
 * (and not of a PUNCH_HOLE), FUA of RWF_DSYNC, SYNC and IDLE of direct
 * writes, the real-time I/O priority of the submitter; a RWF_NOWAIT read
 * is served (the submitter never blocks in queue_rq).
 */
static void bdev_flags_prio_lower(__u64 mode)
{
	unsigned char *b = abuf(65536);
	long long nounmap, rt, fua, sync;
	struct iovec iov = { b, 65536 };
	char lpath[32];
	int lower, id, fd, prio;

	del_all();
	lower = dev_add_simple(COWRAP_BACKEND_RAM, 64 * MiB,
			       COWRAP_DEV_WRITE_ZEROES | COWRAP_DEV_WRITE_CACHE);
	ASSERT_GE(lower, 0);
	cowrap_path(lower, lpath, sizeof(lpath));
	id = bdev_add(lpath, mode);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_GE(dev_seen(lower, "nounmap"), 0);

	nounmap = dev_seen(lower, "nounmap");
	ASSERT_EQ(fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 65536), 0);
	ASSERT_GT(dev_seen(lower, "nounmap"), nounmap);
	nounmap = dev_seen(lower, "nounmap");
	ASSERT_EQ(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			    0, 65536), 0);
	ASSERT_EQ(dev_seen(lower, "nounmap"), nounmap);

	fua = dev_seen(lower, "fua");
	sync = dev_seen(lower, "sync");
	ASSERT_EQ(pwritev2(fd, &iov, 1, 0, RWF_DSYNC), 65536);
	ASSERT_GT(dev_seen(lower, "fua"), fua);
	ASSERT_GT(dev_seen(lower, "sync"), sync);
	ASSERT_GT(dev_seen(lower, "idle"), 0);

	prio = syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
	rt = dev_seen(lower, "ioprio_rt");
	ASSERT_EQ(syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
			  IOPRIO_PRIO_VALUE(IOPRIO_CLASS_RT, 2)), 0);
	ASSERT_EQ(full_pwrite(fd, b, 65536, 65536), 0);
	ASSERT_EQ(full_pread(fd, b, 65536, 65536), 0);
	syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, prio);
	ASSERT_GE(dev_seen(id, "ioprio_rt"), 2);
	ASSERT_GE(dev_seen(lower, "ioprio_rt"), rt + 2);

	ASSERT_EQ(preadv2(fd, &iov, 1, 0, RWF_NOWAIT), 65536);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	ASSERT_EQ(dev_del(lower), 0);
	free(b);
}
BDEV_TEST(bdev_flags_prio_lower, 60)

TEST_HARNESS_MAIN
