// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap block devices, control ABI and lifecycle: every field's bad
 * values, struct sizes and pointers, unknown ids, permissions, DEL while
 * open or during I/O, add/del cycles under I/O, rmmod with devices.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <linux/capability.h>

#include "../harness.h"
#include "blk_util.h"

#define DEV_SIZE	(8 * MiB)
#define KO_PATH		"/lib/cowrap/cowrap_blk.ko"

/* --- ADD: each field's bad values ------------------------------------- */

struct bad_add {
	const char *name;
	void (*mod)(struct cowrap_dev_add *a);
	int err;
};

#define BAD(n, expr, e)							\
	static void mod_##n(struct cowrap_dev_add *a) { expr; }
#define BAD_ENTRY(n, e) { #n, mod_##n, e }

BAD(flags_unknown, a->flags = 2, EINVAL)
BAD(reserved, a->reserved = 1, EINVAL)
BAD(id_without_flag, a->dev_id = 5, EINVAL)
BAD(id_too_large, (a->flags = COWRAP_ADD_REQ_ID, a->dev_id = COWRAP_MAX_DEVICES), EINVAL)
BAD(backend_zero, a->backend = 0, EINVAL)
BAD(backend_unknown, a->backend = COWRAP_BACKEND_MAX + 1, EINVAL)
BAD(size_zero, a->dev_size = 0, EINVAL)
BAD(size_unaligned, a->dev_size = DEV_SIZE + 100, EINVAL)
BAD(size_too_large, a->dev_size = COWRAP_MAX_DEV_SIZE + 512, EINVAL)
BAD(lbs_zero, a->logical_block_size = 0, EINVAL)
BAD(lbs_small, a->logical_block_size = 256, EINVAL)
BAD(lbs_not_pow2, a->logical_block_size = 1536, EINVAL)
BAD(lbs_large, a->logical_block_size = 8192, EINVAL)
BAD(pbs_below_lbs, (a->logical_block_size = 4096, a->physical_block_size = 512), EINVAL)
BAD(pbs_not_pow2, a->physical_block_size = 3072, EINVAL)
BAD(pbs_large, a->physical_block_size = 128 * 1024, EINVAL)
BAD(queues_zero, a->nr_hw_queues = 0, EINVAL)
BAD(queues_large, a->nr_hw_queues = 100000, EINVAL)
BAD(depth_zero, a->queue_depth = 0, EINVAL)
BAD(depth_large, a->queue_depth = COWRAP_MAX_QUEUE_DEPTH + 1, EINVAL)
BAD(latency_large, a->latency_ns = COWRAP_MAX_LATENCY_NS + 1, EINVAL)
BAD(timeout_large, a->timeout_ms = COWRAP_MAX_TIMEOUT_MS + 1, EINVAL)
BAD(reserved2, a->reserved2 = 1, EINVAL)
BAD(dev_flags_unknown, a->dev_flags = 1ULL << 40, EINVAL)
BAD(dev_flags_next, a->dev_flags = COWRAP_DEV_FLAGS_ALL + 1, EINVAL)
BAD(bio_with_queues, (a->dev_flags = COWRAP_DEV_BIO_BASED, a->queue_depth = 0), EINVAL)
BAD(bio_with_depth, (a->dev_flags = COWRAP_DEV_BIO_BASED, a->nr_hw_queues = 0), EINVAL)
BAD(bio_with_timeout, (a->dev_flags = COWRAP_DEV_BIO_BASED, a->nr_hw_queues = 0, a->queue_depth = 0, a->timeout_ms = 1000), EINVAL)
BAD(path_for_ram, (a->path = (uintptr_t)"/dev/null", a->path_len = 10), EINVAL)
BAD(path_len_for_ram, a->path_len = 10, EINVAL)
BAD(bdev_no_path, a->backend = COWRAP_BACKEND_BDEV, EINVAL)
BAD(bdev_path_len_short, (a->backend = COWRAP_BACKEND_BDEV, a->path = (uintptr_t)"/", a->path_len = 1), EINVAL)
BAD(bdev_path_len_large, (a->backend = COWRAP_BACKEND_BDEV, a->path = (uintptr_t)"/dev/ram0", a->path_len = COWRAP_PATH_MAX + 1), EINVAL)
BAD(bdev_path_unterminated, (a->backend = COWRAP_BACKEND_BDEV, a->path = (uintptr_t)"/dev/ram0", a->path_len = 4), EINVAL)
BAD(bdev_path_empty, (a->backend = COWRAP_BACKEND_BDEV, a->path = (uintptr_t)"", a->path_len = 2), EINVAL)
BAD(bdev_path_bad_pointer, (a->backend = COWRAP_BACKEND_BDEV, a->path = 8, a->path_len = 16), EFAULT)
BAD(bdev_path_missing, (a->backend = COWRAP_BACKEND_BDEV, a->path = (uintptr_t)"/dev/nonexistent", a->path_len = 17), ENOENT)
BAD(bdev_path_not_block, (a->backend = COWRAP_BACKEND_BDEV, a->path = (uintptr_t)"/dev/null", a->path_len = 10), ENOTBLK)

