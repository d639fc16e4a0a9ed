// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl fuzzer of /dev/cowrap-ctl, run in the VM.
 *
 * Several threads issue random sequences of every control command with
 * random and mutated structs: sizes around every published size and the
 * page limit, unknown flags, reserved fields, ids at and around the
 * bounds, every numeric field at, below and above its bounds, and
 * pointers that are NULL, unmapped, read-only or kernel addresses.  Other
 * threads do block I/O on the devices the fuzzer creates, and one checks
 * a "golden" device that the fuzzer never targets.
 *
 * Pass: every call returns success or an errno documented for that
 * command in Documentation/uapi.rst (table below), the golden device's
 * data verifies at the end, and every device created is removed.  The
 * VM runner checks the kernel log for warnings and oopses.
 *
 *	fuzz_test [-s SEED] [-n OPS_PER_THREAD] [-t THREADS]
 *	(or COWRAP_FUZZ_SEED, COWRAP_FUZZ_OPS, COWRAP_FUZZ_THREADS)
 *
 * The seed is printed; the same seed replays the same per-thread
 * sequences (thread interleaving aside).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/mman.h>
#include <time.h>

#include "../blk/blk_util.h"

#define FZ_MAX_THREADS		16
#define FZ_GOLDEN_ID		1000
#define FZ_GOLDEN_SIZE		(4 * MiB)
#define FZ_GOLDEN_SEED		0x601d
#define FZ_IO_THREADS		2
/* fuzzed devices use ids below this (plus the bounds); golden excluded */
#define FZ_ID_SPAN		12

static unsigned int fz_ops = 1500;
static unsigned int fz_threads = 4;
static unsigned long long fz_seed;

static atomic_int fz_fail;
static atomic_int fz_stop;
static atomic_ulong fz_calls, fz_ok, fz_io_ops;

static void *fz_unmapped;	/* a page that is not mapped */
static void *fz_rdonly;		/* a page mapped read-only, zero-filled */
static void *fz_rdonly_struct;	/* read-only page with a valid-looking struct */
static void *fz_kernel = (void *)0xffff888000000000ULL;

/* ---- documented errnos (Documentation/uapi.rst) ---- */

enum fz_cmd {
	FZ_GET_INFO, FZ_ADD, FZ_DEL, FZ_LIST, FZ_DEV_INFO, FZ_STATS,
	FZ_FAULT, FZ_FEATURES, FZ_PREAD, FZ_PWRITE, FZ_FLUSH, FZ_DISCARD,
	FZ_WZEROES, FZ_UNKNOWN, FZ_NR_CMDS
};

static const char *const fz_names[FZ_NR_CMDS] = {
	"GET_INFO", "ADD", "DEL", "LIST", "GET_DEV_INFO", "GET_STATS",
	"SET_FAULT", "GET_FEATURES", "PREAD", "PWRITE", "FLUSH", "DISCARD",
	"WRITE_ZEROES", "unknown"
};

static const unsigned long fz_nrs[FZ_NR_CMDS] = {
	COWRAP_IOC_GET_INFO, COWRAP_IOC_ADD, COWRAP_IOC_DEL, COWRAP_IOC_LIST,
	COWRAP_IOC_GET_DEV_INFO, COWRAP_IOC_GET_STATS, COWRAP_IOC_SET_FAULT,
	COWRAP_IOC_GET_FEATURES, COWRAP_IOC_PREAD, COWRAP_IOC_PWRITE,
	COWRAP_IOC_FLUSH, COWRAP_IOC_DISCARD, COWRAP_IOC_WRITE_ZEROES, 0
};

#define FZ_COMMON	EFAULT, EINVAL, E2BIG
#define FZ_DEV		FZ_COMMON, ENODEV
#define FZ_IO_ERRS	EIO, ENOSPC, ETIMEDOUT, ENOLINK, ENODATA, EILSEQ, \
			EREMOTEIO, ENOMEM
