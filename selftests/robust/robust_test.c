// SPDX-License-Identifier: GPL-2.0
/*
 * Robustness of the control plane and the I/O path, run in the VM
 * (issue 16): a slow DEL does not stall other control commands, a
 * synchronous ioctl stuck on a stalled device can be killed, requests
 * time out when asked to, deleting a full ram device does not hog the
 * CPU, FLUSH behaves alike on both paths of a read-only write-cached
 * device, a failed page allocation fails the request with EIO, a failed
 * module init leaves no device behind, and the struct size is read from
 * userspace once.  Documentation/reliability.rst lists each guarantee.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/netlink.h>

#include "../harness.h"
#include "../blk/blk_util.h"

#define KO_PATH		"/lib/cowrap/cowrap_blk.ko"
#define CTL_TOOL	"/lib/cowrap/cowrapctl"
#define FAIL_ALLOC	"/sys/kernel/debug/cowrap/test/fail_page_alloc"
#define SEC_NS		1000000000ULL

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned int ms)
{
	usleep(ms * 1000);
}


/* /dev/kmsg from now on: open it and skip what is there. */
static int kmsg_mark(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Records since kmsg_mark() that contain @needle. */
static int kmsg_count(int fd, const char *needle)
{
	char rec[8192];
	int n = 0;
	ssize_t r;

	for (;;) {
		r = read(fd, rec, sizeof(rec) - 1);
		if (r < 0 && errno == EPIPE)
			continue;	/* overwritten records */
		if (r <= 0)
			break;
		rec[r] = 0;
		if (strstr(rec, needle)) {
			TH_LOG("kernel: %.200s", rec);
			n++;
		}
	}
	return n;
}

static int ram_dev(__u64 size, __u64 flags)
{
	return dev_add_simple(COWRAP_BACKEND_RAM, size, flags);
}

static int bdev_dev(int low, __u32 timeout_ms)
{
	struct cowrap_dev_add a;
	char path[64];

	snprintf(path, sizeof(path), "/dev/cowrap%d", low);
	add_init(&a, COWRAP_BACKEND_BDEV, 0);
	a.path = (uintptr_t)path;
	a.path_len = strlen(path) + 1;
	a.timeout_ms = timeout_ms;
	return dev_add(&a);
}

/* Every lower request waits 1 s: the stall of these tests. */
static int stall(int id, int on)
{
	if (!on)
		return dev_fault(id, COWRAP_FAULT_NONE, 0, 0, 0, 0);
	return dev_fault(id, COWRAP_FAULT_DELAY, COWRAP_OP_MASK_ALL, 1, 0,
			 SEC_NS);
}

/* ---- 1. a slow DEL does not hold up other control commands ---- */

struct slow_call {
	int id;
	__u64 len;
	int ret;
	atomic_int done;
};

static void *slow_pread(void *opaque)
{
	struct slow_call *c = opaque;
	void *buf = abuf(c->len);

	c->ret = dev_io(COWRAP_IOC_PREAD, c->id, 0, c->len, buf, 0);
	atomic_store(&c->done, 1);
	free(buf);
	return NULL;
}

static void *slow_del(void *opaque)
{
	struct slow_call *c = opaque;

	c->ret = dev_del(c->id);
	atomic_store(&c->done, 1);
	return NULL;
}

/* Run @what and return how long it took, in ms. */
#define TIMED(ms, what)							\
	do {								\
		long long __t = now_ms();				\
		what;							\
		(ms) = now_ms() - __t;					\
	} while (0)

TEST_TIMEOUT(robust_slow_del_does_not_block_control_commands, 90)
{
	struct slow_call rd = { 0 }, del = { 0 };
	__u32 ids[COWRAP_MAX_DEVICES];
	struct cowrap_dev_list l = { .size = sizeof(l),
				     .count = COWRAP_MAX_DEVICES,
				     .ids = (uintptr_t)ids };
	struct cowrap_dev_info info;
	long long t_list, t_info, t_add, t_del, t_live;
	pthread_t t_rd, t_del_th;
	int low, up, other, r_list, r_info, r_del;
	long live;

	del_all();
	low = ram_dev(64 * MiB, 0);
	ASSERT_GE(low, 0);
	up = bdev_dev(low, 0);
	ASSERT_GE(up, 0);
	ASSERT_EQ(stall(low, 1), 0);
	/* 256 KiB: four lower requests of 1 s each, DEL waits for them */
	rd.id = up;
	rd.len = 256 * 1024;
	pthread_create(&t_rd, NULL, slow_pread, &rd);
	sleep_ms(300);
	del.id = up;
	pthread_create(&t_del_th, NULL, slow_del, &del);
	sleep_ms(300);
	ASSERT_FALSE(atomic_load(&del.done));

	TIMED(t_list, r_list = ioctl(ctl_fd(), COWRAP_IOC_LIST, &l));
	TIMED(t_info, r_info = dev_info(low, &info));
	TIMED(t_add, other = ram_dev(MiB, 0));
	TIMED(t_del, r_del = other >= 0 ? dev_del(other) : other);
	TIMED(t_live, live = live_counter("devices"));
	TH_LOG("while DEL waits: LIST %lld ms, GET_DEV_INFO %lld ms, ADD %lld ms, DEL %lld ms, debugfs %lld ms",
	       t_list, t_info, t_add, t_del, t_live);
	/* the slow DEL is still waiting: the calls above ran beside it */
	ASSERT_FALSE(atomic_load(&del.done));
	ASSERT_EQ(stall(low, 0), 0);
	pthread_join(t_rd, NULL);
	pthread_join(t_del_th, NULL);

	ASSERT_EQ(r_list, 0);
	ASSERT_EQ(r_info, 0);
	ASSERT_GE(other, 0);
	ASSERT_EQ(r_del, 0);
	ASSERT_GE(live, 2);
	ASSERT_LT(t_list, 1000);
	ASSERT_LT(t_info, 1000);
	ASSERT_LT(t_add, 1000);
	ASSERT_LT(t_del, 1000);
	ASSERT_LT(t_live, 1000);
	ASSERT_EQ(rd.ret, 0);
	ASSERT_EQ(del.ret, 0);
	ASSERT_FALSE(dev_exists(up));
	ASSERT_EQ(dev_del(low), 0);
}

/* ---- 2. a synchronous ioctl on a stalled device can be killed ---- */

static int wait_gone(pid_t pid, unsigned int ms, int *status)
{
	long long end = now_ms() + ms;

	while (now_ms() < end) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		sleep_ms(20);
	}
	return -ETIMEDOUT;
}

