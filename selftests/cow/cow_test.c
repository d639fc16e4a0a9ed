// SPDX-License-Identifier: GPL-2.0
/*
 * The cow backend (Documentation/cow-format.rst) over null_blk devices:
 * what add refuses, data against a model with the base left untouched,
 * persistence across delete and re-add, concurrent writes to the same
 * chunks, and crash consistency: the overlay's null_blk (a volatile
 * cache) powered off under load at random points, then checked with
 * "cowrapctl cow-check" and against what was durable.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <sys/uio.h>
#include <time.h>

#include "cow_util.h"

#define BASE	"/dev/nullb20"
#define OVL	"/dev/nullb21"
#define OTHER	"/dev/nullb22"
#define BASE_SEED	0xba5e
#define DEV_SIZE	(16 * MiB)

/*
 * A null_blk volatile cache is larger than its device, so that it never
 * fills: null_blk's eviction can livelock a FLUSH (Documentation/testing.rst).
 */
#define OVL_CACHE	"cache_size=24"		/* MiB: the overlay is 20 */

/* Base and overlay null_blk devices; the base filled with BASE_SEED. */
static void make_pair(const char *ovl_attrs)
{
	char a[128];

	del_all();
	nullb_destroy(20);
	nullb_destroy(21);
	ASSERT_EQ(nullb_create(20, "size=16 blocksize=512 memory_backed=1"), 0);
	snprintf(a, sizeof(a), "size=20 blocksize=512 memory_backed=1 %s",
		 ovl_attrs);
	ASSERT_EQ(nullb_create(21, a), 0);
	ASSERT_EQ(fill_dev(BASE, DEV_SIZE, BASE_SEED), 0);
}

static void drop_pair(void)
{
	del_all();
	nullb_destroy(20);
	nullb_destroy(21);
}

/* The base still holds its pattern: it was never written. */
static void check_base(void)
{
	unsigned char *b = abuf(MiB);
	int fd = open(BASE, O_RDONLY | O_DIRECT);
	__u64 off;

	ASSERT_GE(fd, 0);
	for (off = 0; off < DEV_SIZE; off += MiB) {
		ASSERT_EQ(full_pread(fd, b, MiB, off), 0);
		ASSERT_EQ(pat_check(b, off, MiB, BASE_SEED), -1);
	}
	close(fd);
	free(b);
}

/* The whole device equals @model. */
static void check_model(int id, const unsigned char *model)
{
	unsigned char *b = abuf(MiB);
	int fd = dev_open(id, O_RDONLY | O_DIRECT);
	__u64 off;

	ASSERT_GE(fd, 0);
	for (off = 0; off < DEV_SIZE; off += MiB) {
		ASSERT_EQ(full_pread(fd, b, MiB, off), 0);
		if (memcmp(b, model + off, MiB)) {
			size_t i = 0;

			while (b[i] == model[off + i])
				i++;
			TH_FAIL("device differs from the model at %llu",
				(unsigned long long)(off + i));
		}
	}
	close(fd);
	free(b);
}

/*
 * GET_DEV_INFO and "cowrapctl info" show a cow device's base, overlay and
 * chunk size (@chunk: the superblock's, whatever the add asked for).
 */
static void check_info(int id, __u32 chunk)
{
	struct cowrap_dev_info i;
	char args[64], out[256], want[32];

	ASSERT_EQ(dev_info(id, &i), 0);
	ASSERT_EQ(i.size, COWRAP_DEV_INFO_SIZE_VER2);
	ASSERT_EQ(i.backend, COWRAP_BACKEND_COW);
	ASSERT_STREQ((char *)i.path, BASE);
	ASSERT_STREQ((char *)i.overlay, OVL);
	ASSERT_EQ(i.chunk_size, chunk);
	snprintf(args, sizeof(args), "info -n -o OVERLAY %d", id);
	ASSERT_EQ(ctl_run(out, sizeof(out), args), 0);
	ASSERT_STREQ(out, OVL "\n");
	snprintf(args, sizeof(args), "info -n -o CHUNK %d", id);
	ASSERT_EQ(ctl_run(out, sizeof(out), args), 0);
	snprintf(want, sizeof(want), "%u\n", chunk);
	ASSERT_STREQ(out, want);
}

