// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap_test: CoQueue FIFO order, CoMutex exclusion and fairness, sleep.
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "cowrap_test.h"

/* Peek at the waiter lists (tests only) to order the steps exactly. */
static unsigned int ct_queue_len(struct cowrap_co_queue *q)
{
	unsigned int n;

	spin_lock_irq(&q->lock);
	n = list_count_nodes(&q->waiters);
	spin_unlock_irq(&q->lock);
	return n;
}

static unsigned int ct_mutex_waiters(struct cowrap_co_mutex *m)
{
	unsigned int n;

	spin_lock(&m->lock);
	n = list_count_nodes(&m->waiters);
	spin_unlock(&m->lock);
	return n;
}

#define CT_Q_N	16

struct ct_q {
	struct cowrap_co_queue q;
	struct cowrap_co_mutex m;
	struct cowrap_co co[CT_Q_N];
	int order[CT_Q_N];
	int ret[CT_Q_N];
	bool held[CT_Q_N];
	atomic_t woken;
};

static struct ct_q *ct_q_cur;

static void coroutine_fn ct_qf_entry(void *opaque)
{
	struct ct_q *t = ct_q_cur;
	int i = (long)opaque;

	t->ret[i] = cowrap_co_queue_wait(&t->q);
	t->order[atomic_inc_return(&t->woken) - 1] = i;
}

static int ct_qf_run(struct ct_result *r, struct cowrap_ctx *ctx, struct ct_q *t)
{
	int i;

	for (i = 0; i < CT_Q_N; i++) {
		cowrap_co_init(&t->co[i], ctx, ct_qf_entry, (void *)(long)i);
		cowrap_co_enter(&t->co[i]);
		CT_CHECK(r, ct_wait_until(ct_queue_len(&t->q) == i + 1, 5000),
			 "waiter %d not queued", i);
	}
	for (i = 0; i < CT_Q_N; i++) {
		CT_CHECK(r, !cowrap_co_queue_empty(&t->q), "empty at %d", i);
		CT_CHECK(r, cowrap_co_queue_next(&t->q), "next %d found nobody", i);
		CT_CHECK(r, ct_wait_until(atomic_read(&t->woken) == i + 1, 5000),
			 "next %d woke nobody", i);
	}
	CT_CHECK(r, cowrap_co_queue_empty(&t->q), "not empty at the end");
	CT_CHECK(r, !cowrap_co_queue_next(&t->q), "next on an empty queue");
	for (i = 0; i < CT_Q_N; i++) {
		CT_CHECK(r, t->order[i] == i, "woken #%d was waiter %d",
			 i, t->order[i]);
		CT_CHECK(r, t->ret[i] == 0, "wait %d returned %d", i, t->ret[i]);
	}
	CT_CHECK(r, ct_wait_idle(ctx, 5000), "live=%u", ct_live(ctx));
	ct_note(r, "%d waiters woken one by one in arrival order", CT_Q_N);
	return 0;
}

static int ct_q_case(struct ct_result *r,
		     int (*run)(struct ct_result *, struct cowrap_ctx *,
				struct ct_q *))
{
	struct cowrap_ctx *ctx;
	struct ct_q *t;
	int ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	CT_CHECK(r, t, "no memory");
	cowrap_co_queue_init(&t->q);
	cowrap_co_mutex_init(&t->m);
	ct_q_cur = t;
	ctx = cowrap_ctx_create("t-queue", CT_Q_N + 1);
	if (IS_ERR(ctx)) {
		kfree(t);
		return ct_fail(r, "ctx create: %ld", PTR_ERR(ctx));
	}
	ret = run(r, ctx, t);
	cowrap_ctx_destroy(ctx);
	kfree(t);
	return ret;
}

int ct_queue_fifo(struct ct_result *r)
{
	return ct_q_case(r, ct_qf_run);
}

