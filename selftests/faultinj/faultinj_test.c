// SPDX-License-Identifier: GPL-2.0
/*
 * faultinj_test: cowrap under allocation failure, run in the VM on a kernel
 * with fault injection (the debug kernel of "make check-debug"); every case
 * skips where /sys/kernel/debug/failslab is absent (Debian's kernels).
 *
 * failslab and fail_page_alloc are armed with their task filter, so only
 * this test's own process (/proc/self/make-it-fail) sees failures: the
 * ioctls it makes, the I/O it submits (blk-mq runs a request that does not
 * park on the submitting task), the coroutines it creates through
 * cowrap_test.ko. The "_nth" cases walk /proc/thread-self/fail-nth over
 * every allocation of one call instead. Each case checks that
 *  - every call returns 0 or a documented errno (ENOMEM; EIO for I/O),
 *    and a read that succeeds returns the data last written;
 *  - nothing is left behind: debugfs cowrap/live back to zero;
 *  - once injection stops the device serves I/O again, data verified;
 * and reports how many failures were injected (none: the case fails).
 * The last case scans with kmemleak and fails on a report naming cowrap;
 * the VM runner checks the kernel log for KASAN, lockdep and the rest.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "../harness.h"
#include "../blk/blk_util.h"
#include "../coroutine/co_common.h"

#define FI_SLAB		"/sys/kernel/debug/failslab"
#define FI_PAGE		"/sys/kernel/debug/fail_page_alloc"
#define FI_LEAK		"/sys/kernel/debug/kmemleak"
#define FI_NULLB	"/sys/kernel/config/nullb/cwfi"
#define FI_NULLB_DEV	"/dev/cwfi"
#define FI_TIMES	1000000L
#define FI_DEV_SIZE	(16 * MiB)
#define FI_BLK		4096
#define FI_NBLK		(FI_DEV_SIZE / FI_BLK)

/* ---- the injectors ---- */

