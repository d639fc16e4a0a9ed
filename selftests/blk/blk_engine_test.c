// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap block devices, execution engine: requests that never park run
 * inline and need no thread; latency waits on the request's own timer;
 * requests that park (a bdev device) restart on a worker with their
 * decisions and counters taken once; an idle device owns one worker,
 * whatever its tag count, reaps the rest, and keeps serving I/O, verified,
 * when no worker can be created or while a CPU goes offline and online.
 */
#define _GNU_SOURCE

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>

#include "../harness.h"
#include "blk_util.h"

#define ENG_SIZE	(8 * MiB)
#define ENG_QD		32
#define ENG_BS		4096
#define FAIL_SPAWN	"/sys/module/cowrap_blk/parameters/fail_spawn"
#define CPU1_ONLINE	"/sys/devices/system/cpu/cpu1/online"

/* Worker threads of device @id: "cowrap<cpu>:dev<id>". */
static int eng_threads(int id)
{
	char part[32];

	snprintf(part, sizeof(part), ":dev%d\n", id);
	return count_comm("cowrap", part);
}

static int eng_set_fail_spawn(int n)
{
	FILE *f = fopen(FAIL_SPAWN, "w");
	int ret;

	if (!f)
		return -errno;
	ret = fprintf(f, "%d\n", n) < 0 ? -EIO : 0;
	if (fclose(f))
		ret = -errno;
	return ret;
}

/*
 * ENG_QD direct requests in flight at once (writes of a pattern, then
 * reads checked against it), @rounds times; *@max_threads gets the most
 * worker threads of @id seen while requests were in flight.
 */
static long eng_aio_verify(int id, int rounds, unsigned int seed,
			   int *max_threads)
{
	struct iocb cb[ENG_QD], *cbs[ENG_QD];
	struct io_event ev[ENG_QD];
	unsigned char *buf = abuf(ENG_QD * ENG_BS);
	int fd = dev_open(id, O_RDWR | O_DIRECT);
	aio_context_t ctx;
	long ret = 0, got;
	int r, i, w, t;

	*max_threads = 0;
	if (!buf || fd < 0 || aio_setup(ENG_QD, &ctx))
		return -ENOMEM;
	for (r = 0; r < rounds && !ret; r++) {
		for (w = 1; w >= 0 && !ret; w--) {
			for (i = 0; i < ENG_QD; i++) {
				/* a gap after each block: no merging */
				__u64 off = (__u64)(r * ENG_QD + i) * 2 *
					    ENG_BS % ENG_SIZE;
				unsigned char *p = buf + i * ENG_BS;

				if (w)
					pat_fill(p, off, ENG_BS, seed + r);
				else
					memset(p, 0, ENG_BS);
				memset(&cb[i], 0, sizeof(cb[i]));
				cb[i].aio_fildes = fd;
				cb[i].aio_lio_opcode = w ? IOCB_CMD_PWRITE :
							   IOCB_CMD_PREAD;
				cb[i].aio_buf = (uintptr_t)p;
				cb[i].aio_nbytes = ENG_BS;
				cb[i].aio_offset = off;
				cbs[i] = &cb[i];
			}
			if (aio_submit(ctx, ENG_QD, cbs) != ENG_QD) {
				ret = -errno;
				break;
			}
			t = eng_threads(id);
			if (t > *max_threads)
				*max_threads = t;
			for (got = 0; got < ENG_QD && !ret; ) {
				long n = aio_getevents(ctx, 1, ENG_QD, ev);

				if (n < 0) {
					ret = -errno;
					break;
				}
				for (i = 0; i < n; i++)
					if (ev[i].res != ENG_BS)
						ret = ev[i].res < 0 ? ev[i].res : -EIO;
				got += n;
			}
			for (i = 0; !w && !ret && i < ENG_QD; i++)
				if (pat_check(buf + i * ENG_BS, cb[i].aio_offset,
					      ENG_BS, seed + r) != -1)
					ret = -1000 - i;
		}
	}
	aio_destroy(ctx);
	close(fd);
	free(buf);
	return ret;
}