static const struct bad_add bad_adds[] = {
	BAD_ENTRY(flags_unknown, EINVAL),
	BAD_ENTRY(reserved, EINVAL),
	BAD_ENTRY(id_without_flag, EINVAL),
	BAD_ENTRY(id_too_large, EINVAL),
	BAD_ENTRY(backend_zero, EINVAL),
	BAD_ENTRY(backend_unknown, EINVAL),
	BAD_ENTRY(size_zero, EINVAL),
	BAD_ENTRY(size_unaligned, EINVAL),
	BAD_ENTRY(size_too_large, EINVAL),
	BAD_ENTRY(lbs_zero, EINVAL),
	BAD_ENTRY(lbs_small, EINVAL),
	BAD_ENTRY(lbs_not_pow2, EINVAL),
	BAD_ENTRY(lbs_large, EINVAL),
	BAD_ENTRY(pbs_below_lbs, EINVAL),
	BAD_ENTRY(pbs_not_pow2, EINVAL),
	BAD_ENTRY(pbs_large, EINVAL),
	BAD_ENTRY(queues_zero, EINVAL),
	BAD_ENTRY(queues_large, EINVAL),
	BAD_ENTRY(depth_zero, EINVAL),
	BAD_ENTRY(depth_large, EINVAL),
	BAD_ENTRY(latency_large, EINVAL),
	BAD_ENTRY(timeout_large, EINVAL),
	BAD_ENTRY(reserved2, EINVAL),
	BAD_ENTRY(dev_flags_unknown, EINVAL),
	BAD_ENTRY(dev_flags_next, EINVAL),
	BAD_ENTRY(bio_with_queues, EINVAL),
	BAD_ENTRY(bio_with_depth, EINVAL),
	BAD_ENTRY(bio_with_timeout, EINVAL),
	BAD_ENTRY(path_for_ram, EINVAL),
	BAD_ENTRY(path_len_for_ram, EINVAL),
	BAD_ENTRY(bdev_no_path, EINVAL),
	BAD_ENTRY(bdev_path_len_short, EINVAL),
	BAD_ENTRY(bdev_path_len_large, EINVAL),
	BAD_ENTRY(bdev_path_unterminated, EINVAL),
	BAD_ENTRY(bdev_path_empty, EINVAL),
	BAD_ENTRY(bdev_path_bad_pointer, EFAULT),
	BAD_ENTRY(bdev_path_missing, ENOENT),
	BAD_ENTRY(bdev_path_not_block, ENOTBLK),
};

static int count_devices(void)
{
	struct cowrap_dev_list l = { .size = sizeof(l) };

	if (ioctl(ctl_fd(), COWRAP_IOC_LIST, &l) < 0)
		return -errno;
	return l.count;
}

TEST(abi_add_bad_values)
{
	struct cowrap_dev_add a;
	unsigned int i;
	int fails = 0;

	del_all();
	for (i = 0; i < sizeof(bad_adds) / sizeof(bad_adds[0]); i++) {
		int ret;

		add_init(&a, COWRAP_BACKEND_RAM, DEV_SIZE);
		bad_adds[i].mod(&a);
		ret = dev_add(&a);
		if (ret != -bad_adds[i].err) {
			TH_LOG("%s: got %d, expected %d", bad_adds[i].name, ret,
			       -bad_adds[i].err);
			fails++;
			if (ret >= 0)
				dev_del(ret);
		}
	}
	ASSERT_EQ(fails, 0);
	ASSERT_EQ(count_devices(), 0);
	/* the limits themselves are accepted */
	add_init(&a, COWRAP_BACKEND_NULL, COWRAP_MAX_DEV_SIZE);
	a.logical_block_size = 4096;
	a.physical_block_size = COWRAP_MAX_PBS;
	a.queue_depth = COWRAP_MAX_QUEUE_DEPTH;
	a.latency_ns = COWRAP_MAX_LATENCY_NS;
	a.timeout_ms = COWRAP_MAX_TIMEOUT_MS;
	a.flags = COWRAP_ADD_REQ_ID;
	a.dev_id = COWRAP_MAX_DEVICES - 1;
	ASSERT_EQ(dev_add(&a), COWRAP_MAX_DEVICES - 1);
	ASSERT_EQ(dev_del(COWRAP_MAX_DEVICES - 1), 0);
}