/* What add refuses, each with its errno, and what --format refuses. */
TEST_TIMEOUT(cow_refused, 120)
{
	struct cowrap_dev_add a;
	char out[256];
	int id;

	make_pair("");
	/* an unformatted overlay */
	ASSERT_EQ(cow_add(BASE, OVL, 0, 0), -EINVAL);
	/* the base as its own overlay */
	ASSERT_LT(cow_add(BASE, BASE, 0, 0), 0);
	/* chunk sizes out of bounds or not a power of two */
	ASSERT_EQ(cow_add(BASE, OVL, 2048, 0), -EINVAL);
	ASSERT_EQ(cow_add(BASE, OVL, 12288, 0), -EINVAL);
	ASSERT_EQ(cow_add(BASE, OVL, 2 * MiB, 0), -EINVAL);
	/* cow fields on another backend; no overlay */
	add_init(&a, COWRAP_BACKEND_RAM, MiB);
	a.chunk_size = 4096;
	ASSERT_EQ(dev_add(&a), -EINVAL);
	add_init(&a, COWRAP_BACKEND_COW, 0);
	a.path = (uintptr_t)BASE;
	a.path_len = sizeof(BASE);
	ASSERT_EQ(dev_add(&a), -EINVAL);

	id = cow_format_add(BASE, OVL, 16384, "");
	ASSERT_GE(id, 0);
	ASSERT_EQ(dev_del(id), 0);
	/* a valid overlay is not formatted again without --force */
	ASSERT_NE(ctl_run(NULL, 0, "add --backend cow --base " BASE
			  " --overlay " OVL " --format"), 0);
	/* another chunk size than the superblock's */
	ASSERT_EQ(cow_add(BASE, OVL, 4096, 0), -EINVAL);
	/* a base of the same size with other content */
	ASSERT_EQ(nullb_create(22, "size=16 blocksize=512 memory_backed=1"), 0);
	ASSERT_EQ(cow_add(OTHER, OVL, 0, 0), -EMEDIUMTYPE);
	ASSERT_NE(cow_check(OTHER, OVL, NULL), 0);
	nullb_destroy(22);
	/* the right one */
	id = cow_add(BASE, OVL, 16384, 0);
	ASSERT_GE(id, 0);
	/* a live overlay is neither formatted nor checked */
	ASSERT_NE(ctl_run(out, sizeof(out), "add --backend cow --base " BASE
			  " --overlay " OVL " --format --force"), 0);
	ASSERT_TRUE(strstr(out, "in use"));
	ASSERT_NE(ctl_run(out, sizeof(out), "cow-check " OVL), 0);
	ASSERT_TRUE(strstr(out, "in use"));
	ASSERT_EQ(dev_del(id), 0);
	ASSERT_EQ(cow_check(BASE, OVL, NULL), 0);
	/* an overlay too small for the base */
	nullb_destroy(21);
	ASSERT_EQ(nullb_create(21, "size=8 blocksize=512 memory_backed=1"), 0);
	ASSERT_LT(cow_format_add(BASE, OVL, 16384, ""), 0);
	drop_pair();
}

/* Random writes, zeroes and discards against a model, @nr operations. */
static void random_ops(int fd, unsigned char *model, unsigned int nr,
		       unsigned int seed)
{
	unsigned char *b = abuf(256 * 1024);
	unsigned int i;

	for (i = 0; i < nr; i++) {
		__u64 len = 512 * (1 + rnd() % 512);
		__u64 off = 512ULL * (rnd() % ((DEV_SIZE - len) / 512 + 1));
		__u64 range[2] = { off, len };
		unsigned int kind = rnd() % 16;

		if (kind == 0) {
			ASSERT_EQ(ioctl(fd, BLKZEROOUT, range), 0);
			memset(model + off, 0, len);
		} else if (kind == 1) {
			ASSERT_EQ(ioctl(fd, BLKDISCARD, range), 0);
			memset(model + off, 0, len);
		} else if (kind < 5) {
			/* a read that may span mapped and unmapped chunks */
			ASSERT_EQ(full_pread(fd, b, len, off), 0);
			ASSERT_EQ(memcmp(b, model + off, len), 0);
		} else {
			pat_fill(b, off, len, seed + i);
			ASSERT_EQ(full_pwrite(fd, b, len, off), 0);
			memcpy(model + off, b, len);
		}
	}
	free(b);
}

