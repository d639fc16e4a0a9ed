// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap block devices, data path: integrity on every backend (buffered,
 * O_DIRECT, sync ioctls, across both views), concurrency at QD >= 64,
 * discard/write-zeroes, FLUSH/FUA, bdev stacking, fault injection,
 * latency and statistics.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/wait.h>
#include <time.h>

#include "../harness.h"
#include "blk_util.h"

#define DEV_SIZE	(8 * MiB)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Random writes of random sizes (block multiples for O_DIRECT, any bytes
 * when buffered) applied to a shadow copy, then the whole device compared
 * with the shadow through O_DIRECT reads (bypassing the page cache).
 * Returns 0 or a negative errno / -1000 - mismatch index.
 */
static long rw_random(int id, int direct, unsigned int nops, unsigned int seed)
{
	unsigned char *shadow = calloc(1, DEV_SIZE), *buf = abuf(256 * 1024);
	int fd = dev_open(id, O_RDWR | (direct ? O_DIRECT : 0));
	int rfd = dev_open(id, O_RDONLY | O_DIRECT);
	long ret = 0;
	unsigned int i;

	if (!shadow || !buf || fd < 0 || rfd < 0)
		return -ENOMEM;
	rnd_state = seed;
	for (i = 0; i < nops && !ret; i++) {
		__u64 len, off;

		if (direct) {
			len = (1 + rnd() % 128) * 512ULL;
			off = (rnd() % ((DEV_SIZE - len) / 512)) * 512ULL;
		} else {
			len = 1 + rnd() % (200 * 1024);
			off = rnd() % (DEV_SIZE - len);
		}
		pat_fill(buf, off, len, seed + i);
		memcpy(shadow + off, buf, len);
		ret = full_pwrite(fd, buf, len, off);
		if (!ret && i % 4 == 3) {	/* read back through the same fd */
			memset(buf, 0, len);
			ret = full_pread(fd, buf, len, off);
			if (!ret && memcmp(buf, shadow + off, len))
				ret = -1000;
		}
	}
	if (!ret)
		ret = fsync(fd) ? -errno : 0;
	for (__u64 off = 0; !ret && off < DEV_SIZE; off += 256 * 1024) {
		ret = full_pread(rfd, buf, 256 * 1024, off);
		if (!ret && memcmp(buf, shadow + off, 256 * 1024)) {
			for (i = 0; i < 256 * 1024; i++)
				if (buf[i] != shadow[off + i])
					break;
			ret = -1000 - (long)(off + i);
		}
	}
	close(fd);
	close(rfd);
	free(shadow);
	free(buf);
	return ret;
}

TEST_TIMEOUT(integrity_ram_buffered, 60)
{
	int id;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0);
	ASSERT_GE(id, 0);
	ASSERT_EQ(rw_random(id, 0, 150, 11), 0);
	ASSERT_EQ(dev_del(id), 0);
}

TEST_TIMEOUT(integrity_ram_direct, 60)
{
	int id;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0);
	ASSERT_GE(id, 0);
	ASSERT_EQ(rw_random(id, 1, 300, 22), 0);
	ASSERT_EQ(dev_del(id), 0);
}

TEST_TIMEOUT(integrity_ram_lbs4096_multiqueue, 60)
{
	struct cowrap_dev_add a;
	int id, fd;

	del_all();
	add_init(&a, COWRAP_BACKEND_RAM, DEV_SIZE);
	a.logical_block_size = 4096;
	a.nr_hw_queues = 2;
	a.queue_depth = 32;
	id = dev_add(&a);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDONLY);
	ASSERT_GE(fd, 0);
	{
		int ssz = 0;

		ASSERT_EQ(ioctl(fd, BLKSSZGET, &ssz), 0);
		ASSERT_EQ(ssz, 4096);
	}
	close(fd);
	ASSERT_EQ(rw_random(id, 0, 100, 33), 0);
	/* block multiples of 512 that are not 4096-aligned must be refused */
	fd = dev_open(id, O_RDWR | O_DIRECT);
	{
		unsigned char *b = abuf(4096);

		ASSERT_ERRNO(pwrite(fd, b, 512, 0), EINVAL);
		pat_fill(b, 8192, 4096, 5);
		ASSERT_EQ(full_pwrite(fd, b, 4096, 8192), 0);
		memset(b, 0, 4096);
		ASSERT_EQ(full_pread(fd, b, 4096, 8192), 0);
		ASSERT_EQ(pat_check(b, 8192, 4096, 5), -1);
		free(b);
	}
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
}