static void coroutine_fn ct_qr_entry(void *opaque)
{
	struct ct_q *t = ct_q_cur;
	int i = (long)opaque;

	cowrap_co_mutex_lock(&t->m);
	t->ret[i] = cowrap_co_queue_wait_mutex(&t->q, &t->m);
	/* the mutex is held again on return */
	t->held[i] = READ_ONCE(t->m.owner) == cowrap_co_self();
	atomic_inc(&t->woken);
	cowrap_co_mutex_unlock(&t->m);
}

static int ct_qr_run(struct ct_result *r, struct cowrap_ctx *ctx, struct ct_q *t)
{
	unsigned int n;
	int i;

	for (i = 0; i < CT_Q_N; i++) {
		cowrap_co_init(&t->co[i], ctx, ct_qr_entry, (void *)(long)i);
		cowrap_co_enter(&t->co[i]);
	}
	CT_CHECK(r, ct_wait_until(ct_queue_len(&t->q) == CT_Q_N, 5000),
		 "only %u queued", ct_queue_len(&t->q));
	CT_CHECK(r, !READ_ONCE(t->m.owner), "mutex not released while waiting");
	n = cowrap_co_queue_restart_all(&t->q);
	CT_CHECK(r, n == CT_Q_N, "restart_all woke %u", n);
	CT_CHECK(r, ct_wait_until(atomic_read(&t->woken) == CT_Q_N, 5000),
		 "woken=%d", atomic_read(&t->woken));
	CT_CHECK(r, cowrap_co_queue_empty(&t->q), "not empty");
	CT_CHECK(r, cowrap_co_queue_restart_all(&t->q) == 0,
		 "restart_all on an empty queue");
	for (i = 0; i < CT_Q_N; i++)
		CT_CHECK(r, t->held[i] && !t->ret[i],
			 "waiter %d: held=%d ret=%d", i, t->held[i], t->ret[i]);
	CT_CHECK(r, ct_wait_idle(ctx, 5000), "live=%u", ct_live(ctx));
	ct_note(r, "restart_all woke %d waiters, each re-took the mutex", CT_Q_N);
	return 0;
}

int ct_queue_restart_all(struct ct_result *r)
{
	return ct_q_case(r, ct_qr_run);
}

/* Holder is co[0]; waiters 1..N-1 queue in a known order. */
static void coroutine_fn ct_mf_holder(void *opaque)
{
	struct ct_q *t = ct_q_cur;

	cowrap_co_mutex_lock(&t->m);
	t->held[0] = true;
	t->ret[0] = cowrap_co_yield();
	cowrap_co_mutex_unlock(&t->m);
}
/* started through a helper or a pointer in this file */
cowrap_co_addr_ok(ct_mf_holder);

static void coroutine_fn ct_mf_waiter(void *opaque)
{
	struct ct_q *t = ct_q_cur;
	int i = (long)opaque;

	cowrap_co_mutex_lock(&t->m);
	t->order[atomic_inc_return(&t->woken) - 1] = i;
	t->held[i] = READ_ONCE(t->m.owner) == cowrap_co_self();
	cowrap_co_mutex_unlock(&t->m);
}

static int ct_mf_run(struct ct_result *r, struct cowrap_ctx *ctx, struct ct_q *t)
{
	int i;

	cowrap_co_init(&t->co[0], ctx, ct_mf_holder, NULL);
	cowrap_co_enter(&t->co[0]);
	CT_CHECK(r, ct_wait_until(READ_ONCE(t->held[0]), 5000), "holder stuck");
	for (i = 1; i < CT_Q_N; i++) {
		cowrap_co_init(&t->co[i], ctx, ct_mf_waiter, (void *)(long)i);
		cowrap_co_enter(&t->co[i]);
		CT_CHECK(r, ct_wait_until(ct_mutex_waiters(&t->m) == i, 5000),
			 "waiter %d not queued", i);
	}
	CT_CHECK(r, atomic_read(&t->woken) == 0, "a waiter got a held mutex");
	cowrap_co_wake(&t->co[0]);
	CT_CHECK(r, ct_wait_until(atomic_read(&t->woken) == CT_Q_N - 1, 5000),
		 "woken=%d", atomic_read(&t->woken));
	CT_CHECK(r, ct_wait_idle(ctx, 5000), "live=%u", ct_live(ctx));
	for (i = 1; i < CT_Q_N; i++) {
		CT_CHECK(r, t->order[i - 1] == i, "owner #%d was waiter %d",
			 i, t->order[i - 1]);
		CT_CHECK(r, t->held[i], "waiter %d not the owner", i);
	}
	CT_CHECK(r, !READ_ONCE(t->m.owner), "mutex still owned");
	ct_note(r, "unlock handed the mutex to %d waiters in arrival order",
		CT_Q_N - 1);
	return 0;
}