/* each list ends with 0 */
static const int fz_errnos[FZ_NR_CMDS][24] = {
	[FZ_GET_INFO]	= { FZ_COMMON, 0 },
	/* ADD: bdev opens a path: its open errors are the documented ones */
	[FZ_ADD]	= { FZ_COMMON, EEXIST, ENOSPC, ENOMEM, ENOENT, ENOTBLK,
			    EACCES, EBUSY, EOPNOTSUPP, ENXIO, 0 },
	[FZ_DEL]	= { FZ_DEV, EBUSY, 0 },
	[FZ_LIST]	= { FZ_COMMON, ENOMEM, 0 },
	[FZ_DEV_INFO]	= { FZ_DEV, ENOMEM, 0 },
	[FZ_STATS]	= { FZ_DEV, 0 },
	[FZ_FAULT]	= { FZ_DEV, 0 },
	[FZ_FEATURES]	= { FZ_COMMON, 0 },
	[FZ_PREAD]	= { FZ_DEV, FZ_IO_ERRS, 0 },
	[FZ_PWRITE]	= { FZ_DEV, FZ_IO_ERRS, EROFS, 0 },
	[FZ_FLUSH]	= { FZ_DEV, FZ_IO_ERRS, 0 },
	[FZ_DISCARD]	= { FZ_DEV, FZ_IO_ERRS, EROFS, EOPNOTSUPP, 0 },
	[FZ_WZEROES]	= { FZ_DEV, FZ_IO_ERRS, EROFS, EOPNOTSUPP, 0 },
	[FZ_UNKNOWN]	= { ENOTTY, 0 },
};

static int fz_errno_ok(enum fz_cmd c, int e)
{
	const int *p;

	for (p = fz_errnos[c]; *p; p++)
		if (*p == e)
			return 1;
	return 0;
}

/* ---- random numbers: per-thread xorshift ---- */

struct fz_rng {
	unsigned long long s;
};

static unsigned long long fz_next(struct fz_rng *r)
{
	unsigned long long x = r->s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	r->s = x;
	return x;
}

static unsigned int fz_below(struct fz_rng *r, unsigned int n)
{
	return n ? fz_next(r) % n : 0;
}

static int fz_chance(struct fz_rng *r, unsigned int pct)
{
	return fz_below(r, 100) < pct;
}

/* A value at, around or between the bounds @lo and @hi. */
static unsigned long long fz_bound(struct fz_rng *r, unsigned long long lo,
				   unsigned long long hi)
{
	switch (fz_below(r, 10)) {
	case 0: return lo;
	case 1: return lo - 1;
	case 2: return lo + 1;
	case 3: return hi;
	case 4: return hi - 1;
	case 5: return hi + 1;
	case 6: return 0;
	case 7: return ~0ULL >> fz_below(r, 64);
	default: return hi > lo ? lo + fz_next(r) % (hi - lo + 1) : lo;
	}
}

/* A device id: mostly the fuzz span, sometimes the bounds; never golden. */
static __u32 fz_id(struct fz_rng *r)
{
	static const __u32 edge[] = { COWRAP_MAX_DEVICES - 1,
				      COWRAP_MAX_DEVICES, 0xffffffffu,
				      0x80000000u };
	__u32 id;

	if (fz_chance(r, 60))
		id = fz_below(r, 4);
	else if (fz_chance(r, 75))
		id = fz_below(r, FZ_ID_SPAN);
	else
		id = edge[fz_below(r, 4)];
	return id == FZ_GOLDEN_ID ? 0 : id;
}

/*
 * A pointer for a buffer: mostly @good, sometimes bad.  Never a pointer
 * into other memory of this process: the kernel would write there.
 */
static __u64 fz_ptr(struct fz_rng *r, void *good)
{
	switch (fz_below(r, 20)) {
	case 0: return 0;
	case 1: return (uintptr_t)fz_unmapped;
	case 2: return (uintptr_t)fz_rdonly;
	case 3: return (uintptr_t)fz_kernel;
	case 4: return (uintptr_t)fz_unmapped - 512;	/* runs into a hole */
	default: return (uintptr_t)good;
	}
}

/* The size field: mostly right, sometimes at the edges. */
static __u32 fz_size(struct fz_rng *r, __u32 ver0, __u32 real)
{
	if (fz_chance(r, 70))
		return real;
	switch (fz_below(r, 14)) {
	case 0: return 0;
	case 1: return ver0 - 1;
	case 2: return ver0 - fz_below(r, ver0);
	case 3: return real + 8;	/* zero tail: accepted */
	case 4: return 4096;
	case 5: return 4097;
	case 6: return 0xffffffffu;
	case 7: return ver0;
	default: return real;
	}
}

/* ---- building one command ---- */

/*
 * The struct is built in a 2-page buffer followed by an unmapped page, so
 * sizes above the struct read zeroes or fault; @tail_junk puts non-zero
 * bytes past the struct (E2BIG when the size covers them).
 */
struct fz_buf {
	unsigned char *mem;	/* 2 pages + guard */
	unsigned char *data;	/* 1 MiB + 4 KiB for PREAD/PWRITE buffers */
	__u32 ids[COWRAP_MAX_DEVICES + 8];
	char path[COWRAP_PATH_MAX + 16];
};