TEST_TIMEOUT(integrity_null_reads_zero, 60)
{
	unsigned char *b = abuf(64 * 1024);
	int id, fd;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_NULL, DEV_SIZE, 0);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	pat_fill(b, 0, 64 * 1024, 1);
	ASSERT_EQ(full_pwrite(fd, b, 64 * 1024, 4096), 0);
	memset(b, 0xaa, 64 * 1024);
	ASSERT_EQ(full_pread(fd, b, 64 * 1024, 4096), 0);
	ASSERT_EQ(zero_check(b, 64 * 1024), -1);
	memset(b, 0xaa, 64 * 1024);
	ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, id, 0, 64 * 1024, b, 0), 0);
	ASSERT_EQ(zero_check(b, 64 * 1024), -1);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	free(b);
}

/* Sync ioctls and the block device see the same data, both ways. */
TEST_TIMEOUT(integrity_sync_ioctl_both_views, 60)
{
	unsigned char *b = abuf(COWRAP_MAX_IO_LEN);
	unsigned int i;
	int id, fd;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	rnd_state = 77;
	for (i = 0; i < 40; i++) {
		__u64 len = (1 + rnd() % 256) * 512ULL;
		__u64 off = (rnd() % ((DEV_SIZE - len) / 512)) * 512ULL;

		pat_fill(b, off, len, i);
		if (i % 2) {	/* ioctl write, block read */
			ASSERT_EQ(dev_io(COWRAP_IOC_PWRITE, id, off, len, b,
					 i % 4 == 1 ? COWRAP_IO_FUA : 0), 0);
			memset(b, 0, len);
			ASSERT_EQ(full_pread(fd, b, len, off), 0);
		} else {	/* block write, ioctl read */
			ASSERT_EQ(full_pwrite(fd, b, len, off), 0);
			memset(b, 0, len);
			ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, id, off, len, b, 0), 0);
		}
		ASSERT_EQ(pat_check(b, off, len, i), -1);
	}
	/* largest sync transfer, unaligned user buffer */
	pat_fill(b + 1, 0, COWRAP_MAX_IO_LEN - 512, 99);
	ASSERT_EQ(dev_io(COWRAP_IOC_PWRITE, id, 512, COWRAP_MAX_IO_LEN - 512,
			 b + 1, 0), 0);
	ASSERT_EQ(dev_io(COWRAP_IOC_FLUSH, id, 0, 0, NULL, 0), 0);
	memset(b, 0, COWRAP_MAX_IO_LEN);
	ASSERT_EQ(full_pread(fd, b, COWRAP_MAX_IO_LEN - 512, 512), 0);
	ASSERT_EQ(pat_check(b, 0, COWRAP_MAX_IO_LEN - 512, 99), -1);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	free(b);
}

struct thr_arg {
	int id;
	int idx;
	long ret;
	__u64 bytes;
};

/* One thread: its own 1 MiB region, random O_DIRECT I/O, verified. */
static void *thr_rw(void *p)
{
	struct thr_arg *a = p;
	unsigned char *b = abuf(64 * 1024);
	int fd = dev_open(a->id, O_RDWR | O_DIRECT);
	__u64 base = (__u64)a->idx * MiB;
	unsigned int i, seed = 1000 + a->idx;

	a->ret = fd < 0 ? -errno : 0;
	pat_fill(b, 0, 0, 0);
	for (i = 0; i < 60 && !a->ret; i++) {
		__u64 len = (1 + (i * 7 + a->idx) % 128) * 512ULL;
		__u64 off = base + ((i * 4099ULL) % (MiB - len)) / 512 * 512;

		pat_fill(b, off, len, seed);
		a->ret = full_pwrite(fd, b, len, off);
		if (a->ret)
			break;
		a->bytes += len;
		memset(b, 0, len);
		a->ret = full_pread(fd, b, len, off);
		if (!a->ret && pat_check(b, off, len, seed) != -1)
			a->ret = -1000 - i;
	}
	if (fd >= 0)
		close(fd);
	free(b);
	return NULL;
}

