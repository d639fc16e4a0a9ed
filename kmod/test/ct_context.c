// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap_test: cowrap_in_coroutine() in every context, and wakes from
 * hardirq (hrtimer) and softirq (timer_list).
 */
#include <linux/err.h>
#include <linux/hrtimer.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#include "cowrap_test.h"

/* Run @fn in a coroutine of a fresh context and wait for it. */
static int ct_run_in_co(struct ct_result *r, cowrap_co_entry_t fn, void *arg)
{
	struct cowrap_ctx *ctx = cowrap_ctx_create("t-ctx", 4);
	struct cowrap_poll_co p;
	int ret;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	ret = cowrap_poll_co(&p, ctx, fn, arg);
	cowrap_ctx_destroy(ctx);
	CT_CHECK(r, ret == 0, "poll_co: %d", ret);
	return 0;
}

int ct_in_coroutine_process(struct ct_result *r)
{
	CT_CHECK(r, in_task(), "not in task context");
	CT_CHECK(r, !cowrap_in_coroutine(), "true in a user process");
	CT_CHECK(r, !cowrap_co_self(), "self set in a user process");
	ct_note(r, "false in process context (pid %d)", current->pid);
	return 0;
}

struct ct_inco {
	bool in_co;
	struct cowrap_co *self;
};

static void coroutine_fn ct_inco_entry(void *opaque)
{
	struct ct_inco *c = opaque;

	c->in_co = cowrap_in_coroutine();
	c->self = cowrap_co_self();
}
/* started through a helper or a pointer in this file */
cowrap_co_addr_ok(ct_inco_entry);

int ct_in_coroutine_coroutine(struct ct_result *r)
{
	struct ct_inco c = { };
	struct cowrap_poll_co p;
	int ret;

	ret = cowrap_poll_co(&p, NULL, ct_inco_entry, &c);
	CT_CHECK(r, ret == 0, "poll_co: %d", ret);
	CT_CHECK(r, c.in_co, "false inside a coroutine");
	CT_CHECK(r, c.self == &p.co, "self %p, expected %p", c.self, &p.co);
	CT_CHECK(r, !cowrap_in_coroutine(), "true again in the caller");
	ct_note(r, "true inside a coroutine, self is the running coroutine");
	return 0;
}

/*
 * Interrupt a coroutine on its own CPU: the callback runs with current ==
 * the worker, which is exactly where a per-task marker alone would lie.
 */
struct ct_irq {
	struct hrtimer hrt;
	struct timer_list tl;
	struct task_struct *worker;
	bool fired, in_co, on_worker, ctx_ok;
	bool co_before, co_after;
	int tries;		/* softirq: attempts made */
	bool in_co_elsewhere;	/* softirq: true in a void attempt */
};

/* softirq attempts, each spinning at most CT_IRQ_SOFT_SPIN_MS */
#define CT_IRQ_SOFT_TRIES	5
#define CT_IRQ_SOFT_SPIN_MS	400

static enum hrtimer_restart ct_irq_hrt(struct hrtimer *t)
{
	struct ct_irq *c = container_of(t, struct ct_irq, hrt);

	c->in_co = cowrap_in_coroutine() || cowrap_co_self();
	c->on_worker = current == c->worker;
	c->ctx_ok = in_hardirq();
	WRITE_ONCE(c->fired, true);
	return HRTIMER_NORESTART;
}

static void ct_irq_tl(struct timer_list *t)
{
	struct ct_irq *c = from_timer(c, t, tl);

	c->in_co = cowrap_in_coroutine() || cowrap_co_self();
	c->on_worker = current == c->worker;
	c->ctx_ok = in_serving_softirq();
	WRITE_ONCE(c->fired, true);
}

/* Busy-wait (preemption off, so no migration) until the callback ran. */
static void ct_irq_spin(struct ct_irq *c, unsigned int ms)
{
	u64 end = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;

	while (!READ_ONCE(c->fired) && ktime_get_ns() < end)
		cpu_relax();
}