static void fz_path(struct fz_rng *r, struct fz_buf *b, __u32 *len)
{
	static const char *const paths[] = { "/dev/cowrap%u", "/dev/cowrap%u",
		"/dev/null", "/nonexistent", "/tmp", "", "/dev/cowrap-ctl" };
	unsigned int k = fz_below(r, 7);

	snprintf(b->path, sizeof(b->path), paths[k], fz_id(r));
	*len = strlen(b->path) + 1;
	if (fz_chance(r, 10))
		*len = fz_bound(r, 2, COWRAP_PATH_MAX);
	if (fz_chance(r, 3)) {	/* no NUL inside the buffer */
		memset(b->path, 'a', sizeof(b->path));
		*len = COWRAP_PATH_MAX;
	}
}

static void fz_fill_add(struct fz_rng *r, struct fz_buf *b,
			struct cowrap_dev_add *a)
{
	static const __u32 sizes[] = { 1, 2, 4, 8, 16 };

	static const __u32 backends[] = { 1, 1, 1, 2, 3, 3 };

	a->backend = fz_chance(r, 90) ? backends[fz_below(r, 6)] :
		     fz_bound(r, 1, COWRAP_BACKEND_MAX);
	a->dev_size = fz_chance(r, 85) ? sizes[fz_below(r, 5)] * MiB :
		      fz_bound(r, 512, COWRAP_MAX_DEV_SIZE);
	if (a->backend == COWRAP_BACKEND_BDEV && fz_chance(r, 50))
		a->dev_size = 0;
	a->logical_block_size = fz_chance(r, 85) ? 512u << fz_below(r, 4) :
				fz_bound(r, COWRAP_MIN_LBS, COWRAP_MAX_LBS);
	a->physical_block_size = fz_chance(r, 85) ? 0 :
				 fz_bound(r, 512, COWRAP_MAX_PBS);
	a->nr_hw_queues = fz_chance(r, 85) ? 1 + fz_below(r, 2) :
			  fz_bound(r, 1, 2);
	a->queue_depth = fz_chance(r, 85) ? 1 + fz_below(r, 64) :
			 fz_bound(r, 1, COWRAP_MAX_QUEUE_DEPTH);
	a->dev_flags = fz_chance(r, 90) ? fz_below(r, 16) :
		       fz_next(r);
	/* a bio-based device has no queues: mostly valid, sometimes not */
	if (fz_chance(r, 25)) {
		a->dev_flags |= COWRAP_DEV_BIO_BASED;
		if (fz_chance(r, 90)) {
			a->nr_hw_queues = 0;
			a->queue_depth = 0;
		}
	}
	/* keep latencies short: long ones slow every other thread down */
	a->latency_ns = fz_chance(r, 80) ? 0 : fz_chance(r, 90) ?
			fz_below(r, 2000000) :
			fz_bound(r, 0, COWRAP_MAX_LATENCY_NS);
	if (a->backend == COWRAP_BACKEND_BDEV || fz_chance(r, 5)) {
		fz_path(r, b, &a->path_len);
		a->path = fz_ptr(r, b->path);
	}
	if (fz_chance(r, 30)) {
		a->flags = COWRAP_ADD_REQ_ID;
		a->dev_id = fz_id(r);
	}
}

static void fz_fill_fault(struct fz_rng *r, struct cowrap_fault *f)
{
	static const __u32 errs[] = { EIO, ENOSPC, ETIMEDOUT, ENOLINK,
				      ENODATA, EILSEQ, EREMOTEIO, EPERM, 0 };

	f->dev_id = fz_id(r);
	f->mode = fz_chance(r, 90) ? fz_below(r, COWRAP_FAULT_MODE_MAX + 1) :
		  fz_bound(r, 0, COWRAP_FAULT_MODE_MAX);
	if (f->mode == COWRAP_FAULT_NONE && fz_chance(r, 80))
		return;
	f->ops = fz_chance(r, 85) ? 1 + fz_below(r, COWRAP_OP_MASK_ALL) :
		 fz_bound(r, 1, COWRAP_OP_MASK_ALL);
	f->nth = fz_chance(r, 85) ? 1 + fz_below(r, 8) :
		 fz_bound(r, 1, COWRAP_FAULT_MAX_NTH);
	if (f->mode == COWRAP_FAULT_DELAY)
		f->latency_ns = fz_chance(r, 90) ? 1 + fz_below(r, 3000000) :
				fz_bound(r, 1, COWRAP_MAX_LATENCY_NS);
	else
		f->error = errs[fz_below(r, 9)];
}

static void fz_fill_io(struct fz_rng *r, struct fz_buf *b, enum fz_cmd c,
		       struct cowrap_io *io)
{
	static const __u64 lens[] = { 512, 4096, 8192, 65536, 1 << 20 };

