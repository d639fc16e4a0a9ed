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
	char val[16];

	snprintf(val, sizeof(val), "%d\n", n);
	return write_str(FAIL_SPAWN, val);
}

/* Called after each batch is submitted (@write: a batch of writes). */
typedef void (*eng_hook)(void *arg, int write);

/*
 * ENG_QD direct requests in flight at once (writes of a pattern, then
 * reads checked against it), @rounds times; *@max_threads gets the most
 * worker threads of @id seen while requests were in flight; @hook, if
 * not NULL, runs while each batch is in flight.
 */
static long eng_aio_verify_hook(int id, int rounds, unsigned int seed,
				int *max_threads, eng_hook hook, void *arg)
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
			if (hook)
				hook(arg, w);
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

static long eng_aio_verify(int id, int rounds, unsigned int seed,
			   int *max_threads)
{
	return eng_aio_verify_hook(id, rounds, seed, max_threads, NULL, NULL);
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

struct eng_bound {
	int checked;	/* workers of online CPUs */
	int on1;	/* of them, CPU 1's */
};

/*
 * For /proc/PID/status @f: 1 if it is a worker ("cowrap<cpu>:<context>",
 * the first line) of an online CPU that may run elsewhere.
 */
static int eng_misbound_one(const char *pid, FILE *f, void *arg)
{
	struct eng_bound *b = arg;
	char line[256], want[16];
	int cpu;

	if (!fgets(line, sizeof(line), f) ||
	    sscanf(line, "Name:\tcowrap%d:", &cpu) != 1 || !eng_cpu_online(cpu))
		return 0;
	b->checked++;
	b->on1 += cpu == 1;
	snprintf(want, sizeof(want), "%d\n", cpu);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Cpus_allowed_list:", 18) &&
		    !strcmp(line + 18 + strspn(line + 18, " \t"), want))
			return 0;
	TH_LOG("worker %s of CPU %d not bound to it", pid, cpu);
	return 1;
}

/* Workers of online CPUs that may run elsewhere; *@b counts those seen. */
static int eng_misbound(struct eng_bound *b)
{
	b->checked = b->on1 = 0;
	return proc_each("status", eng_misbound_one, b);
}

/* Pin the calling thread to @cpu: 0 or an error (@cpu is offline). */
static int eng_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/*
 * eng_aio_verify_hook()'s hook: CPU 1 offline while the writes are in
 * flight, online again while the reads are; the first error is kept.
 */
static void eng_cycle_cpu1(void *arg, int write)
{
	int *err = arg, e = write_str(CPU1_ONLINE, write ? "0" : "1");

	if (e && !*err)
		*err = e;
}

#define ENG_HOTPLUG_CYCLES	4
#define ENG_HOTPLUG_DELAY_NS	300000000	/* longer than an offline */

/*
 * CPU hotplug: requests entered on CPU 1 are delayed, so that each runs
 * again from its timer on a worker of CPU 1's pool; CPU 1 goes offline
 * while they wait (their timers move to CPU 0 and fire there, and the
 * workers of the offline CPU's pool run them) and online again while
 * the reads that check them wait, four times.  The data verifies, every
 * request is counted once, and once CPU 1 is back every worker of each
 * CPU's pool is bound to its CPU again (those of the module's default
 * context too, which are never reaped).
 */
TEST_TIMEOUT(engine_cpu_hotplug, 180)
{
	int lower, upper, i, t, err = 0;
	struct cowrap_dev_stats st;
	struct eng_bound b;
	long ret = 0;
	int bad;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || access(CPU1_ONLINE, W_OK))
		SKIP("needs two online CPUs and CPU 1 hotpluggable");
	del_all();
	upper = eng_stacked(&lower, 1, ENG_HOTPLUG_DELAY_NS);
	ASSERT_GE(upper, 0);
	for (i = 0; i < ENG_HOTPLUG_CYCLES && !ret && !err; i++) {
		ASSERT_EQ(eng_pin(1), 0);
		ret = eng_aio_verify_hook(upper, 1, 71 + i, &t, eng_cycle_cpu1,
					  &err);
		/* online again, whatever failed */
		if (write_str(CPU1_ONLINE, "1") && !err)
			err = -EIO;
	}
	ASSERT_EQ(err, 0);
	ASSERT_EQ(ret, 0);
	/* I/O entered on CPU 1 again, on the workers of its pool */
	ASSERT_EQ(eng_pin(1), 0);
	ASSERT_EQ(eng_aio_verify(upper, 2, 171, &t), 0);
	ASSERT_EQ(eng_counted_once(upper, &st), 0);
	ASSERT_EQ(st.reqs[COWRAP_OP_WRITE] + st.reqs[COWRAP_OP_READ],
		  2 * (ENG_HOTPLUG_CYCLES + 2) * ENG_QD);
	ASSERT_EQ(st.errors[COWRAP_OP_WRITE] + st.errors[COWRAP_OP_READ], 0);
	bad = eng_misbound(&b);
	TH_LOG("%d hotplug cycles of CPU 1 with requests in flight; %d workers of online CPUs checked, %d of CPU 1, %d not bound",
	       ENG_HOTPLUG_CYCLES, b.checked, b.on1, bad);
	ASSERT_EQ(bad, 0);
	ASSERT_GE(b.on1, 1);
	ASSERT_EQ(dev_del(upper), 0);
	ASSERT_EQ(dev_del(lower), 0);
}

TEST_HARNESS_MAIN