/* 64 AIO requests in flight at once, then verified. */
static long aio_qd64(int id, __u64 base)
{
	enum { QD = 64, BS = 4096 };
	struct iocb cbs[QD], *cbp[QD];
	struct io_event ev[QD];
	unsigned char *b = abuf(QD * BS);
	aio_context_t ctx;
	long ret = 0, done = 0;
	int fd = dev_open(id, O_RDWR | O_DIRECT), i, round;

	if (fd < 0 || aio_setup(QD, &ctx))
		return -errno;
	for (round = 0; round < 2 && !ret; round++) {
		memset(cbs, 0, sizeof(cbs));
		for (i = 0; i < QD; i++) {
			__u64 off = base + (__u64)i * BS;

			if (!round)
				pat_fill(b + i * BS, off, BS, 4242);
			else
				memset(b + i * BS, 0, BS);
			cbs[i].aio_fildes = fd;
			cbs[i].aio_lio_opcode = round ? IOCB_CMD_PREAD :
							IOCB_CMD_PWRITE;
			cbs[i].aio_buf = (uintptr_t)(b + i * BS);
			cbs[i].aio_nbytes = BS;
			cbs[i].aio_offset = off;
			cbp[i] = &cbs[i];
		}
		if (aio_submit(ctx, QD, cbp) != QD) {
			ret = -EIO;
			break;
		}
		for (done = 0; done < QD;) {
			long n = aio_getevents(ctx, 1, QD, ev);

			if (n <= 0) {
				ret = -EIO;
				break;
			}
			for (i = 0; i < n; i++)
				if (ev[i].res != BS)
					ret = -EIO;
			done += n;
		}
	}
	for (i = 0; !ret && i < QD; i++)
		if (pat_check(b + i * BS, base + (__u64)i * BS, BS, 4242) != -1)
			ret = -1000 - i;
	aio_destroy(ctx);
	close(fd);
	free(b);
	return ret;
}

TEST_TIMEOUT(concurrency_threads_qd64, 90)
{
	struct cowrap_dev_stats st;
	struct cowrap_dev_add a;
	pthread_t t[6];
	struct thr_arg args[6];
	__u64 total = 0;
	int id, i;

	del_all();
	add_init(&a, COWRAP_BACKEND_RAM, DEV_SIZE);
	a.nr_hw_queues = 2;
	a.queue_depth = 128;
	a.latency_ns = 200000;	/* 0.2 ms: requests really overlap */
	id = dev_add(&a);
	ASSERT_GE(id, 0);
	for (i = 0; i < 6; i++) {
		args[i] = (struct thr_arg){ .id = id, .idx = i };
		ASSERT_EQ(pthread_create(&t[i], NULL, thr_rw, &args[i]), 0);
	}
	ASSERT_EQ(aio_qd64(id, 6 * MiB), 0);
	for (i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		ASSERT_EQ(args[i].ret, 0);
		total += args[i].bytes;
	}
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	/* requests may be merged: count bytes */
	ASSERT_EQ(st.bytes[COWRAP_OP_WRITE], total + 64 * 4096);
	ASSERT_GE(st.reqs[COWRAP_OP_WRITE], 6 * 60);
	ASSERT_GE(st.co_yields, st.reqs[COWRAP_OP_WRITE]);
	ASSERT_EQ(st.co_yields, st.co_wakes);
	ASSERT_EQ(st.inflight, 0);
	ASSERT_EQ(dev_del(id), 0);
}

