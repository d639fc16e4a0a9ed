// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap_test: cost of the coroutine operations next to the floor of a
 * thread-handoff design, a complete()/wait_for_completion() ping-pong
 * between two kthreads.  Each figure is the best of CT_BENCH_REPS runs of
 * CT_BENCH_N iterations, in ns per iteration.
 */
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "cowrap_test.h"

#define CT_BENCH_N	5000
#define CT_BENCH_REPS	3

struct ct_pp {
	struct completion ping, pong;
	int n;
};

static int ct_pp_thread(void *data)
{
	struct ct_pp *pp = data;
	int i;

	for (i = 0; i < pp->n; i++) {
		wait_for_completion(&pp->ping);
		complete(&pp->pong);
	}
	for (;;) {
		set_current_state(TASK_IDLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Round trip = two handoffs: this thread -> peer -> this thread. */
static s64 ct_bench_pingpong_once(void)
{
	struct ct_pp pp;
	struct task_struct *t;
	u64 t0, t1;
	int i;

	init_completion(&pp.ping);
	init_completion(&pp.pong);
	pp.n = CT_BENCH_N;
	t = kthread_run(ct_pp_thread, &pp, "cowrap-bench");
	if (IS_ERR(t))
		return PTR_ERR(t);
	get_task_struct(t);
	t0 = ktime_get_ns();
	for (i = 0; i < CT_BENCH_N; i++) {
		complete(&pp.ping);
		wait_for_completion(&pp.pong);
	}
	t1 = ktime_get_ns();
	kthread_stop(t);
	put_task_struct(t);
	return (t1 - t0) / CT_BENCH_N;
}

struct ct_cpp {
	struct cowrap_co a, b;
	u64 t0, t1;
	int errors;
	atomic_t done;
};

static void coroutine_fn ct_cpp_a(void *opaque)
{
	struct ct_cpp *c = opaque;
	int i;

	c->t0 = ktime_get_ns();
	for (i = 0; i < CT_BENCH_N; i++) {
		cowrap_co_wake(&c->b);
		if (cowrap_co_yield())
			c->errors++;
	}
	c->t1 = ktime_get_ns();
	atomic_inc(&c->done);
}

static void coroutine_fn ct_cpp_b(void *opaque)
{
	struct ct_cpp *c = opaque;
	int i;

	for (i = 0; i < CT_BENCH_N; i++) {
		if (cowrap_co_yield())
			c->errors++;
		cowrap_co_wake(&c->a);
	}
	atomic_inc(&c->done);
}

/* Round trip = two handoffs between two coroutines via wake/yield. */
static s64 ct_bench_co_pingpong_once(struct cowrap_ctx *ctx)
{
	struct ct_cpp *c = kzalloc(sizeof(*c), GFP_KERNEL);
	s64 ns = -EIO;

	if (!c)
		return -ENOMEM;
	cowrap_co_init(&c->b, ctx, ct_cpp_b, c);
	cowrap_co_init(&c->a, ctx, ct_cpp_a, c);
	cowrap_co_enter(&c->b);
	cowrap_co_enter(&c->a);
	if (ct_wait_until(atomic_read(&c->done) == 2, 120000) && !c->errors)
		ns = (c->t1 - c->t0) / CT_BENCH_N;
	ct_wait_idle(ctx, 10000);
	kfree(c);
	return ns;
}

struct ct_rt {
	struct cowrap_co co;
	struct completion ready, done;
	int errors;
};

static void coroutine_fn ct_rt_entry(void *opaque)
{
	struct ct_rt *rt = opaque;

	complete(&rt->ready);
	if (cowrap_co_yield())
		rt->errors++;
	complete(&rt->done);
}

/* enter -> (coroutine) yield -> wake -> finish, driven from a thread. */
static s64 ct_bench_roundtrip_once(struct cowrap_ctx *ctx)
{
	struct ct_rt rt;
	u64 t0, t1;
	int i;

	init_completion(&rt.ready);
	init_completion(&rt.done);
	rt.errors = 0;
	t0 = ktime_get_ns();
	for (i = 0; i < CT_BENCH_N; i++) {
		cowrap_co_init(&rt.co, ctx, ct_rt_entry, &rt);
		cowrap_co_enter(&rt.co);
		wait_for_completion(&rt.ready);
		cowrap_co_wake(&rt.co);
		wait_for_completion(&rt.done);
	}
	t1 = ktime_get_ns();
	ct_wait_idle(ctx, 10000);
	return rt.errors ? -EIO : (s64)((t1 - t0) / CT_BENCH_N);
}

static void coroutine_fn ct_cr_entry(void *opaque)
{
	complete(opaque);
}

/* cowrap_co_create -> enter -> run -> freed, driven from a thread. */
static s64 ct_bench_create_once(struct cowrap_ctx *ctx)
{
	struct completion done;
	struct cowrap_co *co;
	u64 t0, t1;
	int i;

	init_completion(&done);
	t0 = ktime_get_ns();
	for (i = 0; i < CT_BENCH_N; i++) {
		co = cowrap_co_create(ctx, ct_cr_entry, &done, GFP_KERNEL);
		if (!co)
			return -ENOMEM;
		cowrap_co_enter(co);
		wait_for_completion(&done);
	}
	t1 = ktime_get_ns();
	ct_wait_idle(ctx, 10000);
	return (t1 - t0) / CT_BENCH_N;
}

/* Keep the best time; an error (negative) sticks. */
static s64 ct_best(s64 a, s64 b)
{
	return min(a, b);
}

int ct_bench(struct ct_result *r)
{
	struct cowrap_ctx *ctx = cowrap_ctx_create_reserved("t-bench", 2, 2);
	s64 pp = S64_MAX, cpp = S64_MAX, rt = S64_MAX, cr = S64_MAX;
	int i;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	for (i = 0; i < CT_BENCH_REPS; i++) {
		pp = ct_best(pp, ct_bench_pingpong_once());
		cpp = ct_best(cpp, ct_bench_co_pingpong_once(ctx));
		rt = ct_best(rt, ct_bench_roundtrip_once(ctx));
		cr = ct_best(cr, ct_bench_create_once(ctx));
	}
	cowrap_ctx_destroy(ctx);
	CT_CHECK(r, pp > 0 && cpp > 0 && rt > 0 && cr > 0,
		 "a benchmark failed: %lld %lld %lld %lld", pp, cpp, rt, cr);
	ct_note(r, "n=%d reps=%d kthread_pingpong_ns=%lld co_pingpong_ns=%lld enter_yield_wake_finish_ns=%lld create_run_free_ns=%lld",
		CT_BENCH_N, CT_BENCH_REPS, pp, cpp, rt, cr);
	return 0;
}
