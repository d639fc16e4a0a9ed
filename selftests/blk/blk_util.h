/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the cowrap block device tests: control commands, patterned
 * data, a shadow copy of a device, Linux AIO without libaio.
 */
#ifndef _COWRAP_BLK_UTIL_H
#define _COWRAP_BLK_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/aio_abi.h>
#include <linux/cowrap.h>
#include <linux/fs.h>

#define MiB (1024ULL * 1024)

static int ctl_cached_fd = -1;

static inline int ctl_fd(void)
{
	if (ctl_cached_fd < 0)
		ctl_cached_fd = open(COWRAP_CTL_DEVICE, O_RDWR | O_CLOEXEC);
	return ctl_cached_fd;
}

/* Close the control device (it pins the module). */
static inline void ctl_close(void)
{
	if (ctl_cached_fd >= 0)
		close(ctl_cached_fd);
	ctl_cached_fd = -1;
}

static inline void add_init(struct cowrap_dev_add *a, __u32 backend, __u64 size)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->backend = backend;
	a->dev_size = size;
	a->logical_block_size = 512;
	a->nr_hw_queues = 1;
	a->queue_depth = 64;
}

/* Make @a a bio-based device: the flag, and no queues. */
static inline void add_set_bio(struct cowrap_dev_add *a)
{
	a->dev_flags |= COWRAP_DEV_BIO_BASED;
	a->nr_hw_queues = 0;
	a->queue_depth = 0;
}

/* Create a device; returns its id or -errno. */
static inline int dev_add(struct cowrap_dev_add *a)
{
	if (ioctl(ctl_fd(), COWRAP_IOC_ADD, a) < 0)
		return -errno;
	return a->dev_id;
}

static inline int dev_add_simple(__u32 backend, __u64 size, __u64 flags)
{
	struct cowrap_dev_add a;

	add_init(&a, backend, size);
	a.dev_flags = flags;
	return dev_add(&a);
}

static inline int dev_del_flags(__u32 id, __u32 flags)
{
	struct cowrap_dev_del d = { .size = sizeof(d), .flags = flags,
				    .dev_id = id };

	return ioctl(ctl_fd(), COWRAP_IOC_DEL, &d) < 0 ? -errno : 0;
}

static inline int dev_del(__u32 id)
{
	return dev_del_flags(id, 0);
}

static inline int dev_info(__u32 id, struct cowrap_dev_info *i)
{
	memset(i, 0, sizeof(*i));
	i->size = sizeof(*i);
	i->dev_id = id;
	return ioctl(ctl_fd(), COWRAP_IOC_GET_DEV_INFO, i) < 0 ? -errno : 0;
}

static inline int dev_stats(__u32 id, struct cowrap_dev_stats *s, __u32 flags)
{
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->dev_id = id;
	s->flags = flags;
	return ioctl(ctl_fd(), COWRAP_IOC_GET_STATS, s) < 0 ? -errno : 0;
}

static inline int dev_fault(__u32 id, __u32 mode, __u32 ops, __u32 nth, __u32 err,
		     __u64 lat)
{
	struct cowrap_fault f = { .size = sizeof(f), .dev_id = id,
				  .mode = mode, .ops = ops, .nth = nth,
				  .error = err, .latency_ns = lat };

	return ioctl(ctl_fd(), COWRAP_IOC_SET_FAULT, &f) < 0 ? -errno : 0;
}

static inline int dev_io(unsigned long cmd, __u32 id, __u64 off, __u64 len,
		  void *buf, __u32 flags)
{
	struct cowrap_io io = { .size = sizeof(io), .flags = flags,
				.dev_id = id, .offset = off, .length = len,
				.buf = (uintptr_t)buf };

	return ioctl(ctl_fd(), cmd, &io) < 0 ? -errno : 0;
}

/* Remove every device (force), so that each test starts clean. */
static inline void del_all(void)
{
	__u32 ids[COWRAP_MAX_DEVICES];
	struct cowrap_dev_list l = { .size = sizeof(l),
				     .count = COWRAP_MAX_DEVICES,
				     .ids = (uintptr_t)ids };
	__u32 i;

	if (ioctl(ctl_fd(), COWRAP_IOC_LIST, &l) < 0)
		return;
	for (i = 0; i < l.count && i < COWRAP_MAX_DEVICES; i++)
		dev_del_flags(ids[i], COWRAP_DEL_FORCE);
}

static inline int dev_open(int id, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/cowrap%d", id);
	return open(path, flags | O_CLOEXEC);
}

static inline int dev_exists(int id)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/block/cowrap%d", id);
	return stat(path, &st) == 0;
}

/* Deterministic pattern: byte at device offset @off for @seed. */
static inline unsigned char pat_byte(__u64 off, unsigned int seed)
{
	__u64 x = (off >> 3) * 0x9E3779B97F4A7C15ULL + seed;

	x ^= x >> 29;
	return (unsigned char)(x >> ((off & 7) * 8));
}

static inline void pat_fill(unsigned char *buf, __u64 off, size_t len,
		     unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pat_byte(off + i, seed);
}

/* First mismatching index against the pattern, or -1. */
static inline long pat_check(const unsigned char *buf, __u64 off, size_t len,
		      unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != pat_byte(off + i, seed))
			return i;
	return -1;
}

static inline long zero_check(const unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i])
			return i;
	return -1;
}

static inline void *abuf(size_t len)
{
	void *p = NULL;

	if (posix_memalign(&p, 4096, len ? len : 4096))
		return NULL;
	memset(p, 0, len);
	return p;
}