static int wait_quiet(int id, struct cowrap_dev_stats *st, unsigned int ms)
{
	long long end = now_ms() + ms;

	do {
		if (dev_stats(id, st, 0))
			return -errno;
		if (!st->inflight)
			return 0;
		sleep_ms(20);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

TEST_TIMEOUT(robust_sync_pread_killed_on_stalled_device, 90)
{
	struct cowrap_dev_stats st;
	char dev[16];
	int low, up, status = 0;
	long long t;
	pid_t pid;

	del_all();
	low = ram_dev(64 * MiB, 0);
	ASSERT_GE(low, 0);
	up = bdev_dev(low, 0);
	ASSERT_GE(up, 0);
	ASSERT_EQ(stall(low, 1), 0);
	snprintf(dev, sizeof(dev), "%d", up);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		/* 1 MiB: 16 lower requests, 16 s of stall */
		execl(CTL_TOOL, "cowrapctl", "pread", "--file", "/dev/null",
		      dev, "0", "1048576", (char *)NULL);
		_exit(127);
	}
	sleep_ms(1500);
	ASSERT_EQ(waitpid(pid, &status, WNOHANG), 0);	/* still stuck */
	ASSERT_EQ(dev_stats(up, &st, 0), 0);
	ASSERT_EQ(st.inflight, 1);
	t = now_ms();
	ASSERT_EQ(kill(pid, SIGKILL), 0);
	ASSERT_EQ(wait_gone(pid, 3000, &status), 0);
	TH_LOG("cowrapctl pread gone %lld ms after SIGKILL", now_ms() - t);
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(WTERMSIG(status), SIGKILL);

	/* the call goes on in the module and is counted once */
	ASSERT_EQ(dev_stats(up, &st, 0), 0);
	ASSERT_EQ(st.sync_calls, 1);
	ASSERT_EQ(stall(low, 0), 0);
	ASSERT_EQ(wait_quiet(up, &st, 10000), 0);
	ASSERT_EQ(st.reqs[COWRAP_OP_READ], 1);
	ASSERT_EQ(st.errors[COWRAP_OP_READ], 0);
	ASSERT_EQ(st.co_started, 1);
	/* the device still works, and goes once the stall has ended */
	ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, up, 0, 4096, abuf(4096), 0), 0);
	ASSERT_EQ(dev_del(up), 0);
	ASSERT_EQ(dev_del(low), 0);
	ASSERT_EQ(live_counter("devices"), 0);
	ASSERT_EQ(live_counter("dev_coroutines"), 0);
}