TEST(add_info_list_del)
{
	struct cowrap_dev_info info;
	struct cowrap_dev_add a;
	unsigned long long bytes = 0;
	int id, fd, pbs = 0;

	del_all();
	add_init(&a, COWRAP_BACKEND_RAM, DEV_SIZE);
	a.physical_block_size = 4096;
	a.dev_flags = COWRAP_DEV_DISCARD | COWRAP_DEV_WRITE_CACHE;
	a.latency_ns = 1000;
	id = dev_add(&a);
	ASSERT_GE(id, 0);
	ASSERT_EQ(a.size, sizeof(a));
	ASSERT_EQ(dev_info(id, &info), 0);
	ASSERT_EQ(info.size, sizeof(info));
	ASSERT_EQ(info.dev_id, id);
	ASSERT_EQ(info.backend, COWRAP_BACKEND_RAM);
	ASSERT_EQ(info.dev_size, DEV_SIZE);
	ASSERT_EQ(info.logical_block_size, 512);
	ASSERT_EQ(info.physical_block_size, 4096);
	ASSERT_EQ(info.nr_hw_queues, 1);
	ASSERT_EQ(info.queue_depth, 64);
	ASSERT_EQ(info.dev_flags, COWRAP_DEV_DISCARD | COWRAP_DEV_WRITE_CACHE);
	ASSERT_EQ(info.latency_ns, 1000);
	ASSERT_EQ(info.state, COWRAP_STATE_LIVE);
	ASSERT_EQ(info.open_count, 0);
	ASSERT_EQ(info.path[0], 0);
	ASSERT_EQ(info.flags, 0);
	{
		char name[32];

		snprintf(name, sizeof(name), "cowrap%d", id);
		ASSERT_EQ(strcmp((char *)info.disk_name, name), 0);
	}
	fd = dev_open(id, O_RDONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(ioctl(fd, BLKGETSIZE64, &bytes), 0);
	ASSERT_EQ(bytes, DEV_SIZE);
	ASSERT_EQ(ioctl(fd, BLKPBSZGET, &pbs), 0);
	ASSERT_EQ(pbs, 4096);
	{
		struct stat st;

		ASSERT_EQ(fstat(fd, &st), 0);
		ASSERT_EQ(major(st.st_rdev), info.major);
		ASSERT_EQ(minor(st.st_rdev), info.minor);
	}
	ASSERT_EQ(dev_info(id, &info), 0);
	ASSERT_EQ(info.open_count, 1);
	close(fd);
	ASSERT_EQ(count_devices(), 1);
	ASSERT_EQ(dev_del(id), 0);
	ASSERT_FALSE(dev_exists(id));
	ASSERT_EQ(dev_info(id, &info), -ENODEV);
	ASSERT_EQ(count_devices(), 0);
}

TEST(add_requested_id_and_eexist)
{
	struct cowrap_dev_add a;
	int id;

	del_all();
	add_init(&a, COWRAP_BACKEND_NULL, DEV_SIZE);
	a.flags = COWRAP_ADD_REQ_ID;
	a.dev_id = 42;
	ASSERT_EQ(dev_add(&a), 42);
	ASSERT_TRUE(dev_exists(42));
	add_init(&a, COWRAP_BACKEND_RAM, DEV_SIZE);
	a.flags = COWRAP_ADD_REQ_ID;
	a.dev_id = 42;
	ASSERT_EQ(dev_add(&a), -EEXIST);
	/* automatic ids take the lowest free one */
	id = dev_add_simple(COWRAP_BACKEND_NULL, DEV_SIZE, 0);
	ASSERT_EQ(id, 0);
	ASSERT_EQ(dev_del(42), 0);
	ASSERT_EQ(dev_del(42), -ENODEV);
	ASSERT_EQ(dev_del(0), 0);
}

TEST(list_counts_and_short_buffer)
{
	__u32 ids[4] = { 0xdead, 0xdead, 0xdead, 0xdead };
	struct cowrap_dev_list l;
	int i;

	del_all();
	for (i = 0; i < 3; i++)
		ASSERT_EQ(dev_add_simple(COWRAP_BACKEND_NULL, DEV_SIZE, 0), i);
	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.count = 2;
	l.ids = (uintptr_t)ids;
	ASSERT_EQ(ioctl(ctl_fd(), COWRAP_IOC_LIST, &l), 0);
	ASSERT_EQ(l.count, 3);
	ASSERT_EQ(ids[0], 0);
	ASSERT_EQ(ids[1], 1);
	ASSERT_EQ(ids[2], 0xdead);	/* nothing written past count */
	l.count = 4;
	ASSERT_EQ(ioctl(ctl_fd(), COWRAP_IOC_LIST, &l), 0);
	ASSERT_EQ(l.count, 3);
	ASSERT_EQ(ids[2], 2);
	/* bad values */
	l.count = COWRAP_MAX_DEVICES + 1;
	ASSERT_ERRNO(ioctl(ctl_fd(), COWRAP_IOC_LIST, &l), EINVAL);
	l.count = 4;
	l.flags = 1;
	ASSERT_ERRNO(ioctl(ctl_fd(), COWRAP_IOC_LIST, &l), EINVAL);
	l.flags = 0;
	l.reserved = 1;
	ASSERT_ERRNO(ioctl(ctl_fd(), COWRAP_IOC_LIST, &l), EINVAL);
	l.reserved = 0;
	l.ids = 16;
	ASSERT_ERRNO(ioctl(ctl_fd(), COWRAP_IOC_LIST, &l), EFAULT);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(dev_del(i), 0);
}

/* --- struct sizes and pointers, for every command ---------------------- */

struct cmd_desc {
	const char *name;
	unsigned long cmd;
	__u32 ver0;
	int query;	/* succeeds on a zeroed, valid-size struct + dev_id */
	__u32 ksize;	/* the kernel's size when larger than ver0 */
};

static const struct cmd_desc cmds[] = {
	{ "ADD", COWRAP_IOC_ADD, COWRAP_DEV_ADD_SIZE_VER0, 0,
	  COWRAP_DEV_ADD_SIZE_VER2 },
	{ "DEL", COWRAP_IOC_DEL, COWRAP_DEV_DEL_SIZE_VER0, 0, 0 },
	{ "LIST", COWRAP_IOC_LIST, COWRAP_DEV_LIST_SIZE_VER0, 1, 0 },
	{ "GET_DEV_INFO", COWRAP_IOC_GET_DEV_INFO, COWRAP_DEV_INFO_SIZE_VER0, 1,
	  COWRAP_DEV_INFO_SIZE_VER2 },
	{ "GET_STATS", COWRAP_IOC_GET_STATS, COWRAP_DEV_STATS_SIZE_VER0, 1, 0 },
	{ "SET_FAULT", COWRAP_IOC_SET_FAULT, COWRAP_FAULT_SIZE_VER0, 1, 0 },
	{ "GET_FEATURES", COWRAP_IOC_GET_FEATURES, COWRAP_FEATURES_SIZE_VER0, 1, 0 },
	{ "PREAD", COWRAP_IOC_PREAD, COWRAP_IO_SIZE_VER0, 0, 0 },
	{ "PWRITE", COWRAP_IOC_PWRITE, COWRAP_IO_SIZE_VER0, 0, 0 },
	{ "FLUSH", COWRAP_IOC_FLUSH, COWRAP_IO_SIZE_VER0, 1, 0 },
	{ "DISCARD", COWRAP_IOC_DISCARD, COWRAP_IO_SIZE_VER0, 0, 0 },
	{ "WRITE_ZEROES", COWRAP_IOC_WRITE_ZEROES, COWRAP_IO_SIZE_VER0, 0, 0 },
};

TEST(abi_struct_sizes_and_pointers)
{
	unsigned char buf[8192];
	unsigned int i;
	int fails = 0;

	del_all();
	ASSERT_EQ(dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0), 0);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const struct cmd_desc *c = &cmds[i];
		__u32 ksize = c->ksize ? c->ksize : c->ver0;
		__u32 sz;
		int r, e;

#define CHECK(cond, what)						\
		do {							\
			if (!(cond)) {					\
				TH_LOG("%s: %s (ret %d errno %d)", c->name, \
				       what, r, e);			\
				fails++;				\
			}						\
		} while (0)
#define CALL_TAIL(size, tail)						\
		do {							\
			memset(buf, 0, sizeof(buf));			\
			sz = (size);					\
			memcpy(buf, &sz, 4);				\
			buf[ksize + 10] = (tail);			\
			errno = 0;					\
			r = ioctl(ctl_fd(), c->cmd, buf);		\
			e = errno;					\
		} while (0)
#define CALL(size) CALL_TAIL(size, 0)

		CALL(0);
		CHECK(r == -1 && e == EINVAL, "size 0 not EINVAL");
		CALL(c->ver0 - 4);
		CHECK(r == -1 && e == EINVAL, "short size not EINVAL");
		CALL(4097);
		CHECK(r == -1 && e == E2BIG, "size above a page not E2BIG");
		CALL_TAIL(ksize + 64, 1);
		CHECK(r == -1 && e == E2BIG, "non-zero tail not E2BIG");
		r = ioctl(ctl_fd(), c->cmd, NULL);
		e = errno;
		CHECK(r == -1 && e == EFAULT, "NULL not EFAULT");
		r = ioctl(ctl_fd(), c->cmd, (void *)16);
		e = errno;
		CHECK(r == -1 && e == EFAULT, "bad pointer not EFAULT");
		if (c->query) {
			/* an oversized struct with a zero tail is accepted */
			CALL(ksize + 64);
			CHECK(r == 0, "oversized zero-tail struct refused");
			if (c->cmd != COWRAP_IOC_SET_FAULT &&
			    c->cmd != COWRAP_IOC_FLUSH) {
				memcpy(&sz, buf, 4);
				CHECK(sz == ksize, "size not set to the kernel's");
				CHECK(zero_check(buf + ksize, 64) == -1,
				      "bytes written past the kernel's size");
			}
		}
#undef CALL
#undef CALL_TAIL
#undef CHECK
	}
	ASSERT_EQ(fails, 0);
	ASSERT_EQ(dev_del(0), 0);
}

