// SPDX-License-Identifier: GPL-2.0
/*
 * Teardown races, run in the VM: module unload attempts, DEL with and
 * without force, ADD, opens and block and synchronous I/O race in several
 * threads.  Whenever nothing holds the module, an unload succeeds (and
 * removes every device); the test then loads it again and the others
 * carry on.  Every call returns success or an errno that the situation
 * explains (table below); at the end the module unloads cleanly and is
 * loaded again for the tests that follow.  The VM runner checks the
 * kernel log.
 *
 * COWRAP_TEARDOWN_OPS sets the iterations per thread (default 200).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>

#include "../harness.h"
#include "../blk/blk_util.h"

#define TD_MODULE	"cowrap_blk"
#define TD_KO		"/lib/cowrap/cowrap_blk.ko"
#define TD_IDS		4

static unsigned int td_ops = 200;
static atomic_int td_bad, td_done_threads;
static atomic_uint td_unloads, td_unload_refused, td_io_ok, td_del_ok;

#define TD_BAD(fmt, ...)						\
	do {								\
		TH_LOG(fmt, ##__VA_ARGS__);				\
		atomic_store(&td_bad, 1);				\
	} while (0)

static int td_in(int e, const int *set)
{
	for (; *set; set++)
		if (*set == e)
			return 1;
	return 0;
}

/* The module is gone or going: opens of its nodes fail like this. */
static const int td_gone[] = { ENOENT, ENXIO, ENODEV, 0 };
/* Block I/O on a device that is being removed. */
static const int td_io_errs[] = { EIO, ENXIO, ENODEV, 0 };
/* Control commands: documented errnos (Documentation/uapi.rst). */
static const int td_ctl_errs[] = { ENODEV, EBUSY, EEXIST, EIO, 0 };

static int td_load(void)
{
	int fd = open(TD_KO, O_RDONLY | O_CLOEXEC), ret = 0, i;

	if (fd < 0)
		return -errno;
	for (i = 0; i < 1000; i++) {
		ret = syscall(__NR_finit_module, fd, "", 0) ? -errno : 0;
		if (ret != -EBUSY)	/* the previous instance still going */
			break;
		usleep(1000);
	}
	close(fd);
	return ret == -EEXIST ? 0 : ret;
}

/*
 * The module is missing (being reloaded): wait a little and do not count
 * the iteration, within a bound.  Returns 1 to retry.
 */
static int td_absent(unsigned int *i, unsigned int *waits)
{
	usleep(2000);
	if (++*waits > 5000)
		return 0;
	--*i;
	return 1;
}

static int td_unload(void)
{
	return syscall(__NR_delete_module, TD_MODULE, O_NONBLOCK) ? -errno : 0;
}

static unsigned int td_rand(unsigned int *s)
{
	*s = *s * 1103515245 + 12345;
	return (*s >> 8) & 0xffffff;
}

/* Open a device, do a few I/Os, close. */
static void *td_io_thread(void *opaque)
{
	unsigned int seed = (uintptr_t)opaque, i, k, waits = 0;
	unsigned char *buf = abuf(65536);

	for (i = 0; i < td_ops && !atomic_load(&td_bad); i++) {
		int id = td_rand(&seed) % TD_IDS;
		int fd = dev_open(id, O_RDWR | O_DIRECT);

		if (fd < 0) {
			if (!td_in(errno, td_gone))
				TD_BAD("open cowrap%d: %s", id, strerror(errno));
			td_absent(&i, &waits);
			continue;
		}
		for (k = 0; k < 4; k++) {
			size_t len = 4096 << (td_rand(&seed) % 4);
			off_t off = (off_t)(td_rand(&seed) % 256) * 4096;
			ssize_t n = k & 1 ? pread(fd, buf, len, off) :
					    pwrite(fd, buf, len, off);

			if (n < 0 && !td_in(errno, td_io_errs))
				TD_BAD("I/O on cowrap%d: %s", id, strerror(errno));
			if (n >= 0)
				atomic_fetch_add(&td_io_ok, 1);
		}
		close(fd);
		usleep(200);
	}
	free(buf);
	atomic_fetch_add(&td_done_threads, 1);
	return NULL;
}

