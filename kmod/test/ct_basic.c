// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap_test: lifecycle, nested enter and yield/wake ordering.
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "cowrap_test.h"

#define CT_LIFE_N	200
#define CT_REUSE_SLOTS	8
#define CT_REUSE_ROUNDS	50

struct ct_life {
	atomic_t ran;
	atomic_t in_co;
};

static void coroutine_fn ct_life_entry(void *opaque)
{
	struct ct_life *l = opaque;

	if (cowrap_in_coroutine())
		atomic_inc(&l->in_co);
	atomic_inc(&l->ran);
}

static int ct_lifecycle_run(struct ct_result *r, struct cowrap_ctx *ctx,
			    struct ct_life *l)
{
	struct cowrap_ctx_stats st;
	struct cowrap_co *co;
	int i;

	for (i = 0; i < CT_LIFE_N; i++) {
		co = cowrap_co_create(ctx, ct_life_entry, l, GFP_KERNEL);
		CT_CHECK(r, co, "allocation %d failed", i);
		cowrap_co_enter(co);
	}
	CT_CHECK(r, ct_wait_idle(ctx, 20000), "live=%u", ct_live(ctx));
	cowrap_ctx_get_stats(ctx, &st);
	CT_CHECK(r, atomic_read(&l->ran) == CT_LIFE_N, "ran=%d",
		 atomic_read(&l->ran));
	CT_CHECK(r, atomic_read(&l->in_co) == CT_LIFE_N, "in_co=%d",
		 atomic_read(&l->in_co));
	CT_CHECK(r, st.nr_allocated == 0, "%u allocated coroutines leaked",
		 st.nr_allocated);
	CT_CHECK(r, st.nr_finished == CT_LIFE_N, "finished=%llu",
		 st.nr_finished);
	CT_CHECK(r, st.nr_queued == 0, "queued=%u", st.nr_queued);
	CT_CHECK(r, st.nr_workers <= 16 && st.nr_workers >= 1,
		 "workers=%u", st.nr_workers);
	CT_CHECK(r, st.nr_idle == st.nr_workers, "idle=%u workers=%u",
		 st.nr_idle, st.nr_workers);
	ct_note(r, "%d coroutines created, run and freed on %u workers",
		CT_LIFE_N, st.nr_workers);
	return 0;
}

int ct_lifecycle(struct ct_result *r)
{
	struct cowrap_ctx *ctx = cowrap_ctx_create("t-life", 16);
	struct ct_life l = { ATOMIC_INIT(0), ATOMIC_INIT(0) };
	int ret;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	ret = ct_lifecycle_run(r, ctx, &l);
	cowrap_ctx_destroy(ctx);
	return ret;
}

struct ct_reuse {
	struct cowrap_co co[CT_REUSE_SLOTS];
	atomic_t ran[CT_REUSE_SLOTS];
	atomic_t done;
};

struct ct_reuse_arg {
	struct ct_reuse *ru;
	int slot;
};

static struct ct_reuse_arg ct_reuse_args[CT_REUSE_SLOTS];

static void coroutine_fn ct_reuse_entry(void *opaque)
{
	struct ct_reuse_arg *a = opaque;

	atomic_inc(&a->ru->ran[a->slot]);
	/* last action: the owner may re-initialise the slot after this */
	atomic_inc(&a->ru->done);
}

static int ct_embedded_run(struct ct_result *r, struct cowrap_ctx *ctx,
			   struct ct_reuse *ru)
{
	int round, i;

	for (round = 0; round < CT_REUSE_ROUNDS; round++) {
		for (i = 0; i < CT_REUSE_SLOTS; i++) {
			cowrap_co_init(&ru->co[i], ctx, ct_reuse_entry,
				       &ct_reuse_args[i]);
			cowrap_co_enter(&ru->co[i]);
		}
		CT_CHECK(r, ct_wait_until(atomic_read(&ru->done) ==
					  (round + 1) * CT_REUSE_SLOTS, 10000),
			 "round %d done=%d", round, atomic_read(&ru->done));
	}
	for (i = 0; i < CT_REUSE_SLOTS; i++)
		CT_CHECK(r, atomic_read(&ru->ran[i]) == CT_REUSE_ROUNDS,
			 "slot %d ran %d times", i, atomic_read(&ru->ran[i]));
	CT_CHECK(r, ct_wait_idle(ctx, 10000), "live=%u", ct_live(ctx));
	ct_note(r, "%d embedded coroutines re-initialised and run %d times",
		CT_REUSE_SLOTS, CT_REUSE_ROUNDS);
	return 0;
}