static unsigned int rnd_state = 12345;

static inline unsigned int rnd(void)
{
	rnd_state = rnd_state * 1103515245 + 12345;
	return (rnd_state >> 8) & 0xffffff;
}

/* pread/pwrite all of it or fail. */
static inline int full_pread(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	return n == (ssize_t)len ? 0 : (n < 0 ? -errno : -EIO);
}

static inline int full_pwrite(int fd, const void *buf, size_t len, off_t off)
{
	ssize_t n = pwrite(fd, buf, len, off);

	return n == (ssize_t)len ? 0 : (n < 0 ? -errno : -EIO);
}

/* Linux AIO through raw system calls. */
static inline long aio_setup(unsigned int nr, aio_context_t *ctx)
{
	*ctx = 0;
	return syscall(__NR_io_setup, nr, ctx);
}

static inline long aio_submit(aio_context_t ctx, long n, struct iocb **iocbs)
{
	return syscall(__NR_io_submit, ctx, n, iocbs);
}

static inline long aio_getevents(aio_context_t ctx, long min, long max,
			  struct io_event *ev)
{
	return syscall(__NR_io_getevents, ctx, min, max, ev, NULL);
}

static inline long aio_destroy(aio_context_t ctx)
{
	return syscall(__NR_io_destroy, ctx);
}

/*
 * @n iocbs of @op (IOCB_CMD_*) on @fd, number i covering @len bytes at
 * @buf + i * @len and at device offset i * @len; @cbp points at them.
 */
static inline void aio_prep_seq(struct iocb *cbs, struct iocb **cbp, int n,
				int fd, int op, unsigned char *buf, size_t len)
{
	int i;

	memset(cbs, 0, n * sizeof(*cbs));
	for (i = 0; i < n; i++) {
		cbs[i].aio_fildes = fd;
		cbs[i].aio_lio_opcode = op;
		cbs[i].aio_buf = (uintptr_t)(buf + i * len);
		cbs[i].aio_nbytes = len;
		cbs[i].aio_offset = i * len;
		cbp[i] = &cbs[i];
	}
}

/*
 * Write the string @val to the file @path (a sysfs, configfs or module
 * parameter file) in one write(): 0, -errno, or -EIO for a short write.
 */
static inline int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ret = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		ret = -errno;
	else if (n != (ssize_t)strlen(val))
		ret = -EIO;
	close(fd);
	return ret;
}

/*
 * Open /proc/PID/@file of every task and call @fn(pid, f, arg) with it;
 * a task that is gone meanwhile is skipped.  Return: the sum of what @fn
 * returned, or -1 if /proc cannot be read.
 */
static inline int proc_each(const char *file,
			    int (*fn)(const char *pid, FILE *f, void *arg),
			    void *arg)
{
	char path[300];
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/%s", e->d_name, file);
		f = fopen(path, "r");
		if (!f)
			continue;
		n += fn(e->d_name, f, arg);
		fclose(f);
	}
	closedir(d);
	return n;
}

struct comm_match {
	const char *prefix;
	const char *part;
};

static inline int comm_matches(const char *pid, FILE *f, void *arg)
{
	const struct comm_match *m = arg;
	char comm[64];

	(void)pid;
	return fgets(comm, sizeof(comm), f) &&
	       !strncmp(comm, m->prefix, strlen(m->prefix)) &&
	       strstr(comm, m->part);
}

/*
 * Tasks whose name (/proc/PID/comm, newline included) starts with
 * @prefix and contains @part, or -1 if /proc cannot be read.  Worker
 * threads of cowrap contexts are "cowrap<cpu>:<context>".
 */
static inline int count_comm(const char *prefix, const char *part)
{
	struct comm_match m = { prefix, part };

	return proc_each("comm", comm_matches, &m);
}

#define COWRAP_LIVE	"/sys/kernel/debug/cowrap/live"

/* Value of counter @name in debugfs cowrap/live, or -1. */
static inline long live_counter(const char *name)
{
	char line[128], key[64];
	long v, ret = -1;
	FILE *f = fopen(COWRAP_LIVE, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", key, &v) == 2 && !strcmp(key, name))
			ret = v;
	fclose(f);
	return ret;
}

/*
 * The first @n numbers of /sys/block/@disk/@attr (stat, inflight) into
 * @v; returns how many were read.
 */
static inline int disk_nums(const char *disk, const char *attr,
			    unsigned long long *v, int n)
{
	char path[96];
	int i = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/block/%s/%s", disk, attr);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (i < n && fscanf(f, "%llu", &v[i]) == 1)
		i++;
	fclose(f);
	return i;
}

#define COWRAP_SEEN	"/sys/kernel/debug/cowrap/seen"

/* Counter @name of cowrap<id> in debugfs cowrap/seen, or -1. */
static inline long long dev_seen(int id, const char *name)
{
	char line[512], dev[32], key[40];
	long long v = -1;
	FILE *f = fopen(COWRAP_SEEN, "r");

	if (!f)
		return -1;
	snprintf(dev, sizeof(dev), "cowrap%d ", id);
	snprintf(key, sizeof(key), " %s=", name);
	while (fgets(line, sizeof(line), f)) {
		char *p;

		if (strncmp(line, dev, strlen(dev)))
			continue;
		p = strstr(line, key);
		if (p)
			v = strtoll(p + strlen(key), NULL, 10);
	}
	fclose(f);
	return v;
}

#endif /* _COWRAP_BLK_UTIL_H */
