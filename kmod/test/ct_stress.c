// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap_test: 10,000 parked coroutines, and context teardown with
 * coroutines parked in every kind of wait.
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "cowrap_test.h"

#define CT_PARK_N	10000

struct ct_park {
	struct cowrap_co *co;
	atomic_t parked, resumed, errors;
};

static struct ct_park *ct_park_cur;

static void coroutine_fn ct_park_entry(void *opaque)
{
	struct ct_park *t = ct_park_cur;

	atomic_inc(&t->parked);
	if (cowrap_co_yield())
		atomic_inc(&t->errors);
	else
		atomic_inc(&t->resumed);
}
/* started through a helper or a pointer in this file */
cowrap_co_addr_ok(ct_park_entry);

/* Wait for @v to reach @n; give up after @ms without any progress. */
static bool ct_wait_progress(atomic_t *v, int n, unsigned int ms)
{
	int last = -1, cur;

	while ((cur = atomic_read(v)) != n) {
		if (cur == last)
			return false;
		last = cur;
		ct_wait_until(atomic_read(v) != last, ms);
	}
	return true;
}

static int ct_park_run(struct ct_result *r, struct cowrap_ctx *ctx,
		       struct ct_park *t)
{
	struct cowrap_ctx_stats st;
	long avail0, avail1;
	u64 t0, t1, t2;
	int i;

	avail0 = si_mem_available();
	t0 = ktime_get_ns();
	for (i = 0; i < CT_PARK_N; i++) {
		cowrap_co_init(&t->co[i], ctx, ct_park_entry, NULL);
		cowrap_co_enter(&t->co[i]);
	}
	CT_CHECK(r, ct_wait_progress(&t->parked, CT_PARK_N, 30000),
		 "stuck at %d started for 30 s (kernel.threads-max?)",
		 atomic_read(&t->parked));
	t1 = ktime_get_ns();
	msleep(100);
	avail1 = si_mem_available();
	cowrap_ctx_get_stats(ctx, &st);
	CT_CHECK(r, atomic_read(&t->resumed) == 0, "%d resumed unwoken",
		 atomic_read(&t->resumed));
	CT_CHECK(r, st.nr_live == CT_PARK_N && st.nr_workers >= CT_PARK_N,
		 "live=%u workers=%u", st.nr_live, st.nr_workers);
	for (i = 0; i < CT_PARK_N; i++)
		cowrap_co_wake(&t->co[i]);
	CT_CHECK(r, ct_wait_idle(ctx, 200000), "live=%u", ct_live(ctx));
	t2 = ktime_get_ns();
	CT_CHECK(r, atomic_read(&t->resumed) == CT_PARK_N && !atomic_read(&t->errors),
		 "resumed=%d errors=%d", atomic_read(&t->resumed),
		 atomic_read(&t->errors));
	ct_note(r, "%d parked at once on %u workers, ~%ld KiB each; start+park %llu ms, wake+finish %llu ms",
		CT_PARK_N, st.nr_workers,
		(avail0 - avail1) * (long)(PAGE_SIZE / 1024) / CT_PARK_N,
		(t1 - t0) / NSEC_PER_MSEC, (t2 - t1) / NSEC_PER_MSEC);
	return 0;
}

int ct_park_10000(struct ct_result *r)
{
	struct cowrap_ctx *ctx;
	struct ct_park *t;
	int ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	CT_CHECK(r, t, "no memory");
	t->co = kvcalloc(CT_PARK_N, sizeof(*t->co), GFP_KERNEL);
	ctx = cowrap_ctx_create("t-10k", CT_PARK_N);
	if (!t->co || IS_ERR(ctx)) {
		if (!IS_ERR(ctx))
			cowrap_ctx_destroy(ctx);
		kvfree(t->co);
		kfree(t);
		return ct_fail(r, "setup failed");
	}
	ct_park_cur = t;
	ret = ct_park_run(r, ctx, t);
	cowrap_ctx_destroy(ctx);
	kvfree(t->co);
	kfree(t);
	return ret;
}

/*
 * Teardown: 8 coroutines in yield, 8 in queue_wait, 8 in a 60 s sleep, a
 * mutex holder parked in yield with 4 mutex waiters, one more in yield
 * (30 workers: all busy) and 2 queued that never got a worker.
 */
#define CT_TD_WORKERS	30
#define CT_TD_N		(CT_TD_WORKERS + 2)

enum { CT_TD_YIELD, CT_TD_QUEUE, CT_TD_SLEEP, CT_TD_HOLDER, CT_TD_MWAIT };

struct ct_td {
	struct cowrap_co co[CT_TD_N];
	int kind[CT_TD_N];
	int ret[CT_TD_N];
	u64 slept[CT_TD_N];
	struct cowrap_co_queue q;
	struct cowrap_co_mutex m;
	atomic_t waiting, finished, mutex_got;
};

static struct ct_td *ct_td_cur;