TEST(abi_unknown_ids_enodev)
{
	unsigned char b[512];
	struct cowrap_dev_stats st;
	struct cowrap_dev_info info;
	__u32 ids[] = { 0, 7, COWRAP_MAX_DEVICES - 1, COWRAP_MAX_DEVICES,
			0xffffffff };
	unsigned int i;

	del_all();
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		ASSERT_EQ(dev_del(ids[i]), -ENODEV);
		ASSERT_EQ(dev_del_flags(ids[i], COWRAP_DEL_FORCE), -ENODEV);
		ASSERT_EQ(dev_info(ids[i], &info), -ENODEV);
		ASSERT_EQ(dev_stats(ids[i], &st, 0), -ENODEV);
		ASSERT_EQ(dev_fault(ids[i], COWRAP_FAULT_NONE, 0, 0, 0, 0),
			  -ENODEV);
		ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, ids[i], 0, 512, b, 0), -ENODEV);
		ASSERT_EQ(dev_io(COWRAP_IOC_PWRITE, ids[i], 0, 512, b, 0), -ENODEV);
		ASSERT_EQ(dev_io(COWRAP_IOC_FLUSH, ids[i], 0, 0, NULL, 0), -ENODEV);
	}
}

TEST(abi_unknown_command_and_flags)
{
	struct cowrap_features ft = { .size = sizeof(ft) };
	struct cowrap_dev_info info;
	struct cowrap_dev_stats st;
	unsigned char b[64] = { 64 };

	del_all();
	ASSERT_ERRNO(ioctl(ctl_fd(), _IOWR(COWRAP_IOC_MAGIC, 0x30, b), b), ENOTTY);
	ASSERT_ERRNO(ioctl(ctl_fd(), _IOWR('x', 0x01, b), b), ENOTTY);
	ft.flags = 1;
	ASSERT_ERRNO(ioctl(ctl_fd(), COWRAP_IOC_GET_FEATURES, &ft), EINVAL);
	ASSERT_EQ(dev_add_simple(COWRAP_BACKEND_NULL, DEV_SIZE, 0), 0);
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.flags = 1;
	ASSERT_ERRNO(ioctl(ctl_fd(), COWRAP_IOC_GET_DEV_INFO, &info), EINVAL);
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.flags = 2;
	ASSERT_ERRNO(ioctl(ctl_fd(), COWRAP_IOC_GET_STATS, &st), EINVAL);
	st.flags = 0;
	st.reserved = 1;
	ASSERT_ERRNO(ioctl(ctl_fd(), COWRAP_IOC_GET_STATS, &st), EINVAL);
	ASSERT_EQ(dev_del_flags(0, 2), -EINVAL);
	{
		struct cowrap_dev_del d = { .size = sizeof(d), .reserved = 1 };

		ASSERT_ERRNO(ioctl(ctl_fd(), COWRAP_IOC_DEL, &d), EINVAL);
	}
	ASSERT_EQ(dev_del(0), 0);
}