	io->dev_id = fz_id(r);
	if (c == FZ_FLUSH) {
		if (fz_chance(r, 10))
			io->length = fz_next(r);
		return;
	}
	io->length = fz_chance(r, 85) ? lens[fz_below(r, 4 + fz_chance(r, 5))] :
		     fz_bound(r, 512, COWRAP_MAX_IO_LEN);
	io->offset = fz_chance(r, 80) ? (__u64)fz_below(r, 256) * 4096 :
		     fz_bound(r, 0, 16 * MiB);
	if (c == FZ_PREAD || c == FZ_PWRITE)
		io->buf = fz_ptr(r, b->data);
	else if (fz_chance(r, 5))
		io->buf = (uintptr_t)b->data;
	if (c == FZ_PWRITE && fz_chance(r, 30))
		io->flags = COWRAP_IO_FUA;
}

/* Fill the command's struct at @p (zeroed); returns its real size. */
static __u32 fz_fill(struct fz_rng *r, struct fz_buf *b, enum fz_cmd c,
		     void *p, __u32 *ver0)
{
	switch (c) {
	case FZ_GET_INFO:
		*ver0 = COWRAP_INFO_SIZE_VER0;
		return sizeof(struct cowrap_info);
	case FZ_ADD:
		fz_fill_add(r, b, p);
		*ver0 = COWRAP_DEV_ADD_SIZE_VER0;
		return sizeof(struct cowrap_dev_add);
	case FZ_DEL: {
		struct cowrap_dev_del *d = p;

		d->dev_id = fz_id(r);
		d->flags = fz_chance(r, 40) ? COWRAP_DEL_FORCE : 0;
		*ver0 = COWRAP_DEV_DEL_SIZE_VER0;
		return sizeof(*d);
	}
	case FZ_LIST: {
		struct cowrap_dev_list *l = p;

		l->count = fz_chance(r, 80) ? fz_below(r, 20) :
			   fz_bound(r, 0, COWRAP_MAX_DEVICES);
		l->ids = fz_ptr(r, b->ids);
		*ver0 = COWRAP_DEV_LIST_SIZE_VER0;
		return sizeof(*l);
	}
	case FZ_DEV_INFO:
		((struct cowrap_dev_info *)p)->dev_id = fz_id(r);
		*ver0 = COWRAP_DEV_INFO_SIZE_VER0;
		return sizeof(struct cowrap_dev_info);
	case FZ_STATS: {
		struct cowrap_dev_stats *s = p;

		s->dev_id = fz_id(r);
		s->flags = fz_chance(r, 20) ? COWRAP_STATS_RESET : 0;
		*ver0 = COWRAP_DEV_STATS_SIZE_VER0;
		return sizeof(*s);
	}
	case FZ_FAULT:
		fz_fill_fault(r, p);
		*ver0 = COWRAP_FAULT_SIZE_VER0;
		return sizeof(struct cowrap_fault);
	case FZ_FEATURES:
		*ver0 = COWRAP_FEATURES_SIZE_VER0;
		return sizeof(struct cowrap_features);
	case FZ_UNKNOWN:
		*ver0 = 16;
		return 16;
	default:
		fz_fill_io(r, b, c, p);
		*ver0 = COWRAP_IO_SIZE_VER0;
		return sizeof(struct cowrap_io);
	}
}

/*
 * Does byte @at of command @c's struct belong to a user pointer?  Only
 * fz_ptr() picks those: a pointer with one byte changed can point into
 * this process's own memory (another thread's struct or stack), and the
 * kernel writes there on LIST and PREAD.
 */
static int fz_in_ptr(enum fz_cmd c, __u32 at)
{
	unsigned int off[2], n = 0, i;

	switch (c) {
	case FZ_ADD:
		off[n++] = offsetof(struct cowrap_dev_add, path);
		off[n++] = offsetof(struct cowrap_dev_add, overlay);
		break;
	case FZ_LIST:
		off[n++] = offsetof(struct cowrap_dev_list, ids);
		break;
	case FZ_PREAD ... FZ_WZEROES:
		off[n++] = offsetof(struct cowrap_io, buf);
		break;
	default:
		break;
	}
	for (i = 0; i < n; i++)
		if (at >= off[i] && at < off[i] + sizeof(__u64))
			return 1;
	return 0;
}

/*
 * Generic mutations that every struct shares: flags, reserved, bytes;
 * pointers are left to fz_ptr().
 */
static void fz_mutate(struct fz_rng *r, enum fz_cmd c, unsigned char *p,
		      __u32 real)
{
	__u32 *flags = (__u32 *)(p + 4);
	__u32 at;

	if (fz_chance(r, 3))
		*flags |= 1u << fz_below(r, 32);
	if (fz_chance(r, 2))
		*flags = fz_next(r);
	if (fz_chance(r, 2)) {	/* a random byte anywhere past size */
		at = 8 + fz_below(r, real - 8);
		if (!fz_in_ptr(c, at))
			p[at] = fz_next(r);
	}
}

