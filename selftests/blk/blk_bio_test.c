// SPDX-License-Identifier: GPL-2.0
/*
 * Bio-based cowrap devices (COWRAP_DEV_BIO_BASED, Documentation/blkdev.rst,
 * "Bio-based devices"): no blk-mq queue, a coroutine per bio.  What they
 * report, data against a model, flush and FUA, parking bios, REQ_NOWAIT,
 * discard and write-zeroes, the disk's I/O statistics, and removal with
 * bios in flight.  The bdev and cow backends' bio-based cases are in
 * blk_bdev_test and cow_test.
 */
#define _GNU_SOURCE
#include <sys/uio.h>
#include <linux/falloc.h>
#include <linux/fs.h>

#include "../harness.h"
#include "blk_util.h"

#define BIO_SIZE	(64 * MiB)

/* A bio-based ram device with @flags (and @latency_ns); its id or -errno. */
static int bio_add(__u64 flags, __u64 latency_ns)
{
	struct cowrap_dev_add a;

	add_init(&a, COWRAP_BACKEND_RAM, BIO_SIZE);
	add_set_bio(&a);
	a.dev_flags |= flags;
	a.latency_ns = latency_ns;
	return dev_add(&a);
}

/* disk_nums() of /dev/cowrap@id. */
static int sys_nums(int id, const char *attr, unsigned long long *v, int n)
{
	char disk[32];

	snprintf(disk, sizeof(disk), "cowrap%d", id);
	return disk_nums(disk, attr, v, n);
}

/*
 * What a bio-based device reports: no hardware queue or depth (GET_DEV_INFO
 * and sysfs, which has no mq/ directory), the flag; and its bios are
 * counted in the disk's statistics, as a blk-mq disk's requests are.
 */
TEST(bio_info_stats)
{
	unsigned long long st[11], inflight[2];
	unsigned char *b = abuf(MiB);
	struct cowrap_dev_info info;
	char path[64];
	int id, fd;

	del_all();
	id = bio_add(0, 0);
	ASSERT_GE(id, 0);
	ASSERT_EQ(dev_info(id, &info), 0);
	ASSERT_EQ(info.nr_hw_queues, 0);
	ASSERT_EQ(info.queue_depth, 0);
	ASSERT_TRUE(info.dev_flags & COWRAP_DEV_BIO_BASED);
	ASSERT_EQ(info.max_hw_sectors, 1024);
	snprintf(path, sizeof(path), "/sys/block/cowrap%d/mq", id);
	ASSERT_ERRNO(access(path, F_OK), ENOENT);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	pat_fill(b, 0, MiB, 3);
	ASSERT_EQ(full_pwrite(fd, b, MiB, 0), 0);
	memset(b, 0, MiB);
	ASSERT_EQ(full_pread(fd, b, MiB, 0), 0);
	ASSERT_EQ(pat_check(b, 0, MiB, 3), -1);
	/* reads, merges, sectors read, ...: 1 MiB each way, nothing in flight */
	ASSERT_EQ(sys_nums(id, "stat", st, 11), 11);
	ASSERT_GE(st[0], 2);
	ASSERT_EQ(st[2], MiB / 512);
	ASSERT_GE(st[4], 2);
	ASSERT_EQ(st[6], MiB / 512);
	ASSERT_EQ(st[8], 0);
	ASSERT_EQ(sys_nums(id, "inflight", inflight, 2), 2);
	ASSERT_EQ(inflight[0] + inflight[1], 0);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	free(b);
}

/*
 * Random direct writes and reads of many sizes (512 B .. 1 MiB, split at
 * the disk's 512 KiB limit) and offsets, checked against a model of the
 * device; every started coroutine accounted.
 */