/* co_started == sum(reqs) and nothing in flight: each request counted once */
static int eng_counted_once(int id, struct cowrap_dev_stats *st)
{
	__u64 sum = 0;
	int i;

	if (dev_stats(id, st, 0))
		return -1;
	for (i = 0; i < COWRAP_OP_NR; i++)
		sum += st->reqs[i];
	TH_LOG("dev %d: reads %llu writes %llu flushes %llu started %llu sync %llu yields %llu wakes %llu faults %llu inflight %u",
	       id, (unsigned long long)st->reqs[COWRAP_OP_READ],
	       (unsigned long long)st->reqs[COWRAP_OP_WRITE],
	       (unsigned long long)st->reqs[COWRAP_OP_FLUSH],
	       (unsigned long long)st->co_started,
	       (unsigned long long)st->sync_calls,
	       (unsigned long long)st->co_yields,
	       (unsigned long long)st->co_wakes,
	       (unsigned long long)st->faults_injected, st->inflight);
	return st->co_started == sum + st->sync_calls && !st->inflight ? 0 : -1;
}

/* A ram device with every tag of every queue: one thread, none added. */
TEST_TIMEOUT(engine_inline_idle_device_threads, 60)
{
	struct cowrap_dev_add a;
	struct cowrap_dev_stats st;
	int id, t;

	del_all();
	add_init(&a, COWRAP_BACKEND_RAM, ENG_SIZE);
	a.nr_hw_queues = sysconf(_SC_NPROCESSORS_CONF) > 1 ? 2 : 1;
	a.queue_depth = COWRAP_MAX_QUEUE_DEPTH;
	id = dev_add(&a);
	ASSERT_GE(id, 0);
	ASSERT_EQ(eng_threads(id), 1);
	ASSERT_EQ(eng_aio_verify(id, 8, 11, &t), 0);
	TH_LOG("%u queues x %u tags: %d worker thread(s) under QD%d",
	       a.nr_hw_queues, a.queue_depth, t, ENG_QD);
	ASSERT_EQ(t, 1);
	ASSERT_EQ(eng_counted_once(id, &st), 0);
	ASSERT_EQ(st.co_yields, 0);
	ASSERT_EQ(dev_del(id), 0);
}

/* Latency: each request waits on its own timer, no worker thread. */
TEST_TIMEOUT(engine_latency_deferred_no_threads, 60)
{
	struct cowrap_dev_add a;
	struct cowrap_dev_stats st;
	int id, t;

	del_all();
	add_init(&a, COWRAP_BACKEND_RAM, ENG_SIZE);
	a.latency_ns = 2000000;
	id = dev_add(&a);
	ASSERT_GE(id, 0);
	ASSERT_EQ(eng_aio_verify(id, 4, 21, &t), 0);
	ASSERT_EQ(t, 1);
	ASSERT_EQ(eng_counted_once(id, &st), 0);
	ASSERT_EQ(st.co_yields, 8 * ENG_QD);
	ASSERT_EQ(st.co_wakes, st.co_yields);
	ASSERT_EQ(dev_del(id), 0);
}

/*
 * A bdev device over a ram one; every @fault_nth request of the upper
 * device (none if 0) delayed by @delay_ns.
 */
static int eng_stacked(int *lower, __u32 fault_nth, __u64 delay_ns)
{
	struct cowrap_dev_add a;
	char lpath[64];
	int upper;

	*lower = dev_add_simple(COWRAP_BACKEND_RAM, ENG_SIZE, 0);
	if (*lower < 0)
		return *lower;
	snprintf(lpath, sizeof(lpath), "/dev/cowrap%d", *lower);
	add_init(&a, COWRAP_BACKEND_BDEV, 0);
	a.path = (uintptr_t)lpath;
	a.path_len = strlen(lpath) + 1;
	upper = dev_add(&a);
	if (upper >= 0 && fault_nth &&
	    dev_fault(upper, COWRAP_FAULT_DELAY,
		      COWRAP_OP_BIT(COWRAP_OP_READ) |
		      COWRAP_OP_BIT(COWRAP_OP_WRITE), fault_nth, 0, delay_ns))
		return -EIO;
	return upper;
}

/*
 * Delayed requests run again from their timer, in hardirq, where the
 * lower bios cannot be submitted, and restart on a worker: data verified,
 * the fault rule drawn once per request, extra workers reaped once the
 * device is idle.
 */
TEST_TIMEOUT(engine_restart_on_worker_counts_once, 90)
{
	struct cowrap_dev_stats st;
	int lower, upper, t, n = 0, i;

	del_all();
	upper = eng_stacked(&lower, 2, 100000);
	ASSERT_GE(upper, 0);
	ASSERT_EQ(eng_aio_verify(upper, 8, 31, &t), 0);
	ASSERT_EQ(eng_counted_once(upper, &st), 0);
	ASSERT_EQ(st.reqs[COWRAP_OP_WRITE] + st.reqs[COWRAP_OP_READ],
		  16 * ENG_QD);
	ASSERT_EQ(st.faults_injected, 8 * ENG_QD);
	/*
	 * One delay per faulted request; the lower bios finish a request
	 * without a wait of its own (cowrap_co_batch_finish()).
	 */
	ASSERT_EQ(st.co_yields, 8 * ENG_QD);
	ASSERT_EQ(st.co_wakes, st.co_yields);
	TH_LOG("up to %d workers with %d requests in flight", t, ENG_QD);
	ASSERT_GE(t, 1);
	/* idle: back to the one reserve worker after the idle timeout */
	for (i = 0; i < 100 && (n = eng_threads(upper)) != 1; i++)
		usleep(100000);
	TH_LOG("%d worker(s) %d ms after the load", n, i * 100);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(dev_del(upper), 0);
	ASSERT_EQ(dev_del(lower), 0);
}