static void coroutine_fn ct_td_entry(void *opaque)
{
	struct ct_td *t = ct_td_cur;
	int i = (long)opaque;
	u64 t0;

	switch (t->kind[i]) {
	case CT_TD_YIELD:
		atomic_inc(&t->waiting);
		t->ret[i] = cowrap_co_yield();
		/* cancellation is sticky: a second wait ends at once too */
		if (t->ret[i] == -ECANCELED && cowrap_co_yield() != -ECANCELED)
			t->ret[i] = -EINVAL;
		break;
	case CT_TD_QUEUE:
		atomic_inc(&t->waiting);
		t->ret[i] = cowrap_co_queue_wait(&t->q);
		break;
	case CT_TD_SLEEP:
		atomic_inc(&t->waiting);
		t0 = ktime_get_ns();
		t->ret[i] = cowrap_co_sleep_ns(60ULL * NSEC_PER_SEC);
		t->slept[i] = ktime_get_ns() - t0;
		break;
	case CT_TD_HOLDER:
		cowrap_co_mutex_lock(&t->m);
		atomic_inc(&t->waiting);
		t->ret[i] = cowrap_co_yield();
		cowrap_co_mutex_unlock(&t->m);
		break;
	case CT_TD_MWAIT:
		atomic_inc(&t->waiting);
		cowrap_co_mutex_lock(&t->m);
		atomic_inc(&t->mutex_got);
		t->ret[i] = 0;
		cowrap_co_mutex_unlock(&t->m);
		break;
	}
	atomic_inc(&t->finished);
}
/* started through a helper or a pointer in this file */
cowrap_co_addr_ok(ct_td_entry);

static int ct_td_kind(int i)
{
	if (i < 8)
		return CT_TD_YIELD;
	if (i < 16)
		return CT_TD_QUEUE;
	if (i < 24)
		return CT_TD_SLEEP;
	if (i == 24)
		return CT_TD_HOLDER;
	if (i < 29)
		return CT_TD_MWAIT;
	return CT_TD_YIELD;
}

static int ct_td_check(struct ct_result *r, struct ct_td *t, u64 took)
{
	int i;

	CT_CHECK(r, atomic_read(&t->finished) == CT_TD_N,
		 "%d of %d finished", atomic_read(&t->finished), CT_TD_N);
	CT_CHECK(r, atomic_read(&t->mutex_got) == 4, "mutex waiters got it %d times",
		 atomic_read(&t->mutex_got));
	for (i = 0; i < CT_TD_N; i++) {
		if (t->kind[i] == CT_TD_MWAIT)
			continue;
		CT_CHECK(r, t->ret[i] == -ECANCELED, "coroutine %d (kind %d) got %d",
			 i, t->kind[i], t->ret[i]);
		if (t->kind[i] == CT_TD_SLEEP)
			CT_CHECK(r, t->slept[i] < 30ULL * NSEC_PER_SEC,
				 "sleep %d not cut short", i);
	}
	CT_CHECK(r, cowrap_co_queue_empty(&t->q), "cancelled waiters left queued");
	ct_note(r, "destroy cancelled %d parked coroutines, waited for 4 mutex waiters, ran 2 queued ones, in %llu ms",
		CT_TD_N - 4 - 2, took / NSEC_PER_MSEC);
	return 0;
}

int ct_ctx_destroy_parked(struct ct_result *r)
{
	struct cowrap_ctx_stats st;
	struct cowrap_ctx *ctx;
	struct ct_td *t;
	int i, ret = 0;
	u64 t0;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	CT_CHECK(r, t, "no memory");
	cowrap_co_queue_init(&t->q);
	cowrap_co_mutex_init(&t->m);
	ct_td_cur = t;
	ctx = cowrap_ctx_create("t-teardown", CT_TD_WORKERS);
	if (IS_ERR(ctx)) {
		kfree(t);
		return ct_fail(r, "ctx create: %ld", PTR_ERR(ctx));
	}
	for (i = 0; i < CT_TD_N; i++) {
		t->kind[i] = ct_td_kind(i);
		t->ret[i] = 1;
		cowrap_co_init(&t->co[i], ctx, ct_td_entry, (void *)(long)i);
		cowrap_co_enter(&t->co[i]);
		/* the holder must own the mutex before its waiters start */
		if (i == 24 && !ct_wait_until(atomic_read(&t->waiting) == 25, 10000))
			ret = ct_fail(r, "holder did not start");
	}
	if (!ret && !ct_wait_until(atomic_read(&t->waiting) == CT_TD_WORKERS,
				   20000))
		ret = ct_fail(r, "only %d waiting", atomic_read(&t->waiting));
	msleep(50);
	cowrap_ctx_get_stats(ctx, &st);
	if (!ret && (st.nr_queued != 2 || st.nr_live != CT_TD_N ||
		     atomic_read(&t->finished)))
		ret = ct_fail(r, "before destroy: queued=%u live=%u finished=%d",
			      st.nr_queued, st.nr_live, atomic_read(&t->finished));
	t0 = ktime_get_ns();
	cowrap_ctx_destroy(ctx);
	if (!ret)
		ret = ct_td_check(r, t, ktime_get_ns() - t0);
	kfree(t);
	return ret;
}