static void coroutine_fn ct_irq_hard_entry(void *opaque)
{
	struct ct_irq *c = opaque;

	c->worker = current;
	c->co_before = cowrap_in_coroutine();
	preempt_disable();
	hrtimer_start(&c->hrt, ns_to_ktime(100 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_PINNED_HARD);
	ct_irq_spin(c, 2000);
	preempt_enable();
	hrtimer_cancel(&c->hrt);
	c->co_after = cowrap_in_coroutine();
}
/* started through a helper or a pointer in this file */
cowrap_co_addr_ok(ct_irq_hard_entry);

static void coroutine_fn ct_irq_soft_entry(void *opaque)
{
	struct ct_irq *c = opaque;

	c->worker = current;
	c->co_before = cowrap_in_coroutine();
	/*
	 * The timer softirq runs on irq exit, interrupting this worker, or
	 * in ksoftirqd when softirqs were deferred there: then it cannot run
	 * before preemption is enabled again, and runs on another task.
	 * Such an attempt proves nothing about the worker: try again.
	 */
	for (c->tries = 1; c->tries <= CT_IRQ_SOFT_TRIES; c->tries++) {
		WRITE_ONCE(c->fired, false);
		c->on_worker = false;
		preempt_disable();
		c->tl.expires = jiffies + 1;
		add_timer_on(&c->tl, smp_processor_id());
		ct_irq_spin(c, CT_IRQ_SOFT_SPIN_MS);
		preempt_enable();
		timer_delete_sync(&c->tl);
		if (READ_ONCE(c->fired) && c->on_worker)
			break;
		c->in_co_elsewhere |= c->in_co;
	}
	c->co_after = cowrap_in_coroutine();
}
/* started through a helper or a pointer in this file */
cowrap_co_addr_ok(ct_irq_soft_entry);

static int ct_irq_check(struct ct_result *r, struct ct_irq *c, const char *what)
{
	CT_CHECK(r, c->fired, "%s callback never ran", what);
	CT_CHECK(r, c->ctx_ok, "%s callback not in the expected context", what);
	CT_CHECK(r, c->on_worker,
		 "%s did not interrupt the worker (ran on another task)", what);
	CT_CHECK(r, !c->in_co, "in_coroutine() true in %s on the worker", what);
	CT_CHECK(r, c->co_before && c->co_after,
		 "in_coroutine() wrong around the %s", what);
	ct_note(r, "false in %s interrupting the coroutine's worker, true before and after",
		what);
	return 0;
}

int ct_in_coroutine_hardirq(struct ct_result *r)
{
	struct ct_irq *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int ret;

	CT_CHECK(r, c, "no memory");
	hrtimer_init(&c->hrt, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	c->hrt.function = ct_irq_hrt;
	ret = ct_run_in_co(r, ct_irq_hard_entry, c);
	if (!ret)
		ret = ct_irq_check(r, c, "hardirq");
	kfree(c);
	return ret;
}

int ct_in_coroutine_softirq(struct ct_result *r)
{
	struct ct_irq *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int ret;

	CT_CHECK(r, c, "no memory");
	timer_setup(&c->tl, ct_irq_tl, 0);
	ret = ct_run_in_co(r, ct_irq_soft_entry, c);
	if (!ret && c->in_co_elsewhere)
		ret = ct_fail(r, "in_coroutine() true in a softirq run by ksoftirqd");
	if (!ret && c->tries > CT_IRQ_SOFT_TRIES)
		ret = ct_fail(r, "softirq never interrupted the worker in %d tries (ksoftirqd ran it)",
			      CT_IRQ_SOFT_TRIES);
	if (!ret)
		ret = ct_irq_check(r, c, "softirq");
	if (!ret && c->tries > 1)
		ct_note(r, "false in softirq interrupting the coroutine's worker (try %d of %d), true before and after",
			c->tries, CT_IRQ_SOFT_TRIES);
	kfree(c);
	return ret;
}

struct ct_wq {
	struct work_struct work;
	bool ran, in_co, self;
};

static void ct_wq_fn(struct work_struct *work)
{
	struct ct_wq *w = container_of(work, struct ct_wq, work);

	w->in_co = cowrap_in_coroutine();
	w->self = cowrap_co_self() != NULL;
	w->ran = true;
}

static void coroutine_fn ct_wq_entry(void *opaque)
{
	struct ct_wq *w = opaque;

	/* queued from inside a coroutine, run by a kworker */
	INIT_WORK(&w->work, ct_wq_fn);
	queue_work(system_wq, &w->work);
}
/* started through a helper or a pointer in this file */
cowrap_co_addr_ok(ct_wq_entry);

int ct_in_coroutine_workqueue(struct ct_result *r)
{
	struct ct_wq *w = kzalloc(sizeof(*w), GFP_KERNEL);
	int ret;

	CT_CHECK(r, w, "no memory");
	ret = ct_run_in_co(r, ct_wq_entry, w);
	if (!ret) {
		flush_work(&w->work);
		if (!w->ran || w->in_co || w->self)
			ret = ct_fail(r, "work ran=%d in_coroutine=%d self=%d",
				      w->ran, w->in_co, w->self);
		else
			ct_note(r, "false in a work item queued by a coroutine");
	}
	kfree(w);
	return ret;
}

/* Wakes from interrupt context, many times to hit both orderings. */
#define CT_WAKE_HARD_N	200
#define CT_WAKE_SOFT_N	40

struct ct_wake {
	struct hrtimer hrt;
	struct timer_list tl;
	struct cowrap_co *co;
	int fired, bad_ctx, in_co, yield_err, resumed;
};

static enum hrtimer_restart ct_wake_hrt(struct hrtimer *t)
{
	struct ct_wake *w = container_of(t, struct ct_wake, hrt);

	if (!in_hardirq())
		w->bad_ctx++;
	if (cowrap_in_coroutine())
		w->in_co++;
	w->fired++;
	cowrap_co_wake(w->co);
	return HRTIMER_NORESTART;
}

static void ct_wake_tl(struct timer_list *t)
{
	struct ct_wake *w = from_timer(w, t, tl);

	if (!in_serving_softirq())
		w->bad_ctx++;
	if (cowrap_in_coroutine())
		w->in_co++;
	w->fired++;
	cowrap_co_wake(w->co);
}

static void coroutine_fn ct_wake_hard_entry(void *opaque)
{
	struct ct_wake *w = opaque;
	int i, ret;

	w->co = cowrap_co_self();
	for (i = 0; i < CT_WAKE_HARD_N; i++) {
		/* 0 ns often fires before the yield: wake-before-yield */
		hrtimer_start(&w->hrt, ns_to_ktime((i & 1) * 50 * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_HARD);
		ret = cowrap_co_yield();
		hrtimer_cancel(&w->hrt);
		if (ret)
			w->yield_err++;
		else
			w->resumed++;
	}
}
/* started through a helper or a pointer in this file */
cowrap_co_addr_ok(ct_wake_hard_entry);

static void coroutine_fn ct_wake_soft_entry(void *opaque)
{
	struct ct_wake *w = opaque;
	int i, ret;

	w->co = cowrap_co_self();
	for (i = 0; i < CT_WAKE_SOFT_N; i++) {
		mod_timer(&w->tl, jiffies + (i & 1));
		ret = cowrap_co_yield();
		timer_delete_sync(&w->tl);
		if (ret)
			w->yield_err++;
		else
			w->resumed++;
	}
}
/* started through a helper or a pointer in this file */
cowrap_co_addr_ok(ct_wake_soft_entry);

static int ct_wake_check(struct ct_result *r, struct ct_wake *w, int n,
			 const char *what)
{
	CT_CHECK(r, w->fired == n, "%s fired %d of %d", what, w->fired, n);
	CT_CHECK(r, w->resumed == n && !w->yield_err,
		 "resumed=%d yield errors=%d", w->resumed, w->yield_err);
	CT_CHECK(r, !w->bad_ctx, "%d callbacks not in %s", w->bad_ctx, what);
	CT_CHECK(r, !w->in_co, "in_coroutine() true in %s", what);
	ct_note(r, "%d wakes from %s, each resumed the yield", n, what);
	return 0;
}

int ct_wake_from_hardirq(struct ct_result *r)
{
	struct ct_wake *w = kzalloc(sizeof(*w), GFP_KERNEL);
	int ret;

	CT_CHECK(r, w, "no memory");
	hrtimer_init(&w->hrt, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	w->hrt.function = ct_wake_hrt;
	ret = ct_run_in_co(r, ct_wake_hard_entry, w);
	if (!ret)
		ret = ct_wake_check(r, w, CT_WAKE_HARD_N, "hardirq");
	kfree(w);
	return ret;
}

int ct_wake_from_softirq(struct ct_result *r)
{
	struct ct_wake *w = kzalloc(sizeof(*w), GFP_KERNEL);
	int ret;

	CT_CHECK(r, w, "no memory");
	timer_setup(&w->tl, ct_wake_tl, 0);
	ret = ct_run_in_co(r, ct_wake_soft_entry, w);
	if (!ret)
		ret = ct_wake_check(r, w, CT_WAKE_SOFT_N, "softirq");
	kfree(w);
	return ret;
}
