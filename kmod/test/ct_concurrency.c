// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap_test: the concurrency target of a context (max_running) and the
 * stall timer that keeps it from deadlocking.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/slab.h>

#include "cowrap_test.h"

#define CT_CONC_N	8
#define CT_CONC_TRIES	3
#define CT_PARK_N	4

struct ct_conc {
	struct cowrap_co co[CT_CONC_N];
	atomic_t cur, max, done, order_bad;
	atomic_t next;		/* index expected to start next */
};

/* Busy for a while without parking; records how many run at once. */
static void coroutine_fn ct_conc_entry(void *opaque)
{
	struct cowrap_co *self = cowrap_co_self();
	struct ct_conc *c = opaque;
	int idx = self - c->co;
	int now = atomic_inc_return(&c->cur);
	int max = atomic_read(&c->max);

	while (now > max && atomic_cmpxchg(&c->max, max, now) != max)
		max = atomic_read(&c->max);
	if (atomic_xchg(&c->next, idx + 1) != idx)
		atomic_inc(&c->order_bad);
	udelay(200);
	atomic_dec(&c->cur);
	atomic_inc(&c->done);
}

/* One round; 1 if a stall let coroutines past the target, else 0/-err. */
static int ct_conc_round(struct ct_result *r, struct cowrap_ctx *ctx,
			 struct ct_conc *c)
{
	struct cowrap_ctx_stats before, st;
	int i;

	memset(c, 0, sizeof(*c));
	cowrap_ctx_get_stats(ctx, &before);
	for (i = 0; i < CT_CONC_N; i++) {
		cowrap_co_init(&c->co[i], ctx, ct_conc_entry, c);
		cowrap_co_enter(&c->co[i]);
	}
	CT_CHECK(r, ct_wait_idle(ctx, 10000), "live=%u", ct_live(ctx));
	cowrap_ctx_get_stats(ctx, &st);
	CT_CHECK(r, atomic_read(&c->done) == CT_CONC_N, "done=%d",
		 atomic_read(&c->done));
	CT_CHECK(r, st.nr_running == 0 && st.nr_queued == 0,
		 "running=%u queued=%u", st.nr_running, st.nr_queued);
	if (st.nr_stalls != before.nr_stalls)
		return 1;
	CT_CHECK(r, atomic_read(&c->max) == 1, "%d ran at once, target 1",
		 atomic_read(&c->max));
	CT_CHECK(r, !atomic_read(&c->order_bad), "%d started out of order",
		 atomic_read(&c->order_bad));
	return 0;
}

int ct_concurrency_limit(struct ct_result *r)
{
	struct cowrap_ctx *ctx = cowrap_ctx_create_reserved("t-conc",
							    CT_CONC_N,
							    CT_CONC_N);
	struct cowrap_ctx_stats st;
	struct ct_conc *c;
	int i, ret = 1;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	cowrap_ctx_get_stats(ctx, &st);
	if (st.max_running != min_t(unsigned int, CT_CONC_N, num_online_cpus()))
		ret = ct_fail(r, "default max_running %u", st.max_running);
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		ret = ct_fail(r, "no memory");
	cowrap_ctx_set_max_running(ctx, 0);	/* clamped to 1 */
	/* a host hiccup of a whole stall period voids a round: retry */
	for (i = 0; i < CT_CONC_TRIES && ret == 1; i++)
		ret = ct_conc_round(r, ctx, c);
	if (ret == 1)
		ret = ct_fail(r, "a stall in each of %d rounds", CT_CONC_TRIES);
	/* waits for coroutines a failed round left behind: they use @c */
	cowrap_ctx_destroy(ctx);
	kfree(c);
	if (!ret)
		ct_note(r, "%d busy coroutines ran one at a time in FIFO order (target 1; %d round(s))",
			CT_CONC_N, i);
	return ret;
}

struct ct_park {
	struct cowrap_co co[CT_PARK_N];
	atomic_t parked, woken;
};