TEST_TIMEOUT(bio_ram_model, 120)
{
	const size_t span = 16 * MiB;
	unsigned char *model = calloc(1, span), *b = abuf(MiB);
	struct cowrap_dev_stats st;
	unsigned long long reqs = 0;
	int id, fd, i, k;

	ASSERT_TRUE(model && b);
	del_all();
	id = bio_add(0, 0);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	for (i = 0; i < 400; i++) {
		size_t len = 512 * (1 + rnd() % 2048);
		off_t off = 512 * (rnd() % ((span - len) / 512 + 1));

		if (rnd() % 3) {
			for (k = 0; k < (int)len; k++)
				b[k] = rnd();
			ASSERT_EQ(full_pwrite(fd, b, len, off), 0);
			memcpy(model + off, b, len);
		} else {
			ASSERT_EQ(full_pread(fd, b, len, off), 0);
			ASSERT_EQ(memcmp(b, model + off, len), 0);
		}
	}
	for (i = 0; i < (int)(span / MiB); i++) {
		ASSERT_EQ(full_pread(fd, b, MiB, i * MiB), 0);
		ASSERT_EQ(memcmp(b, model + i * MiB, MiB), 0);
	}
	close(fd);
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	for (i = 0; i < COWRAP_OP_NR; i++)
		reqs += st.reqs[i];
	ASSERT_GT(reqs, 400);
	ASSERT_EQ(st.inflight, 0);
	ASSERT_EQ(st.co_started, reqs);
	ASSERT_EQ(dev_del(id), 0);
	free(model);
	free(b);
}

/*
 * With a write cache: fsync reaches the backend as a flush, RWF_DSYNC as
 * FUA (or a write and a flush), and the data is there.
 */
TEST(bio_flush_fua)
{
	unsigned char *b = abuf(65536);
	struct iovec iov = { b, 65536 };
	struct cowrap_dev_stats st;
	long long fua;
	int id, fd;

	del_all();
	id = bio_add(COWRAP_DEV_WRITE_CACHE, 0);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(dev_stats(id, &st, COWRAP_STATS_RESET), 0);
	pat_fill(b, 0, 65536, 5);
	ASSERT_EQ(full_pwrite(fd, b, 65536, 0), 0);
	ASSERT_EQ(fsync(fd), 0);
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_GE(st.reqs[COWRAP_OP_FLUSH], 1);
	fua = dev_seen(id, "fua");
	ASSERT_GE(fua, 0);
	pat_fill(b, 65536, 65536, 6);
	ASSERT_EQ(pwritev2(fd, &iov, 1, 65536, RWF_DSYNC), 65536);
	ASSERT_GT(dev_seen(id, "fua"), fua);
	memset(b, 0, 65536);
	ASSERT_EQ(full_pread(fd, b, 65536, 65536), 0);
	ASSERT_EQ(pat_check(b, 65536, 65536, 6), -1);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	free(b);
}

/*
 * Bios that park (20 ms of latency each): 32 in flight at once, all
 * complete with their data, each wait counted once, none lost; a
 * RWF_NOWAIT read and write are served too.
 */
TEST_TIMEOUT(bio_parked_nowait, 120)
{
	unsigned long long inflight[2] = { 0, 0 };
	unsigned char *b = abuf(32 * 4096);
	struct iovec iov = { b, 4096 };
	struct iocb cbs[32], *cbp[32];
	struct cowrap_dev_stats st;
	struct io_event ev[32];
	aio_context_t ctx;
	int id, fd, i, got = 0;

	del_all();
	id = bio_add(0, 20000000);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	pat_fill(b, 0, 32 * 4096, 9);
	ASSERT_EQ(full_pwrite(fd, b, 32 * 4096, 0), 0);
	memset(b, 0, 32 * 4096);
	ASSERT_EQ(dev_stats(id, &st, COWRAP_STATS_RESET), 0);
	ASSERT_EQ(aio_setup(32, &ctx), 0);
	aio_prep_seq(cbs, cbp, 32, fd, IOCB_CMD_PREAD, b, 4096);
	ASSERT_EQ(aio_submit(ctx, 32, cbp), 32);
	ASSERT_EQ(sys_nums(id, "inflight", inflight, 2), 2);
	TH_LOG("bios in flight after io_submit: %llu", inflight[0]);
	ASSERT_GE(inflight[0], 2);
	while (got < 32) {
		long n = aio_getevents(ctx, 1, 32, ev);

		ASSERT_GT(n, 0);
		for (i = 0; i < n; i++)
			ASSERT_EQ(ev[i].res, 4096);
		got += n;
	}
	aio_destroy(ctx);
	ASSERT_EQ(pat_check(b, 0, 32 * 4096, 9), -1);
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_EQ(st.reqs[COWRAP_OP_READ], 32);
	ASSERT_EQ(st.co_yields, 32);
	ASSERT_EQ(st.co_wakes, 32);
	ASSERT_EQ(st.inflight, 0);

	ASSERT_EQ(preadv2(fd, &iov, 1, 0, RWF_NOWAIT), 4096);
	ASSERT_EQ(pat_check(b, 0, 4096, 9), -1);
	ASSERT_EQ(pwritev2(fd, &iov, 1, 8192, RWF_NOWAIT), 4096);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	free(b);
}