/* ---- 2b. a request that runs past the device's timeout ---- */

TEST_TIMEOUT(robust_request_timeout_fails_with_etimedout, 90)
{
	const size_t len = 512 * 1024;
	unsigned char *buf = abuf(len);
	struct cowrap_dev_stats st;
	int low, mid, up, fd;
	long long t;
	ssize_t r;

	del_all();
	low = ram_dev(64 * MiB, 0);
	ASSERT_GE(low, 0);
	mid = bdev_dev(low, 0);
	ASSERT_GE(mid, 0);
	up = bdev_dev(mid, 100);
	ASSERT_GE(up, 0);
	fd = dev_open(up, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	/*
	 * Each request of the upper device waits 1 s in the middle device
	 * and 1 s more in the lower one: at least 2 s against a timeout of
	 * 100 ms, which the block layer's timer (rounded up to a second)
	 * notices within about 1.1 s.
	 */
	ASSERT_EQ(stall(low, 1), 0);
	ASSERT_EQ(stall(mid, 1), 0);
	t = now_ms();
	errno = 0;
	r = pread(fd, buf, len, 0);
	TH_LOG("stalled read: %zd (%s) after %lld ms", r, strerror(errno),
	       now_ms() - t);
	ASSERT_EQ(r, -1);
	ASSERT_TRUE(errno == ETIMEDOUT || errno == EIO);
	ASSERT_EQ(stall(mid, 0), 0);
	ASSERT_EQ(stall(low, 0), 0);
	ASSERT_EQ(wait_quiet(up, &st, 10000), 0);
	ASSERT_GE(st.errors[COWRAP_OP_READ], 1);
	ASSERT_EQ(st.errors[COWRAP_OP_READ], st.reqs[COWRAP_OP_READ]);
	ASSERT_EQ(st.co_started, st.reqs[COWRAP_OP_READ]);

	/* the device goes on working, at full length */
	ASSERT_EQ(dev_stats(up, &st, COWRAP_STATS_RESET), 0);
	pat_fill(buf, 0, len, 7);
	ASSERT_EQ(full_pwrite(fd, buf, len, 0), 0);
	memset(buf, 0, len);
	ASSERT_EQ(full_pread(fd, buf, len, 0), 0);
	ASSERT_EQ(pat_check(buf, 0, len, 7), -1);
	ASSERT_EQ(dev_stats(up, &st, 0), 0);
	ASSERT_EQ(st.errors[COWRAP_OP_READ] + st.errors[COWRAP_OP_WRITE], 0);
	ASSERT_EQ(st.inflight, 0);
	close(fd);
	free(buf);
	ASSERT_EQ(dev_del(up), 0);
	ASSERT_EQ(dev_del(mid), 0);
	ASSERT_EQ(dev_del(low), 0);
}

/* ---- 3. deleting a full ram device does not hog the CPU ---- */

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * A real-time thread that sleeps 1 ms at a time: max_gap is the longest
 * time between two of its wake-ups, run_delay_ms the time it spent
 * runnable but not running (the scheduler's schedstat), runs the times it
 * woke.  A CPU that does not reschedule shows in all three; so, under
 * TCG, does a vCPU the (shared) host does not run for a while, in the
 * delay as much as in the gap, which is why the test weighs the longest
 * gap against the length of the deletion.
 */
struct probe {
	int cpu;
	atomic_int stop;
	atomic_long runs;
	long long max_gap;
	long long run_delay_ms;
};

/* Time this thread waited on a run queue, in ns (0 without schedstat). */
static long long run_delay_ns(void)
{
	unsigned long long run, delay = 0;
	FILE *f = fopen("/proc/thread-self/schedstat", "r");

	if (f) {
		if (fscanf(f, "%llu %llu", &run, &delay) != 2)
			delay = 0;
		fclose(f);
	}
	return delay;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *probe_run(void *opaque)
{
	struct sched_param sp = { .sched_priority = 50 };
	struct probe *p = opaque;
	long long last;

	long long delay0;

	pin(p->cpu);
	/* real-time: nothing but a CPU that does not reschedule delays it */
	sched_setscheduler(0, SCHED_FIFO, &sp);
	delay0 = run_delay_ns();
	last = now_ms();
	while (!atomic_load(&p->stop)) {
		long long t;

		sleep_ms(1);
		atomic_fetch_add(&p->runs, 1);
		t = now_ms();
		if (t - last > p->max_gap)
			p->max_gap = t - last;
		last = t;
	}
	p->run_delay_ms = (run_delay_ns() - delay0) / 1000000;
	return NULL;
}

/* What the guest can hold: at most 1.5 GiB, 256 MiB left free. */
static __u64 big_size(void)
{
	char line[128];
	long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %lld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	kb = kb / 1024 - 256;
	if (kb > 1536)
		kb = 1536;
	return kb > 0 ? (__u64)kb * MiB : 0;
}

/*
 * Fill a ram device of @size and delete it from CPU 1 next to a probe;
 * *@pages gets the pages the device held, *@runs the times the probe ran
 * during the deletion.  Return: DEL's result.
 */
static int del_full_device(__u64 size, struct probe *pr, long *pages,
			   long long *t_del, long *runs)
{
	const size_t chunk = MiB;
	unsigned char *buf = abuf(chunk);
	pthread_t t;
	int id, fd, ret;
	__u64 off;

	memset(pr, 0, sizeof(*pr));
	pr->cpu = 1;
	id = ram_dev(size, 0);
	fd = id >= 0 ? dev_open(id, O_RDWR | O_DIRECT) : -1;
	if (!buf || fd < 0)
		return -ENOMEM;
	for (off = 0; off < size; off += chunk) {
		memset(buf, (int)(off >> 20) | 1, chunk);
		if (full_pwrite(fd, buf, chunk, off))
			return -EIO;
	}
	close(fd);
	free(buf);
	*pages = live_counter("ram_pages");
	/* the deleting thread and the probe share CPU 1 */
	pin(1);
	pthread_create(&t, NULL, probe_run, pr);
	sleep_ms(50);
	*runs = atomic_load(&pr->runs);
	TIMED(*t_del, ret = dev_del(id));
	*runs = atomic_load(&pr->runs) - *runs;
	sleep_ms(50);
	atomic_store(&pr->stop, 1);
	pthread_join(t, NULL);
	return ret;
}

TEST_TIMEOUT(robust_del_full_ram_device_no_soft_lockup, 300)
{
	__u64 size = big_size();
	long long t_del, best = -1;
	struct probe pr;
	long pages, runs;
	int kfd, i;

	del_all();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP("needs two CPUs");
	ASSERT_GE(size, 512 * MiB);
	/*
	 * The watchdog keeps its threshold: lowered to 1 (soft lockups
	 * after 2 s) it fired on the debug kernel of a busy host, whose vCPU
	 * the host did not run for seconds, and the probe's gap (below) finds
	 * a loop that does not reschedule without it.
	 */
	kfd = kmsg_mark();
	ASSERT_GE(kfd, 0);
	/*
	 * Two deletions: a loop that never reschedules keeps the probe off
	 * the CPU in each (deterministic), a host that does not run the vCPU
	 * at the wrong moment is seldom the same twice; the best one counts.
	 */
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(del_full_device(size, &pr, &pages, &t_del, &runs), 0);
		TH_LOG("DEL of %ld pages: %lld ms; a thread on the same CPU ran %ld times meanwhile: longest gap %lld ms, runnable but not run %lld ms",
		       pages, t_del, runs, pr.max_gap, pr.run_delay_ms);
		ASSERT_GE(pages, (long)(size / 4096));
		ASSERT_EQ(live_counter("ram_pages"), 0);
		/* the longest gap, in thousandths of the deletion */
		if (t_del > 0 && (best < 0 || pr.max_gap * 1000 / t_del < best))
			best = pr.max_gap * 1000 / t_del;
	}
	ASSERT_EQ(kmsg_count(kfd, "soft lockup"), 0);
	ASSERT_EQ(kmsg_count(kfd, "rcu_sched self-detected stall"), 0);
	ASSERT_EQ(kmsg_count(kfd, "rcu_preempt self-detected stall"), 0);
	close(kfd);
	/*
	 * The other thread on that CPU (real-time, waking every millisecond)
	 * ran while the pages were freed: a loop that never reschedules keeps
	 * it off for the whole loop (1.4-1.7 s of a 1.5-1.8 s deletion of
	 * 1.5 GiB under TCG; 2 s make a soft lockup), one that does lets it
	 * run at every wake-up.  A share, not a time: on a busy host the time
	 * the vCPU does not run counts as run-queue delay in the guest and
	 * stretched one gap of a loop that reschedules past 100 ms, but it
	 * stretches the deletion as much (66 ms of 2.9 s).
	 */
	TH_LOG("the probe's longest gap: %lld/1000 of the deletion (best of two)",
	       best);
	ASSERT_LT(best, 250);
}

/* ---- 4. FLUSH of a read-only, write-cached device ---- */

TEST(robust_flush_read_only_write_cache_both_paths)
{
	struct cowrap_dev_stats st;
	int id, fd;

	del_all();
	id = ram_dev(MiB, COWRAP_DEV_READ_ONLY | COWRAP_DEV_WRITE_CACHE);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDONLY);
	ASSERT_GE(fd, 0);
	/* an empty flush is allowed on a read-only disk: the block path */
	ASSERT_EQ(fsync(fd), 0);
	/* and the ioctl path */
	ASSERT_EQ(dev_io(COWRAP_IOC_FLUSH, id, 0, 0, NULL, 0), 0);
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_GE(st.reqs[COWRAP_OP_FLUSH], 2);
	ASSERT_EQ(st.errors[COWRAP_OP_FLUSH], 0);
	/* writes are still refused */
	ASSERT_EQ(dev_io(COWRAP_IOC_PWRITE, id, 0, 512, abuf(512), 0), -EROFS);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
}

/* ---- 5. a page allocation failure fails the request with EIO ---- */

TEST(robust_ram_page_alloc_failure_is_eio)
{
	unsigned char *buf = abuf(8192);
	struct cowrap_dev_stats st;
	int id, fd;

	del_all();
	id = ram_dev(MiB, 0);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(write_file(FAIL_ALLOC, "1"), 0);
	pat_fill(buf, 0, 8192, 3);
	/* the first page of the request cannot be allocated */
	errno = 0;
	ASSERT_EQ(pwrite(fd, buf, 4096, 0), -1);
	ASSERT_EQ(errno, EIO);
	/* the next one can */
	ASSERT_EQ(full_pwrite(fd, buf, 8192, 0), 0);
	memset(buf, 0, 8192);
	ASSERT_EQ(full_pread(fd, buf, 8192, 0), 0);
	ASSERT_EQ(pat_check(buf, 0, 8192, 3), -1);
	/* the synchronous path says what it is */
	ASSERT_EQ(write_file(FAIL_ALLOC, "1"), 0);
	ASSERT_EQ(dev_io(COWRAP_IOC_PWRITE, id, 65536, 4096, buf, 0), -ENOMEM);
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_EQ(st.errors[COWRAP_OP_WRITE], 2);
	ASSERT_EQ(st.reqs[COWRAP_OP_WRITE], 3);
	ASSERT_EQ(st.inflight, 0);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	free(buf);
}

/* ---- 9. the size field is read from userspace once ---- */

struct flipper {
	volatile __u32 *size;
	atomic_int stop;
};

static void *flip_size(void *opaque)
{
	struct flipper *f = opaque;

	pin(1);
	while (!atomic_load(&f->stop)) {
		*f->size = 8;
		*f->size = COWRAP_INFO_SIZE_VER0;
	}
	return NULL;
}

TEST_TIMEOUT(robust_ctl_struct_size_read_once, 60)
{
	struct cowrap_info *info = abuf(4096);
	struct flipper f = { .size = &info->size };
	unsigned long ok = 0, einval = 0, short_copy = 0;
	long long end;
	pthread_t t;

	pin(0);
	pthread_create(&t, NULL, flip_size, &f);
	end = now_ms() + 3000;
	while (now_ms() < end) {
		int k;

		for (k = 0; k < 1000; k++) {
			/* poison the output-only fields; flags, reserved 0 */
			info->abi_version = 0xAAAAAAAA;
			memset(info->version, 0xAA, sizeof(info->version));
			if (ioctl(ctl_fd(), COWRAP_IOC_GET_INFO, info) < 0) {
				einval += errno == EINVAL;
				continue;
			}
			ok++;
			/* accepted with size 56: all 56 bytes were written */
			if (info->abi_version != COWRAP_ABI_VERSION)
				short_copy++;
		}
	}
	atomic_store(&f.stop, 1);
	pthread_join(t, NULL);
	TH_LOG("%lu calls accepted, %lu refused, %lu answered short", ok,
	       einval, short_copy);
	ASSERT_GT(ok, 0);
	ASSERT_EQ(short_copy, 0);
	free(info);
}

/* ---- 7. a module init that fails leaves no device behind ---- */

static long mod_delete(void)
{
	return syscall(SYS_delete_module, "cowrap_blk", O_NONBLOCK);
}

static long mod_insert(const char *params)
{
	int fd = open(KO_PATH, O_RDONLY | O_CLOEXEC);
	long r;

	if (fd < 0)
		return -1;
	r = syscall(SYS_finit_module, fd, params, 0);
	close(fd);
	return r;
}

struct opener {
	atomic_int stop;
	int opened;
};

/* Try to open a device of the failing load, as udev would. */
static void *open_loop(void *opaque)
{
	struct opener *o = opaque;

	while (!atomic_load(&o->stop)) {
		int fd = open("/dev/cowrap0", O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			o->opened++;
			close(fd);
		}
	}
	return NULL;
}

static int uevent_socket(void)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       NETLINK_KOBJECT_UEVENT);

	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(s);
		return -1;
	}
	return s;
}

