// SPDX-License-Identifier: GPL-2.0
/*
 * Fault tolerance of cowrap devices, run in the VM: with SET_FAULT
 * injecting errors and delays, and with the bdev backend's lower device
 * removed while I/O runs (a force-deleted cowrap ram device, a powered-off
 * null_blk device), every request submitted completes exactly once
 * (counted per request from userspace and checked against GET_STATS), no
 * request hangs (bounded waits), and the device can still be deleted.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "../harness.h"
#include "../blk/blk_util.h"

#define FT_SLOT		(128 * 1024)	/* requests never touch or merge */
#define FT_MAX_LEN	(64 * 1024)
#define FT_WAIT_S	20		/* no completion for this long: hang */

/* One batch of asynchronous requests and what became of each. */
struct ft_job {
	int fd;
	unsigned int n;
	unsigned int depth;
	unsigned int seed;
	unsigned int slots;		/* device size / FT_SLOT */
	int wr_pct;			/* percentage of writes */
	unsigned char *op;		/* 1 = write */
	__u64 *off;
	__u32 *len;
	long *res;
	unsigned int *done;		/* completions seen per request */
	atomic_uint submitted;
	atomic_int *hold;		/* non-NULL: stop at n / 2 while set */
	unsigned int completed, errors, dup, bad_res;
	int hang;
};

static void ft_job_init(struct ft_job *j, int fd, unsigned int n,
			unsigned int depth, __u64 dev_size, int wr_pct,
			unsigned int seed)
{
	unsigned int i;

	memset(j, 0, sizeof(*j));
	j->fd = fd;
	j->n = n;
	j->depth = depth;
	j->seed = seed;
	j->slots = dev_size / FT_SLOT;
	j->wr_pct = wr_pct;
	j->op = calloc(n, 1);
	j->off = calloc(n, sizeof(*j->off));
	j->len = calloc(n, sizeof(*j->len));
	j->res = calloc(n, sizeof(*j->res));
	j->done = calloc(n, sizeof(*j->done));
	rnd_state = seed;
	for (i = 0; i < n; i++) {
		j->op[i] = (int)(rnd() % 100) < wr_pct;
		/* distinct slots while they last, so each is written once */
		j->off[i] = (__u64)(i < j->slots ? i : rnd() % j->slots) * FT_SLOT;
		j->len[i] = 4096 << (rnd() % 5);
	}
}

static void ft_job_free(struct ft_job *j)
{
	free(j->op);
	free(j->off);
	free(j->len);
	free(j->res);
	free(j->done);
}

/* AIO state of a running job. */
struct ft_aio {
	aio_context_t ctx;
	struct iocb *cbs;
	struct io_event *ev;
	unsigned char **bufs;
	unsigned int *free_slots;
	unsigned int nfree, next, inflight;
};

/* The job is told to wait at its half-way point (ft_remover_arm()). */
static int ft_held(struct ft_job *j, struct ft_aio *a)
{
	return j->hold && a->next == j->n / 2 && atomic_load(j->hold);
}

/* Submit requests while slots are free. */
static void ft_submit_some(struct ft_job *j, struct ft_aio *a)
{
	while (a->nfree && a->next < j->n && !ft_held(j, a)) {
		unsigned int i = a->next, s = a->free_slots[--a->nfree];
		struct iocb *cb = &a->cbs[s];

		memset(cb, 0, sizeof(*cb));
		cb->aio_fildes = j->fd;
		cb->aio_lio_opcode = j->op[i] ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD;
		cb->aio_buf = (uintptr_t)a->bufs[s];
		cb->aio_nbytes = j->len[i];
		cb->aio_offset = j->off[i];
		cb->aio_data = ((__u64)i << 16) | s;
		if (j->op[i])
			pat_fill(a->bufs[s], j->off[i], j->len[i], j->seed);
		if (aio_submit(a->ctx, 1, &cb) != 1) {
			/* refused at submission: completes right here */
			j->res[i] = -errno;
			j->done[i]++;
			j->completed++;
			j->errors++;
			a->free_slots[a->nfree++] = s;
		} else {
			a->inflight++;
		}
		a->next++;
		atomic_fetch_add(&j->submitted, 1);
	}
}

