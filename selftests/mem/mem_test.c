// SPDX-License-Identifier: GPL-2.0
/*
 * Memory of cowrap devices, run in the VM: repeated add / heavy I/O / del
 * cycles (ram devices, a bdev device stacked on one, synchronous calls,
 * discard and write-zeroes) leave the module's live-object counters
 * (debugfs cowrap/live) at zero, no device worker thread behind, and the
 * kernel's memory figures (/proc/meminfo, /proc/slabinfo) where they
 * started, within the tolerances below, after caches are dropped.
 *
 * COWRAP_MEM_CYCLES sets the number of measured cycles (default 6).
 */
#define _GNU_SOURCE
#include <dirent.h>

#include "../harness.h"
#include "../blk/blk_util.h"

#define MEM_DEV_SIZE	(32 * MiB)
#define MEM_WRITE	(16 * MiB)	/* written per cycle, then freed */

/*
 * Tolerances, in KiB.  The data pages themselves are counted exactly by
 * the live counter ram_pages; the kernel's figures catch what the module
 * does not count.  MemFree drifts between two settled readings by memory
 * that no other /proc/meminfo field shows (per-CPU page lists and the
 * like): 4.5 to 26 MiB over 6 cycles, seen on 6.1 and 6.12 after the
 * fuzzer.  Its tolerance is half of what the measured cycles write (at
 * least MEM_TOL_FREE_MIN_KB): a leak of half the data of every cycle
 * still fails.
 */
#define MEM_TOL_FREE_MIN_KB	(48 * 1024)	/* MemFree */
#define MEM_TOL_SLAB_KB		(2 * 1024)	/* SUnreclaim */
#define MEM_TOL_SLABINFO_KB	(2 * 1024)	/* sum over /proc/slabinfo */
#define MEM_TOL_VMALLOC_KB	(1024)		/* worker stacks are vmalloc */


static const char *const mem_counters[] = {
	"registry_devices", "devices", "disks", "contexts", "backends",
	"ram_pages", "dev_coroutines", "dev_coroutines_allocated",
	"default_coroutines", "default_coroutines_allocated",
};

/* Name of the first non-zero live counter, or NULL. */
static const char *mem_live_nonzero(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(mem_counters) / sizeof(mem_counters[0]); i++)
		if (live_counter(mem_counters[i]) != 0)
			return mem_counters[i];
	return NULL;
}

/* KiB held by every slab cache (active objects times object size). */
static long mem_slabinfo_kb(void)
{
	char line[512], name[64];
	unsigned long active, total, objsize;
	unsigned long long bytes = 0;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lu %lu %lu", name, &active, &total,
			   &objsize) == 4)
			bytes += (unsigned long long)active * objsize;
	fclose(f);
	return bytes / 1024;
}

/* Kernel threads of device contexts ("cowrap<cpu>:dev<id>"). */
static int mem_dev_threads(void)
{
	return count_comm("cowrap", ":dev");
}

static void mem_settle(void)
{
	int fd;

	sync();
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "3", 1) < 0)
			TH_LOG("drop_caches: %s", strerror(errno));
		close(fd);
	}
	usleep(300000);	/* RCU-deferred frees and exiting workers */
}

#define MEM_FIELDS	80

/* Every /proc/meminfo line, for the diagnostic of a failing check. */
struct mem_all {
	char name[MEM_FIELDS][32];
	long kb[MEM_FIELDS];
	int n;
};

struct mem_fig {
	long free_kb, sunreclaim_kb, slabinfo_kb, vmalloc_kb;
	struct mem_all all;
};

static void mem_read_all(struct mem_all *m)
{
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	m->n = 0;
	if (!f)
		return;
	while (m->n < MEM_FIELDS && fgets(line, sizeof(line), f))
		if (sscanf(line, "%31[^:]: %ld", m->name[m->n],
			   &m->kb[m->n]) == 2)
			m->n++;
	fclose(f);
}

/* Value of meminfo field @name in @m, in KiB, or -1. */
static long mem_all_get(const struct mem_all *m, const char *name)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->name[i], name))
			return m->kb[i];
	return -1;
}

/* Log the meminfo fields that moved by at least 1 MiB. */
static void mem_log_moved(const struct mem_all *a, const struct mem_all *b)
{
	int i;

	for (i = 0; i < a->n && i < b->n; i++)
		if (labs(b->kb[i] - a->kb[i]) >= 1024)
			TH_LOG("meminfo %s: %ld -> %ld KiB", a->name[i],
			       a->kb[i], b->kb[i]);
}