/* Discard and write-zeroes bios: zeroes read back, refused when off. */
TEST(bio_discard_zeroes)
{
	unsigned char *b = abuf(MiB);
	__u64 r[2] = { 0, MiB };
	int id, fd;

	del_all();
	id = bio_add(COWRAP_DEV_DISCARD | COWRAP_DEV_WRITE_ZEROES, 0);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	pat_fill(b, 0, MiB, 4);
	ASSERT_EQ(full_pwrite(fd, b, MiB, 0), 0);
	ASSERT_EQ(full_pwrite(fd, b, MiB, MiB), 0);
	ASSERT_EQ(ioctl(fd, BLKDISCARD, r), 0);
	ASSERT_EQ(full_pread(fd, b, MiB, 0), 0);
	ASSERT_EQ(zero_check(b, MiB), -1);
	ASSERT_EQ(fallocate(fd, FALLOC_FL_ZERO_RANGE, MiB, MiB), 0);
	ASSERT_EQ(full_pread(fd, b, MiB, MiB), 0);
	ASSERT_EQ(zero_check(b, MiB), -1);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);

	id = bio_add(0, 0);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_ERRNO(ioctl(fd, BLKDISCARD, r), EOPNOTSUPP);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	free(b);
}

/*
 * A forced delete with parked bios in flight (200 ms each): every bio
 * ends (with its data or EIO), the device goes once it is closed, and
 * nothing is left behind (debugfs cowrap/live).
 */
TEST_TIMEOUT(bio_force_delete_inflight, 120)
{
	unsigned char *b = abuf(16 * 4096);
	struct iocb cbs[16], *cbp[16];
	struct io_event ev[16];
	aio_context_t ctx;
	int id, fd, i, got = 0, tries;

	del_all();
	id = bio_add(0, 200000000);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(aio_setup(16, &ctx), 0);
	aio_prep_seq(cbs, cbp, 16, fd, IOCB_CMD_PWRITE, b, 4096);
	ASSERT_EQ(aio_submit(ctx, 16, cbp), 16);
	ASSERT_EQ(dev_del_flags(id, COWRAP_DEL_FORCE), 0);
	while (got < 16) {
		long n = aio_getevents(ctx, 1, 16, ev);

		ASSERT_GT(n, 0);
		for (i = 0; i < n; i++)
			ASSERT_TRUE(ev[i].res == 4096 || ev[i].res == -EIO);
		got += n;
	}
	aio_destroy(ctx);
	close(fd);
	/* the removal runs after the last close, on a workqueue */
	for (tries = 0; tries < 250 && live_counter("devices"); tries++)
		usleep(20000);
	ASSERT_FALSE(dev_exists(id));
	ASSERT_EQ(live_counter("devices"), 0);
	ASSERT_EQ(live_counter("disks"), 0);
	free(b);
}

TEST_HARNESS_MAIN
