// SPDX-License-Identifier: GPL-2.0
/*
 * coroutine_test: runs every case of cowrap_test.ko (the coroutine layer's
 * in-kernel tests) as a named TAP case, then unloads the module.
 */
#include "../harness.h"
#include "co_common.h"

/* Run kernel case @name and pass iff it says PASS. */
#define CO_CASE(name, secs)						\
	TEST_TIMEOUT(name, secs)					\
	{								\
		char msg[CO_MSG_LEN];					\
		int ret = co_run(#name, msg, sizeof(msg));		\
									\
		TH_LOG("%s", ret < 0 ? strerror(-ret) : msg);		\
		ASSERT_EQ(ret, 1);					\
	}

/*
 * Run a case that calls a refused function three times: it must log the
 * message @warn exactly once and exactly one "WARNING:" line naming @fn.
 * The markers tell the VM runner that this WARN is expected.
 */
#define CO_WARN_CASE(name, warn, fn)					\
	TEST(name)							\
	{								\
		char msg[CO_MSG_LEN];					\
		int ret;						\
									\
		ASSERT_EQ(co_load(), 0);				\
		ASSERT_EQ(co_kmsg_count(warn), 0);			\
		co_kmsg("cowrap-selftest: expect-warning begin\n");	\
		ret = co_run(#name, msg, sizeof(msg));			\
		co_kmsg("cowrap-selftest: expect-warning end\n");	\
		TH_LOG("%s", ret < 0 ? strerror(-ret) : msg);		\
		ASSERT_EQ(ret, 1);					\
		ASSERT_EQ(co_kmsg_count(warn), 1);			\
		ASSERT_EQ(co_kmsg_count2("WARNING:", fn), 1);		\
		TH_LOG("one WARN: \"%s\" in %s", warn, fn);		\
	}

TEST(module_load)
{
	ASSERT_EQ(co_load(), 0);
	ASSERT_EQ(access(CO_TEST_RUN, R_OK | W_OK), 0);
}

CO_CASE(lifecycle, 60)
CO_CASE(embedded_reuse, 60)
CO_CASE(nested_enter, 30)
CO_CASE(yield_wake_order, 30)
CO_CASE(wake_before_yield, 30)
CO_CASE(wake_before_enter, 30)
CO_CASE(in_coroutine_process, 10)
CO_CASE(in_coroutine_coroutine, 10)
CO_CASE(in_coroutine_hardirq, 30)
CO_CASE(in_coroutine_softirq, 30)
CO_CASE(in_coroutine_workqueue, 30)
CO_CASE(wake_from_hardirq, 60)
CO_CASE(wake_from_softirq, 60)
CO_CASE(queue_fifo, 30)
CO_CASE(queue_restart_all, 30)
CO_CASE(mutex_fifo_handoff, 30)
CO_CASE(mutex_exclusion_fairness, 300)
CO_CASE(rwlock_fifo, 30)
CO_CASE(rwlock_upgrade_downgrade, 30)
CO_CASE(rwlock_exclusion, 150)
CO_CASE(sleep_accuracy, 60)
CO_CASE(poll_co, 30)
CO_CASE(call_noco, 30)
CO_WARN_CASE(wrong_context_yield,
	     "cowrap: cowrap_co_yield() called outside a coroutine",
	     " cowrap_co_yield+")
CO_WARN_CASE(wrong_context_poll_co,
	     "cowrap: synchronous wrapper for ct_wp_never",
	     " cowrap_poll_co+")
CO_WARN_CASE(wrong_context_call_noco,
	     "cowrap: cowrap_co_call_noco(ct_wn_fn",
	     " cowrap_co_call_noco+")
CO_CASE(bio_submit_wait, 60)
CO_CASE(bio_batch, 60)
CO_CASE(bio_batch_finish, 60)
CO_CASE(inline_path, 30)
CO_CASE(worker_path, 30)
CO_CASE(deferred_restart, 30)
CO_CASE(inline_hardirq, 30)
CO_CASE(continue_cpu, 60)
CO_CASE(reap_idle, 60)
CO_CASE(spawn_failure, 60)
CO_CASE(ctx_destroy_parked, 60)
/*
 * 10,000 parked coroutines need 10,000 worker threads; the kernel's
 * default threads-max is RAM / 128 KiB (8192 threads with 1 GiB), so
 * raise it for this case and put it back afterwards.
 */
#define CO_THREADS_MAX	"/proc/sys/kernel/threads-max"
#define CO_THREADS_NEED	20000L

static long co_read_long(const char *path)
{
	long v = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int co_write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fprintf(f, "%ld\n", v) < 0;
	return fclose(f) || ret ? -1 : 0;
}

TEST_TIMEOUT(park_10000, 400)
{
	long old = co_read_long(CO_THREADS_MAX);
	char msg[CO_MSG_LEN];
	int ret;

	ASSERT_GT(old, 0);
	if (old < CO_THREADS_NEED)
		ASSERT_EQ(co_write_long(CO_THREADS_MAX, CO_THREADS_NEED), 0);
	ret = co_run("park_10000", msg, sizeof(msg));
	if (old < CO_THREADS_NEED)
		co_write_long(CO_THREADS_MAX, old);
	TH_LOG("threads-max %ld (raised to %ld for the case)", old,
	       old < CO_THREADS_NEED ? CO_THREADS_NEED : old);
	TH_LOG("%s", ret < 0 ? strerror(-ret) : msg);
	ASSERT_EQ(ret, 1);
}

TEST(module_unload)
{
	ASSERT_EQ(co_unload(), 0);
	ASSERT_NE(access(CO_TEST_RUN, F_OK), 0);
}

TEST_HARNESS_MAIN