static unsigned long fz_cmd_nr(struct fz_rng *r, enum fz_cmd c)
{
	unsigned long nr = fz_nrs[c];

	if (c == FZ_UNKNOWN) {
		unsigned int n = fz_below(r, 256);

		/* numbers that are not commands: gaps, other magic, other dir */
		if ((n <= 0x07) || (n >= 0x10 && n <= 0x14))
			n = 0x40 + n;
		return fz_chance(r, 50) ? _IOWR(COWRAP_IOC_MAGIC, n, __u64) :
			_IO(fz_chance(r, 50) ? 0x12 : 'X', n);
	}
	/* the size bits are ignored by the module: vary them */
	if (fz_chance(r, 10)) {
		nr &= ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT);
		nr |= (unsigned long)fz_below(r, _IOC_SIZEMASK + 1)
		      << _IOC_SIZESHIFT;
	}
	return nr;
}

struct fz_thread {
	pthread_t tid;
	unsigned int idx;
	struct fz_rng rng;
	struct fz_buf buf;
	unsigned long per_cmd[FZ_NR_CMDS][2];	/* calls, successes */
};

/* where a struct may start before the guard page: room for the largest */
#define FZ_TAIL		1024
_Static_assert(sizeof(struct cowrap_dev_add) <= FZ_TAIL &&
	       sizeof(struct cowrap_dev_info) <= FZ_TAIL &&
	       sizeof(struct cowrap_dev_stats) <= FZ_TAIL &&
	       sizeof(struct cowrap_dev_list) <= FZ_TAIL &&
	       sizeof(struct cowrap_fault) <= FZ_TAIL &&
	       sizeof(struct cowrap_features) <= FZ_TAIL &&
	       sizeof(struct cowrap_info) <= FZ_TAIL &&
	       sizeof(struct cowrap_io) <= FZ_TAIL,
	       "a command struct does not fit before the guard page");

static void fz_one(struct fz_thread *t, int fd)
{
	struct fz_rng *r = &t->rng;
	unsigned char *p;
	enum fz_cmd c = fz_below(r, FZ_NR_CMDS);
	__u32 ver0, real, size;
	unsigned long nr;
	void *arg;
	long ret;
	int e;

	/* place the struct near the guard page, so that sizes past it fault */
	p = t->buf.mem;
	memset(p, 0, 2 * 4096);
	if (fz_chance(r, 20))
		p += 2 * 4096 - FZ_TAIL;
	real = fz_fill(r, &t->buf, c, p, &ver0);
	fz_mutate(r, c, p, real);
	size = fz_size(r, ver0, real);
	if (size > real && fz_chance(r, 30) && p + real < t->buf.mem + 8192)
		p[real] = 1;	/* non-zero past the struct: E2BIG */
	*(__u32 *)p = size;
	nr = fz_cmd_nr(r, c);

	arg = p;
	switch (fz_below(r, 40)) {
	case 0:
		arg = NULL;
		break;
	case 1:
		arg = fz_unmapped;
		break;
	case 2:
		arg = fz_kernel;
		break;
	case 3:
		/* read-only: reading works, writing the answer fails */
		arg = fz_rdonly_struct;
		break;
	}

	ret = ioctl(fd, nr, arg);
	e = ret < 0 ? errno : 0;
	atomic_fetch_add(&fz_calls, 1);
	t->per_cmd[c][0]++;
	if (!e) {
		atomic_fetch_add(&fz_ok, 1);
		t->per_cmd[c][1]++;
		if (c == FZ_UNKNOWN) {
			printf("# thread %u: unknown command %#lx succeeded\n",
			       t->idx, nr);
			atomic_store(&fz_fail, 1);
		}
		return;
	}
	if (!fz_errno_ok(c, e)) {
		printf("# thread %u: %s (nr %#lx, size %u, arg %p) -> undocumented errno %d (%s)\n",
		       t->idx, fz_names[c], nr, size, arg, e, strerror(e));
		atomic_store(&fz_fail, 1);
	}
}

static void *fz_thread_fn(void *opaque)
{
	struct fz_thread *t = opaque;
	unsigned int i;
	int fd = open(COWRAP_CTL_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("# thread %u: open ctl: %s\n", t->idx, strerror(errno));
		atomic_store(&fz_fail, 1);
		return NULL;
	}
	for (i = 0; i < fz_ops && !atomic_load(&fz_fail); i++)
		fz_one(t, fd);
	close(fd);
	return NULL;
}

/* ---- block I/O on the fuzzed devices ---- */

