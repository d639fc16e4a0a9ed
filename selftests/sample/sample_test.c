// SPDX-License-Identifier: GPL-2.0
/*
 * sample_test: loads samples/cowsample (built outside the tree against the
 * installed kit, selftests/sample/sample.mk) after cowrap_blk.ko and
 * checks what it does: records appended and read back through
 * coroutines, concurrent writers kept apart by the CoMutex while their
 * operations overlap, bad input refused, the module's counters, the
 * dependency on cowrap_blk, and unloading.
 */
#include <fcntl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "../harness.h"

#define SAMPLE_KO	"/lib/cowrap/cowsample.ko"
/* built against headers that claim API 1.99 (selftests/sample/sample.mk) */
#define SAMPLE_NEWER_KO	"/lib/cowrap/cowsample-api-newer.ko"
#define SAMPLE_DEV	"/dev/cowsample"
#define SAMPLE_STATS	"/sys/kernel/debug/cowsample/stats"
#define MAX_RECORD	4096
#define CAPACITY	(64 * 1024)

#define WRITERS		4
#define RECORDS		16
#define RECLEN		64

/* Load module file @ko with @params: 0 or -errno. */
static int sample_load_file(const char *ko, const char *params)
{
	int fd, ret;

	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

static int sample_load(const char *params)
{
	return sample_load_file(SAMPLE_KO, params);
}

/* Whether the kernel log holds @needle. */
static int klog_has(const char *needle)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf;
	int n, found;

	if (len <= 0)
		return 0;
	buf = calloc(1, len + 1);
	if (!buf)
		return 0;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	found = n > 0 && strstr(buf, needle);
	free(buf);
	return found;
}

static int sample_unload(void)
{
	return syscall(SYS_delete_module, "cowsample", O_NONBLOCK) ? -errno : 0;
}