/*
 * Data: random writes of many sizes and offsets over a 16 KiB-chunk
 * overlay, verified against a model; persistence: delete, cow-check
 * (clean), re-add, everything there; the base never written.
 */
TEST_TIMEOUT(cow_data_persist, 300)
{
	unsigned char *model = malloc(DEV_SIZE);
	int id, fd, dirty;
	__u64 off;

	ASSERT_TRUE(model);
	make_pair("");
	for (off = 0; off < DEV_SIZE; off++)
		model[off] = pat_byte(off, BASE_SEED);
	id = cow_format_add(BASE, OVL, 16384, "--discard --write-zeroes");
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	check_model(id, model);
	random_ops(fd, model, 400, 1000);
	/* a write spanning many chunks, unaligned, then a FLUSH */
	{
		unsigned char *big = abuf(MiB);

		pat_fill(big, 3 * MiB + 1536, MiB, 4242);
		ASSERT_EQ(full_pwrite(fd, big, MiB, 3 * MiB + 1536), 0);
		memcpy(model + 3 * MiB + 1536, big, MiB);
		free(big);
	}
	ASSERT_EQ(fsync(fd), 0);
	check_model(id, model);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	check_base();

	ASSERT_EQ(cow_check(BASE, OVL, &dirty), 0);
	ASSERT_EQ(dirty, 0);
	id = cow_add(BASE, OVL, 0, COWRAP_DEV_DISCARD | COWRAP_DEV_WRITE_ZEROES);
	ASSERT_GE(id, 0);
	check_info(id, 16384);
	check_model(id, model);
	/* and it goes on working, without a FLUSH before the delete */
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	random_ops(fd, model, 200, 5000);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	id = cow_add(BASE, OVL, 16384, 0);
	ASSERT_GE(id, 0);
	check_model(id, model);
	ASSERT_EQ(dev_del(id), 0);
	check_base();
	drop_pair();
	free(model);
}

#define NTHREADS	4
#define CC_CHUNK	65536
#define CC_CHUNKS	64
#define CC_BLOCKS	(CC_CHUNK / 4096)

/**
 * struct cc_arg - one writer of the concurrency test
 * @fd: the cow device
 * @t: writer number, 0 .. NTHREADS - 1
 * @bar: all writers start each chunk together
 * @err: first error
 */
struct cc_arg {
	int fd;
	int t;
	pthread_barrier_t *bar;
	int err;
};

/*
 * Writer @t writes, chunk after chunk and all writers together, the
 * 4 KiB blocks b of the chunk with b % NTHREADS == t, in a shuffled
 * order: every write of a fresh chunk races the others' copy-ups.
 */
static void *cc_writer(void *p)
{
	struct cc_arg *a = p;
	unsigned char *b = abuf(4096);
	unsigned int c, k, r = 77 + a->t;

	for (c = 0; c < CC_CHUNKS; c++) {
		unsigned int rot = (r = r * 1103515245 + 12345) >> 8;

		pthread_barrier_wait(a->bar);
		for (k = 0; k < CC_BLOCKS / NTHREADS && !a->err; k++) {
			/* a rotation: each of the writer's blocks once */
			unsigned int blk = (k + rot) % (CC_BLOCKS / NTHREADS);
			__u64 off = (__u64)c * CC_CHUNK +
				    (blk * NTHREADS + a->t) * 4096ULL;

			pat_fill(b, off, 4096, 100 + a->t);
			if (full_pwrite(a->fd, b, 4096, off))
				a->err = errno ? errno : EIO;
		}
	}
	free(b);
	return NULL;
}

/* Overlapping writes: rounds of fresh chunk pairs, one write each. */
#define OV_ROUNDS	32
#define OV_FIRST	CC_CHUNKS	/* first chunk of round 0 */

/* The ranges written in each round, by writer: byte offset and length. */
static __u64 ov_off[OV_ROUNDS][NTHREADS], ov_len[OV_ROUNDS][NTHREADS];

/*
 * In each round all writers write at once one random range of the same
 * two fresh chunks: the ranges overlap, and all race to copy them up.
 */