/* Opens and closes, exclusive or not, without I/O. */
static void *td_open_thread(void *opaque)
{
	unsigned int seed = (uintptr_t)opaque, i, waits = 0;

	for (i = 0; i < td_ops && !atomic_load(&td_bad); i++) {
		int id = td_rand(&seed) % TD_IDS;
		int fl = td_rand(&seed) % 2 ? O_EXCL : 0;
		int fd = dev_open(id, O_RDONLY | fl);

		if (fd < 0) {
			if (!td_in(errno, td_gone) && errno != EBUSY)
				TD_BAD("open cowrap%d: %s", id, strerror(errno));
			if (errno != EBUSY)
				td_absent(&i, &waits);
		} else {
			close(fd);
		}
		usleep(300);
	}
	atomic_fetch_add(&td_done_threads, 1);
	return NULL;
}

/* ADD, DEL (with and without force), info and sync I/O, ctl per op. */
static void *td_ctl_thread(void *opaque)
{
	unsigned int seed = (uintptr_t)opaque, i, waits = 0;
	unsigned char *buf = abuf(8192);

	for (i = 0; i < td_ops && !atomic_load(&td_bad); i++) {
		int fd = open(COWRAP_CTL_DEVICE, O_RDWR | O_CLOEXEC);
		struct cowrap_dev_add a;
		struct cowrap_dev_del d = { .size = sizeof(d) };
		struct cowrap_io io = { .size = sizeof(io) };
		unsigned int id = td_rand(&seed) % TD_IDS;
		int ret = 0, what = td_rand(&seed) % 4;

		if (fd < 0) {
			if (!td_in(errno, td_gone))
				TD_BAD("open ctl: %s", strerror(errno));
			td_absent(&i, &waits);
			continue;
		}
		switch (what) {
		case 0:
			add_init(&a, COWRAP_BACKEND_RAM, 4 * MiB);
			a.flags = COWRAP_ADD_REQ_ID;
			a.dev_id = id;
			a.latency_ns = td_rand(&seed) % 2 ? 100000 : 0;
			ret = ioctl(fd, COWRAP_IOC_ADD, &a);
			break;
		case 1:
			d.dev_id = id;
			d.flags = td_rand(&seed) % 2 ? COWRAP_DEL_FORCE : 0;
			ret = ioctl(fd, COWRAP_IOC_DEL, &d);
			if (!ret)
				atomic_fetch_add(&td_del_ok, 1);
			break;
		default:
			io.dev_id = id;
			io.length = 8192;
			io.buf = (uintptr_t)buf;
			ret = ioctl(fd, what == 2 ? COWRAP_IOC_PREAD :
				    COWRAP_IOC_PWRITE, &io);
			break;
		}
		if (ret < 0 && !td_in(errno, td_ctl_errs))
			TD_BAD("ctl op %d on %u: %s", what, id, strerror(errno));
		close(fd);
		usleep(300);
	}
	free(buf);
	atomic_fetch_add(&td_done_threads, 1);
	return NULL;
}

#define TD_WORKERS	5

/* (Re)create the devices the threads work on; existing ones stay. */
static void td_populate(void)
{
	unsigned int i;

	for (i = 0; i < TD_IDS; i++) {
		struct cowrap_dev_add a;
		int ret;

		add_init(&a, COWRAP_BACKEND_RAM, 4 * MiB);
		a.flags = COWRAP_ADD_REQ_ID;
		a.dev_id = i;
		ret = dev_add(&a);
		if (ret < 0 && ret != -EEXIST)
			TD_BAD("populate cowrap%u: %s", i, strerror(-ret));
	}
	ctl_close();	/* an open control device pins the module */
}