TEST(abi_features)
{
	struct cowrap_features ft;
	struct cowrap_info info;

	del_all();
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ASSERT_EQ(ioctl(ctl_fd(), COWRAP_IOC_GET_INFO, &info), 0);
	ASSERT_EQ(info.features & (COWRAP_F_DEV | COWRAP_F_STATS |
				   COWRAP_F_FAULT | COWRAP_F_SYNC_IO |
				   COWRAP_F_FEATURES | COWRAP_F_DEL_FORCE |
				   COWRAP_F_BIO_BASED),
		  COWRAP_F_DEV | COWRAP_F_STATS | COWRAP_F_FAULT |
		  COWRAP_F_SYNC_IO | COWRAP_F_FEATURES | COWRAP_F_DEL_FORCE |
		  COWRAP_F_BIO_BASED);
	memset(&ft, 0xff, sizeof(ft));
	ft.size = sizeof(ft);
	ft.flags = 0;
	memset(&ft.features, 0, sizeof(ft) - 8);
	ASSERT_EQ(ioctl(ctl_fd(), COWRAP_IOC_GET_FEATURES, &ft), 0);
	ASSERT_EQ(ft.features, info.features);
	ASSERT_EQ(ft.backends, (1 << COWRAP_BACKEND_RAM) |
		  (1 << COWRAP_BACKEND_NULL) | (1 << COWRAP_BACKEND_BDEV) |
		  (1 << COWRAP_BACKEND_COW));
	ASSERT_EQ(ft.dev_flags, COWRAP_DEV_FLAGS_ALL);
	ASSERT_EQ(ft.max_dev_size, COWRAP_MAX_DEV_SIZE);
	ASSERT_EQ(ft.max_queue_depth, COWRAP_MAX_QUEUE_DEPTH);
	ASSERT_EQ(ft.max_hw_queues, sysconf(_SC_NPROCESSORS_CONF));
	ASSERT_EQ(ft.min_lbs, 512);
	ASSERT_EQ(ft.max_lbs, 4096);
	ASSERT_EQ(ft.nr_devices, 0);
}