int ct_mutex_fifo_handoff(struct ct_result *r)
{
	return ct_q_case(r, ct_mf_run);
}

#define CT_MX_CO	64
#define CT_MX_ITER	1000
#define CT_MX_TOTAL	(CT_MX_CO * CT_MX_ITER)

struct ct_mx {
	struct cowrap_co_mutex m;
	struct cowrap_co co[CT_MX_CO];
	unsigned long counter;
	u8 *seq;
	/* acquisitions by others while a coroutine was queued */
	unsigned int passed[CT_MX_CO];
	unsigned int max_passed;
	atomic_t done, errors;
};

/*
 * Called by the owner: every coroutine now queued on the mutex has been
 * passed once more; the owner's own count ends here.  Peeks at the waiter
 * list (white-box test); passed[] is only touched by mutex owners.
 */
static void ct_mx_account(struct ct_mx *t, int id)
{
	struct cowrap_co *w;

	spin_lock(&t->m.lock);
	list_for_each_entry(w, &t->m.waiters, node)
		t->passed[(long)w->opaque]++;
	spin_unlock(&t->m.lock);
	t->max_passed = max(t->max_passed, t->passed[id]);
	t->passed[id] = 0;
}

static struct ct_mx *ct_mx_cur;

static void coroutine_fn ct_mx_entry(void *opaque)
{
	struct ct_mx *t = ct_mx_cur;
	int id = (long)opaque, i;
	unsigned long v;

	for (i = 0; i < CT_MX_ITER; i++) {
		cowrap_co_mutex_lock(&t->m);
		ct_mx_account(t, id);
		v = READ_ONCE(t->counter);
		if (v < CT_MX_TOTAL)
			t->seq[v] = id;
		/* really park inside the critical section */
		if (cowrap_co_sleep_ns(0))
			atomic_inc(&t->errors);
		WRITE_ONCE(t->counter, v + 1);
		cowrap_co_mutex_unlock(&t->m);
	}
	atomic_inc(&t->done);
}

static int ct_mx_check(struct ct_result *r, struct ct_mx *t, u64 ns)
{
	int count[CT_MX_CO] = { };
	int k, id;

	CT_CHECK(r, t->counter == CT_MX_TOTAL, "counter %lu, expected %d",
		 t->counter, CT_MX_TOTAL);
	CT_CHECK(r, !atomic_read(&t->errors), "%d sleeps failed",
		 atomic_read(&t->errors));
	for (k = 0; k < CT_MX_TOTAL; k++) {
		id = t->seq[k];
		CT_CHECK(r, id < CT_MX_CO, "bad id %d at %d", id, k);
		count[id]++;
	}
	for (id = 0; id < CT_MX_CO; id++)
		CT_CHECK(r, count[id] == CT_MX_ITER, "coroutine %d locked %d times",
			 id, count[id]);
	/* FIFO hand-off: a waiter is passed only by those queued before it */
	CT_CHECK(r, t->max_passed <= CT_MX_CO - 1,
		 "a waiter was passed %u times", t->max_passed);
	ct_note(r, "total %lu exact, %d x %d; a waiter was passed at most %u times (FIFO bound %d); %llu ms",
		t->counter, CT_MX_CO, CT_MX_ITER, t->max_passed, CT_MX_CO - 1,
		ns / NSEC_PER_MSEC);
	return 0;
}