/* Reap what completed, waiting at most FT_WAIT_S: 0 or -ETIMEDOUT. */
static int ft_reap_some(struct ft_job *j, struct ft_aio *a)
{
	struct timespec to = { .tv_sec = FT_WAIT_S };
	long got, k;

	got = syscall(__NR_io_getevents, a->ctx, 1, j->depth, a->ev, &to);
	if (got <= 0) {
		TH_LOG("no completion in %d s: %u in flight", FT_WAIT_S,
		       a->inflight);
		return -ETIMEDOUT;
	}
	for (k = 0; k < got; k++) {
		struct io_event *e = &a->ev[k];
		unsigned int i = e->data >> 16, s = e->data & 0xffff;

		if (i >= j->n || j->done[i]++) {
			j->dup++;
			continue;
		}
		j->res[i] = e->res;
		if (e->res < 0)
			j->errors++;
		else if ((__u64)e->res != j->len[i])
			j->bad_res++;
		j->completed++;
		a->inflight--;
		a->free_slots[a->nfree++] = s;
	}
	return 0;
}

/* Run the job with AIO; returns 0 when it finished without a hang. */
static int ft_job_run(struct ft_job *j)
{
	struct ft_aio a = { .nfree = j->depth };
	unsigned int k;

	if (aio_setup(j->depth, &a.ctx) < 0)
		return -errno;
	a.cbs = calloc(j->depth, sizeof(*a.cbs));
	a.ev = calloc(j->depth, sizeof(*a.ev));
	a.bufs = calloc(j->depth, sizeof(*a.bufs));
	a.free_slots = calloc(j->depth, sizeof(*a.free_slots));
	for (k = 0; k < j->depth; k++) {
		a.bufs[k] = abuf(FT_MAX_LEN);
		a.free_slots[k] = k;
	}
	while (j->completed < j->n && !j->hang) {
		ft_submit_some(j, &a);
		if (!a.inflight) {
			usleep(1000);	/* held at half-way, nothing to reap */
			continue;
		}
		if (ft_reap_some(j, &a))
			j->hang = 1;
	}
	if (!j->hang)
		aio_destroy(a.ctx);	/* a hung context would block here */
	for (k = 0; k < j->depth; k++)
		free(a.bufs[k]);
	free(a.bufs);
	free(a.cbs);
	free(a.ev);
	free(a.free_slots);
	return j->hang ? -ETIMEDOUT : 0;
}

static __u64 ft_sum(const __u64 *v)
{
	__u64 s = 0;
	int i;

	for (i = 0; i < COWRAP_OP_NR; i++)
		s += v[i];
	return s;
}

/* GET_STATS invariants that hold whenever nothing is in flight. */
#define ASSERT_STATS_QUIET(st)						\
	do {								\
		ASSERT_EQ((st).inflight, 0);				\
		ASSERT_EQ((st).co_started, ft_sum((st).reqs));		\
		ASSERT_EQ((st).co_yields, (st).co_wakes);		\
	} while (0)

static int ft_ram_dev(__u64 size, __u64 latency)
{
	struct cowrap_dev_add a;

	add_init(&a, COWRAP_BACKEND_RAM, size);
	a.queue_depth = 64;
	a.latency_ns = latency;
	return dev_add(&a);
}

/* Every 4th write fails with EIO; all others land; nothing lost. */
TEST_TIMEOUT(fault_fail_every_nth_write_aio, 120)
{
	struct cowrap_dev_stats st;
	unsigned char *buf = abuf(FT_MAX_LEN);
	unsigned int i, n = 256, eio = 0;
	struct ft_job j;
	int id, fd;

	del_all();
	id = ft_ram_dev(n * FT_SLOT, 0);
	ASSERT_GE(id, 0);
	ASSERT_EQ(dev_fault(id, COWRAP_FAULT_FAIL_EVERY,
			    COWRAP_OP_BIT(COWRAP_OP_WRITE), 4, EIO, 0), 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	ft_job_init(&j, fd, n, 32, n * FT_SLOT, 100, 11);
	ASSERT_EQ(ft_job_run(&j), 0);
	ASSERT_EQ(j.completed, n);
	ASSERT_EQ(j.dup, 0);
	ASSERT_EQ(j.bad_res, 0);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(j.done[i], 1);
		if (j.res[i] < 0) {
			ASSERT_EQ(j.res[i], -EIO);
			eio++;
		}
	}
	ASSERT_EQ(eio, n / 4);
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_EQ(st.reqs[COWRAP_OP_WRITE], n);
	ASSERT_EQ(st.errors[COWRAP_OP_WRITE], n / 4);
	ASSERT_EQ(st.faults_injected, n / 4);
	ASSERT_STATS_QUIET(st);
	/* failed writes never reached the backend: their slot reads zero */
	ASSERT_EQ(dev_fault(id, COWRAP_FAULT_NONE, 0, 0, 0, 0), 0);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(full_pread(fd, buf, j.len[i], j.off[i]), 0);
		if (j.res[i] < 0)
			ASSERT_EQ(zero_check(buf, j.len[i]), -1);
		else
			ASSERT_EQ(pat_check(buf, j.off[i], j.len[i], j.seed), -1);
	}
	close(fd);
	ft_job_free(&j);
	ASSERT_EQ(dev_del(id), 0);
}