TEST(abi_fault_bad_values)
{
	struct {
		__u32 mode, ops, nth, err;
		__u64 lat;
	} bad[] = {
		{ 4, 1, 1, EIO, 0 },			/* unknown mode */
		{ COWRAP_FAULT_NONE, 1, 0, 0, 0 },	/* NONE with fields */
		{ COWRAP_FAULT_NONE, 0, 0, 0, 5 },
		{ COWRAP_FAULT_FAIL_NTH, 0, 1, EIO, 0 },	/* ops zero */
		{ COWRAP_FAULT_FAIL_NTH, 1 << 5, 1, EIO, 0 },	/* unknown op */
		{ COWRAP_FAULT_FAIL_NTH, 1, 0, EIO, 0 },	/* nth zero */
		{ COWRAP_FAULT_FAIL_NTH, 1, COWRAP_FAULT_MAX_NTH + 1, EIO, 0 },
		{ COWRAP_FAULT_FAIL_NTH, 1, 1, 0, 0 },	/* error zero */
		{ COWRAP_FAULT_FAIL_NTH, 1, 1, EPERM, 0 },	/* errno not allowed */
		{ COWRAP_FAULT_FAIL_EVERY, 1, 1, 100000, 0 },
		{ COWRAP_FAULT_FAIL_EVERY, 1, 1, EIO, 10 },	/* latency with fail */
		{ COWRAP_FAULT_DELAY, 1, 1, 0, 0 },	/* latency zero */
		{ COWRAP_FAULT_DELAY, 1, 1, 0, COWRAP_MAX_LATENCY_NS + 1 },
		{ COWRAP_FAULT_DELAY, 1, 1, EIO, 1000 },	/* error with delay */
	};
	struct cowrap_fault f;
	unsigned int i;

	del_all();
	ASSERT_EQ(dev_add_simple(COWRAP_BACKEND_NULL, DEV_SIZE, 0), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = dev_fault(0, bad[i].mode, bad[i].ops, bad[i].nth,
				  bad[i].err, bad[i].lat);

		if (r != -EINVAL)
			TH_LOG("fault case %u: %d", i, r);
		ASSERT_EQ(r, -EINVAL);
	}
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	f.flags = 1;
	ASSERT_ERRNO(ioctl(ctl_fd(), COWRAP_IOC_SET_FAULT, &f), EINVAL);
	f.flags = 0;
	f.reserved = 1;
	ASSERT_ERRNO(ioctl(ctl_fd(), COWRAP_IOC_SET_FAULT, &f), EINVAL);
	ASSERT_EQ(dev_fault(0, COWRAP_FAULT_FAIL_EVERY, COWRAP_OP_MASK_ALL,
			    COWRAP_FAULT_MAX_NTH, EREMOTEIO, 0), 0);
	ASSERT_EQ(dev_fault(0, COWRAP_FAULT_NONE, 0, 0, 0, 0), 0);
	ASSERT_EQ(dev_del(0), 0);
}

TEST(abi_io_bad_values)
{
	unsigned char *b = abuf(COWRAP_MAX_IO_LEN + 4096);
	struct cowrap_io io;

	del_all();
	ASSERT_EQ(dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0), 0);
#define IO_BAD(cmd, off, len, buf, fl, e) \
	ASSERT_EQ(dev_io(cmd, 0, off, len, buf, fl), -(e))
	IO_BAD(COWRAP_IOC_PREAD, 0, 0, b, 0, EINVAL);		/* len 0 */
	IO_BAD(COWRAP_IOC_PREAD, 1, 512, b, 0, EINVAL);		/* offset */
	IO_BAD(COWRAP_IOC_PREAD, 0, 100, b, 0, EINVAL);		/* length */
	IO_BAD(COWRAP_IOC_PREAD, 0, COWRAP_MAX_IO_LEN + 512, b, 0, EINVAL);
	IO_BAD(COWRAP_IOC_PREAD, DEV_SIZE, 512, b, 0, EINVAL);	/* past end */
	IO_BAD(COWRAP_IOC_PREAD, DEV_SIZE - 512, 1024, b, 0, EINVAL);
	IO_BAD(COWRAP_IOC_PREAD, ~0ULL - 511, 1024, b, 0, EINVAL); /* overflow */
	IO_BAD(COWRAP_IOC_PREAD, 0, 512, NULL, 0, EINVAL);	/* no buffer */
	IO_BAD(COWRAP_IOC_PREAD, 0, 512, b, COWRAP_IO_FUA, EINVAL); /* FUA read */
	IO_BAD(COWRAP_IOC_PWRITE, 0, 512, b, 2, EINVAL);	/* unknown flag */
	IO_BAD(COWRAP_IOC_PREAD, 0, 512, (void *)16, 0, EFAULT);
	IO_BAD(COWRAP_IOC_PWRITE, 0, 512, (void *)16, 0, EFAULT);
	IO_BAD(COWRAP_IOC_FLUSH, 0, 512, NULL, 0, EINVAL);	/* flush + range */
	IO_BAD(COWRAP_IOC_FLUSH, 0, 0, b, 0, EINVAL);
	IO_BAD(COWRAP_IOC_DISCARD, 0, 512, b, 0, EINVAL);	/* buffer */
	IO_BAD(COWRAP_IOC_DISCARD, 0, 512, NULL, 0, EOPNOTSUPP);
	IO_BAD(COWRAP_IOC_WRITE_ZEROES, 0, 0, NULL, 0, EINVAL);
#undef IO_BAD
	memset(&io, 0, sizeof(io));
	io.size = sizeof(io);
	io.reserved = 1;
	io.length = 512;
	io.buf = (uintptr_t)b;
	ASSERT_ERRNO(ioctl(ctl_fd(), COWRAP_IOC_PREAD, &io), EINVAL);
	/* the largest transfer is fine */
	ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, 0, 0, COWRAP_MAX_IO_LEN, b, 0), 0);
	ASSERT_EQ(dev_del(0), 0);
	free(b);
}

/* --- permissions --------------------------------------------------------- */

static int drop_sys_admin(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	d[CAP_SYS_ADMIN / 32].permitted &= ~(1U << (CAP_SYS_ADMIN % 32));
	d[CAP_SYS_ADMIN / 32].inheritable &= ~(1U << (CAP_SYS_ADMIN % 32));
	return syscall(SYS_capset, &h, d);
}