/* Unload whenever possible, then load again, until the others finish. */
static void *td_rmmod_thread(void *opaque)
{
	(void)opaque;
	while (atomic_load(&td_done_threads) < TD_WORKERS &&
	       !atomic_load(&td_bad)) {
		int ret = td_unload();

		if (!ret) {
			atomic_fetch_add(&td_unloads, 1);
			usleep(2000);	/* let the others see it gone */
			ret = td_load();
			if (ret)
				TD_BAD("reload: %s", strerror(-ret));
			td_populate();
			usleep(50000);	/* let the others work on it */
		} else if (ret == -EWOULDBLOCK || ret == -EBUSY) {
			atomic_fetch_add(&td_unload_refused, 1);
		} else {
			TD_BAD("unload: %s", strerror(-ret));
		}
		usleep(3000);
	}
	return NULL;
}

TEST_TIMEOUT(teardown_unload_del_open_io_races, 240)
{
	pthread_t t[TD_WORKERS + 1];
	char *e = getenv("COWRAP_TEARDOWN_OPS");
	unsigned int i;

	if (e)
		td_ops = strtoul(e, NULL, 0);
	del_all();
	td_populate();
	ASSERT_FALSE(atomic_load(&td_bad));

	pthread_create(&t[0], NULL, td_io_thread, (void *)1);
	pthread_create(&t[1], NULL, td_io_thread, (void *)2);
	pthread_create(&t[2], NULL, td_open_thread, (void *)3);
	pthread_create(&t[3], NULL, td_ctl_thread, (void *)4);
	pthread_create(&t[4], NULL, td_ctl_thread, (void *)5);
	pthread_create(&t[5], NULL, td_rmmod_thread, NULL);
	for (i = 0; i < TD_WORKERS + 1; i++)
		pthread_join(t[i], NULL);
	TH_LOG("%u unloads, %u refused; %u I/Os ok, %u DELs ok",
	       atomic_load(&td_unloads), atomic_load(&td_unload_refused),
	       atomic_load(&td_io_ok), atomic_load(&td_del_ok));
	ASSERT_FALSE(atomic_load(&td_bad));
	ASSERT_EQ(td_load(), 0);
	/* both outcomes of the race happened */
	ASSERT_GT(atomic_load(&td_unloads), 0);
	ASSERT_GT(atomic_load(&td_unload_refused), 0);
	ASSERT_GT(atomic_load(&td_io_ok), 0);
}

static int dev_list_count(void)
{
	struct cowrap_dev_list l = { .size = sizeof(l) };

	return ioctl(ctl_fd(), COWRAP_IOC_LIST, &l) < 0 ? -errno : (int)l.count;
}

/* An open device refuses unload; after close and force DEL it unloads. */
TEST_TIMEOUT(teardown_unload_waits_for_last_close, 60)
{
	int id, fd, i, ret = -1;

	ASSERT_EQ(td_load(), 0);
	id = dev_add_simple(COWRAP_BACKEND_RAM, 4 * MiB, 0);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR);
	ASSERT_GE(fd, 0);
	ctl_close();
	ASSERT_EQ(td_unload(), -EWOULDBLOCK);
	ASSERT_EQ(dev_del_flags(id, COWRAP_DEL_FORCE), 0);
	ctl_close();
	ASSERT_EQ(td_unload(), -EWOULDBLOCK);
	close(fd);
	/* the removal after the last close runs in a work item */
	for (i = 0; i < 500 && ret; i++) {
		ret = td_unload();
		if (ret)
			usleep(10000);
	}
	ASSERT_EQ(ret, 0);
	ASSERT_EQ(access(COWRAP_CTL_DEVICE, F_OK), -1);
	/* leave it loaded and working for the tests that follow */
	ASSERT_EQ(td_load(), 0);
	ASSERT_EQ(dev_list_count(), 0);
}

TEST_HARNESS_MAIN