TEST_TIMEOUT(discard_write_zeroes_read_zero, 60)
{
	unsigned char *b = abuf(MiB);
	__u64 range[2];
	int id, fd;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE,
			    COWRAP_DEV_DISCARD | COWRAP_DEV_WRITE_ZEROES);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	for (int i = 0; i < 3; i++) {
		pat_fill(b, i * MiB, MiB, 3);
		ASSERT_EQ(full_pwrite(fd, b, MiB, i * MiB), 0);
	}

	/* BLKDISCARD, partial pages at both ends */
	range[0] = 512;
	range[1] = 64 * 1024;
	ASSERT_EQ(ioctl(fd, BLKDISCARD, range), 0);
	ASSERT_EQ(full_pread(fd, b, 128 * 1024, 0), 0);
	ASSERT_EQ(pat_check(b, 0, 512, 3), -1);
	ASSERT_EQ(zero_check(b + 512, 64 * 1024), -1);
	ASSERT_EQ(pat_byte(512 + 64 * 1024, 3), b[512 + 64 * 1024]);

	/* BLKZEROOUT */
	range[0] = MiB + 4096;
	range[1] = 100 * 1024;
	ASSERT_EQ(ioctl(fd, BLKZEROOUT, range), 0);
	ASSERT_EQ(full_pread(fd, b, 100 * 1024, MiB + 4096), 0);
	ASSERT_EQ(zero_check(b, 100 * 1024), -1);

	/* the sync ioctls */
	ASSERT_EQ(dev_io(COWRAP_IOC_DISCARD, id, 2 * MiB, 8192, NULL, 0), 0);
	ASSERT_EQ(dev_io(COWRAP_IOC_WRITE_ZEROES, id, 2 * MiB + 8192, 1024,
			 NULL, 0), 0);
	ASSERT_EQ(full_pread(fd, b, 16384, 2 * MiB), 0);
	ASSERT_EQ(zero_check(b, 8192 + 1024), -1);
	ASSERT_EQ(pat_check(b + 9216, 2 * MiB + 9216, 16384 - 9216, 3), -1);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	free(b);
}

TEST(discard_unsupported_eopnotsupp)
{
	__u64 range[2] = { 0, 4096 };
	int id, fd;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR);
	ASSERT_GE(fd, 0);
	ASSERT_ERRNO(ioctl(fd, BLKDISCARD, range), EOPNOTSUPP);
	ASSERT_EQ(dev_io(COWRAP_IOC_DISCARD, id, 0, 4096, NULL, 0),
		  -EOPNOTSUPP);
	ASSERT_EQ(dev_io(COWRAP_IOC_WRITE_ZEROES, id, 0, 4096, NULL, 0),
		  -EOPNOTSUPP);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
}

TEST(flush_and_fua)
{
	struct cowrap_dev_stats st;
	unsigned char *b = abuf(4096);
	char path[96], wc[32] = "";
	int id, fd, sfd;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, COWRAP_DEV_WRITE_CACHE);
	ASSERT_GE(id, 0);
	snprintf(path, sizeof(path), "/sys/block/cowrap%d/queue/write_cache", id);
	sfd = open(path, O_RDONLY);
	ASSERT_GE(sfd, 0);
	ASSERT_GT(read(sfd, wc, sizeof(wc) - 1), 0);
	close(sfd);
	ASSERT_EQ(strncmp(wc, "write back", 10), 0);
	snprintf(path, sizeof(path), "/sys/block/cowrap%d/queue/fua", id);
	sfd = open(path, O_RDONLY);
	ASSERT_GE(sfd, 0);
	memset(wc, 0, sizeof(wc));
	ASSERT_GT(read(sfd, wc, sizeof(wc) - 1), 0);
	close(sfd);
	ASSERT_EQ(wc[0], '1');

	ASSERT_EQ(dev_stats(id, &st, COWRAP_STATS_RESET), 0);
	fd = dev_open(id, O_RDWR | O_DIRECT | O_DSYNC);	/* FUA writes */
	ASSERT_GE(fd, 0);
	pat_fill(b, 0, 4096, 8);
	ASSERT_EQ(full_pwrite(fd, b, 4096, 0), 0);
	ASSERT_EQ(fsync(fd), 0);
	ASSERT_EQ(dev_io(COWRAP_IOC_FLUSH, id, 0, 0, NULL, 0), 0);
	ASSERT_EQ(dev_io(COWRAP_IOC_PWRITE, id, 4096, 4096, b, COWRAP_IO_FUA), 0);
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_GE(st.reqs[COWRAP_OP_FLUSH], 2);
	ASSERT_EQ(st.errors[COWRAP_OP_FLUSH], 0);
	ASSERT_EQ(st.reqs[COWRAP_OP_WRITE], 2);
	ASSERT_EQ(st.bytes[COWRAP_OP_WRITE], 8192);
	ASSERT_EQ(st.sync_calls, 2);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	free(b);
}