/* Device latency plus DELAY faults: slower, but all complete, once. */
TEST_TIMEOUT(fault_delay_and_latency_aio, 120)
{
	struct cowrap_dev_stats st;
	unsigned int n = 240;
	struct ft_job j;
	int id, fd;

	del_all();
	id = ft_ram_dev(n * FT_SLOT, 200000);
	ASSERT_GE(id, 0);
	ASSERT_EQ(dev_fault(id, COWRAP_FAULT_DELAY, COWRAP_OP_MASK_ALL, 3, 0,
			    5000000), 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	ft_job_init(&j, fd, n, 64, n * FT_SLOT, 60, 12);
	ASSERT_EQ(ft_job_run(&j), 0);
	ASSERT_EQ(j.completed, n);
	ASSERT_EQ(j.dup, 0);
	ASSERT_EQ(j.errors, 0);
	ASSERT_EQ(j.bad_res, 0);
	close(fd);
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_EQ(st.reqs[COWRAP_OP_READ] + st.reqs[COWRAP_OP_WRITE], n);
	ASSERT_EQ(ft_sum(st.errors), 0);
	ASSERT_EQ(st.faults_injected, n / 3);
	/* one latency sleep per request plus one per delay */
	ASSERT_EQ(st.co_yields, n + n / 3);
	ASSERT_STATS_QUIET(st);
	ft_job_free(&j);
	ASSERT_EQ(dev_del(id), 0);
}

/* Each documented errno reaches the submitter unchanged. */
TEST(fault_errno_round_trip)
{
	static const int errs[] = { EIO, ENOSPC, ETIMEDOUT, ENOLINK, ENODATA,
				    EILSEQ, EREMOTEIO };
	struct cowrap_dev_stats st;
	unsigned char *buf = abuf(4096);
	unsigned int i;
	int id, fd;

	del_all();
	id = ft_ram_dev(MiB, 0);
	ASSERT_GE(id, 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		ASSERT_EQ(dev_fault(id, COWRAP_FAULT_FAIL_NTH,
				    COWRAP_OP_BIT(COWRAP_OP_WRITE) |
				    COWRAP_OP_BIT(COWRAP_OP_READ), 1,
				    errs[i], 0), 0);
		ASSERT_EQ(full_pwrite(fd, buf, 4096, 0), -errs[i]);
		ASSERT_EQ(full_pwrite(fd, buf, 4096, 0), 0);	/* once only */
		/* the synchronous path shares the rule */
		ASSERT_EQ(dev_fault(id, COWRAP_FAULT_FAIL_NTH,
				    COWRAP_OP_BIT(COWRAP_OP_READ), 2,
				    errs[i], 0), 0);
		ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, id, 0, 4096, buf, 0), 0);
		ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, id, 0, 4096, buf, 0), -errs[i]);
		ASSERT_EQ(dev_io(COWRAP_IOC_PREAD, id, 0, 4096, buf, 0), 0);
	}
	ASSERT_EQ(dev_stats(id, &st, 0), 0);
	ASSERT_EQ(st.faults_injected, 2 * i);
	ASSERT_EQ(st.errors[COWRAP_OP_WRITE], i);
	ASSERT_EQ(st.errors[COWRAP_OP_READ], i);
	ASSERT_EQ(st.sync_calls, 3 * i);
	ASSERT_STATS_QUIET(st);
	close(fd);
	ASSERT_EQ(dev_del(id), 0);
}

/* ---- the lower device of a bdev device goes away under I/O ---- */

struct ft_sync_arg {
	int id;
	atomic_int *stop;
	unsigned int calls, errors, bad;
};