/*
 * A bdev device submits its lower bios from queue_rq (a blocking queue,
 * the body inline on the submitter's task) and finishes each request from
 * the last lower bio: no request restarts, none waits, no worker runs.
 */
TEST_TIMEOUT(engine_bdev_inline_no_worker, 90)
{
	struct cowrap_dev_stats st;
	long inl0, inl, restarts;
	int lower, upper, t;

	del_all();
	upper = eng_stacked(&lower, 0, 0);
	ASSERT_GE(upper, 0);
	inl0 = live_counter("dev_inline");
	ASSERT_GE(inl0, 0);
	ASSERT_EQ(eng_aio_verify(upper, 8, 51, &t), 0);
	ASSERT_EQ(eng_counted_once(upper, &st), 0);
	ASSERT_EQ(st.reqs[COWRAP_OP_WRITE] + st.reqs[COWRAP_OP_READ],
		  16 * ENG_QD);
	inl = live_counter("dev_inline") - inl0;
	restarts = live_counter("dev_restarts");
	TH_LOG("%ld requests of both devices finished inline, %ld restarts, up to %d worker(s) of the bdev device",
	       inl, restarts, t);
	ASSERT_EQ(st.co_yields, 0);
	ASSERT_EQ(restarts, 0);
	/* the bdev device's requests and the ram device's below them */
	ASSERT_GE(inl, 2 * 16 * ENG_QD);
	ASSERT_EQ(t, 1);
	ASSERT_EQ(dev_del(upper), 0);
	ASSERT_EQ(dev_del(lower), 0);
}

/* No worker can be created: I/O that parks still completes, verified. */
TEST_TIMEOUT(engine_spawn_failure_io_completes, 90)
{
	struct cowrap_dev_stats st;
	int lower, upper, t;
	long ret;

	del_all();
	upper = eng_stacked(&lower, 0, 0);
	ASSERT_GE(upper, 0);
	/* let the reserve be the only worker */
	while (eng_threads(upper) > 1)
		usleep(100000);
	ASSERT_EQ(eng_set_fail_spawn(-1), 0);
	ret = eng_aio_verify(upper, 4, 41, &t);
	ASSERT_EQ(eng_set_fail_spawn(0), 0);
	ASSERT_EQ(ret, 0);
	ASSERT_EQ(t, 1);
	ASSERT_EQ(eng_counted_once(upper, &st), 0);
	ASSERT_EQ(st.reqs[COWRAP_OP_WRITE] + st.reqs[COWRAP_OP_READ],
		  8 * ENG_QD);
	ASSERT_EQ(st.errors[COWRAP_OP_WRITE] + st.errors[COWRAP_OP_READ], 0);
	ASSERT_EQ(dev_del(upper), 0);
	ASSERT_EQ(dev_del(lower), 0);
}

/* Write @on to CPU 1's online file: 0 or -errno. */
static int eng_cpu1_online(int on)
{
	int fd = open(CPU1_ONLINE, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, on ? "1" : "0", 1) != 1)
		ret = -errno;
	close(fd);
	return ret;
}

/* Is CPU @cpu online?  CPU 0 has no online file on x86. */
static bool eng_cpu_online(int cpu)
{
	char path[64], c = '1';
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	f = fopen(path, "r");
	if (f) {
		if (fread(&c, 1, 1, f) != 1)
			c = '0';
		fclose(f);
	}
	return c == '1';
}

/*
 * Worker threads ("cowrap<cpu>:<context>") of an online CPU that may run
 * elsewhere: returned, with *@checked the workers of online CPUs seen and
 * *@on1 those of CPU 1.
 */