static void *ov_writer(void *p)
{
	struct cc_arg *a = p;
	unsigned char *b = abuf(2 * CC_CHUNK);
	unsigned int i, r = 999 + a->t;

	for (i = 0; i < OV_ROUNDS && !a->err; i++) {
		__u64 len = 512 * (1 + (r = r * 1103515245 + 12345) % 128);
		__u64 off = 512ULL * ((r >> 8) % ((2 * CC_CHUNK - len) / 512 + 1)) +
			    (OV_FIRST + 2ULL * i) * CC_CHUNK;

		ov_off[i][a->t] = off;
		ov_len[i][a->t] = len;
		pat_fill(b, off, len, 200 + a->t);
		pthread_barrier_wait(a->bar);
		if (full_pwrite(a->fd, b, len, off))
			a->err = errno ? errno : EIO;
	}
	free(b);
	return NULL;
}

/*
 * A sector of round @i at @so holds one of the writers' patterns that
 * covered it, or the base's if none did.  Return: the writer, NTHREADS
 * for the base, -1 for anything else.
 */
static int ov_sector_ok(const unsigned char *b, unsigned int i, __u64 so)
{
	int t, covered = 0;

	for (t = 0; t < NTHREADS; t++) {
		if (so < ov_off[i][t] || so >= ov_off[i][t] + ov_len[i][t])
			continue;
		covered = 1;
		if (pat_check(b, so, 512, 200 + t) == -1)
			return t;
	}
	if (!covered && pat_check(b, so, 512, BASE_SEED) == -1)
		return NTHREADS;
	return -1;
}

static void run_writers(int id, void *(*fn)(void *))
{
	pthread_t th[NTHREADS];
	struct cc_arg a[NTHREADS];
	pthread_barrier_t bar;
	int t;

	pthread_barrier_init(&bar, NULL, NTHREADS);
	for (t = 0; t < NTHREADS; t++) {
		a[t] = (struct cc_arg){ .t = t, .bar = &bar };
		a[t].fd = dev_open(id, O_RDWR | O_DIRECT);
		ASSERT_GE(a[t].fd, 0);
		ASSERT_EQ(pthread_create(&th[t], NULL, fn, &a[t]), 0);
	}
	for (t = 0; t < NTHREADS; t++) {
		pthread_join(th[t], NULL);
		ASSERT_EQ(a[t].err, 0);
		close(a[t].fd);
	}
	pthread_barrier_destroy(&bar);
}

/*
 * Concurrency: writers hammering the same chunks at once, copy-ups of
 * one chunk serialised (no write lost to another's merge), then
 * overlapping writes racing to copy up the same chunks (every sector
 * one of the writes that covered it, the base's only if none did).
 */
/*
 * Reads and rewrites of chunks already in the overlay go down from
 * queue_rq (or ->submit_bio, @bio) and finish from their last bio: none
 * restarts on a worker (debugfs cowrap/live dev_restarts), all finish
 * inline, data verified.
 */
static void cow_inline_read_rewrite(int bio)
{
	unsigned char *buf = abuf(64 * 1024), *back = abuf(64 * 1024);
	long r0, i0, restarts, inl;
	int id, fd, i;

	ASSERT_TRUE(buf && back);
	make_pair("");
	id = cow_format_add(BASE, OVL, 16384, bio ? "--bio" : "");
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	/* copy up the first 64 KiB (four chunks): these run on a worker */
	pat_fill(buf, 0, 64 * 1024, 77);
	ASSERT_EQ(full_pwrite(fd, buf, 64 * 1024, 0), 0);
	r0 = live_counter("dev_restarts");
	i0 = live_counter("dev_inline");
	ASSERT_GE(r0, 0);
	for (i = 0; i < 64; i++) {
		off_t off = (i % 16) * 4096;

		pat_fill(buf, off, 4096, 100 + i);
		ASSERT_EQ(full_pwrite(fd, buf, 4096, off), 0);
		ASSERT_EQ(pread(fd, back, 4096, off), 4096);
		ASSERT_EQ(memcmp(buf, back, 4096), 0);
		/* a chunk never written: from the base, inline too */
		ASSERT_EQ(pread(fd, back, 4096, MiB + off), 4096);
	}
	restarts = live_counter("dev_restarts") - r0;
	inl = live_counter("dev_inline") - i0;
	TH_LOG("192 rewrites and reads: %ld finished inline, %ld restarted",
	       inl, restarts);
	ASSERT_EQ(restarts, 0);
	ASSERT_GE(inl, 192);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	check_base();
	free(buf);
	free(back);
}