static int fz_io_errno_ok(int e)
{
	/* gone, force-deleted, injected faults, unsupported geometry */
	switch (e) {
	/* EPERM: the block layer's answer to a write on a read-only disk */
	case EPERM:
	case ENOENT: case ENXIO: case ENODEV: case EIO: case ENOSPC:
	case ETIMEDOUT: case ENOLINK: case ENODATA: case EILSEQ:
	case EREMOTEIO: case EINVAL: case EROFS: case EACCES: case ENOMEM:
	case EBUSY: case EOPNOTSUPP:
		return 1;
	}
	return 0;
}

static void *fz_io_fn(void *opaque)
{
	struct fz_rng r = { .s = fz_seed * 31 + (uintptr_t)opaque + 7 };
	unsigned char *buf = abuf(65536);

	if (!buf) {
		printf("# io: out of memory\n");
		atomic_store(&fz_fail, 1);
		return NULL;
	}
	while (!atomic_load(&fz_stop) && !atomic_load(&fz_fail)) {
		int id = fz_below(&r, FZ_ID_SPAN);
		off_t off = (off_t)fz_below(&r, 256) * 4096;
		size_t len = 4096 << fz_below(&r, 4);
		int write = fz_chance(&r, 50);
		ssize_t n;
		int fd, e;

		fd = dev_open(id, O_RDWR | O_DIRECT);
		if (fd < 0 && (errno == EROFS || errno == EACCES)) {
			write = 0;	/* a read-only device */
			fd = dev_open(id, O_RDONLY | O_DIRECT);
		}
		if (fd < 0) {
			if (!fz_io_errno_ok(errno)) {
				printf("# io: open cowrap%d: %s\n", id,
				       strerror(errno));
				atomic_store(&fz_fail, 1);
			}
			usleep(1000);
			continue;
		}
		pat_fill(buf, off, len, id);
		n = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);
		e = n < 0 ? errno : 0;
		if (e && !fz_io_errno_ok(e)) {
			printf("# io: %s cowrap%d: %s\n", write ? "write" : "read",
			       id, strerror(e));
			atomic_store(&fz_fail, 1);
		}
		atomic_fetch_add(&fz_io_ops, 1);
		close(fd);
	}
	free(buf);
	return NULL;
}