/* bdev stacked on another cowrap device; data verified at the lower one. */
TEST_TIMEOUT(bdev_stacked_on_cowrap, 60)
{
	struct cowrap_dev_add a;
	struct cowrap_dev_info info;
	unsigned char *b = abuf(256 * 1024);
	char lpath[64];
	int lower, upper, fd, lfd;
	unsigned int i;

	del_all();
	lower = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE,
			       COWRAP_DEV_DISCARD | COWRAP_DEV_WRITE_ZEROES |
			       COWRAP_DEV_WRITE_CACHE);
	ASSERT_GE(lower, 0);
	snprintf(lpath, sizeof(lpath), "/dev/cowrap%d", lower);
	add_init(&a, COWRAP_BACKEND_BDEV, 0);
	a.path = (uintptr_t)lpath;
	a.path_len = strlen(lpath) + 1;
	a.dev_flags = COWRAP_DEV_DISCARD | COWRAP_DEV_WRITE_ZEROES |
		      COWRAP_DEV_WRITE_CACHE;
	upper = dev_add(&a);
	ASSERT_GE(upper, 0);
	ASSERT_EQ(a.dev_size, DEV_SIZE);	/* size 0: the lower size */
	ASSERT_EQ(dev_info(upper, &info), 0);
	ASSERT_EQ(strcmp((char *)info.path, lpath), 0);
	ASSERT_EQ(info.backend, COWRAP_BACKEND_BDEV);

	/* the lower device is held: exclusive open and DEL fail */
	ASSERT_ERRNO(open(lpath, O_RDWR | O_EXCL), EBUSY);
	ASSERT_EQ(dev_del(lower), -EBUSY);

	ASSERT_EQ(rw_random(upper, 1, 120, 55), 0);
	fd = dev_open(upper, O_RDWR | O_DIRECT);
	lfd = open(lpath, O_RDONLY | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_GE(lfd, 0);
	for (i = 0; i < 8; i++) {
		__u64 off = i * 1000 * 512ULL, len = (i + 1) * 16 * 1024;

		pat_fill(b, off, len, 600 + i);
		ASSERT_EQ(full_pwrite(fd, b, len, off), 0);
		memset(b, 0, len);
		ASSERT_EQ(full_pread(lfd, b, len, off), 0);
		ASSERT_EQ(pat_check(b, off, len, 600 + i), -1);
	}
	/* sync ioctls on the upper device reach the lower one too */
	pat_fill(b, 7 * MiB, 64 * 1024, 700);
	ASSERT_EQ(dev_io(COWRAP_IOC_PWRITE, upper, 7 * MiB, 64 * 1024, b, 0), 0);
	memset(b, 0, 64 * 1024);
	ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, lower, 7 * MiB, 64 * 1024, b, 0), 0);
	ASSERT_EQ(pat_check(b, 7 * MiB, 64 * 1024, 700), -1);
	ASSERT_EQ(fsync(fd), 0);
	/* discard and write-zeroes pass through */
	{
		__u64 r[2] = { 7 * MiB, 8192 };

		ASSERT_EQ(ioctl(fd, BLKDISCARD, r), 0);
		r[0] = 7 * MiB + 16384;
		ASSERT_EQ(ioctl(fd, BLKZEROOUT, r), 0);
	}
	ASSERT_EQ(full_pread(lfd, b, 32768, 7 * MiB), 0);
	ASSERT_EQ(zero_check(b, 8192), -1);
	ASSERT_EQ(pat_check(b + 8192, 7 * MiB + 8192, 8192, 700), -1);
	ASSERT_EQ(zero_check(b + 16384, 8192), -1);
	close(fd);
	close(lfd);
	ASSERT_EQ(dev_del(upper), 0);
	ASSERT_EQ(dev_del(lower), 0);
	free(b);
}