/* Synchronous PREADs through the control device, beside the AIO. */
static void *ft_sync_reader(void *opaque)
{
	struct ft_sync_arg *a = opaque;
	unsigned char *buf = abuf(8192);

	while (!atomic_load(a->stop)) {
		int ret = dev_io(COWRAP_IOC_PREAD, a->id,
				 (a->calls % 64) * FT_SLOT, 8192, buf, 0);

		a->calls++;
		if (ret) {
			a->errors++;
			if (ret != -EIO && ret != -ENXIO && ret != -ENODEV)
				a->bad++;
		}
	}
	free(buf);
	return NULL;
}

struct ft_remover {
	struct ft_job *job;
	int (*remove)(void *arg);
	void *arg;
	int ret;
	atomic_int hold;
};

/*
 * Removes the device once half of the job is submitted; the job waits
 * for the removal before it submits the second half, so that half runs
 * against a removed device, whatever the timing.
 */
static void *ft_remove_mid(void *opaque)
{
	struct ft_remover *r = opaque;

	while (atomic_load(&r->job->submitted) < r->job->n / 2)
		usleep(1000);
	r->ret = r->remove(r->arg);
	atomic_store(&r->hold, 0);
	return NULL;
}

static void ft_remover_arm(struct ft_remover *r, struct ft_job *j)
{
	r->job = j;
	atomic_store(&r->hold, 1);
	j->hold = &r->hold;
}

/*
 * Run I/O on bdev device @up (size @size) while @remove takes its lower
 * device away; check every request completed once and the counters.
 */