/* Child without CAP_SYS_ADMIN: exit status = number of wrong answers. */
static int unprivileged_checks(void)
{
	unsigned char b[512];
	struct cowrap_dev_info info;
	struct cowrap_dev_stats st;
	struct cowrap_features ft = { .size = sizeof(ft) };
	int bad = 0;

	ctl_close();
	if (drop_sys_admin())
		return 100;
	bad += dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0) != -EPERM;
	bad += dev_del(0) != -EPERM;
	bad += dev_del_flags(0, COWRAP_DEL_FORCE) != -EPERM;
	bad += dev_fault(0, COWRAP_FAULT_NONE, 0, 0, 0, 0) != -EPERM;
	bad += dev_io(COWRAP_IOC_PREAD, 0, 0, 512, b, 0) != -EPERM;
	bad += dev_io(COWRAP_IOC_PWRITE, 0, 0, 512, b, 0) != -EPERM;
	bad += dev_io(COWRAP_IOC_FLUSH, 0, 0, 0, NULL, 0) != -EPERM;
	bad += dev_io(COWRAP_IOC_DISCARD, 0, 0, 512, NULL, 0) != -EPERM;
	bad += dev_io(COWRAP_IOC_WRITE_ZEROES, 0, 0, 512, NULL, 0) != -EPERM;
	bad += dev_stats(0, &st, COWRAP_STATS_RESET) != -EPERM;
	/* EPERM comes before argument checks: garbage is not examined */
	bad += ioctl(ctl_fd(), COWRAP_IOC_ADD, (void *)16) != -1 || errno != EPERM;
	/* queries stay allowed */
	bad += dev_info(0, &info) != 0;
	bad += dev_stats(0, &st, 0) != 0;
	bad += ioctl(ctl_fd(), COWRAP_IOC_GET_FEATURES, &ft) != 0;
	bad += count_devices() != 1;
	return bad;
}

TEST(perm_without_cap_sys_admin)
{
	int status;
	pid_t pid;

	del_all();
	ASSERT_EQ(dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(unprivileged_checks());
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
	/* nothing changed */
	ASSERT_EQ(count_devices(), 1);
	ASSERT_EQ(dev_del(0), 0);
}

/* --- lifecycle ------------------------------------------------------------ */

TEST(del_while_open_ebusy)
{
	struct cowrap_dev_info info;
	int id, fd;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(dev_del(id), -EBUSY);
	ASSERT_EQ(dev_info(id, &info), 0);
	ASSERT_EQ(info.state, COWRAP_STATE_LIVE);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	ASSERT_FALSE(dev_exists(id));
}

struct io_loop {
	int fd;
	volatile int stop;
	long ok, eio, other;
};

static void *io_loop_fn(void *p)
{
	struct io_loop *l = p;
	unsigned char *b = abuf(65536);
	unsigned int i = 0;

	while (!l->stop) {
		__u64 off = (i++ % 100) * 65536ULL;
		ssize_t n = i % 2 ? pwrite(l->fd, b, 65536, off) :
				    pread(l->fd, b, 65536, off);

		if (n == 65536)
			l->ok++;
		else if (n < 0 && errno == EIO)
			l->eio++;
		else
			l->other++;
		if (l->eio > 20)
			break;
	}
	free(b);
	return NULL;
}

static int wait_gone(int id, double secs)
{
	struct timespec ts = { 0, 20000000 };
	int i;

	for (i = 0; i < secs * 50; i++) {
		if (!dev_exists(id))
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

TEST_TIMEOUT(del_force_during_io, 60)
{
	struct cowrap_dev_info info;
	struct io_loop l = { 0 };
	struct timespec ts = { 0, 200000000 };
	unsigned char b[512];
	pthread_t t;
	int id;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0);
	ASSERT_GE(id, 0);
	l.fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(l.fd, 0);
	ASSERT_EQ(pthread_create(&t, NULL, io_loop_fn, &l), 0);
	nanosleep(&ts, NULL);
	ASSERT_EQ(dev_del(id), -EBUSY);
	ASSERT_EQ(dev_del_flags(id, COWRAP_DEL_FORCE), 0);
	/* still there until closed, failing every request */
	ASSERT_EQ(dev_info(id, &info), 0);
	ASSERT_EQ(info.state, COWRAP_STATE_DELETING);
	ASSERT_EQ(info.open_count, 1);
	ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, id, 0, 512, b, 0), -EIO);
	ASSERT_EQ(dev_del_flags(id, COWRAP_DEL_FORCE), -EBUSY);
	ASSERT_ERRNO(dev_open(id, O_RDONLY), ENXIO);
	pthread_join(t, NULL);
	ASSERT_GT(l.ok, 0);
	ASSERT_GT(l.eio, 20);
	ASSERT_EQ(l.other, 0);
	close(l.fd);
	ASSERT_EQ(wait_gone(id, 10), 0);
	ASSERT_EQ(dev_info(id, &info), -ENODEV);
	ASSERT_EQ(count_devices(), 0);
}

struct cycle_io {
	int id;
	long ret;
};

/* Verified I/O on one device until the device is closed under us. */
static void *cycle_io_fn(void *p)
{
	struct cycle_io *c = p;
	unsigned char *b = abuf(16384);
	int fd = dev_open(c->id, O_RDWR | O_DIRECT), i;

	c->ret = fd < 0 ? -errno : 0;
	for (i = 0; i < 16 && !c->ret; i++) {
		__u64 off = i * 16384ULL;

		pat_fill(b, off, 16384, c->id + i);
		c->ret = full_pwrite(fd, b, 16384, off);
		if (!c->ret)
			c->ret = full_pread(fd, b, 16384, off);
		if (!c->ret && pat_check(b, off, 16384, c->id + i) != -1)
			c->ret = -1000;
	}
	if (fd >= 0)
		close(fd);
	free(b);
	return NULL;
}