TEST_TIMEOUT(cow_inline_read_rewrite, 120)
{
	cow_inline_read_rewrite(0);
}

TEST_TIMEOUT(cow_inline_read_rewrite_bio, 120)
{
	cow_inline_read_rewrite(1);
}

TEST_TIMEOUT(cow_concurrent, 300)
{
	unsigned char *b = abuf(2 * CC_CHUNK);
	int id, fd, owners[NTHREADS + 1] = { 0 };
	unsigned int c, s;

	make_pair("");
	id = cow_format_add(BASE, OVL, CC_CHUNK, "--queues 2 --depth 32");
	ASSERT_GE(id, 0);
	run_writers(id, cc_writer);
	run_writers(id, ov_writer);
	fd = dev_open(id, O_RDONLY | O_DIRECT);
	ASSERT_GE(fd, 0);
	for (c = 0; c < CC_CHUNKS; c++) {
		__u64 off = (__u64)c * CC_CHUNK;

		ASSERT_EQ(full_pread(fd, b, CC_CHUNK, off), 0);
		for (s = 0; s < CC_BLOCKS; s++)
			if (pat_check(b + s * 4096, off + s * 4096, 4096,
				      100 + s % NTHREADS) != -1)
				TH_FAIL("chunk %u block %u lost its write", c, s);
	}
	for (c = 0; c < OV_ROUNDS; c++) {
		__u64 off = (OV_FIRST + 2ULL * c) * CC_CHUNK;

		ASSERT_EQ(full_pread(fd, b, 2 * CC_CHUNK, off), 0);
		for (s = 0; s < 2 * CC_CHUNK / 512; s++) {
			int t = ov_sector_ok(b + s * 512, c, off + s * 512);

			if (t < 0)
				TH_FAIL("round %u: sector at %llu is neither a covering write's nor the base's",
					c, (unsigned long long)(off + s * 512));
			owners[t]++;
		}
	}
	TH_LOG("overlapping writes: sectors of each writer %d %d %d %d, base %d",
	       owners[0], owners[1], owners[2], owners[3], owners[NTHREADS]);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	check_base();
	drop_pair();
	free(b);
}

/* Crash test: 4 KiB blocks of the device, two writers interleaved. */
#define CR_BLOCKS	(DEV_SIZE / 4096)
#define CR_HIST		48

/**
 * struct cr_block - what a 4 KiB block may hold after a crash
 * @dur: seed of the last write known durable (BASE_SEED at first)
 * @nr: writes issued since, in @hist
 * @hist: their seeds
 */
struct cr_block {
	unsigned int dur;
	unsigned int nr;
	unsigned int hist[CR_HIST];
};

/**
 * struct cr_arg - a writer of the crash test
 * @fd: the cow device
 * @t: 0 or 1: writes the blocks b with b % 2 == t
 * @blk: the model, shared (each writer touches its own blocks)
 * @seed: next seed, unique over the whole test
 * @writes: writes completed
 */
struct cr_arg {
	int fd;
	int t;
	struct cr_block *blk;
	unsigned int seed;
	unsigned int writes;
};

/* Every block of writer @a: its writes so far are durable. */
static void cr_flushed(struct cr_arg *a)
{
	unsigned int i;

	for (i = a->t; i < CR_BLOCKS; i += 2)
		if (a->blk[i].nr) {
			a->blk[i].dur = a->blk[i].hist[a->blk[i].nr - 1];
			a->blk[i].nr = 0;
		}
}

