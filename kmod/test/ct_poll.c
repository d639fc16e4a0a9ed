// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap_test: cowrap_poll_co(), cowrap_co_call_noco() and the refusal of
 * calls from the wrong context.  The wrong-context cases trigger exactly
 * one WARN each per boot; userspace brackets them with the
 * expect-warning markers and counts the WARN lines.
 */
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "cowrap_test.h"

struct ct_pc {
	struct cowrap_ctx *ctx_seen;
	bool in_co;
	int sleep_ret;
	int result;
};

static void coroutine_fn ct_pc_entry(void *opaque)
{
	struct ct_pc *c = opaque;

	c->in_co = cowrap_in_coroutine();
	c->ctx_seen = cowrap_co_self()->ctx;
	c->sleep_ret = cowrap_co_sleep_ns(10 * NSEC_PER_MSEC);
	WRITE_ONCE(c->result, 42);
}

int ct_poll_co(struct ct_result *r)
{
	struct cowrap_ctx *ctx = cowrap_ctx_create("t-poll", 2);
	struct cowrap_poll_co p;
	struct ct_pc c = { };
	u64 t0, took;
	int ret;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	t0 = ktime_get_ns();
	ret = cowrap_poll_co(&p, ctx, ct_pc_entry, &c);
	took = ktime_get_ns() - t0;
	cowrap_ctx_destroy(ctx);
	CT_CHECK(r, ret == 0, "poll_co returned %d", ret);
	CT_CHECK(r, c.result == 42, "returned before the entry finished");
	CT_CHECK(r, took >= 10 * NSEC_PER_MSEC, "returned after %llu ns", took);
	CT_CHECK(r, c.in_co && c.sleep_ret == 0 && c.ctx_seen == ctx,
		 "in_co=%d sleep=%d ctx ok=%d", c.in_co, c.sleep_ret,
		 c.ctx_seen == ctx);

	memset(&c, 0, sizeof(c));
	ret = cowrap_poll_co(&p, NULL, ct_pc_entry, &c);
	CT_CHECK(r, ret == 0 && c.result == 42, "default ctx: ret=%d", ret);
	CT_CHECK(r, c.ctx_seen == cowrap_default_ctx(), "NULL ctx not the default");
	ct_note(r, "poll_co returned 0 after the entry (which slept 10 ms) finished; NULL ctx = default");
	return 0;
}

struct ct_nc {
	bool fn_in_co, fn_self, fn_in_work;
	int fn_value;
	int inner_poll;
	bool inner_in_co;
	int call_ret;
	bool resumed_in_co;
	u64 took;
};

static void coroutine_fn ct_nc_inner(void *opaque)
{
	struct ct_nc *c = opaque;

	c->inner_in_co = cowrap_in_coroutine();
}

/* Runs outside coroutine context: may sleep and use sync wrappers. */
static void ct_nc_fn(void *opaque)
{
	struct ct_nc *c = opaque;
	struct cowrap_poll_co p;

	c->fn_in_co = cowrap_in_coroutine();
	c->fn_self = cowrap_co_self() != NULL;
	c->fn_in_work = current_work() != NULL;
	msleep(10);
	c->inner_poll = cowrap_poll_co(&p, NULL, ct_nc_inner, c);
	WRITE_ONCE(c->fn_value, 7);
}

static void coroutine_fn ct_nc_entry(void *opaque)
{
	struct ct_nc *c = opaque;
	struct cowrap_noco_call call;
	u64 t0 = ktime_get_ns();

	c->call_ret = cowrap_co_call_noco(&call, ct_nc_fn, c);
	c->took = ktime_get_ns() - t0;
	c->resumed_in_co = cowrap_in_coroutine();
}
/* started through a helper or a pointer in this file */
cowrap_co_addr_ok(ct_nc_entry);