static void ft_lower_gone(int up, __u64 size, int (*remove)(void *),
			  void *arg, unsigned int seed)
{
	struct ft_sync_arg sa = { .id = up };
	struct ft_remover rm = { .remove = remove, .arg = arg };
	struct cowrap_dev_stats st;
	pthread_t t_rm, t_sync;
	atomic_int stop = 0;
	unsigned int n = 400;
	struct ft_job j;
	int fd;

	fd = dev_open(up, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(dev_stats(up, &st, COWRAP_STATS_RESET), 0);
	ft_job_init(&j, fd, n, 32, size, 50, seed);
	ft_remover_arm(&rm, &j);
	sa.stop = &stop;
	pthread_create(&t_rm, NULL, ft_remove_mid, &rm);
	pthread_create(&t_sync, NULL, ft_sync_reader, &sa);
	ASSERT_EQ(ft_job_run(&j), 0);
	pthread_join(t_rm, NULL);
	atomic_store(&stop, 1);
	pthread_join(t_sync, NULL);
	ASSERT_EQ(rm.ret, 0);
	TH_LOG("%u requests, %u failed; %u sync reads, %u failed",
	       j.completed, j.errors, sa.calls, sa.errors);
	ASSERT_EQ(j.completed, n);
	ASSERT_EQ(j.dup, 0);
	ASSERT_EQ(j.bad_res, 0);
	ASSERT_EQ(sa.bad, 0);
	/* the lower device is gone: new I/O fails, and fails fast */
	ASSERT_NE(dev_io(COWRAP_IOC_PREAD, up, 0, 4096, j.res, 0), 0);
	ASSERT_GE(j.errors, n / 2);
	ASSERT_EQ(dev_stats(up, &st, 0), 0);
	/* every request and sync call is counted, errors included */
	ASSERT_EQ(st.reqs[COWRAP_OP_READ] + st.reqs[COWRAP_OP_WRITE],
		  n + sa.calls + 1);
	ASSERT_EQ(st.errors[COWRAP_OP_READ] + st.errors[COWRAP_OP_WRITE],
		  j.errors + sa.errors + 1);
	ASSERT_EQ(st.sync_calls, sa.calls + 1);
	ASSERT_STATS_QUIET(st);
	close(fd);
	ft_job_free(&j);
	/* closed: the device can be deleted, without force */
	ASSERT_EQ(dev_del(up), 0);
	ASSERT_FALSE(dev_exists(up));
}

static int ft_add_bdev(const char *path, __u64 size)
{
	struct cowrap_dev_add a;

	add_init(&a, COWRAP_BACKEND_BDEV, size);
	a.path = (uintptr_t)path;
	a.path_len = strlen(path) + 1;
	a.queue_depth = 64;
	return dev_add(&a);
}

static int ft_force_del(void *arg)
{
	return dev_del_flags(*(int *)arg, COWRAP_DEL_FORCE);
}

/* Wait until the device is gone from LIST: 0 or -ETIMEDOUT. */
static int ft_wait_gone(int id)
{
	struct cowrap_dev_info i;
	int k;

	for (k = 0; k < 500; k++) {
		if (dev_info(id, &i) == -ENODEV && !dev_exists(id))
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

TEST_TIMEOUT(fault_bdev_lower_cowrap_force_deleted, 180)
{
	__u64 size = 64 * MiB;
	struct cowrap_dev_info info;
	char path[64];
	int low, up;

	del_all();
	low = ft_ram_dev(size, 0);
	ASSERT_GE(low, 0);
	snprintf(path, sizeof(path), "/dev/cowrap%d", low);
	up = ft_add_bdev(path, 0);
	ASSERT_GE(up, 0);
	/* the lower device is held: a plain DEL is refused */
	ASSERT_EQ(dev_del(low), -EBUSY);
	ft_lower_gone(up, size, ft_force_del, &low, 21);
	if (th_failed)
		return;
	/* the lower device went away after the upper closed it */
	ASSERT_EQ(ft_wait_gone(low), 0);
	ASSERT_EQ(dev_info(up, &info), -ENODEV);
}

/* ---- null_blk powered off under the bdev backend ---- */

#define FT_NULLB	"/sys/kernel/config/nullb/cwfault"

static int ft_sh(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int ft_write_attr(const char *attr, const char *val)
{
	char p[128];
	int fd, ret = 0;

	snprintf(p, sizeof(p), "%s/%s", FT_NULLB, attr);
	fd = open(p, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int ft_nullb_power_off(void *arg)
{
	(void)arg;
	return ft_write_attr("power", "0");
}

TEST_TIMEOUT(fault_bdev_lower_null_blk_removed, 180)
{
	__u64 size = 64 * MiB;
	int up;

	del_all();
	/* peers from the guest image (Documentation/testing.rst) */
	ft_sh("grep -q '^configfs' /proc/modules || insmod /lib/peer/configfs.ko");
	ft_sh("grep -q '^null_blk ' /proc/modules || insmod /lib/peer/null_blk.ko nr_devices=0");
	ft_sh("grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs none /sys/kernel/config");
	ASSERT_EQ(mkdir(FT_NULLB, 0755), 0);
	ASSERT_EQ(ft_write_attr("size", "64"), 0);
	ASSERT_EQ(ft_write_attr("memory_backed", "1"), 0);
	ASSERT_EQ(ft_write_attr("power", "1"), 0);
	up = ft_add_bdev("/dev/cwfault", 0);
	ASSERT_GE(up, 0);
	ft_lower_gone(up, size, ft_nullb_power_off, NULL, 31);
	if (th_failed)
		return;
	ASSERT_EQ(rmdir(FT_NULLB), 0);
	ASSERT_EQ(ft_sh("rmmod null_blk"), 0);
}

/* Faults on every operation while the device is force-deleted. */
TEST_TIMEOUT(fault_force_delete_under_faults, 120)
{
	struct ft_remover rm = { .remove = ft_force_del };
	pthread_t t_rm;
	unsigned int n = 300;
	struct ft_job j;
	int id, fd;

	del_all();
	id = ft_ram_dev(n * FT_SLOT, 100000);
	ASSERT_GE(id, 0);
	ASSERT_EQ(dev_fault(id, COWRAP_FAULT_FAIL_EVERY, COWRAP_OP_MASK_ALL, 5,
			    ENOSPC, 0), 0);
	fd = dev_open(id, O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	ft_job_init(&j, fd, n, 48, n * FT_SLOT, 50, 41);
	ft_remover_arm(&rm, &j);
	rm.arg = &id;
	pthread_create(&t_rm, NULL, ft_remove_mid, &rm);
	ASSERT_EQ(ft_job_run(&j), 0);
	pthread_join(t_rm, NULL);
	ASSERT_EQ(rm.ret, 0);
	ASSERT_EQ(j.completed, n);
	ASSERT_EQ(j.dup, 0);
	ASSERT_GT(j.errors, 0);
	close(fd);
	ft_job_free(&j);
	/* removed after the last close */
	ASSERT_EQ(ft_wait_gone(id), 0);
}

TEST_HARNESS_MAIN