int ct_embedded_reuse(struct ct_result *r)
{
	struct cowrap_ctx *ctx;
	struct ct_reuse *ru;
	int i, ret;

	ru = kzalloc(sizeof(*ru), GFP_KERNEL);
	CT_CHECK(r, ru, "no memory");
	for (i = 0; i < CT_REUSE_SLOTS; i++) {
		ct_reuse_args[i].ru = ru;
		ct_reuse_args[i].slot = i;
	}
	ctx = cowrap_ctx_create("t-reuse", CT_REUSE_SLOTS);
	if (IS_ERR(ctx)) {
		kfree(ru);
		return ct_fail(r, "ctx create: %ld", PTR_ERR(ctx));
	}
	ret = ct_embedded_run(r, ctx, ru);
	cowrap_ctx_destroy(ctx);
	kfree(ru);
	return ret;
}

struct ct_nest {
	struct cowrap_co a, b;
	struct task_struct *a_task, *a_task_after, *b_task;
	struct cowrap_co *a_self, *b_self;
	bool b_in_co, b_done, a_saw_b_done, a_enter_returned;
	int a_yield;
	atomic_t finished;
};

static void coroutine_fn ct_nest_b(void *opaque)
{
	struct ct_nest *n = opaque;

	n->b_task = current;
	n->b_self = cowrap_co_self();
	n->b_in_co = cowrap_in_coroutine();
	WRITE_ONCE(n->b_done, true);
	cowrap_co_wake(&n->a);
	atomic_inc(&n->finished);
}

static void coroutine_fn ct_nest_a(void *opaque)
{
	struct ct_nest *n = opaque;

	n->a_task = current;
	n->a_self = cowrap_co_self();
	cowrap_co_init(&n->b, NULL, ct_nest_b, n);
	cowrap_co_enter(&n->b);
	n->a_enter_returned = true;
	n->a_yield = cowrap_co_yield();
	n->a_saw_b_done = READ_ONCE(n->b_done);
	n->a_task_after = current;
	atomic_inc(&n->finished);
}

int ct_nested_enter(struct ct_result *r)
{
	struct ct_nest *n = kzalloc(sizeof(*n), GFP_KERNEL);
	struct cowrap_ctx *ctx;
	int ret = 0;

	CT_CHECK(r, n, "no memory");
	ctx = cowrap_ctx_create("t-nest", 4);
	if (IS_ERR(ctx)) {
		kfree(n);
		return ct_fail(r, "ctx create: %ld", PTR_ERR(ctx));
	}
	cowrap_co_init(&n->a, ctx, ct_nest_a, n);
	cowrap_co_enter(&n->a);
	if (!ct_wait_until(atomic_read(&n->finished) == 2, 10000))
		ret = ct_fail(r, "coroutines did not finish (%d)",
			      atomic_read(&n->finished));
	else if (!ct_wait_idle(ctx, 5000))
		ret = ct_fail(r, "live=%u", ct_live(ctx));
	cowrap_ctx_destroy(ctx);
	if (ret)
		goto out;
	ret = -EINVAL;
	if (!n->a_enter_returned || n->a_yield || !n->a_saw_b_done)
		ct_fail(r, "A: enter_returned=%d yield=%d saw_b_done=%d",
			n->a_enter_returned, n->a_yield, n->a_saw_b_done);
	else if (n->a_self != &n->a || n->b_self != &n->b || !n->b_in_co)
		ct_fail(r, "self: a=%d b=%d b_in_co=%d", n->a_self == &n->a,
			n->b_self == &n->b, n->b_in_co);
	else if (n->a_task == n->b_task || n->a_task != n->a_task_after)
		ct_fail(r, "B ran on A's worker, or A changed worker");
	else
		ret = 0;
	if (!ret)
		ct_note(r, "nested enter queued B on another worker (default ctx), B woke A");
out:
	kfree(n);
	return ret;
}

struct ct_order {
	struct cowrap_co co;
	int step;
	int ret1, ret2;
};

static void coroutine_fn ct_order_entry(void *opaque)
{
	struct ct_order *o = opaque;

	WRITE_ONCE(o->step, 1);
	o->ret1 = cowrap_co_yield();
	WRITE_ONCE(o->step, 2);
	o->ret2 = cowrap_co_yield();
	WRITE_ONCE(o->step, 3);
}

static int ct_order_run(struct ct_result *r, struct cowrap_ctx *ctx,
			struct ct_order *o)
{
	cowrap_co_init(&o->co, ctx, ct_order_entry, o);
	cowrap_co_enter(&o->co);
	CT_CHECK(r, ct_wait_until(READ_ONCE(o->step) == 1, 5000), "step=%d",
		 o->step);
	msleep(30);
	CT_CHECK(r, READ_ONCE(o->step) == 1, "ran past yield without wake");
	cowrap_co_wake(&o->co);
	CT_CHECK(r, ct_wait_until(READ_ONCE(o->step) == 2, 5000), "step=%d",
		 o->step);
	msleep(30);
	CT_CHECK(r, READ_ONCE(o->step) == 2, "ran past 2nd yield without wake");
	cowrap_co_wake(&o->co);
	CT_CHECK(r, ct_wait_idle(ctx, 5000), "live=%u", ct_live(ctx));
	CT_CHECK(r, o->step == 3 && !o->ret1 && !o->ret2,
		 "step=%d ret1=%d ret2=%d", o->step, o->ret1, o->ret2);
	ct_note(r, "each yield parked until its wake, in order");
	return 0;
}

