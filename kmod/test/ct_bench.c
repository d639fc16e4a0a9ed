// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap_test: cost of the coroutine operations next to the floor of a
 * thread-handoff design, a complete()/wait_for_completion() ping-pong
 * between two kthreads, and of an inline enter -> finish next to a plain
 * indirect call (those two in picoseconds per iteration).  Each figure is the median of CT_BENCH_REPS runs
 * of CT_BENCH_N iterations, in ns per iteration; the runs of the
 * different measurements are interleaved so that a slow phase of a shared
 * (TCG) host affects all of them alike.
 */
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "cowrap_test.h"

#define CT_BENCH_N	2000
#define CT_BENCH_REPS	7
#define CT_BENCH_ROWS	7
/* The inline rows cost tens of ns: more iterations for the clock. */
#define CT_BENCH_FAST_N	(20 * CT_BENCH_N)

struct ct_pp {
	struct completion ping, pong, done;
	u64 t0, t1;
	int n;
};

/* Wait for kthread_stop() once the loop is over. */
static void ct_pp_idle(void)
{
	for (;;) {
		set_current_state(TASK_IDLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

/* Driving kthread: ping, wait for the pong, n times; timed. */
static int ct_pp_driver(void *data)
{
	struct ct_pp *pp = data;
	int i;

	pp->t0 = ktime_get_ns();
	for (i = 0; i < pp->n; i++) {
		complete(&pp->ping);
		wait_for_completion(&pp->pong);
	}
	pp->t1 = ktime_get_ns();
	complete(&pp->done);
	ct_pp_idle();
	return 0;
}

/* Answering kthread: wait for a ping, pong, n times. */
static int ct_pp_peer(void *data)
{
	struct ct_pp *pp = data;
	int i;

	for (i = 0; i < pp->n; i++) {
		wait_for_completion(&pp->ping);
		complete(&pp->pong);
	}
	ct_pp_idle();
	return 0;
}

/*
 * Round trip = two handoffs between two kthreads: driver -> peer -> driver.
 * Without @bind the scheduler places them, as it places the layer's
 * workers (the floor); with @bind both are bound to one CPU, so each
 * handoff is a bare wake-up and context switch with no cross-CPU wake-up.
 */
static s64 ct_bench_pingpong_once(bool bind)
{
	unsigned int cpu = raw_smp_processor_id();
	struct task_struct *t[2];
	struct ct_pp pp;
	int i;

	init_completion(&pp.ping);
	init_completion(&pp.pong);
	init_completion(&pp.done);
	pp.n = CT_BENCH_N;
	t[0] = kthread_create(ct_pp_peer, &pp, "cowrap-bench-p");
	if (IS_ERR(t[0]))
		return PTR_ERR(t[0]);
	t[1] = kthread_create(ct_pp_driver, &pp, "cowrap-bench-d");
	if (IS_ERR(t[1])) {
		/* never woken: stopping it does not run its function */
		kthread_stop(t[0]);
		return PTR_ERR(t[1]);
	}
	for (i = 0; i < 2; i++) {
		if (bind)
			kthread_bind(t[i], cpu);
		get_task_struct(t[i]);
		wake_up_process(t[i]);
	}
	wait_for_completion(&pp.done);
	for (i = 0; i < 2; i++) {
		kthread_stop(t[i]);
		put_task_struct(t[i]);
	}
	return (pp.t1 - pp.t0) / CT_BENCH_N;
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
	/* both on workers of this CPU: the same-CPU round trip */
	get_cpu();
	cowrap_co_enter(&c->b);
	cowrap_co_enter(&c->a);
	put_cpu();
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

/* Median of @n results; any error (negative) wins. */
static s64 ct_median(s64 *v, int n)
{
	int i, j;
	s64 x;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return v[0] < 0 ? v[0] : v[n / 2];
}

static int coroutine_fn ct_in_body(void *opaque)
{
	return 0;
}

static void ct_in_done(void *opaque, int ret)
{
	(*(unsigned int *)opaque)++;
}

/* init + enter of a restartable coroutine that finishes inline. */
static s64 ct_bench_inline_once(struct cowrap_ctx *ctx)
{
	struct cowrap_co co;
	unsigned int done = 0;
	u64 t0, t1;
	int i;

	t0 = ktime_get_ns();
	for (i = 0; i < CT_BENCH_FAST_N; i++) {
		cowrap_co_init_restartable(&co, ctx, ct_in_body, ct_in_done,
					   &done);
		cowrap_co_enter(&co);
	}
	t1 = ktime_get_ns();
	return done == CT_BENCH_FAST_N ?
	       (s64)((t1 - t0) * 1000 / CT_BENCH_FAST_N) : -EIO;
}

static noinline void ct_plain_fn(void *opaque)
{
	(*(unsigned int *)opaque)++;
}

/* The same number of calls through a function pointer the compiler
 * cannot see through. */
static s64 ct_bench_call_once(void)
{
	void (*volatile fn)(void *opaque) = ct_plain_fn;
	unsigned int done = 0;
	u64 t0, t1;
	int i;

	t0 = ktime_get_ns();
	for (i = 0; i < CT_BENCH_FAST_N; i++)
		fn(&done);
	t1 = ktime_get_ns();
	return done == CT_BENCH_FAST_N ?
	       (s64)((t1 - t0) * 1000 / CT_BENCH_FAST_N) : -EIO;
}

int ct_bench(struct ct_result *r)
{
	/* room for the ping-pong's two coroutines on the entering CPU */
	struct cowrap_ctx *ctx = cowrap_ctx_create_reserved("t-bench", 4, 2);
	s64 (*v)[CT_BENCH_REPS];
	s64 m[CT_BENCH_ROWS];
	int i;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	v = kcalloc(CT_BENCH_ROWS, sizeof(*v), GFP_KERNEL);
	if (!v) {
		cowrap_ctx_destroy(ctx);
		return ct_fail(r, "no memory");
	}
	for (i = 0; i < CT_BENCH_REPS; i++) {
		v[0][i] = ct_bench_pingpong_once(false);
		v[1][i] = ct_bench_co_pingpong_once(ctx);
		v[2][i] = ct_bench_roundtrip_once(ctx);
		v[3][i] = ct_bench_create_once(ctx);
		v[4][i] = ct_bench_pingpong_once(true);
		v[5][i] = ct_bench_inline_once(ctx);
		v[6][i] = ct_bench_call_once();
	}
	cowrap_ctx_destroy(ctx);
	for (i = 0; i < CT_BENCH_ROWS; i++)
		m[i] = ct_median(v[i], CT_BENCH_REPS);
	kfree(v);
	for (i = 0; i < CT_BENCH_ROWS; i++)
		CT_CHECK(r, m[i] > 0, "benchmark row %d failed: %lld", i, m[i]);
	ct_note(r, "n=%d reps=%d median kthread_pingpong_ns=%lld co_pingpong_ns=%lld enter_yield_wake_finish_ns=%lld create_run_free_ns=%lld kthread_pingpong_one_cpu_ns=%lld inline_enter_finish_ps=%lld indirect_call_ps=%lld",
		CT_BENCH_N, CT_BENCH_REPS, m[0], m[1], m[2], m[3], m[4], m[5],
		m[6]);
	return 0;
}