static void coroutine_fn ct_park_entry(void *opaque)
{
	struct ct_park *p = opaque;

	atomic_inc(&p->parked);
	if (!cowrap_co_yield())
		atomic_inc(&p->woken);
}

/* Parked coroutines do not count: all of them start with a target of 1. */
int ct_concurrency_parked(struct ct_result *r)
{
	struct cowrap_ctx *ctx = cowrap_ctx_create_reserved("t-cpark",
							    CT_PARK_N,
							    CT_PARK_N);
	struct cowrap_ctx_stats st;
	struct ct_park *p;
	int i, ret = 0;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		cowrap_ctx_destroy(ctx);
		return ct_fail(r, "no memory");
	}
	cowrap_ctx_set_max_running(ctx, 1);
	for (i = 0; i < CT_PARK_N; i++) {
		cowrap_co_init(&p->co[i], ctx, ct_park_entry, p);
		cowrap_co_enter(&p->co[i]);
	}
	if (!ct_wait_until(atomic_read(&p->parked) == CT_PARK_N, 10000))
		ret = ct_fail(r, "only %d of %d started", atomic_read(&p->parked),
			      CT_PARK_N);
	/* the last one marks itself parked just before its worker sleeps */
	if (!ret && !ct_wait_until((cowrap_ctx_get_stats(ctx, &st),
				    !st.nr_running), 10000))
		ret = ct_fail(r, "running=%u with every coroutine parked",
			      st.nr_running);
	for (i = 0; i < CT_PARK_N; i++)
		cowrap_co_wake(&p->co[i]);
	if (!ct_wait_idle(ctx, 10000) && !ret)
		ret = ct_fail(r, "live=%u after the wakes", ct_live(ctx));
	if (!ret && atomic_read(&p->woken) != CT_PARK_N)
		ret = ct_fail(r, "woken=%d", atomic_read(&p->woken));
	cowrap_ctx_destroy(ctx);
	kfree(p);
	if (!ret)
		ct_note(r, "%d coroutines parked at once with max_running 1",
			CT_PARK_N);
	return ret;
}

struct ct_stall {
	struct cowrap_co a, b;
	struct completion c;
	long left;		/* jiffies A had left when B completed it */
};

/* A blocks outside the layer until B, queued behind it, runs. */
static void coroutine_fn ct_stall_a(void *opaque)
{
	struct ct_stall *s = opaque;

	s->left = wait_for_completion_timeout(&s->c, 10 * HZ);
}

static void coroutine_fn ct_stall_b(void *opaque)
{
	struct ct_stall *s = opaque;

	complete(&s->c);
}

int ct_concurrency_stall(struct ct_result *r)
{
	struct cowrap_ctx *ctx = cowrap_ctx_create_reserved("t-stall", 2, 2);
	struct cowrap_ctx_stats st;
	struct ct_stall *s;
	u64 t0, ms;
	int ret = 0;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		cowrap_ctx_destroy(ctx);
		return ct_fail(r, "no memory");
	}
	init_completion(&s->c);
	cowrap_ctx_set_max_running(ctx, 1);
	cowrap_co_init(&s->a, ctx, ct_stall_a, s);
	cowrap_co_init(&s->b, ctx, ct_stall_b, s);
	t0 = ktime_get_ns();
	cowrap_co_enter(&s->a);
	cowrap_co_enter(&s->b);
	if (!ct_wait_idle(ctx, 20000))
		ret = ct_fail(r, "live=%u: the stall was not broken",
			      ct_live(ctx));
	ms = (ktime_get_ns() - t0) / NSEC_PER_MSEC;
	cowrap_ctx_get_stats(ctx, &st);
	if (!ret && !s->left)
		ret = ct_fail(r, "A timed out waiting for B");
	if (!ret && st.nr_stalls < 1)
		ret = ct_fail(r, "nr_stalls=%llu", st.nr_stalls);
	cowrap_ctx_destroy(ctx);
	kfree(s);
	if (!ret)
		ct_note(r, "B started past the target after a stall; A done in %llu ms (stall period %d ms)",
			ms, COWRAP_CTX_STALL_MS);
	return ret;
}