/* Write until the device fails (the overlay powered off). */
static void *cr_writer(void *p)
{
	struct cr_arg *a = p;
	unsigned char *b = abuf(4096);
	struct iovec iov = { b, 4096 };
	unsigned int r = a->seed;

	for (;;) {
		unsigned int i = ((r = r * 1103515245 + 12345) >> 4) %
				 (CR_BLOCKS / 2) * 2 + a->t;
		struct cr_block *k = &a->blk[i];
		int fua = r % 8 == 0, flush = r % 16 == 1;
		unsigned int seed = a->seed++;

		if (k->nr == CR_HIST) {
			if (fsync(a->fd))
				break;
			cr_flushed(a);
		}
		pat_fill(b, i * 4096ULL, 4096, seed);
		k->hist[k->nr++] = seed;
		if (pwritev2(a->fd, &iov, 1, i * 4096LL,
			     fua ? RWF_DSYNC : 0) != 4096)
			break;
		a->writes++;
		if (fua) {
			k->dur = seed;
			k->nr = 0;
		}
		if (flush) {
			if (fsync(a->fd))
				break;
			cr_flushed(a);
		}
	}
	free(b);
	return NULL;
}

/* After the crash: every block holds its durable write or a later one. */
static void cr_verify(int id, struct cr_block *blk)
{
	unsigned char *b = abuf(4096);
	int fd = dev_open(id, O_RDONLY | O_DIRECT);
	unsigned int i, j, later = 0;

	ASSERT_GE(fd, 0);
	for (i = 0; i < CR_BLOCKS; i++) {
		int ok;

		ASSERT_EQ(full_pread(fd, b, 4096, i * 4096ULL), 0);
		ok = pat_check(b, i * 4096ULL, 4096, blk[i].dur) == -1;

		for (j = blk[i].nr; j-- && !ok;)
			if (pat_check(b, i * 4096ULL, 4096, blk[i].hist[j]) == -1) {
				/* not durable before, durable now */
				blk[i].dur = blk[i].hist[j];
				ok = 1;
				later++;
			}
		if (!ok)
			TH_FAIL("block %u: neither its durable write (seed %#x) nor a later one",
				i, blk[i].dur);
		blk[i].nr = 0;
	}
	TH_LOG("  %u blocks hold a write that was not yet durable", later);
	close(fd);
	free(b);
}

/*
 * Crash consistency: two writers (plain, FUA and FLUSH) on a cow device
 * (a bio-based one with @bio) whose overlay is a null_blk with a volatile
 * cache; at a random moment the overlay is powered off (the cache lost)
 * and on again.  cow-check finds it consistent and dirty, and after
 * re-adding every block holds its last durable write or a later one,
 * never anything else.
 */
static void cow_crash(int bio)
{
	struct cr_block *blk = calloc(CR_BLOCKS, sizeof(*blk));
	unsigned int round, i, seed[2] = { 0x10000, 0x8000000 };
	int id, dirty;

	ASSERT_TRUE(blk);
	make_pair(OVL_CACHE);
	for (i = 0; i < CR_BLOCKS; i++)
		blk[i].dur = BASE_SEED;
	id = cow_format_add(BASE, OVL, 16384, bio ? "--bio" : "");
	ASSERT_GE(id, 0);
	for (round = 0; round < 8; round++) {
		struct cr_arg a[2];
		pthread_t th[2];
		int t;

		for (t = 0; t < 2; t++) {
			a[t] = (struct cr_arg){ .t = t, .blk = blk,
						.seed = seed[t] };
			a[t].fd = dev_open(id, O_RDWR | O_DIRECT);
			ASSERT_GE(a[t].fd, 0);
			ASSERT_EQ(pthread_create(&th[t], NULL, cr_writer, &a[t]), 0);
		}
		usleep(1000 * (50 + rnd() % 400));
		/* the crash: the overlay's cache is lost with its power */
		ASSERT_EQ(nullb_set(21, "power", "0"), 0);
		for (t = 0; t < 2; t++) {
			pthread_join(th[t], NULL);
			close(a[t].fd);
		}
		seed[0] = a[0].seed;
		seed[1] = a[1].seed;
		TH_LOG("round %u: %u + %u writes before the cut", round,
		       a[0].writes, a[1].writes);
		ASSERT_EQ(dev_del(id), 0);
		ASSERT_EQ(nullb_set(21, "power", "1"), 0);
		ASSERT_EQ(cow_check(BASE, OVL, &dirty), 0);
		ASSERT_EQ(dirty, 1);
		id = cow_add(BASE, OVL, 0, bio ? COWRAP_DEV_BIO_BASED : 0);
		ASSERT_GE(id, 0);
		cr_verify(id, blk);
	}
	ASSERT_EQ(dev_del(id), 0);
	ASSERT_EQ(cow_check(BASE, OVL, &dirty), 0);
	ASSERT_EQ(dirty, 0);
	check_base();
	drop_pair();
	free(blk);
}