static int fi_put(const char *dir, const char *knob, const char *val)
{
	char p[160];
	int fd, ret = 0;

	snprintf(p, sizeof(p), "%s/%s", dir, knob);
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static long fi_get(const char *dir, const char *knob)
{
	char p[160];
	long v = -1;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, knob);
	f = fopen(p, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static void fi_require(void)
{
	if (access(FI_SLAB, F_OK) || access(FI_PAGE, F_OK))
		SKIP("no %s: the kernel has no fault injection (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC)",
		     FI_SLAB);
}

/*
 * /proc/self/make-it-fail, opened while nothing fails: opening it to stop
 * injection could itself fail with ENOMEM and leave injection on.
 */
static int fi_mif_fd = -1;

static void fi_make_it_fail(int on)
{
	int k;

	if (fi_mif_fd < 0)
		fi_mif_fd = open("/proc/self/make-it-fail", O_RDWR | O_CLOEXEC);
	for (k = 0; k < 100; k++)	/* a write allocates nothing; still */
		if (pwrite(fi_mif_fd, on ? "1" : "0", 1, 0) == 1)
			break;
}

/*
 * Arm both injectors with @slab_pct / @page_pct percent and the task
 * filter; nothing fails until fi_start(). Sleeping and highmem allocations
 * are not exempt (the defaults exempt them), order 0 neither.
 */
static int fi_arm_iv(unsigned int slab_pct, unsigned int page_pct,
		     unsigned int interval)
{
	char v[32], iv[16];
	int ret = 0;

	snprintf(v, sizeof(v), "%ld", FI_TIMES);
	ret |= fi_put(FI_SLAB, "task-filter", "Y");
	ret |= fi_put(FI_SLAB, "ignore-gfp-wait", "N");
	snprintf(iv, sizeof(iv), "%u", interval);
	ret |= fi_put(FI_SLAB, "interval", iv);
	ret |= fi_put(FI_SLAB, "space", "0");
	ret |= fi_put(FI_SLAB, "verbose", "1");
	ret |= fi_put(FI_SLAB, "times", v);
	ret |= fi_put(FI_PAGE, "task-filter", "Y");
	ret |= fi_put(FI_PAGE, "ignore-gfp-wait", "N");
	ret |= fi_put(FI_PAGE, "ignore-gfp-highmem", "N");
	ret |= fi_put(FI_PAGE, "min-order", "0");
	ret |= fi_put(FI_PAGE, "interval", iv);
	ret |= fi_put(FI_PAGE, "space", "0");
	ret |= fi_put(FI_PAGE, "verbose", "1");
	ret |= fi_put(FI_PAGE, "times", v);
	snprintf(v, sizeof(v), "%u", slab_pct);
	ret |= fi_put(FI_SLAB, "probability", v);
	snprintf(v, sizeof(v), "%u", page_pct);
	ret |= fi_put(FI_PAGE, "probability", v);
	fi_make_it_fail(0);	/* opens it */
	return ret || fi_mif_fd < 0 ? -EIO : 0;
}

static int fi_arm(unsigned int slab_pct, unsigned int page_pct)
{
	return fi_arm_iv(slab_pct, page_pct, 1);
}

static void fi_start(void)
{
	fi_make_it_fail(1);
}

/* Stop injecting; returns how many failures were injected since fi_arm(). */
static long fi_stop(void)
{
	fi_make_it_fail(0);
	fi_put(FI_SLAB, "probability", "0");
	fi_put(FI_PAGE, "probability", "0");
	return 2 * FI_TIMES - fi_get(FI_SLAB, "times") - fi_get(FI_PAGE, "times");
}

/*
 * /proc/thread-self/fail-nth, opened once: opening it for each access
 * would allocate, and so count as injection points itself.
 */
static int fi_nth_fd = -1;

/* Fail the @n-th fault-injection point of this thread's next calls. */
static int fi_nth(unsigned int n)
{
	char v[16];
	int len;

	if (fi_nth_fd < 0)
		fi_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fi_nth_fd < 0)
		return -errno;
	len = snprintf(v, sizeof(v), "%u", n);
	return pwrite(fi_nth_fd, v, len, 0) == len ? 0 : -errno;
}

/* 0 when the nth failure was injected, else how many points were left. */
static long fi_nth_left(void)
{
	char v[32];
	ssize_t n = pread(fi_nth_fd, v, sizeof(v) - 1, 0);

	if (n <= 0)
		return -1;
	v[n] = '\0';
	return strtol(v, NULL, 10);
}

/*
 * Keep the test's own memory from failing: a page fault that cannot get
 * a page only retries, but it would make the test itself the subject.
 */
static void fi_prefault(void)
{
	volatile char stack[256 * 1024];

	memset((char *)stack, 0, sizeof(stack));
	mlockall(MCL_CURRENT | MCL_FUTURE);
}

/* ---- what must hold afterwards ---- */


/* Every device gone: the live counters of devices and their parts are 0. */
static int fi_live_clean(void)
{
	static const char * const names[] = {
		"registry_devices", "devices", "disks", "backends", "ram_pages",
		"dev_coroutines", "dev_coroutines_allocated",
	};
	unsigned int i, k;
	int bad = 0;

	for (k = 0; k < 200; k++) {	/* a DEL completes its last put late */
		bad = 0;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (live_counter(names[i]) != 0)
				bad = 1;
		if (!bad)
			return 0;
		usleep(50000);
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		TH_LOG("live %s %ld", names[i], live_counter(names[i]));
	return -1;
}

/* Write a pattern over the whole device and read it back: 0 or -errno. */
static int fi_verify_dev(int id, unsigned int seed)
{
	unsigned char *buf = abuf(MiB);
	__u64 off;
	int fd, ret = 0;

	fd = dev_open(id, O_RDWR | O_DIRECT);
	if (fd < 0 || !buf) {
		free(buf);
		return fd < 0 ? -errno : -ENOMEM;
	}
	for (off = 0; off < FI_DEV_SIZE && !ret; off += MiB) {
		pat_fill(buf, off, MiB, seed);
		ret = full_pwrite(fd, buf, MiB, off);
	}
	if (!ret)
		ret = fsync(fd) ? -errno : 0;
	for (off = 0; off < FI_DEV_SIZE && !ret; off += MiB) {
		memset(buf, 0, MiB);
		ret = full_pread(fd, buf, MiB, off);
		if (!ret && pat_check(buf, off, MiB, seed) >= 0)
			ret = -EILSEQ;
	}
	close(fd);
	free(buf);
	return ret;
}

/* ---- backends ---- */

enum fi_backend { FI_RAM, FI_NULL, FI_BDEV_NULLB, FI_BDEV_COWRAP };

struct fi_setup {
	enum fi_backend be;
	int lower;		/* FI_BDEV_COWRAP: the ram device below */
	char path[64];
};

static int fi_sh(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The lower device of a bdev backend, made without injection. */
static int fi_lower_up(struct fi_setup *s)
{
	char mb[16];

	s->lower = -1;
	s->path[0] = '\0';
	if (s->be == FI_BDEV_COWRAP) {
		s->lower = dev_add_simple(COWRAP_BACKEND_RAM, FI_DEV_SIZE, 0);
		if (s->lower < 0)
			return s->lower;
		snprintf(s->path, sizeof(s->path), "/dev/cowrap%d", s->lower);
	} else if (s->be == FI_BDEV_NULLB) {
		fi_sh("grep -q '^configfs' /proc/modules || insmod /lib/peer/configfs.ko");
		fi_sh("grep -q '^null_blk ' /proc/modules || insmod /lib/peer/null_blk.ko nr_devices=0");
		fi_sh("grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs none /sys/kernel/config");
		if (mkdir(FI_NULLB, 0755) && errno != EEXIST)
			return -errno;
		snprintf(mb, sizeof(mb), "%llu", FI_DEV_SIZE / MiB);
		if (fi_put(FI_NULLB, "size", mb) || fi_put(FI_NULLB, "memory_backed", "1") ||
		    fi_put(FI_NULLB, "power", "1"))
			return -EIO;
		snprintf(s->path, sizeof(s->path), "%s", FI_NULLB_DEV);
	}
	return 0;
}

static void fi_lower_down(struct fi_setup *s)
{
	if (s->be == FI_BDEV_COWRAP && s->lower >= 0)
		dev_del(s->lower);
	if (s->be == FI_BDEV_NULLB) {
		fi_put(FI_NULLB, "power", "0");
		rmdir(FI_NULLB);
	}
}

/* ADD on the case's backend: id or -errno. */
static int fi_add(struct fi_setup *s)
{
	static const __u32 be[] = {
		[FI_RAM] = COWRAP_BACKEND_RAM, [FI_NULL] = COWRAP_BACKEND_NULL,
		[FI_BDEV_NULLB] = COWRAP_BACKEND_BDEV,
		[FI_BDEV_COWRAP] = COWRAP_BACKEND_BDEV,
	};
	struct cowrap_dev_add a;

	add_init(&a, be[s->be], FI_DEV_SIZE);
	a.dev_flags = COWRAP_DEV_WRITE_CACHE;
	if (s->be == FI_RAM || s->be == FI_NULL)
		a.dev_flags |= COWRAP_DEV_DISCARD | COWRAP_DEV_WRITE_ZEROES;
	if (s->path[0]) {
		a.path = (uintptr_t)s->path;
		a.path_len = strlen(s->path) + 1;
	}
	return dev_add(&a);
}

static int fi_exists(int id)
{
	struct cowrap_dev_info i;

	return dev_info(id, &i) == 0;
}

/* ---- ADD and DEL with a share of allocations failing ---- */

/*
 * EINVAL from an ADD whose allocation failed is the kernel's, not
 * cowrap's: device_add_disk() (block/genhd.c) ignores the failure of
 * dev_set_name(), and device_add() then fails a nameless device with
 * -EINVAL, which add_disk() and so ADD return. Counted and logged; any
 * other errno but ENOMEM fails.
 */
static int fi_add_einval;

#define FI_ADD_ROUNDS	40

static void fi_add_del(enum fi_backend be)
{
	struct fi_setup s = { .be = be };
	int ids[FI_ADD_ROUNDS], added = 0, add_nomem = 0, del_nomem = 0;
	int bad_add = 0, bad_del = 0, i, id, ret;
	long injected;

	fi_require();
	fi_prefault();
	del_all();
	ASSERT_EQ(fi_lower_up(&s), 0);
	ASSERT_GE(ctl_fd(), 0);
	/*
	 * 5 % of every 50th: 0.1 %. An ADD makes some 800 allocations, and
	 * with 1 % failing only 1 to 6 of 40 ADDs got through.
	 */
	ASSERT_EQ(fi_arm_iv(5, 5, 50), 0);
	fi_start();
	for (i = 0; i < FI_ADD_ROUNDS; i++) {
		ids[i] = -1;
		id = fi_add(&s);
		if (id >= 0) {
			added++;
			ret = dev_del(id);
			if (ret == -ENOMEM) {
				del_nomem++;
				ids[i] = id;	/* still there: DEL it below */
			} else if (ret) {
				bad_del = ret;
				ids[i] = id;
			}
		} else if (id == -ENOMEM) {
			add_nomem++;
		} else if (id == -EINVAL) {
			fi_add_einval++;
		} else {
			bad_add = id;
		}
	}
	injected = fi_stop();
	TH_LOG("%ld failures injected: ADD %d ok, %d ENOMEM, %d EINVAL (add_disk); DEL %d ENOMEM",
	       injected, added, add_nomem, fi_add_einval, del_nomem);
	ASSERT_EQ(bad_add, 0);
	ASSERT_EQ(bad_del, 0);
	ASSERT_GT(injected, 0);
	for (i = 0; i < FI_ADD_ROUNDS; i++)
		if (ids[i] >= 0) {
			ASSERT_TRUE(fi_exists(ids[i]));
			ASSERT_EQ(dev_del(ids[i]), 0);
		}
	/* the backend works once injection has stopped */
	id = fi_add(&s);
	ASSERT_GE(id, 0);
	if (be != FI_NULL)
		ASSERT_EQ(fi_verify_dev(id, 0x15), 0);
	ASSERT_EQ(dev_del(id), 0);
	fi_lower_down(&s);
	ASSERT_EQ(fi_live_clean(), 0);
}

TEST_TIMEOUT(faultinj_add_del_ram, 300) { fi_add_del(FI_RAM); }
TEST_TIMEOUT(faultinj_add_del_null, 300) { fi_add_del(FI_NULL); }
TEST_TIMEOUT(faultinj_add_del_bdev_null_blk, 300) { fi_add_del(FI_BDEV_NULLB); }
TEST_TIMEOUT(faultinj_add_del_bdev_cowrap, 300) { fi_add_del(FI_BDEV_COWRAP); }

/*
 * ADD with the nth injection point failing, for n = 1, 2, ... until an
 * ADD runs out of points before reaching n: every allocation an ADD makes
 * in the caller has failed once. Then DEL the same way.
 */
#define FI_NTH_MAX	1500
#define FI_NTH_DENSE	48	/* every point up to here, then a stride */
#define FI_NTH_STRIDE	23

static int fi_nth_next(int n)
{
	return n < FI_NTH_DENSE ? n + 1 : n + FI_NTH_STRIDE;
}

static void fi_add_nth(enum fi_backend be)
{
	struct fi_setup s = { .be = be };
	int n, id, nomem = 0, del_nomem = 0, covered = 0, bad = 0, tried = 0;
	long left;

	fi_require();
	fi_prefault();
	del_all();
	ASSERT_EQ(fi_lower_up(&s), 0);
	ASSERT_GE(ctl_fd(), 0);
	ASSERT_EQ(fi_arm(0, 0), 0);	/* fail-nth only: no random failures */
	ASSERT_EQ(fi_nth(0), 0);
	for (n = 1; n <= FI_NTH_MAX && !covered; n = fi_nth_next(n)) {
		tried++;
		fi_nth(n);
		id = fi_add(&s);
		left = fi_nth_left();
		fi_nth(0);
		if (left > 0)
			covered = 1;	/* the nth point was never reached */
		if (id == -ENOMEM) {
			nomem++;
			continue;
		}
		if (id == -EINVAL) {
			TH_LOG("ADD with point %d failing: EINVAL (add_disk)", n);
			fi_add_einval++;
			continue;
		}
		if (id < 0) {
			TH_LOG("ADD with point %d failing: %s", n, strerror(-id));
			bad = id;
			break;
		}
		if (dev_del(id)) {
			bad = -1;
			break;
		}
	}
	TH_LOG("ADD: %d of about %d injection points tried, %d ENOMEM, %d EINVAL (add_disk)",
	       tried, n, nomem, fi_add_einval);
	ASSERT_EQ(bad, 0);
	ASSERT_TRUE(covered);

	/* DEL, each point failing once */
	covered = 0;
	for (n = 1; n <= FI_NTH_MAX && !covered; n = fi_nth_next(n)) {
		int ret;

		id = fi_add(&s);
		ASSERT_GE(id, 0);
		fi_nth(n);
		ret = dev_del(id);
		left = fi_nth_left();
		fi_nth(0);
		if (left > 0)
			covered = 1;
		if (ret == -ENOMEM) {
			del_nomem++;
			ASSERT_TRUE(fi_exists(id));
			ret = dev_del(id);
		}
		if (ret) {
			TH_LOG("DEL with point %d failing: %s", n, strerror(-ret));
			bad = ret;
			break;
		}
	}
	TH_LOG("DEL: about %d injection points, %d ENOMEM", n, del_nomem);
	ASSERT_EQ(bad, 0);
	ASSERT_TRUE(covered);

	id = fi_add(&s);
	ASSERT_GE(id, 0);
	ASSERT_EQ(fi_verify_dev(id, 0x16), 0);
	ASSERT_EQ(dev_del(id), 0);
	fi_lower_down(&s);
	ASSERT_EQ(fi_live_clean(), 0);
}

TEST_TIMEOUT(faultinj_add_del_nth_ram, 600) { fi_add_nth(FI_RAM); }
TEST_TIMEOUT(faultinj_add_del_nth_bdev_cowrap, 600) { fi_add_nth(FI_BDEV_COWRAP); }

/* ---- I/O with a share of allocations failing ---- */

#define FI_IO_OPS	400
#define FI_UNKNOWN	0xffffffffu

struct fi_io {
	unsigned int seed[FI_NBLK];	/* pattern of each block, or FI_UNKNOWN */
	int ok, nomem, eio, bad, bad_err, mismatch;
	const char *bad_what;
};

static void fi_io_note(struct fi_io *st, int ret, const char *what)
{
	if (!ret)
		st->ok++;
	else if (ret == -ENOMEM)
		st->nomem++;
	else if (ret == -EIO)
		st->eio++;
	else if (!st->bad++) {
		st->bad_err = ret;
		st->bad_what = what;
	}
}

/* Data of a block as the test knows it: pattern, or zeroes (null). */
static int fi_io_check(struct fi_io *st, enum fi_backend be,
		       const unsigned char *buf, __u64 blk, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned int seed = st->seed[blk + i];
		const unsigned char *b = buf + (size_t)i * FI_BLK;

		if (seed == FI_UNKNOWN)
			continue;
		if (be == FI_NULL ? zero_check(b, FI_BLK) >= 0 :
		    seed == 0 ? zero_check(b, FI_BLK) >= 0 :
		    pat_check(b, (blk + i) * FI_BLK, FI_BLK, seed) >= 0)
			return -1;
	}
	return 0;
}

static void fi_io(enum fi_backend be)
{
	struct fi_setup s = { .be = be };
	struct fi_io *st = calloc(1, sizeof(*st));
	unsigned char *buf = abuf(64 * 4096);
	unsigned int i, k, n;
	int id, fd, ret;
	long injected;
	__u64 blk;

	fi_require();
	ASSERT_TRUE(st && buf);
	fi_prefault();
	del_all();
	ASSERT_EQ(fi_lower_up(&s), 0);
	id = fi_add(&s);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	/* a known start: zero the device (bdev lowers hold old data) */
	memset(buf, 0, 64 * 4096);
	for (blk = 0; blk < FI_NBLK; blk += 64)
		ASSERT_EQ(full_pwrite(fd, buf, 64 * 4096, blk * FI_BLK), 0);
	ASSERT_EQ(fi_arm(5, 5), 0);
	fi_start();
	for (i = 0; i < FI_IO_OPS; i++) {
		unsigned int op = rnd() % 8, seed = i + 1;

		n = 1 + rnd() % 64;
		blk = rnd() % (FI_NBLK - n + 1);
		switch (op) {
		case 0: case 1: case 2:	/* write through the block device */
			for (k = 0; k < n; k++)
				pat_fill(buf + (size_t)k * FI_BLK,
					 (blk + k) * FI_BLK, FI_BLK, seed);
			ret = full_pwrite(fd, buf, (size_t)n * FI_BLK, blk * FI_BLK);
			fi_io_note(st, ret, "pwrite");
			for (k = 0; k < n; k++)
				st->seed[blk + k] = ret ? FI_UNKNOWN : seed;
			break;
		case 3:			/* synchronous PWRITE ioctl */
			for (k = 0; k < n; k++)
				pat_fill(buf + (size_t)k * FI_BLK,
					 (blk + k) * FI_BLK, FI_BLK, seed);
			ret = dev_io(COWRAP_IOC_PWRITE, id, blk * FI_BLK,
				     (__u64)n * FI_BLK, buf, 0);
			fi_io_note(st, ret, "PWRITE");
			for (k = 0; k < n; k++)
				st->seed[blk + k] = ret ? FI_UNKNOWN : seed;
			break;
		case 4: case 5:		/* read through the block device */
			ret = full_pread(fd, buf, (size_t)n * FI_BLK, blk * FI_BLK);
			fi_io_note(st, ret, "pread");
			if (!ret && fi_io_check(st, be, buf, blk, n))
				st->mismatch++;
			break;
		case 6:			/* synchronous PREAD ioctl */
			ret = dev_io(COWRAP_IOC_PREAD, id, blk * FI_BLK,
				     (__u64)n * FI_BLK, buf, 0);
			fi_io_note(st, ret, "PREAD");
			if (!ret && fi_io_check(st, be, buf, blk, n))
				st->mismatch++;
			break;
		default:		/* flush, and zeroing where supported */
			if (rnd() % 2)
				ret = fsync(fd) ? -errno : 0;
			else
				ret = dev_io(COWRAP_IOC_FLUSH, id, 0, 0, NULL, 0);
			fi_io_note(st, ret, "flush");
			if (be == FI_RAM || be == FI_NULL) {
				ret = dev_io(rnd() % 2 ? COWRAP_IOC_DISCARD :
					     COWRAP_IOC_WRITE_ZEROES, id,
					     blk * FI_BLK, (__u64)n * FI_BLK,
					     NULL, 0);
				fi_io_note(st, ret, "DISCARD/WRITE_ZEROES");
				for (k = 0; k < n; k++)
					st->seed[blk + k] = ret ? FI_UNKNOWN : 0;
			}
			break;
		}
	}
	injected = fi_stop();
	TH_LOG("%ld failures injected: %d calls ok, %d ENOMEM, %d EIO, %d mismatching reads",
	       injected, st->ok, st->nomem, st->eio, st->mismatch);
	if (st->bad)
		TH_LOG("%d calls failed otherwise, first %s: %s", st->bad,
		       st->bad_what, strerror(-st->bad_err));
	ASSERT_EQ(st->bad, 0);
	ASSERT_EQ(st->mismatch, 0);
	ASSERT_GT(injected, 0);
	ASSERT_GT(st->ok, 0);

	/* everything written before is still there, then all of it anew */
	for (blk = 0; blk < FI_NBLK; blk += 64) {
		ASSERT_EQ(full_pread(fd, buf, 64 * 4096, blk * FI_BLK), 0);
		ASSERT_EQ(fi_io_check(st, be, buf, blk, 64), 0);
	}
	close(fd);
	if (be != FI_NULL)
		ASSERT_EQ(fi_verify_dev(id, 0x17), 0);
	ASSERT_EQ(dev_del(id), 0);
	fi_lower_down(&s);
	ASSERT_EQ(fi_live_clean(), 0);
	free(st);
	free(buf);
}

TEST_TIMEOUT(faultinj_io_ram, 300) { fi_io(FI_RAM); }
TEST_TIMEOUT(faultinj_io_null, 300) { fi_io(FI_NULL); }
TEST_TIMEOUT(faultinj_io_bdev_null_blk, 300) { fi_io(FI_BDEV_NULLB); }
TEST_TIMEOUT(faultinj_io_bdev_cowrap, 300) { fi_io(FI_BDEV_COWRAP); }

/* ---- the other control ioctls ---- */

TEST_TIMEOUT(faultinj_ctl_ioctls, 300)
{
	struct cowrap_features feat;
	struct cowrap_dev_stats ds;
	struct cowrap_dev_info di;
	struct cowrap_info info;
	__u32 ids[COWRAP_MAX_DEVICES];
	struct cowrap_dev_list l;
	int id, i, ok = 0, nomem = 0, bad = 0, ret;
	long injected;

	fi_require();
	fi_prefault();
	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, FI_DEV_SIZE, 0);
	ASSERT_GE(id, 0);
	ASSERT_EQ(fi_arm(20, 20), 0);
	fi_start();
	for (i = 0; i < 300; i++) {
		switch (i % 6) {
		case 0:
			memset(&info, 0, sizeof(info));
			info.size = sizeof(info);
			ret = ioctl(ctl_fd(), COWRAP_IOC_GET_INFO, &info) ? -errno : 0;
			break;
		case 1:
			memset(&feat, 0, sizeof(feat));
			feat.size = sizeof(feat);
			ret = ioctl(ctl_fd(), COWRAP_IOC_GET_FEATURES, &feat) ? -errno : 0;
			break;
		case 2:
			memset(&l, 0, sizeof(l));
			l.size = sizeof(l);
			l.count = COWRAP_MAX_DEVICES;
			l.ids = (uintptr_t)ids;
			ret = ioctl(ctl_fd(), COWRAP_IOC_LIST, &l) ? -errno : 0;
			if (!ret && (l.count != 1 || ids[0] != (__u32)id))
				bad++;
			break;
		case 3:
			ret = dev_info(id, &di);
			if (!ret && di.dev_size != FI_DEV_SIZE)
				bad++;
			break;
		case 4:
			ret = dev_stats(id, &ds, 0);
			break;
		default:
			ret = dev_fault(id, i % 12 == 5 ? COWRAP_FAULT_NONE :
					COWRAP_FAULT_DELAY,
					i % 12 == 5 ? 0 : COWRAP_OP_MASK_ALL,
					i % 12 == 5 ? 0 : 1000, 0,
					i % 12 == 5 ? 0 : 1000);
			break;
		}
		if (!ret)
			ok++;
		else if (ret == -ENOMEM)
			nomem++;
		else
			bad++;
	}
	injected = fi_stop();
	TH_LOG("%ld failures injected: %d ioctls ok, %d ENOMEM, %d otherwise",
	       injected, ok, nomem, bad);
	ASSERT_EQ(bad, 0);
	ASSERT_GT(injected, 0);
	ASSERT_EQ(dev_fault(id, COWRAP_FAULT_NONE, 0, 0, 0, 0), 0);
	ASSERT_EQ(dev_info(id, &di), 0);
	ASSERT_EQ(fi_verify_dev(id, 0x18), 0);
	ASSERT_EQ(dev_del(id), 0);
	ASSERT_EQ(fi_live_clean(), 0);
}

/* ---- coroutine creation (cowrap_test.ko) ---- */

/* A kernel case that ran out of memory says so in one of these ways. */
static int fi_co_nomem(const char *msg)
{
	return strstr(msg, "allocation") || strstr(msg, ": -12") ||
	       strstr(msg, "no memory") || strstr(msg, "-ENOMEM");
}

TEST_TIMEOUT(faultinj_coroutine_create, 600)
{
	static const char * const cases[] = {
		"lifecycle", "embedded_reuse", "nested_enter", "queue_fifo",
		"poll_co", "call_noco", "inline_path", "worker_path",
		"deferred_restart",
	};
	char msg[CO_MSG_LEN], first_bad[CO_MSG_LEN + 64] = "";
	int i, r, pass = 0, nomem = 0, bad = 0;
	long injected;

	fi_require();
	fi_prefault();
	ASSERT_EQ(co_load(), 0);
	ASSERT_EQ(fi_arm(2, 2), 0);
	for (r = 0; r < 3; r++)
		for (i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++) {
			int ret;

			fi_start();
			ret = co_run(cases[i], msg, sizeof(msg));
			fi_make_it_fail(0);
			if (ret == 1)
				pass++;
			else if (ret == -ENOMEM || (ret == 0 && fi_co_nomem(msg)))
				nomem++;
			else if (!bad++)
				snprintf(first_bad, sizeof(first_bad), "%s: %s",
					 cases[i], ret < 0 ? strerror(-ret) : msg);
		}
	injected = fi_stop();
	TH_LOG("%ld failures injected: %d cases passed, %d out of memory, %d failed otherwise",
	       injected, pass, nomem, bad);
	if (bad)
		TH_LOG("first: %s", first_bad);
	ASSERT_EQ(bad, 0);
	ASSERT_GT(injected, 0);
	/* all of them pass once injection stops */
	for (i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++) {
		r = co_run(cases[i], msg, sizeof(msg));
		if (r != 1)
			TH_LOG("%s: %s", cases[i], r < 0 ? strerror(-r) : msg);
		ASSERT_EQ(r, 1);
	}
	ASSERT_EQ(co_unload(), 0);
}

/* ---- kmemleak after all of the above ---- */

TEST_TIMEOUT(faultinj_kmemleak, 300)
{
	char line[512], rec[4096] = "";
	int records = 0, mine = 0, cur = 0, known = 0;
	FILE *f;

	fi_require();
	if (access(FI_LEAK, F_OK))
		SKIP("no %s (CONFIG_DEBUG_KMEMLEAK)", FI_LEAK);
	/* an object is reported once unreferenced for a whole scan */
	ASSERT_EQ(fi_put("/sys/kernel/debug", "kmemleak", "scan"), 0);
	sleep(6);
	ASSERT_EQ(fi_put("/sys/kernel/debug", "kmemleak", "scan"), 0);
	f = fopen(FI_LEAK, "r");
	ASSERT_TRUE(f);
	for (;;) {
		int end = !fgets(line, sizeof(line), f);

		if (end || !strncmp(line, "unreferenced object", 19)) {
			/* the kernel's own, see tools/vm/report.sh */
			if (cur && strstr(rec, "sysfs_slab_add") &&
			    strstr(rec, "kobject_set_name_vargs")) {
				known++;
				cur = 0;
			}
			if (cur && ++mine <= 3)
				printf("%s", rec);
			if (end)
				break;
			records++;
			cur = 0;
			rec[0] = '\0';
		}
		if (strstr(line, "cowrap"))
			cur = 1;
		if (strlen(rec) + strlen(line) + 3 < sizeof(rec)) {
			strcat(rec, "# ");
			strcat(rec, line);
		}
	}
	fclose(f);
	TH_LOG("kmemleak: %d suspected leaks, %d naming cowrap, %d of them known kernel leaks (sysfs_slab_add)",
	       records, mine + known, known);
	ASSERT_EQ(mine, 0);
}

TEST_HARNESS_MAIN