static void mem_read(struct mem_fig *m)
{
	mem_settle();
	mem_read_all(&m->all);
	m->free_kb = mem_all_get(&m->all, "MemFree");
	m->sunreclaim_kb = mem_all_get(&m->all, "SUnreclaim");
	m->slabinfo_kb = mem_slabinfo_kb();
	m->vmalloc_kb = mem_all_get(&m->all, "VmallocUsed");
}

/* One cycle: add, heavy I/O in every form, del.  0 or -errno/-line. */
static int mem_cycle(unsigned int seed, long *pages_seen)
{
	unsigned char *buf = abuf(MiB);
	struct cowrap_dev_add a;
	char path[64];
	int low, up, fd;
	__u64 off;

	add_init(&a, COWRAP_BACKEND_RAM, MEM_DEV_SIZE);
	a.dev_flags = COWRAP_DEV_DISCARD | COWRAP_DEV_WRITE_ZEROES;
	low = dev_add(&a);
	if (low < 0)
		return low;
	fd = dev_open(low, O_RDWR | O_DIRECT);
	if (fd < 0)
		return -__LINE__;
	for (off = 0; off < MEM_WRITE; off += MiB) {
		pat_fill(buf, off, MiB, seed);
		if (full_pwrite(fd, buf, MiB, off))
			return -__LINE__;
	}
	*pages_seen = live_counter("ram_pages");
	for (off = 0; off < MEM_WRITE; off += 4 * MiB) {
		if (full_pread(fd, buf, MiB, off) ||
		    pat_check(buf, off, MiB, seed) >= 0)
			return -__LINE__;
	}
	close(fd);
	/* synchronous calls: write past the data, discard, zero */
	if (dev_io(COWRAP_IOC_PWRITE, low, MEM_WRITE, MiB, buf, 0) ||
	    dev_io(COWRAP_IOC_DISCARD, low, 0, 4 * MiB, NULL, 0) ||
	    dev_io(COWRAP_IOC_WRITE_ZEROES, low, 4 * MiB, MiB + 512, NULL, 0) ||
	    dev_io(COWRAP_IOC_FLUSH, low, 0, 0, NULL, 0))
		return -__LINE__;

	/* a bdev device stacked on it, with I/O through both layers */
	snprintf(path, sizeof(path), "/dev/cowrap%d", low);
	add_init(&a, COWRAP_BACKEND_BDEV, 0);
	a.path = (uintptr_t)path;
	a.path_len = strlen(path) + 1;
	up = dev_add(&a);
	if (up < 0)
		return up;
	fd = dev_open(up, O_RDWR | O_DIRECT);
	if (fd < 0)
		return -__LINE__;
	for (off = 8 * MiB; off < 12 * MiB; off += MiB)
		if (full_pwrite(fd, buf, MiB, off) || full_pread(fd, buf, MiB, off))
			return -__LINE__;
	close(fd);
	if (dev_del(low) != -EBUSY || dev_del(up) || dev_del(low))
		return -__LINE__;
	free(buf);
	return 0;
}

TEST_TIMEOUT(mem_live_counters_zero_at_start, 30)
{
	del_all();
	ASSERT_EQ(access(COWRAP_LIVE, R_OK), 0);
	mem_settle();
	ASSERT_EQ(mem_live_nonzero(), NULL);
	ASSERT_EQ(mem_dev_threads(), 0);
}

TEST_TIMEOUT(mem_add_io_del_cycles_leave_no_trace, 300)
{
	unsigned int cycles = 6, i;
	struct mem_fig before, after;
	long tol_free;
	long pages = 0;
	const char *nz;
	char *e = getenv("COWRAP_MEM_CYCLES");

	if (e)
		cycles = strtoul(e, NULL, 0);
	ASSERT_GE(cycles, 1);
	del_all();
	/* warm-up: caches, the default context and workqueues settle */
	ASSERT_EQ(mem_cycle(1, &pages), 0);
	mem_read(&before);
	for (i = 0; i < cycles; i++) {
		ASSERT_EQ(mem_cycle(2 + i, &pages), 0);
		/* the counter does count: the written data is held */
		ASSERT_GE(pages, MEM_WRITE / 4096);
	}
	mem_read(&after);
	nz = mem_live_nonzero();
	if (nz)
		TH_LOG("live counter %s = %ld", nz, live_counter(nz));
	ASSERT_EQ(nz, NULL);
	ASSERT_EQ(mem_dev_threads(), 0);
	TH_LOG("%u cycles of %llu MiB: MemFree %ld -> %ld KiB, SUnreclaim %ld -> %ld KiB, slabinfo %ld -> %ld KiB, VmallocUsed %ld -> %ld KiB",
	       cycles, MEM_WRITE / MiB, before.free_kb, after.free_kb,
	       before.sunreclaim_kb, after.sunreclaim_kb, before.slabinfo_kb,
	       after.slabinfo_kb, before.vmalloc_kb, after.vmalloc_kb);
	mem_log_moved(&before.all, &after.all);
	ASSERT_GE(before.free_kb, 0);
	tol_free = (long)(cycles * MEM_WRITE / 2048);
	if (tol_free < MEM_TOL_FREE_MIN_KB)
		tol_free = MEM_TOL_FREE_MIN_KB;
	ASSERT_LE(before.free_kb - after.free_kb, tol_free);
	ASSERT_LE(after.sunreclaim_kb - before.sunreclaim_kb, MEM_TOL_SLAB_KB);
	if (before.slabinfo_kb >= 0)
		ASSERT_LE(after.slabinfo_kb - before.slabinfo_kb,
			  MEM_TOL_SLABINFO_KB);
	ASSERT_LE(after.vmalloc_kb - before.vmalloc_kb, MEM_TOL_VMALLOC_KB);
}