/* Reads the golden device while the fuzzer runs; it never changes. */
static void *fz_golden_fn(void *opaque)
{
	unsigned char *buf = abuf(65536);
	int fd = dev_open(FZ_GOLDEN_ID, O_RDONLY | O_DIRECT);
	off_t off = 0;

	(void)opaque;
	if (fd < 0 || !buf) {
		printf("# golden: %s\n", buf ? strerror(errno) : "out of memory");
		atomic_store(&fz_fail, 1);
		goto out;
	}
	while (!atomic_load(&fz_stop) && !atomic_load(&fz_fail)) {
		long bad;

		if (full_pread(fd, buf, 65536, off)) {
			printf("# golden: read at %lld failed\n", (long long)off);
			atomic_store(&fz_fail, 1);
			break;
		}
		bad = pat_check(buf, off, 65536, FZ_GOLDEN_SEED);
		if (bad >= 0) {
			printf("# golden: mismatch at %lld\n",
			       (long long)off + bad);
			atomic_store(&fz_fail, 1);
		}
		off = (off + 65536) % FZ_GOLDEN_SIZE;
	}
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/* ---- setup, checks, cleanup ---- */

static int fz_setup_pages(void)
{
	unsigned char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct cowrap_dev_add *a;

	if (m == MAP_FAILED)
		return -1;
	munmap(m + 2 * 4096, 4096);
	fz_unmapped = m + 2 * 4096;
	fz_rdonly = m;
	/*
	 * A valid ADD in read-only memory: the device gets created, writing
	 * the id back fails, and the module must undo the ADD.  Other
	 * commands read it as whatever it means to them.
	 */
	a = (void *)(m + 4096);
	add_init(a, COWRAP_BACKEND_RAM, MiB);
	a->queue_depth = 4;
	fz_rdonly_struct = a;
	memset(m, 0, 4096);
	return mprotect(m, 2 * 4096, PROT_READ);
}

/* Each fuzzing thread's struct page (2 pages + guard) and I/O buffer. */
static int fz_setup_threads(struct fz_thread *th)
{
	unsigned int i;

	for (i = 0; i < fz_threads; i++) {
		th[i].idx = i;
		th[i].rng.s = fz_seed * 0x9E3779B97F4A7C15ULL + i + 1;
		th[i].buf.mem = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (th[i].buf.mem == MAP_FAILED)
			return -ENOMEM;
		munmap(th[i].buf.mem + 2 * 4096, 4096);
		th[i].buf.data = abuf((1 << 20) + 4096);
		if (!th[i].buf.data)
			return -ENOMEM;
	}
	return 0;
}

static int fz_create_golden(void)
{
	struct cowrap_dev_add a;
	unsigned char *buf = abuf(FZ_GOLDEN_SIZE);
	int fd, ret;

	if (!buf)
		return -ENOMEM;
	add_init(&a, COWRAP_BACKEND_RAM, FZ_GOLDEN_SIZE);
	a.flags = COWRAP_ADD_REQ_ID;
	a.dev_id = FZ_GOLDEN_ID;
	ret = dev_add(&a);
	if (ret < 0)
		goto out;
	pat_fill(buf, 0, FZ_GOLDEN_SIZE, FZ_GOLDEN_SEED);
	fd = dev_open(FZ_GOLDEN_ID, O_RDWR | O_DIRECT);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	ret = full_pwrite(fd, buf, FZ_GOLDEN_SIZE, 0);
	close(fd);
out:
	free(buf);
	return ret;
}

/* Devices for the fuzzer to hit from the start (it may delete them). */
static int fz_create_targets(void)
{
	static const __u32 backends[] = { COWRAP_BACKEND_RAM,
		COWRAP_BACKEND_NULL, COWRAP_BACKEND_RAM, COWRAP_BACKEND_RAM };
	struct cowrap_dev_add a;
	unsigned int i;
	int ret;

	for (i = 0; i < 4; i++) {
		add_init(&a, backends[i], 16 * MiB);
		a.flags = COWRAP_ADD_REQ_ID;
		a.dev_id = i;
		a.dev_flags = COWRAP_DEV_DISCARD | COWRAP_DEV_WRITE_ZEROES |
			      (i == 3 ? COWRAP_DEV_WRITE_CACHE : 0);
		ret = dev_add(&a);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int fz_verify_golden(void)
{
	unsigned char *buf = abuf(FZ_GOLDEN_SIZE);
	struct cowrap_dev_info info;
	struct cowrap_dev_stats st;
	int fd, ret;

	if (!buf)
		return -ENOMEM;
	fd = dev_open(FZ_GOLDEN_ID, O_RDONLY | O_DIRECT);
	if (fd < 0) {
		ret = -errno;
		free(buf);
		return ret;
	}
	ret = full_pread(fd, buf, FZ_GOLDEN_SIZE, 0);
	close(fd);
	if (!ret && pat_check(buf, 0, FZ_GOLDEN_SIZE, FZ_GOLDEN_SEED) >= 0)
		ret = -EILSEQ;
	free(buf);
	if (ret)
		return ret;
	if (dev_info(FZ_GOLDEN_ID, &info) || info.state != COWRAP_STATE_LIVE ||
	    info.dev_size != FZ_GOLDEN_SIZE)
		return -EINVAL;
	if (dev_stats(FZ_GOLDEN_ID, &st, 0))
		return -ENODEV;
	if (st.faults_injected || st.errors[COWRAP_OP_READ] ||
	    st.errors[COWRAP_OP_WRITE] || st.inflight)
		return -EIO;
	return 0;
}

/* Remove every device; stacked ones need several rounds. */
static int fz_cleanup(void)
{
	__u32 ids[COWRAP_MAX_DEVICES];
	struct cowrap_dev_list l;
	int round;

	for (round = 0; round < 200; round++) {
		__u32 i;

		memset(&l, 0, sizeof(l));
		l.size = sizeof(l);
		l.count = COWRAP_MAX_DEVICES;
		l.ids = (uintptr_t)ids;
		if (ioctl(ctl_fd(), COWRAP_IOC_LIST, &l) < 0)
			return -errno;
		if (!l.count)
			return 0;
		for (i = 0; i < l.count && i < COWRAP_MAX_DEVICES; i++)
			dev_del_flags(ids[i], round > 2 ? COWRAP_DEL_FORCE : 0);
		usleep(20000);
	}
	printf("# %u devices left after cleanup\n", l.count);
	return -EBUSY;
}

static void fz_usage(const char *prog, const char *why)
{
	if (why)
		fprintf(stderr, "%s: %s\n", prog, why);
	fprintf(stderr, "usage: %s [-s seed] [-n ops] [-t threads (1-%d)]\n",
		prog, FZ_MAX_THREADS);
	exit(2);
}

/* Parse a number for @what, at most @max; exits with a usage error if bad. */
static unsigned long long fz_number(const char *prog, const char *what,
				    const char *s, unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-' || v > max) {
		fprintf(stderr, "%s: bad %s '%s'\n", prog, what, s);
		fz_usage(prog, NULL);
	}
	return v;
}

static void fz_args(int argc, char **argv)
{
	const char *e;
	int opt;

	fz_seed = time(NULL) ^ ((unsigned long long)getpid() << 20);
	e = getenv("COWRAP_FUZZ_SEED");
	if (e)
		fz_seed = fz_number(argv[0], "COWRAP_FUZZ_SEED", e, ULLONG_MAX);
	e = getenv("COWRAP_FUZZ_OPS");
	if (e)
		fz_ops = fz_number(argv[0], "COWRAP_FUZZ_OPS", e, UINT_MAX);
	e = getenv("COWRAP_FUZZ_THREADS");
	if (e)
		fz_threads = fz_number(argv[0], "COWRAP_FUZZ_THREADS", e,
				       FZ_MAX_THREADS);
	while ((opt = getopt(argc, argv, "s:n:t:")) != -1) {
		switch (opt) {
		case 's':
			fz_seed = fz_number(argv[0], "seed", optarg, ULLONG_MAX);
			break;
		case 'n':
			fz_ops = fz_number(argv[0], "number of ops", optarg,
					   UINT_MAX);
			break;
		case 't':
			fz_threads = fz_number(argv[0], "thread count", optarg,
					       FZ_MAX_THREADS);
			break;
		default:
			fz_usage(argv[0], NULL);
		}
	}
	if (optind < argc)
		fz_usage(argv[0], "unexpected argument");
	if (!fz_seed)
		fz_seed = 1;
	if (!fz_threads)
		fz_usage(argv[0], "thread count out of range");
}

/* Start a thread; without one the run means nothing, so give up. */
static void fz_start(pthread_t *tid, void *(*fn)(void *), void *arg)
{
	int ret = pthread_create(tid, NULL, fn, arg);

	if (ret) {
		printf("# pthread_create: %s\n", strerror(ret));
		printf("Bail out! no thread for the fuzzer\n");
		exit(1);
	}
}

static int tap_n, tap_failed;

static void tap(int ok, const char *what)
{
	tap_failed |= !ok;
	printf("%sok %d %s\n", ok ? "" : "not ", ++tap_n, what);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	static struct fz_thread th[FZ_MAX_THREADS];
	pthread_t io[FZ_IO_THREADS], golden;
	unsigned int i, c;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fz_args(argc, argv);
	printf("TAP version 13\n1..4\n");
	printf("# seed %#llx, %u threads x %u ops (replay: fuzz_test -s %#llx -n %u -t %u)\n",
	       fz_seed, fz_threads, fz_ops, fz_seed, fz_ops, fz_threads);

	del_all();
	ret = fz_setup_pages();
	if (!ret)
		ret = fz_setup_threads(th);
	if (!ret)
		ret = fz_create_golden();
	if (!ret)
		ret = fz_create_targets();
	tap(!ret, "fuzz_setup_golden_device");
	if (ret) {
		printf("# setup: %d\n", ret);
		return 1;
	}

	for (i = 0; i < fz_threads; i++)
		fz_start(&th[i].tid, fz_thread_fn, &th[i]);
	for (i = 0; i < FZ_IO_THREADS; i++)
		fz_start(&io[i], fz_io_fn, (void *)(uintptr_t)i);
	fz_start(&golden, fz_golden_fn, NULL);
	for (i = 0; i < fz_threads; i++)
		pthread_join(th[i].tid, NULL);
	atomic_store(&fz_stop, 1);
	for (i = 0; i < FZ_IO_THREADS; i++)
		pthread_join(io[i], NULL);
	pthread_join(golden, NULL);

	printf("# %lu calls, %lu succeeded, %lu block I/Os\n",
	       atomic_load(&fz_calls), atomic_load(&fz_ok),
	       atomic_load(&fz_io_ops));
	for (c = 0; c < FZ_NR_CMDS; c++) {
		unsigned long n = 0, ok = 0;

		for (i = 0; i < fz_threads; i++) {
			n += th[i].per_cmd[c][0];
			ok += th[i].per_cmd[c][1];
		}
		printf("#   %-13s %6lu calls %6lu ok\n", fz_names[c], n, ok);
	}
	tap(!atomic_load(&fz_fail) &&
	    atomic_load(&fz_calls) == (unsigned long)fz_threads * fz_ops,
	    "fuzz_every_call_success_or_documented_errno");

	ret = fz_verify_golden();
	if (ret)
		printf("# golden verify: %d\n", ret);
	tap(!ret, "fuzz_golden_device_data_verifies");

	ret = fz_cleanup();
	tap(!ret, "fuzz_every_device_removed");
	printf("# replay with: fuzz_test -s %#llx -n %u -t %u\n", fz_seed,
	       fz_ops, fz_threads);
	return tap_failed || tap_n != 4 ? 1 : 0;
}