int ct_yield_wake_order(struct ct_result *r)
{
	struct cowrap_ctx *ctx = cowrap_ctx_create("t-order", 2);
	struct ct_order *o;
	int ret;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o) {
		cowrap_ctx_destroy(ctx);
		return ct_fail(r, "no memory");
	}
	ret = ct_order_run(r, ctx, o);
	cowrap_ctx_destroy(ctx);
	kfree(o);
	return ret;
}

struct ct_wby {
	struct cowrap_co co;
	int step;
	int ret1, ret2;
};

/* Two wakes before the first yield: one is kept, the second is merged. */
static void coroutine_fn ct_wby_entry(void *opaque)
{
	struct ct_wby *w = opaque;

	cowrap_co_wake(cowrap_co_self());
	cowrap_co_wake(cowrap_co_self());
	w->ret1 = cowrap_co_yield();
	WRITE_ONCE(w->step, 1);
	w->ret2 = cowrap_co_yield();
	WRITE_ONCE(w->step, 2);
}

static int ct_wby_run(struct ct_result *r, struct cowrap_ctx *ctx,
		      struct ct_wby *w)
{
	cowrap_co_init(&w->co, ctx, ct_wby_entry, w);
	cowrap_co_enter(&w->co);
	CT_CHECK(r, ct_wait_until(READ_ONCE(w->step) == 1, 5000),
		 "first yield lost the earlier wake (step=%d)", w->step);
	msleep(30);
	CT_CHECK(r, READ_ONCE(w->step) == 1,
		 "second yield did not park: more than one wake was kept");
	cowrap_co_wake(&w->co);
	CT_CHECK(r, ct_wait_idle(ctx, 5000), "live=%u", ct_live(ctx));
	CT_CHECK(r, w->step == 2 && !w->ret1 && !w->ret2,
		 "step=%d ret1=%d ret2=%d", w->step, w->ret1, w->ret2);
	ct_note(r, "a wake before the yield is kept, two wakes merge into one");
	return 0;
}

int ct_wake_before_yield(struct ct_result *r)
{
	struct cowrap_ctx *ctx = cowrap_ctx_create("t-wby", 2);
	struct ct_wby *w;
	int ret;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w) {
		cowrap_ctx_destroy(ctx);
		return ct_fail(r, "no memory");
	}
	ret = ct_wby_run(r, ctx, w);
	cowrap_ctx_destroy(ctx);
	kfree(w);
	return ret;
}

#define CT_WBE_N	64

struct ct_wbe {
	struct cowrap_co co[CT_WBE_N];
	int ret[CT_WBE_N];
	atomic_t done;
};

static struct ct_wbe *ct_wbe_cur;

static void coroutine_fn ct_wbe_entry(void *opaque)
{
	int i = (long)opaque;

	ct_wbe_cur->ret[i] = cowrap_co_yield();
	atomic_inc(&ct_wbe_cur->done);
}
/* started through a helper or a pointer in this file */
cowrap_co_addr_ok(ct_wbe_entry);

/* A wake given before the coroutine is even entered is kept too. */
int ct_wake_before_enter(struct ct_result *r)
{
	struct cowrap_ctx *ctx = cowrap_ctx_create("t-wbe", 8);
	struct ct_wbe *w;
	int i, ret = 0;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w) {
		cowrap_ctx_destroy(ctx);
		return ct_fail(r, "no memory");
	}
	ct_wbe_cur = w;
	for (i = 0; i < CT_WBE_N; i++) {
		w->ret[i] = -1;
		cowrap_co_init(&w->co[i], ctx, ct_wbe_entry, (void *)(long)i);
		cowrap_co_wake(&w->co[i]);
		cowrap_co_enter(&w->co[i]);
	}
	if (!ct_wait_until(atomic_read(&w->done) == CT_WBE_N, 10000))
		ret = ct_fail(r, "only %d of %d finished: wake lost",
			      atomic_read(&w->done), CT_WBE_N);
	for (i = 0; !ret && i < CT_WBE_N; i++)
		if (w->ret[i])
			ret = ct_fail(r, "yield %d returned %d", i, w->ret[i]);
	/* cancels any coroutine left parked by a lost wake */
	cowrap_ctx_destroy(ctx);
	kfree(w);
	if (!ret)
		ct_note(r, "%d coroutines woken before enter finished without another wake",
			CT_WBE_N);
	return ret;
}