/* Force-deleted open devices and failed ADDs leave nothing either. */
TEST_TIMEOUT(mem_failed_add_and_force_del_leave_no_trace, 120)
{
	struct cowrap_dev_add a;
	unsigned char *buf = abuf(65536);
	int i, id, fd;

	del_all();
	for (i = 0; i < 20; i++) {
		/* bdev ADD that fails after allocating: path not a bdev */
		add_init(&a, COWRAP_BACKEND_BDEV, 0);
		a.path = (uintptr_t)"/dev/null";
		a.path_len = 10;
		ASSERT_EQ(dev_add(&a), -ENOTBLK);
		/* requested id taken */
		id = dev_add_simple(COWRAP_BACKEND_RAM, 4 * MiB, 0);
		ASSERT_GE(id, 0);
		add_init(&a, COWRAP_BACKEND_NULL, MiB);
		a.flags = COWRAP_ADD_REQ_ID;
		a.dev_id = id;
		ASSERT_EQ(dev_add(&a), -EEXIST);
		/* force-delete while open and written to */
		fd = dev_open(id, O_RDWR | O_DIRECT);
		ASSERT_GE(fd, 0);
		ASSERT_EQ(full_pwrite(fd, buf, 65536, 0), 0);
		ASSERT_EQ(dev_del_flags(id, COWRAP_DEL_FORCE), 0);
		ASSERT_EQ(full_pwrite(fd, buf, 65536, 0), -EIO);
		close(fd);
	}
	for (i = 0; i < 200 && live_counter("devices"); i++)
		usleep(10000);
	mem_settle();
	ASSERT_EQ(mem_live_nonzero(), NULL);
	ASSERT_EQ(mem_dev_threads(), 0);
}

/*
 * Discard and write-zeroes of a huge, sparsely written ram device free
 * what was written and cost what it holds, not its length.
 */
TEST_TIMEOUT(mem_huge_sparse_discard_frees_pages, 60)
{
	__u64 size = COWRAP_MAX_DEV_SIZE, off, range[2];
	unsigned char *buf = abuf(4096);
	int id, fd, k;

	del_all();
	id = dev_add_simple(COWRAP_BACKEND_RAM, size,
			    COWRAP_DEV_DISCARD | COWRAP_DEV_WRITE_ZEROES);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	memset(buf, 0xa5, 4096);
	for (k = 0, off = 0; k < 64; k++, off += size / 64)
		ASSERT_EQ(full_pwrite(fd, buf, 4096, off + 4096), 0);
	ASSERT_EQ(live_counter("ram_pages"), 64);
	/* the whole TiB through the block layer, then the sync call */
	range[0] = 0;
	range[1] = size / 2;
	ASSERT_EQ(ioctl(fd, BLKDISCARD, range), 0);
	ASSERT_EQ(dev_io(COWRAP_IOC_WRITE_ZEROES, id, size / 2, size / 2,
			 NULL, 0), 0);
	mem_settle();
	ASSERT_EQ(live_counter("ram_pages"), 0);
	for (k = 0, off = 0; k < 64; k += 7, off += 7 * (size / 64)) {
		ASSERT_EQ(full_pread(fd, buf, 4096, off + 4096), 0);
		ASSERT_EQ(zero_check(buf, 4096), -1);
	}
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
	ASSERT_EQ(mem_live_nonzero(), NULL);
}

TEST_HARNESS_MAIN