/* bdev on brd from the guest's peer modules. */
TEST_TIMEOUT(bdev_on_brd, 60)
{
	struct cowrap_dev_add a;
	unsigned char *b = abuf(128 * 1024);
	const char *lpath = "/dev/ram0";
	int id, fd, lfd, st;
	unsigned int i;

	del_all();
	if (access(lpath, F_OK)) {
		st = system("insmod /lib/peer/brd.ko rd_nr=1 rd_size=8192 2>&1");
		if (st)
			SKIP("brd not loadable");
	}
	add_init(&a, COWRAP_BACKEND_BDEV, 4 * MiB);
	a.path = (uintptr_t)lpath;
	a.path_len = strlen(lpath) + 1;
	id = dev_add(&a);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	lfd = open(lpath, O_RDONLY | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_GE(lfd, 0);
	for (i = 0; i < 16; i++) {
		__u64 off = i * 200 * 1024ULL, len = 4096 * (1 + i % 31);

		pat_fill(b, off, len, 800 + i);
		ASSERT_EQ(full_pwrite(fd, b, len, off), 0);
		memset(b, 0, len);
		ASSERT_EQ(full_pread(lfd, b, len, off), 0);
		ASSERT_EQ(pat_check(b, off, len, 800 + i), -1);
		memset(b, 0, len);
		ASSERT_EQ(full_pread(fd, b, len, off), 0);
		ASSERT_EQ(pat_check(b, off, len, 800 + i), -1);
	}
	/* the cowrap device ends before the lower one */
	ASSERT_ERRNO(pwrite(fd, b, 4096, 4 * MiB), ENOSPC);
	ASSERT_EQ(pread(fd, b, 4096, 4 * MiB), 0);
	close(fd);
	close(lfd);
	ASSERT_EQ(dev_del(id), 0);
	ASSERT_EQ(system("rmmod brd"), 0);
	free(b);
}

/* The 3rd write fails with EIO, the others succeed and keep their data. */
TEST(fault_fail_nth_write_eio)
{
	struct cowrap_dev_stats st;
	unsigned char *b = abuf(4096);
	int id, fd, i;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(dev_fault(id, COWRAP_FAULT_FAIL_NTH,
			    COWRAP_OP_BIT(COWRAP_OP_WRITE), 3, EIO, 0), 0);
	for (i = 0; i < 6; i++) {
		pat_fill(b, i * 4096ULL, 4096, 20);
		if (i == 2)
			ASSERT_ERRNO(pwrite(fd, b, 4096, i * 4096), EIO);
		else
			ASSERT_EQ(full_pwrite(fd, b, 4096, i * 4096), 0);
	}
	/* reads are not counted by the rule */
	for (i = 0; i < 6; i++) {
		ASSERT_EQ(full_pread(fd, b, 4096, i * 4096), 0);
		if (i == 2)
			ASSERT_EQ(zero_check(b, 4096), -1);
		else
			ASSERT_EQ(pat_check(b, i * 4096ULL, 4096, 20), -1);
	}
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_EQ(st.faults_injected, 1);
	ASSERT_EQ(st.errors[COWRAP_OP_WRITE], 1);
	ASSERT_EQ(st.errors[COWRAP_OP_READ], 0);
	ASSERT_EQ(dev_fault(id, COWRAP_FAULT_NONE, 0, 0, 0, 0), 0);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	free(b);
}

TEST(fault_fail_every_sync_enospc)
{
	unsigned char *b = abuf(4096);
	int id, i;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0);
	ASSERT_GE(id, 0);
	ASSERT_EQ(dev_fault(id, COWRAP_FAULT_FAIL_EVERY,
			    COWRAP_OP_BIT(COWRAP_OP_READ), 2, ENOSPC, 0), 0);
	for (i = 1; i <= 6; i++)
		ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, id, 0, 4096, b, 0),
			  i % 2 ? 0 : -ENOSPC);
	/* block reads share the rule and counter: 7th ok, 8th fails */
	{
		int fd = dev_open(id, O_RDONLY | O_DIRECT);

		ASSERT_GE(fd, 0);
		ASSERT_EQ(full_pread(fd, b, 4096, 0), 0);
		ASSERT_ERRNO(pread(fd, b, 4096, 4096), ENOSPC);
		close(fd);
	}
	ASSERT_EQ(dev_fault(id, COWRAP_FAULT_NONE, 0, 0, 0, 0), 0);
	ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, id, 0, 4096, b, 0), 0);
	ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, id, 0, 4096, b, 0), 0);
	ASSERT_EQ(dev_del(id), 0);
	free(b);
}