int ct_call_noco(struct ct_result *r)
{
	struct ct_nc c = { };
	struct cowrap_poll_co p;
	int ret;

	ret = cowrap_poll_co(&p, NULL, ct_nc_entry, &c);
	CT_CHECK(r, ret == 0, "poll_co: %d", ret);
	CT_CHECK(r, c.call_ret == 0 && c.fn_value == 7,
		 "call_noco=%d fn_value=%d", c.call_ret, c.fn_value);
	CT_CHECK(r, !c.fn_in_co && !c.fn_self && c.fn_in_work,
		 "fn: in_co=%d self=%d in_work=%d", c.fn_in_co, c.fn_self,
		 c.fn_in_work);
	CT_CHECK(r, c.took >= 10 * NSEC_PER_MSEC, "returned after %llu ns",
		 c.took);
	CT_CHECK(r, c.inner_poll == 0 && c.inner_in_co,
		 "sync wrapper from fn: %d in_co=%d", c.inner_poll, c.inner_in_co);
	CT_CHECK(r, c.resumed_in_co, "not in a coroutine after call_noco");
	ct_note(r, "fn ran on a workqueue outside coroutine context (and used poll_co), coroutine resumed after it");
	return 0;
}

/*
 * The wrong-context calls below are deliberate, so they go through
 * function pointers: sparse and cowrap-objcheck check direct calls only,
 * and would (rightly) reject them otherwise.
 */
static int coroutine_fn ct_yield(void)
{
	return cowrap_co_yield();
}
cowrap_co_addr_ok(ct_yield);

static int coroutine_fn ct_noco(struct cowrap_noco_call *c,
				void (*fn)(void *), void *opaque)
{
	return cowrap_co_call_noco(c, fn, opaque);
}
cowrap_co_addr_ok(ct_noco);

static int (*volatile ct_yield_ptr)(void) = ct_yield;
static int (*volatile ct_poll_ptr)(struct cowrap_poll_co *, struct cowrap_ctx *,
				   cowrap_co_entry_t, void *) = cowrap_poll_co;
static int (*volatile ct_noco_ptr)(struct cowrap_noco_call *,
				   void (*)(void *), void *) = ct_noco;

int ct_wrong_context_yield(struct ct_result *r)
{
	int i, ret;

	for (i = 0; i < 3; i++) {
		ret = ct_yield_ptr();
		CT_CHECK(r, ret == -EPERM, "call %d returned %d", i, ret);
	}
	ct_note(r, "cowrap_co_yield() outside a coroutine: -EPERM three times");
	return 0;
}

struct ct_wp {
	int ret[3];
	bool ran;
};

static void coroutine_fn ct_wp_never(void *opaque)
{
	struct ct_wp *w = opaque;

	w->ran = true;
}
/* started through a helper or a pointer in this file */
cowrap_co_addr_ok(ct_wp_never);

static void coroutine_fn ct_wp_entry(void *opaque)
{
	struct ct_wp *w = opaque;
	struct cowrap_poll_co p;
	int i;

	for (i = 0; i < 3; i++)
		w->ret[i] = ct_poll_ptr(&p, NULL, ct_wp_never, w);
}
/* started through a helper or a pointer in this file */
cowrap_co_addr_ok(ct_wp_entry);

int ct_wrong_context_poll_co(struct ct_result *r)
{
	struct ct_wp w = { };
	struct cowrap_poll_co p;
	int ret, i;

	ret = cowrap_poll_co(&p, NULL, ct_wp_entry, &w);
	CT_CHECK(r, ret == 0, "outer poll_co: %d", ret);
	for (i = 0; i < 3; i++)
		CT_CHECK(r, w.ret[i] == -EDEADLK, "call %d returned %d", i,
			 w.ret[i]);
	CT_CHECK(r, !w.ran, "the refused entry ran");
	ct_note(r, "cowrap_poll_co() from a coroutine: -EDEADLK three times, entry not run");
	return 0;
}

static void ct_wn_fn(void *opaque)
{
	*(bool *)opaque = true;
}

int ct_wrong_context_call_noco(struct ct_result *r)
{
	struct cowrap_noco_call c;
	bool ran = false;
	int i, ret;

	for (i = 0; i < 3; i++) {
		ret = ct_noco_ptr(&c, ct_wn_fn, &ran);
		CT_CHECK(r, ret == -EPERM, "call %d returned %d", i, ret);
	}
	CT_CHECK(r, !ran, "the refused function ran");
	ct_note(r, "cowrap_co_call_noco() outside a coroutine: -EPERM three times, fn not run");
	return 0;
}