TEST_TIMEOUT(add_del_20_cycles_under_io, 120)
{
	struct io_loop bg = { 0 };
	pthread_t bgt;
	int base, cycle;

	del_all();
	base = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0);
	ASSERT_GE(base, 0);
	bg.fd = dev_open(base, O_RDWR | O_DIRECT);
	ASSERT_GE(bg.fd, 0);
	ASSERT_EQ(pthread_create(&bgt, NULL, io_loop_fn, &bg), 0);
	for (cycle = 0; cycle < 20; cycle++) {
		struct cycle_io c[2];
		pthread_t t[2];
		int i;

		for (i = 0; i < 2; i++) {
			c[i].id = dev_add_simple(i ? COWRAP_BACKEND_NULL :
						 COWRAP_BACKEND_RAM, 4 * MiB, 0);
			ASSERT_GE(c[i].id, 0);
			c[i].ret = 0;
			if (i)	/* null backend: write-only traffic */
				c[i].ret = 0;
			ASSERT_EQ(pthread_create(&t[i], NULL, cycle_io_fn, &c[i]), 0);
		}
		for (i = 0; i < 2; i++) {
			pthread_join(t[i], NULL);
			/* null reads zeroes: a mismatch is expected there */
			ASSERT_EQ(c[i].ret, i ? -1000 : 0);
			ASSERT_EQ(dev_del(c[i].id), 0);
		}
	}
	bg.stop = 1;
	pthread_join(bgt, NULL);
	ASSERT_GT(bg.ok, 0);
	ASSERT_EQ(bg.eio + bg.other, 0);
	close(bg.fd);
	ASSERT_EQ(dev_del(base), 0);
	ASSERT_EQ(count_devices(), 0);
}

static long mod_delete(void)
{
	return syscall(SYS_delete_module, "cowrap_blk", O_NONBLOCK);
}

static long mod_insert_params(const char *params)
{
	int fd = open(KO_PATH, O_RDONLY | O_CLOEXEC);
	long r;

	if (fd < 0)
		return -1;
	r = syscall(SYS_finit_module, fd, params, 0);
	close(fd);
	return r;
}

static long mod_insert(void)
{
	return mod_insert_params("");
}

/* rmmod is refused while a device is open (I/O running) and removes
 * every device otherwise. */
TEST_TIMEOUT(rmmod_with_devices, 60)
{
	struct io_loop l = { 0 };
	struct timespec ts = { 0, 100000000 };
	pthread_t t;
	int a, b;

	del_all();
	a = dev_add_simple(COWRAP_BACKEND_RAM, DEV_SIZE, 0);
	b = dev_add_simple(COWRAP_BACKEND_NULL, DEV_SIZE, 0);
	ASSERT_GE(a, 0);
	ASSERT_GE(b, 0);
	l.fd = dev_open(a, O_RDWR | O_DIRECT);
	ASSERT_GE(l.fd, 0);
	ASSERT_EQ(pthread_create(&t, NULL, io_loop_fn, &l), 0);
	nanosleep(&ts, NULL);
	ctl_close();
	ASSERT_ERRNO(mod_delete(), EWOULDBLOCK);
	l.stop = 1;
	pthread_join(t, NULL);
	ASSERT_EQ(l.eio + l.other, 0);
	close(l.fd);
	ASSERT_EQ(mod_delete(), 0);
	ASSERT_FALSE(dev_exists(a));
	ASSERT_FALSE(dev_exists(b));
	ASSERT_EQ(access(COWRAP_CTL_DEVICE, F_OK), -1);
	ASSERT_EQ(mod_insert(), 0);
	ASSERT_EQ(count_devices(), 0);
}

/* nr_devices= creates ram devices at load; unload removes them. */
TEST_TIMEOUT(module_param_nr_devices, 60)
{
	struct cowrap_dev_info info;
	unsigned char *b = abuf(4096);
	int fd;

	del_all();
	ctl_close();
	ASSERT_EQ(mod_delete(), 0);
	ASSERT_EQ(mod_insert_params("nr_devices=2 dev_size_mb=16"), 0);
	ASSERT_EQ(count_devices(), 2);
	ASSERT_EQ(dev_info(1, &info), 0);
	ASSERT_EQ(info.dev_size, 16 * MiB);
	ASSERT_EQ(info.backend, COWRAP_BACKEND_RAM);
	fd = dev_open(1, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	pat_fill(b, 0, 4096, 9);
	ASSERT_EQ(full_pwrite(fd, b, 4096, 0), 0);
	close(fd);
	ctl_close();
	ASSERT_EQ(mod_delete(), 0);
	ASSERT_FALSE(dev_exists(0));
	ASSERT_FALSE(dev_exists(1));
	ASSERT_EQ(mod_insert(), 0);
	ASSERT_EQ(count_devices(), 0);
	free(b);
}

TEST_HARNESS_MAIN