/* "add" uevents of cowrap block devices received on @s. */
static int uevent_disk_adds(int s)
{
	char msg[4096];
	ssize_t n;
	int adds = 0;

	while ((n = recv(s, msg, sizeof(msg) - 1, 0)) > 0) {
		msg[n] = 0;
		if (!strncmp(msg, "add@", 4) && strstr(msg, "/block/cowrap")) {
			TH_LOG("uevent %s", msg);
			adds++;
		}
	}
	return adds;
}

TEST_TIMEOUT(robust_failed_init_creates_no_device, 60)
{
	struct opener op = { 0 };
	pthread_t t;
	int s, adds, err;
	long r;

	del_all();
	ctl_close();
	ASSERT_EQ(mod_delete(), 0);
	/* a kernel without networking (the debug kernel) has no uevents */
	s = uevent_socket();
	if (s < 0)
		TH_LOG("no uevent socket (%s): uevents not counted", strerror(errno));
	pthread_create(&t, NULL, open_loop, &op);
	r = mod_insert("nr_devices=2 test_fail_ctl_register=1");
	err = errno;
	atomic_store(&op.stop, 1);
	pthread_join(t, NULL);
	sleep_ms(200);
	adds = s >= 0 ? uevent_disk_adds(s) : 0;
	if (s >= 0)
		close(s);
	TH_LOG("failing load: %ld (%s); disk add uevents %d, opens %d",
	       r, r ? strerror(err) : "loaded", adds, op.opened);
	if (r == 0)		/* the hook is missing: unload again */
		mod_delete();
	ASSERT_EQ(mod_insert(""), 0);
	ASSERT_EQ(r, -1);
	ASSERT_EQ(err, ENOMEM);
	ASSERT_EQ(adds, 0);
	ASSERT_EQ(op.opened, 0);
	/* the module loads normally afterwards and works */
	ASSERT_GE(ctl_fd(), 0);
	r = ram_dev(MiB, 0);
	ASSERT_GE(r, 0);
	ASSERT_EQ(dev_del(r), 0);
}

TEST_HARNESS_MAIN