TEST(fault_delay_and_device_latency)
{
	struct cowrap_dev_stats st;
	struct cowrap_dev_add a;
	unsigned char *b = abuf(4096);
	double t0, t1;
	int id;

	del_all();
	add_init(&a, COWRAP_BACKEND_RAM, DEV_SIZE);
	a.latency_ns = 30000000;	/* 30 ms */
	id = dev_add(&a);
	ASSERT_GE(id, 0);
	t0 = now_s();
	ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, id, 0, 4096, b, 0), 0);
	t1 = now_s();
	ASSERT_GE(t1 - t0, 0.030);
	ASSERT_EQ(dev_del(id), 0);

	id = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0);
	ASSERT_GE(id, 0);
	ASSERT_EQ(dev_fault(id, COWRAP_FAULT_DELAY,
			    COWRAP_OP_BIT(COWRAP_OP_WRITE), 1, 0, 50000000), 0);
	t0 = now_s();
	ASSERT_EQ(dev_io(COWRAP_IOC_PWRITE, id, 0, 4096, b, 0), 0);
	t1 = now_s();
	ASSERT_GE(t1 - t0, 0.050);
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_EQ(st.faults_injected, 1);
	ASSERT_EQ(st.co_yields, 1);
	ASSERT_EQ(st.co_wakes, 1);
	ASSERT_EQ(dev_del(id), 0);
	free(b);
}

TEST(read_only_device)
{
	struct cowrap_dev_stats st;
	unsigned char *b = abuf(4096);
	int id, fd, ro = 0;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, COWRAP_DEV_READ_ONLY);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(ioctl(fd, BLKROGET, &ro), 0);
	ASSERT_EQ(ro, 1);
	close(fd);
	/* 6.1 refuses the open, 6.12 the write */
	fd = dev_open(id, O_RDWR);
	if (fd < 0) {
		ASSERT_EQ(errno, EACCES);
	} else {
		ASSERT_ERRNO(pwrite(fd, b, 4096, 0), EPERM);
		close(fd);
	}
	ASSERT_EQ(dev_io(COWRAP_IOC_PWRITE, id, 0, 4096, b, 0), -EROFS);
	ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, id, 0, 4096, b, 0), 0);
	ASSERT_EQ(zero_check(b, 4096), -1);
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_EQ(st.reqs[COWRAP_OP_WRITE], 0);
	ASSERT_EQ(dev_del(id), 0);
	free(b);
}

TEST(stats_count_requests)
{
	struct cowrap_dev_stats st;
	unsigned char *b = abuf(65536);
	int id, fd, i;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(dev_stats(id, &st, COWRAP_STATS_RESET), 0);
	for (i = 0; i < 10; i++)
		ASSERT_EQ(full_pwrite(fd, b, 8192, i * 65536), 0);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(full_pread(fd, b, 4096, i * 65536), 0);
	ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, id, 0, 65536, b, 0), 0);
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_EQ(st.reqs[COWRAP_OP_WRITE], 10);
	ASSERT_EQ(st.bytes[COWRAP_OP_WRITE], 10 * 8192);
	ASSERT_EQ(st.reqs[COWRAP_OP_READ], 6);
	ASSERT_EQ(st.bytes[COWRAP_OP_READ], 5 * 4096 + 65536);
	ASSERT_EQ(st.sync_calls, 1);
	ASSERT_EQ(st.co_started, 16);
	ASSERT_EQ(st.inflight, 0);
	ASSERT_EQ(dev_stats(id, &st, COWRAP_STATS_RESET), 0);
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_EQ(st.reqs[COWRAP_OP_WRITE], 0);
	ASSERT_EQ(st.co_started, 0);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	free(b);
}

TEST_HARNESS_MAIN