static int eng_misbound(int *checked, int *on1)
{
	char path[300], line[256], want[16];
	DIR *d = opendir("/proc");
	struct dirent *e;
	int bad = 0, cpu;

	*checked = *on1 = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		bool match = false, bound = false;
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;	/* a reaped worker */
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "Name:\tcowrap%d:", &cpu) == 1 &&
			    eng_cpu_online(cpu))
				match = true;
			snprintf(want, sizeof(want), "%d\n", cpu);
			if (match && !strncmp(line, "Cpus_allowed_list:", 18))
				bound = !strcmp(line + 18 + strspn(line + 18, " \t"),
						want);
		}
		fclose(f);
		if (!match)
			continue;
		(*checked)++;
		*on1 += cpu == 1;
		if (!bound) {
			TH_LOG("worker %s of CPU %d not bound to it", e->d_name, cpu);
			bad++;
		}
	}
	closedir(d);
	return bad;
}

/* I/O of eng_io_thread(): @rounds rounds, or until @stop if @rounds is 0 */
struct eng_io {
	int id;
	int rounds;
	unsigned int seed;
	int cpu;
	volatile int stop;
	int done;
	int threads;
	long ret;
};

/* Pin the calling thread to @cpu: 0 or an error (@cpu is offline). */
static int eng_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/*
 * eng_aio_verify() one round at a time, each started on CPU @io->cpu
 * while it is online (offlining it moves the thread away).
 */
static void *eng_io_thread(void *arg)
{
	struct eng_io *io = arg;
	int r, t;

	io->ret = 0;
	io->threads = 0;
	for (r = 0; (io->rounds ? r < io->rounds : !io->stop) && !io->ret; r++) {
		eng_pin(io->cpu);
		io->ret = eng_aio_verify(io->id, 1, io->seed + r, &t);
		if (t > io->threads)
			io->threads = t;
	}
	io->done = r;
	return NULL;
}

#define ENG_HOTPLUG_CYCLES	4

/*
 * CPU hotplug: requests entered on CPU 1, each delayed so that it runs
 * again from its timer on a worker of CPU 1's pool, complete, verified
 * and counted once, while CPU 1 goes offline (their timers move to CPU 0,
 * and the workers of the offline CPU's pool run them) and online again,
 * again and again; once it is back, every worker of each CPU's pool is
 * bound to its CPU again (those of the module's default context too,
 * which are never reaped).
 */
TEST_TIMEOUT(engine_cpu_hotplug, 180)
{
	struct eng_io io = { .seed = 71, .cpu = 1 };
	int lower, upper, i, off[ENG_HOTPLUG_CYCLES], on[ENG_HOTPLUG_CYCLES];
	__u64 rounds;
	struct cowrap_dev_stats st;
	int checked, on1, bad;
	pthread_t th;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || access(CPU1_ONLINE, W_OK))
		SKIP("needs two online CPUs and CPU 1 hotpluggable");
	del_all();
	upper = eng_stacked(&lower, 1, 2000000);
	ASSERT_GE(upper, 0);
	io.id = upper;
	ASSERT_EQ(pthread_create(&th, NULL, eng_io_thread, &io), 0);
	for (i = 0; i < ENG_HOTPLUG_CYCLES; i++) {
		usleep(100000);
		off[i] = eng_cpu1_online(0);
		usleep(100000);
		on[i] = eng_cpu1_online(1);
	}
	io.stop = 1;
	pthread_join(th, NULL);
	rounds = io.done;
	for (i = 0; i < ENG_HOTPLUG_CYCLES; i++) {
		ASSERT_EQ(off[i], 0);
		ASSERT_EQ(on[i], 0);
	}
	ASSERT_EQ(io.ret, 0);
	/* I/O entered on CPU 1 again, on the workers of its pool */
	io.rounds = 2;
	io.seed = 171;
	eng_io_thread(&io);
	ASSERT_EQ(io.ret, 0);
	rounds += io.done;
	ASSERT_EQ(eng_counted_once(upper, &st), 0);
	ASSERT_EQ(st.reqs[COWRAP_OP_WRITE] + st.reqs[COWRAP_OP_READ],
		  2 * rounds * ENG_QD);
	ASSERT_EQ(st.errors[COWRAP_OP_WRITE] + st.errors[COWRAP_OP_READ], 0);
	bad = eng_misbound(&checked, &on1);
	TH_LOG("%d hotplug cycles of CPU 1 during %llu rounds of I/O, up to %d workers; %d workers of online CPUs checked, %d of CPU 1, %d not bound",
	       ENG_HOTPLUG_CYCLES, (unsigned long long)rounds, io.threads,
	       checked, on1, bad);
	ASSERT_EQ(bad, 0);
	ASSERT_GE(on1, 1);
	ASSERT_EQ(dev_del(upper), 0);
	ASSERT_EQ(dev_del(lower), 0);
}

TEST_HARNESS_MAIN