/* The value of counter @name in debugfs cowsample/stats, or -1. */
static long long sample_stat(const char *name)
{
	char key[64];
	long long v, found = -1;
	FILE *f = fopen(SAMPLE_STATS, "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

/* Show debugfs cowsample/stats in the test's log. */
static void sample_log_stats(void)
{
	char line[128];
	FILE *f = fopen(SAMPLE_STATS, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		TH_LOG("stats: %s", strtok(line, "\n"));
	fclose(f);
}

/* Open the journal for writing, emptied. */
static int sample_open_trunc(void)
{
	return open(SAMPLE_DEV, O_RDWR | O_TRUNC | O_CLOEXEC);
}

/* A module built for a newer API minor than the loaded layer's refuses. */
TEST(newer_api_refused_at_load)
{
	ASSERT_EQ(access("/sys/module/cowsample", F_OK), -1);
	ASSERT_EQ(sample_load_file(SAMPLE_NEWER_KO, ""), -ENOEXEC);
	ASSERT_TRUE(klog_has("cowsample: built for the cowrap API 1.99, cowrap_blk.ko has 1.1"));
	ASSERT_EQ(access("/sys/module/cowsample", F_OK), -1);
}

TEST(load_after_cowrap_blk)
{
	struct stat st;

	ASSERT_EQ(access("/sys/module/cowrap_blk", F_OK), 0);
	ASSERT_EQ(sample_load("delay_us=2000000"), -EINVAL);
	ASSERT_EQ(sample_load("delay_us=1000"), 0);
	ASSERT_EQ(stat(SAMPLE_DEV, &st), 0);
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	/* modpost recorded the dependency: cowrap_blk lists its user */
	ASSERT_EQ(access("/sys/module/cowrap_blk/holders/cowsample", F_OK), 0);
	ASSERT_EQ(sample_stat("len"), 0);
	ASSERT_EQ(sample_stat("ctx_max_workers"), 8);
}

TEST(append_and_read_back)
{
	char buf[64];
	int fd = sample_open_trunc();

	ASSERT_GE(fd, 0);
	ASSERT_EQ(write(fd, "hello, ", 7), 7);
	ASSERT_EQ(write(fd, "coroutines", 10), 10);
	ASSERT_EQ(sample_stat("len"), 17);
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(pread(fd, buf, sizeof(buf), 0), 17);
	ASSERT_EQ(memcmp(buf, "hello, coroutines", 17), 0);
	ASSERT_EQ(pread(fd, buf, 4, 7), 4);
	ASSERT_EQ(memcmp(buf, "coro", 4), 0);
	ASSERT_EQ(pread(fd, buf, sizeof(buf), 17), 0);
	ASSERT_EQ(pread(fd, buf, sizeof(buf), 1 << 20), 0);
	/* read(2) moves the file position */
	ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
	ASSERT_EQ(read(fd, buf, 5), 5);
	ASSERT_EQ(read(fd, buf, 2), 2);
	ASSERT_EQ(memcmp(buf, ", ", 2), 0);
	close(fd);

	/* O_TRUNC empties it; a read-only open does not */
	fd = open(SAMPLE_DEV, O_RDONLY | O_TRUNC | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(sample_stat("len"), 17);
	fd = sample_open_trunc();
	ASSERT_GE(fd, 0);
	ASSERT_EQ(pread(fd, buf, sizeof(buf), 0), 0);
	close(fd);
	ASSERT_EQ(sample_stat("len"), 0);
}

/* Child @id: RECORDS records of RECLEN bytes "<id><seq>" then fill. */
static int writer(int id)
{
	unsigned char rec[RECLEN];
	int fd, i;

	fd = open(SAMPLE_DEV, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	for (i = 0; i < RECORDS; i++) {
		rec[0] = id;
		rec[1] = i;
		memset(rec + 2, 'a' + id, RECLEN - 2);
		if (write(fd, rec, RECLEN) != RECLEN)
			return 1;
	}
	close(fd);
	return 0;
}

TEST_TIMEOUT(concurrent_writers, 60)
{
	static unsigned char all[WRITERS * RECORDS * RECLEN + 1];
	int next[WRITERS] = { 0 };
	long long appends, finished;
	int fd, i, j, status;
	pid_t pid[WRITERS];

	fd = sample_open_trunc();
	ASSERT_GE(fd, 0);
	appends = sample_stat("appends");
	finished = sample_stat("ctx_finished");
	for (i = 0; i < WRITERS; i++) {
		pid[i] = fork();
		ASSERT_GE(pid[i], 0);
		if (!pid[i])
			_exit(writer(i));
	}
	for (i = 0; i < WRITERS; i++) {
		ASSERT_EQ(waitpid(pid[i], &status, 0), pid[i]);
		ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
	ASSERT_EQ(pread(fd, all, sizeof(all), 0), WRITERS * RECORDS * RECLEN);
	close(fd);

	/* every record whole, every writer's records once and in order */
	for (i = 0; i < WRITERS * RECORDS; i++) {
		unsigned char *r = all + i * RECLEN;
		int id = r[0];

		ASSERT_LT(id, WRITERS);
		ASSERT_EQ(r[1], next[id]);
		next[id]++;
		for (j = 2; j < RECLEN; j++)
			ASSERT_EQ(r[j], 'a' + id);
	}
	for (i = 0; i < WRITERS; i++)
		ASSERT_EQ(next[i], RECORDS);

	ASSERT_EQ(sample_stat("appends") - appends, WRITERS * RECORDS);
	/* one coroutine per operation: the appends and the final read */
	ASSERT_GE(sample_stat("ctx_finished") - finished, WRITERS * RECORDS + 1);
	/* the operations overlapped, and the mutex admitted one at a time */
	TH_LOG("max_inflight %lld, max_holders %lld",
	       sample_stat("max_inflight"), sample_stat("max_holders"));
	ASSERT_GE(sample_stat("max_inflight"), 2);
	ASSERT_EQ(sample_stat("max_holders"), 1);
	ASSERT_EQ(sample_stat("inflight"), 0);
	sample_log_stats();
}

TEST(bad_input)
{
	static char big[MAX_RECORD + 1];
	long long full;
	char buf[16];
	void *bad;
	int fd = sample_open_trunc();

	ASSERT_GE(fd, 0);
	/* an address the kernel cannot copy from or to */
	bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(bad, MAP_FAILED);
	ASSERT_EQ(write(fd, big, 0), 0);
	ASSERT_ERRNO(write(fd, big, MAX_RECORD + 1), EINVAL);
	ASSERT_ERRNO(write(fd, bad, 16), EFAULT);
	ASSERT_EQ(write(fd, "0123456789", 10), 10);
	ASSERT_ERRNO(pread(fd, bad, 16, 0), EFAULT);
	ASSERT_ERRNO(pread(fd, buf, sizeof(buf), -1), EINVAL);
	ASSERT_EQ(sample_stat("len"), 10);

	/* fill it: a record that does not fit is refused whole */
	full = sample_stat("full");
	ASSERT_EQ(write(fd, big, MAX_RECORD), MAX_RECORD);
	while (sample_stat("len") + MAX_RECORD <= CAPACITY)
		ASSERT_EQ(write(fd, big, MAX_RECORD), MAX_RECORD);
	ASSERT_ERRNO(write(fd, big, MAX_RECORD), ENOSPC);
	ASSERT_EQ(sample_stat("full") - full, 1);
	ASSERT_LE(sample_stat("len"), CAPACITY);
	ASSERT_GT(sample_stat("len"), CAPACITY - MAX_RECORD);
	/* still whole up to the last record */
	ASSERT_EQ(pread(fd, buf, 10, 0), 10);
	ASSERT_EQ(memcmp(buf, "0123456789", 10), 0);
	close(fd);
}

TEST(unload)
{
	int fd;

	/* cowrap_blk cannot go while its user is loaded */
	ASSERT_ERRNO(syscall(SYS_delete_module, "cowrap_blk", O_NONBLOCK),
		     EWOULDBLOCK);
	/* nor the sample while its device is open */
	fd = open(SAMPLE_DEV, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(sample_unload(), -EWOULDBLOCK);
	close(fd);
	ASSERT_EQ(sample_unload(), 0);
	ASSERT_NE(access(SAMPLE_DEV, F_OK), 0);
	ASSERT_NE(access("/sys/module/cowrap_blk/holders/cowsample", F_OK), 0);
	/* and it loads again */
	ASSERT_EQ(sample_load(""), 0);
	ASSERT_EQ(sample_stat("len"), 0);
	ASSERT_EQ(sample_unload(), 0);
}

#define BRD_KO		"/lib/peer/brd.ko"
#define RAM_DEV		"/dev/ram0"

/* Put a header with @magic and @len on the backing device. */
static int put_header(uint32_t magic, uint32_t len)
{
	uint32_t h[2] = { magic, len };	/* little endian, as on x86 */
	int fd = open(RAM_DEV, O_WRONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = pwrite(fd, h, sizeof(h), 0) == sizeof(h) && !fsync(fd) ? 0 : -EIO;
	close(fd);
	return ret;
}

TEST_TIMEOUT(persist_on_backing_device, 60)
{
	static char rec[3][4000];
	static char all[sizeof(rec) + 1];
	long long bios;
	int fd, i;

	/* a 1 MiB RAM disk */
	if (access(RAM_DEV, F_OK)) {
		fd = open(BRD_KO, O_RDONLY | O_CLOEXEC);
		ASSERT_GE(fd, 0);
		ASSERT_EQ(syscall(SYS_finit_module, fd, "rd_nr=1 rd_size=1024", 0), 0);
		close(fd);
	}
	ASSERT_EQ(access(RAM_DEV, F_OK), 0);
	ASSERT_EQ(sample_load("backing=/dev/no-such-device"), -ENOENT);
	ASSERT_EQ(sample_load("backing=" RAM_DEV " delay_us=0"), 0);
	ASSERT_EQ(sample_stat("backing"), 1);
	ASSERT_EQ(sample_stat("len"), 0);

	/* records across page boundaries, each written through before it counts */
	bios = sample_stat("bios");
	fd = sample_open_trunc();
	ASSERT_GE(fd, 0);
	for (i = 0; i < 3; i++) {
		memset(rec[i], 'x' + i, sizeof(rec[i]));
		ASSERT_EQ(write(fd, rec[i], sizeof(rec[i])), sizeof(rec[i]));
	}
	close(fd);
	/* the header read at load, then data and header per append */
	ASSERT_GE(sample_stat("bios") - bios, 6);
	ASSERT_EQ(sample_unload(), 0);

	/* reloaded: the same journal, read back from the device */
	ASSERT_EQ(sample_load("backing=" RAM_DEV), 0);
	ASSERT_EQ(sample_stat("len"), sizeof(rec));
	fd = open(SAMPLE_DEV, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(pread(fd, all, sizeof(all), 0), sizeof(rec));
	ASSERT_EQ(memcmp(all, rec, sizeof(rec)), 0);
	close(fd);
	/* emptied, it stays empty */
	fd = sample_open_trunc();
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(sample_unload(), 0);
	ASSERT_EQ(sample_load("backing=" RAM_DEV), 0);
	ASSERT_EQ(sample_stat("len"), 0);
	/* the device is held exclusively while the module uses it */
	ASSERT_EQ(open(RAM_DEV, O_RDWR | O_EXCL | O_CLOEXEC), -1);
	ASSERT_EQ(errno, EBUSY);
	ASSERT_EQ(sample_unload(), 0);

	/* a damaged header is refused at load, not trusted */
	ASSERT_EQ(put_header(0x63775331, 0xffffffff), 0);
	ASSERT_EQ(sample_load("backing=" RAM_DEV), -EUCLEAN);
	ASSERT_TRUE(klog_has("cowsample: backing=/dev/ram0: cannot read the journal: -117"));
	ASSERT_EQ(access("/sys/module/cowsample", F_OK), -1);
	ASSERT_EQ(syscall(SYS_delete_module, "brd", O_NONBLOCK), 0);
}

TEST_HARNESS_MAIN