TEST_TIMEOUT(cow_crash, 600)
{
	cow_crash(0);
}

TEST_TIMEOUT(cow_crash_bio, 600)
{
	cow_crash(1);
}

/* Run a shell command, logging it; its exit status. */
static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	TH_LOG("$ %s", cmd);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * ext4 on a cow device (a bio-based one with @bio): mkfs, a tree copied
 * in, fsck clean; deleted and re-added, fsck clean again and every file's
 * checksum the same; the base (all zeroes) never written.
 */
static void cow_ext4(int bio)
{
	/* in dependency order; the crypto core is a module in the debug kernel */
	const char *mods = "crypto crypto_algapi crypto_hash crc16 mbcache jbd2 crc32c_generic ext4";
	unsigned char *b = abuf(MiB);
	char dev[32], m[256];
	int id, fd;
	__u64 off;

	if (access("/usr/bin/mkfs.ext4", X_OK) || access("/usr/bin/e2fsck", X_OK))
		SKIP("no mkfs.ext4 or e2fsck in the guest");
	snprintf(m, sizeof(m), "for m in %s; do insmod /lib/peer/$m.ko 2>/dev/null; done; grep -qw ext4 /proc/filesystems",
		 mods);
	if (sh("%s", m))
		SKIP("no ext4 in the guest kernel");
	del_all();
	nullb_destroy(20);
	nullb_destroy(21);
	ASSERT_EQ(nullb_create(20, "size=48 blocksize=512 memory_backed=1"), 0);
	/* a cache larger than the device, as OVL_CACHE */
	ASSERT_EQ(nullb_create(21, "size=52 blocksize=512 memory_backed=1 cache_size=56"), 0);
	id = cow_format_add(BASE, OVL, 4096,
			    bio ? "--lbs 4096 --bio" : "--lbs 4096");
	ASSERT_GE(id, 0);
	snprintf(dev, sizeof(dev), "/dev/cowrap%d", id);
	ASSERT_EQ(sh("mkfs.ext4 -q -F -b 4096 %s", dev), 0);
	ASSERT_EQ(sh("mkdir -p /mnt/cow && mount -t ext4 %s /mnt/cow", dev), 0);
	ASSERT_EQ(sh("cp -a /bin /lib /mnt/cow/ && cd /mnt/cow && find . -type f ! -name sums | sort | xargs md5sum > /tmp/cow.sums && wc -l < /tmp/cow.sums"), 0);
	ASSERT_EQ(sh("umount /mnt/cow"), 0);
	ASSERT_EQ(sh("e2fsck -f -n %s", dev), 0);
	ASSERT_EQ(dev_del(id), 0);
	ASSERT_EQ(cow_check(BASE, OVL, NULL), 0);

	id = cow_add(BASE, OVL, 4096, bio ? COWRAP_DEV_BIO_BASED : 0);
	ASSERT_GE(id, 0);
	snprintf(dev, sizeof(dev), "/dev/cowrap%d", id);
	ASSERT_EQ(sh("e2fsck -f -n %s", dev), 0);
	ASSERT_EQ(sh("mount -t ext4 -o ro %s /mnt/cow && cd /mnt/cow && md5sum -c -s /tmp/cow.sums", dev), 0);
	ASSERT_EQ(sh("umount /mnt/cow"), 0);
	ASSERT_EQ(dev_del(id), 0);

	/* the base is still all zeroes */
	fd = open(BASE, O_RDONLY | O_DIRECT);
	ASSERT_GE(fd, 0);
	for (off = 0; off < 48 * MiB; off += MiB) {
		ASSERT_EQ(full_pread(fd, b, MiB, off), 0);
		ASSERT_EQ(zero_check(b, MiB), -1);
	}
	close(fd);
	drop_pair();
	free(b);
}

TEST_TIMEOUT(cow_ext4, 300)
{
	cow_ext4(0);
}

TEST_TIMEOUT(cow_ext4_bio, 300)
{
	cow_ext4(1);
}

TEST_HARNESS_MAIN