int ct_mutex_exclusion_fairness(struct ct_result *r)
{
	struct cowrap_ctx *ctx;
	struct ct_mx *t;
	u64 t0;
	int i, ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	CT_CHECK(r, t, "no memory");
	t->seq = vzalloc(CT_MX_TOTAL);
	ctx = cowrap_ctx_create("t-mutex", CT_MX_CO);
	if (!t->seq || IS_ERR(ctx)) {
		if (!IS_ERR(ctx))
			cowrap_ctx_destroy(ctx);
		vfree(t->seq);
		kfree(t);
		return ct_fail(r, "setup failed");
	}
	cowrap_co_mutex_init(&t->m);
	ct_mx_cur = t;
	t0 = ktime_get_ns();
	for (i = 0; i < CT_MX_CO; i++) {
		cowrap_co_init(&t->co[i], ctx, ct_mx_entry, (void *)(long)i);
		cowrap_co_enter(&t->co[i]);
	}
	if (!ct_wait_until(atomic_read(&t->done) == CT_MX_CO, 280000))
		ret = ct_fail(r, "only %d coroutines done, counter %lu",
			      atomic_read(&t->done), READ_ONCE(t->counter));
	else
		ret = ct_mx_check(r, t, ktime_get_ns() - t0);
	cowrap_ctx_destroy(ctx);
	vfree(t->seq);
	kfree(t);
	return ret;
}

static const u64 ct_sleep_ns[] = {
	0, 100 * NSEC_PER_USEC, NSEC_PER_MSEC, 5 * NSEC_PER_MSEC,
	20 * NSEC_PER_MSEC, 50 * NSEC_PER_MSEC,
};

#define CT_SLEEP_REPS	3
#define CT_SLEEP_SLACK	(2 * NSEC_PER_SEC)

struct ct_sleep {
	u64 took[ARRAY_SIZE(ct_sleep_ns)][CT_SLEEP_REPS];
	int ret[ARRAY_SIZE(ct_sleep_ns)][CT_SLEEP_REPS];
};

static void coroutine_fn ct_sleep_entry(void *opaque)
{
	struct ct_sleep *s = opaque;
	size_t i, j;
	u64 t0;

	for (i = 0; i < ARRAY_SIZE(ct_sleep_ns); i++) {
		for (j = 0; j < CT_SLEEP_REPS; j++) {
			t0 = ktime_get_ns();
			s->ret[i][j] = cowrap_co_sleep_ns(ct_sleep_ns[i]);
			s->took[i][j] = ktime_get_ns() - t0;
		}
	}
}

static int ct_sleep_check(struct ct_result *r, struct ct_sleep *s)
{
	u64 worst = 0, over;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(ct_sleep_ns); i++) {
		for (j = 0; j < CT_SLEEP_REPS; j++) {
			CT_CHECK(r, s->ret[i][j] == 0, "sleep %llu returned %d",
				 ct_sleep_ns[i], s->ret[i][j]);
			CT_CHECK(r, s->took[i][j] >= ct_sleep_ns[i],
				 "sleep %llu ns returned after %llu ns (early)",
				 ct_sleep_ns[i], s->took[i][j]);
			over = s->took[i][j] - ct_sleep_ns[i];
			CT_CHECK(r, over <= CT_SLEEP_SLACK,
				 "sleep %llu ns took %llu ns", ct_sleep_ns[i],
				 s->took[i][j]);
			worst = max(worst, over);
		}
	}
	ct_note(r, "never early; worst overshoot %llu us (bound %llu us)",
		worst / NSEC_PER_USEC, (u64)(CT_SLEEP_SLACK / NSEC_PER_USEC));
	return 0;
}

int ct_sleep_accuracy(struct ct_result *r)
{
	struct ct_sleep *s = kzalloc(sizeof(*s), GFP_KERNEL);
	struct cowrap_poll_co p;
	int ret;

	CT_CHECK(r, s, "no memory");
	ret = cowrap_poll_co(&p, NULL, ct_sleep_entry, s);
	if (ret)
		ret = ct_fail(r, "poll_co: %d", ret);
	else
		ret = ct_sleep_check(r, s);
	kfree(s);
	return ret;
}
