// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap_test: the execution engine.  Restartable coroutines run inline on
 * the entering thread, restart on a worker of the same CPU when they must
 * park, or from their own timer after cowrap_co_sleep_until(); workers are
 * created on demand, reaped when idle, and the reserve keeps coroutines
 * going, in order, when no worker can be created.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "cowrap_test.h"

enum { CT_RS_NONE, CT_RS_YIELD, CT_RS_SLEEP, CT_RS_IRQ };

/**
 * struct ct_rs - one restartable coroutine under test
 * @co: the coroutine
 * @mode: what the body does (CT_RS_*)
 * @deadline: CT_RS_SLEEP: ktime_get_ns() to sleep until
 * @runs: runs of the body
 * @task: thread of the first two runs
 * @inco: cowrap_in_coroutine() in each run
 * @self_ok: cowrap_co_self() == @co in each run
 * @cpu: CPU of each run
 * @hardirq: each run was in hardirq context
 * @cpu_after: CT_RS_YIELD: CPU after the park
 * @irq_inco: CT_RS_IRQ: cowrap_in_coroutine() in an interrupt on top of
 *	the inline body (1 true, 0 false, -1 never ran)
 * @iw: CT_RS_IRQ: the interrupt
 * @ret: result given to done
 * @done_inco: cowrap_in_coroutine() in done
 * @done_at: ktime_get_ns() in done
 * @dones: calls of done
 * @fin: completed by done
 */
struct ct_rs {
	struct cowrap_co co;
	int mode;
	u64 deadline;
	atomic_t runs;
	struct task_struct *task[2];
	bool inco[2], self_ok[2], hardirq[2];
	int cpu[2];
	int cpu_after;
	int irq_inco;
	struct irq_work iw;
	int ret;
	bool done_inco;
	u64 done_at;
	atomic_t dones;
	struct completion fin;
};

static void ct_rs_irq(struct irq_work *iw)
{
	struct ct_rs *t = container_of(iw, struct ct_rs, iw);

	WRITE_ONCE(t->irq_inco, cowrap_in_coroutine() ? 1 : 0);
}

static int coroutine_fn ct_rs_body(void *opaque)
{
	struct ct_rs *t = opaque;
	int run = atomic_inc_return(&t->runs) - 1;
	unsigned long end;
	int ret;

	if (run < 2) {
		t->task[run] = current;
		t->inco[run] = cowrap_in_coroutine();
		t->self_ok[run] = cowrap_co_self() == &t->co;
		t->cpu[run] = raw_smp_processor_id();
		t->hardirq[run] = in_hardirq();
	}
	switch (t->mode) {
	case CT_RS_YIELD:
		ret = cowrap_co_yield();
		if (ret)
			return ret;
		t->cpu_after = raw_smp_processor_id();
		break;
	case CT_RS_SLEEP:
		ret = cowrap_co_sleep_until(t->deadline);
		if (ret)
			return ret;
		break;
	case CT_RS_IRQ:
		/* a self-IPI: the interrupt lands on top of this inline run */
		irq_work_queue(&t->iw);
		end = jiffies + HZ / 5;
		while (READ_ONCE(t->irq_inco) < 0 && time_before(jiffies, end))
			cpu_relax();
		break;
	}
	return 7;
}

static void ct_rs_done(void *opaque, int ret)
{
	struct ct_rs *t = opaque;

	t->ret = ret;
	t->done_inco = cowrap_in_coroutine();
	t->done_at = ktime_get_ns();
	atomic_inc(&t->dones);
	complete(&t->fin);
}

static void ct_rs_init(struct ct_rs *t, struct cowrap_ctx *ctx, int mode)
{
	memset(t, 0, sizeof(*t));
	t->mode = mode;
	t->irq_inco = -1;
	init_irq_work(&t->iw, ct_rs_irq);
	init_completion(&t->fin);
	cowrap_co_init_restartable(&t->co, ctx, ct_rs_body, ct_rs_done, t);
}

static unsigned int ct_parked(struct cowrap_ctx *ctx)
{
	struct cowrap_ctx_stats st;

	cowrap_ctx_get_stats(ctx, &st);
	return st.nr_parked;
}

/* Run @check on a ct_rs of a new context @name. */
static int ct_rs_case(struct ct_result *r, const char *name,
		      int (*check)(struct ct_result *r, struct cowrap_ctx *ctx,
				   struct ct_rs *t))
{
	struct cowrap_ctx *ctx = cowrap_ctx_create(name, 4);
	struct ct_rs *t;
	int ret;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	t = kmalloc(sizeof(*t), GFP_KERNEL);
	ret = t ? check(r, ctx, t) : ct_fail(r, "no memory");
	kfree(t);
	cowrap_ctx_destroy(ctx);
	return ret;
}

/* A body that never parks runs and completes inside cowrap_co_enter(). */
static int ct_inline_check(struct ct_result *r, struct cowrap_ctx *ctx,
			   struct ct_rs *t)
{
	struct cowrap_ctx_stats before, st;

	ct_rs_init(t, ctx, CT_RS_NONE);
	cowrap_ctx_get_stats(ctx, &before);
	cowrap_co_enter(&t->co);
	CT_CHECK(r, atomic_read(&t->dones) == 1, "done not called inline");
	CT_CHECK(r, atomic_read(&t->runs) == 1 && t->ret == 7,
		 "runs=%d ret=%d", atomic_read(&t->runs), t->ret);
	CT_CHECK(r, t->task[0] == current, "ran on %s, not the entering thread",
		 t->task[0] ? t->task[0]->comm : "?");
	CT_CHECK(r, t->inco[0] && t->self_ok[0],
		 "inline: in_coroutine=%d self_ok=%d", t->inco[0], t->self_ok[0]);
	CT_CHECK(r, !t->done_inco && !cowrap_in_coroutine(),
		 "in_coroutine true in done or after the run");
	cowrap_ctx_get_stats(ctx, &st);
	CT_CHECK(r, st.nr_inline == before.nr_inline + 1 &&
		 st.nr_restarts == before.nr_restarts && !st.nr_live,
		 "inline %llu->%llu restarts %llu->%llu live %u",
		 before.nr_inline, st.nr_inline, before.nr_restarts,
		 st.nr_restarts, st.nr_live);
	return 0;
}

/* An interrupt on top of an inline run is not in the coroutine. */
static int ct_inline_irq_check(struct ct_result *r, struct cowrap_ctx *ctx,
			       struct ct_rs *t)
{
	ct_rs_init(t, ctx, CT_RS_IRQ);
	cowrap_co_enter(&t->co);
	irq_work_sync(&t->iw);
	CT_CHECK(r, t->irq_inco == 0,
		 "in_coroutine() in an interrupt over an inline run: %d",
		 t->irq_inco);
	CT_CHECK(r, t->inco[0] && t->ret == 7, "irq case: inco=%d ret=%d",
		 t->inco[0], t->ret);
	return 0;
}

int ct_inline_path(struct ct_result *r)
{
	return ct_rs_case(r, "t-inline", ct_inline_check) ?:
	       ct_rs_case(r, "t-inirq", ct_inline_irq_check);
}

/* Refused inline, restarted on a worker of the same CPU, parked there. */
static int ct_restart_check(struct ct_result *r, struct cowrap_ctx *ctx,
			    struct ct_rs *t)
{
	struct cowrap_ctx_stats before, st;

	ct_rs_init(t, ctx, CT_RS_YIELD);
	cowrap_ctx_get_stats(ctx, &before);
	cowrap_co_enter(&t->co);
	CT_CHECK(r, ct_wait_until(ct_parked(ctx) == 1, 5000),
		 "restarted coroutine never parked (runs=%d)",
		 atomic_read(&t->runs));
	CT_CHECK(r, !atomic_read(&t->dones), "done before the wake");
	cowrap_co_wake(&t->co);
	CT_CHECK(r, wait_for_completion_timeout(&t->fin, 5 * HZ), "no finish");
	CT_CHECK(r, atomic_read(&t->runs) == 2 && atomic_read(&t->dones) == 1,
		 "runs=%d dones=%d", atomic_read(&t->runs),
		 atomic_read(&t->dones));
	CT_CHECK(r, t->ret == 7, "ret=%d", t->ret);
	CT_CHECK(r, t->task[1] != t->task[0] &&
		 (t->task[1]->flags & PF_KTHREAD),
		 "second run not on a worker");
	CT_CHECK(r, t->inco[0] && t->inco[1] && t->self_ok[0] && t->self_ok[1],
		 "in_coroutine %d/%d self %d/%d", t->inco[0], t->inco[1],
		 t->self_ok[0], t->self_ok[1]);
	cowrap_ctx_get_stats(ctx, &st);
	/* same CPU where possible: not when no worker could be made there */
	CT_CHECK(r, st.nr_spawn_failed != before.nr_spawn_failed ||
		 (t->cpu[1] == t->cpu[0] && t->cpu_after == t->cpu[0]),
		 "entered on CPU %d, restarted on %d, resumed on %d",
		 t->cpu[0], t->cpu[1], t->cpu_after);
	CT_CHECK(r, st.nr_restarts == before.nr_restarts + 1 &&
		 st.nr_inline == before.nr_inline,
		 "restarts %llu->%llu inline %llu->%llu", before.nr_restarts,
		 st.nr_restarts, before.nr_inline, st.nr_inline);
	return 0;
}

int ct_worker_path(struct ct_result *r)
{
	return ct_rs_case(r, "t-restart", ct_restart_check);
}

/* cowrap_co_sleep_until() inline: the timer's interrupt runs the body again. */
static int ct_deferred_check(struct ct_result *r, struct cowrap_ctx *ctx,
			     struct ct_rs *t)
{
	struct cowrap_ctx_stats before, st;

	ct_rs_init(t, ctx, CT_RS_SLEEP);
	t->deadline = ktime_get_ns() + 2 * NSEC_PER_MSEC;
	cowrap_ctx_get_stats(ctx, &before);
	cowrap_co_enter(&t->co);
	CT_CHECK(r, wait_for_completion_timeout(&t->fin, 5 * HZ), "no finish");
	CT_CHECK(r, atomic_read(&t->runs) == 2 && t->ret == 7,
		 "runs=%d ret=%d", atomic_read(&t->runs), t->ret);
	CT_CHECK(r, t->done_at >= t->deadline, "finished %lld ns early",
		 (s64)(t->deadline - t->done_at));
	CT_CHECK(r, t->hardirq[1] && t->inco[1] && t->self_ok[1],
		 "second run: hardirq=%d in_coroutine=%d self_ok=%d",
		 t->hardirq[1], t->inco[1], t->self_ok[1]);
	cowrap_ctx_get_stats(ctx, &st);
	CT_CHECK(r, st.nr_deferred == before.nr_deferred + 1 &&
		 st.nr_spawned == before.nr_spawned && !st.nr_live,
		 "deferred %llu->%llu spawned %llu->%llu live %u",
		 before.nr_deferred, st.nr_deferred, before.nr_spawned,
		 st.nr_spawned, st.nr_live);
	return 0;
}

int ct_deferred_restart(struct ct_result *r)
{
	return ct_rs_case(r, "t-defer", ct_deferred_check);
}

/* Entered from a hard-irq timer: inline there, exact in_coroutine(). */
struct ct_hardirq_enter {
	struct hrtimer timer;
	struct ct_rs t;
	bool hardirq, after;
};

static enum hrtimer_restart ct_hardirq_enter_fire(struct hrtimer *timer)
{
	struct ct_hardirq_enter *h = container_of(timer, struct ct_hardirq_enter,
						  timer);

	h->hardirq = in_hardirq();
	cowrap_co_enter(&h->t.co);
	h->after = cowrap_in_coroutine();
	return HRTIMER_NORESTART;
}

int ct_inline_hardirq(struct ct_result *r)
{
	struct cowrap_ctx *ctx = cowrap_ctx_create("t-inhard", 4);
	struct ct_hardirq_enter *h;
	int ret = 0;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h) {
		cowrap_ctx_destroy(ctx);
		return ct_fail(r, "no memory");
	}
	ct_rs_init(&h->t, ctx, CT_RS_NONE);
	hrtimer_init(&h->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	h->timer.function = ct_hardirq_enter_fire;
	hrtimer_start(&h->timer, ms_to_ktime(1), HRTIMER_MODE_REL_HARD);
	if (!wait_for_completion_timeout(&h->t.fin, 5 * HZ))
		ret = ct_fail(r, "no finish");
	hrtimer_cancel(&h->timer);
	if (!ret && (!h->hardirq || !h->t.inco[0] || !h->t.self_ok[0] ||
		     h->after || h->t.done_inco || h->t.ret != 7))
		ret = ct_fail(r, "hardirq=%d in_coroutine=%d self_ok=%d after=%d done_inco=%d ret=%d",
			      h->hardirq, h->t.inco[0], h->t.self_ok[0],
			      h->after, h->t.done_inco, h->t.ret);
	kfree(h);
	cowrap_ctx_destroy(ctx);
	return ret;
}

/* work_on_cpu(): a restart resumes on the CPU the coroutine entered on. */
static long ct_cpu_fn(void *arg)
{
	struct ct_rs *t = arg;

	cowrap_co_enter(&t->co);
	return 0;
}

int ct_continue_cpu(struct ct_result *r)
{
	struct cowrap_ctx *ctx = cowrap_ctx_create("t-cpu", 4);
	struct ct_rs *t;
	int cpu, ret = 0, n = 0;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	t = kmalloc(sizeof(*t), GFP_KERNEL);
	if (!t) {
		cowrap_ctx_destroy(ctx);
		return ct_fail(r, "no memory");
	}
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		ct_rs_init(t, ctx, CT_RS_YIELD);
		work_on_cpu(cpu, ct_cpu_fn, t);
		if (!ct_wait_until(ct_parked(ctx) == 1, 5000)) {
			ret = ct_fail(r, "CPU %d: never parked", cpu);
			break;
		}
		cowrap_co_wake(&t->co);
		if (!wait_for_completion_timeout(&t->fin, 5 * HZ)) {
			ret = ct_fail(r, "CPU %d: no finish", cpu);
			break;
		}
		if (t->cpu[0] != cpu || t->cpu[1] != cpu || t->cpu_after != cpu) {
			ret = ct_fail(r, "entered on CPU %d (%d): restarted on %d, resumed on %d",
				      cpu, t->cpu[0], t->cpu[1], t->cpu_after);
			break;
		}
		n++;
	}
	cpus_read_unlock();
	if (!ret)
		ct_note(r, "%d CPUs: each restart and resume on the entering CPU", n);
	kfree(t);
	cowrap_ctx_destroy(ctx);
	return ret;
}

#define CT_REAP_N	16

struct ct_park {
	struct cowrap_co co[64];
	atomic_t order, bad, finished;
	int sleep_us;
};

/* Parks until woken (sleep_us 0) or for sleep_us; checks FIFO order. */
static void coroutine_fn ct_park_entry(void *opaque)
{
	struct cowrap_co *self = cowrap_co_self();
	struct ct_park *p = opaque;
	int idx = self - p->co;

	if (atomic_xchg(&p->order, idx + 1) != idx)
		atomic_inc(&p->bad);
	if (p->sleep_us)
		cowrap_co_sleep_ns(p->sleep_us * NSEC_PER_USEC);
	else
		cowrap_co_yield();
	atomic_inc(&p->finished);
}

/* Enter @n coroutines of @p, from 0 up. */
static void ct_park_start(struct ct_park *p, struct cowrap_ctx *ctx, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		cowrap_co_init(&p->co[i], ctx, ct_park_entry, p);
		cowrap_co_enter(&p->co[i]);
	}
}

/* Wake the @n parked coroutines of @p and wait for the context to drain. */
static bool ct_park_release(struct ct_park *p, struct cowrap_ctx *ctx, int n)
{
	int i;

	for (i = 0; i < n; i++)
		cowrap_co_wake(&p->co[i]);
	return ct_wait_idle(ctx, 5000);
}

/* Run @check on a zeroed ct_park and a new context with one reserve worker. */
static int ct_park_case(struct ct_result *r, const char *name,
			int (*check)(struct ct_result *r,
				     struct cowrap_ctx *ctx, struct ct_park *p))
{
	struct cowrap_ctx *ctx = cowrap_ctx_create_reserved(name, 64, 1);
	struct ct_park *p;
	int ret;

	CT_CHECK(r, !IS_ERR(ctx), "ctx create: %ld", PTR_ERR(ctx));
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	ret = p ? check(r, ctx, p) : ct_fail(r, "no memory");
	cowrap_ctx_destroy(ctx);
	kfree(p);
	return ret;
}

static int ct_reap_check(struct ct_result *r, struct cowrap_ctx *ctx,
			 struct ct_park *p)
{
	struct cowrap_ctx_stats st;

	cowrap_ctx_get_stats(ctx, &st);
	CT_CHECK(r, st.nr_workers == 1, "new context owns %u workers",
		 st.nr_workers);
	ct_park_start(p, ctx, CT_REAP_N);
	CT_CHECK(r, ct_wait_until(ct_parked(ctx) == CT_REAP_N, 10000),
		 "parked %u of %d", ct_parked(ctx), CT_REAP_N);
	cowrap_ctx_get_stats(ctx, &st);
	CT_CHECK(r, st.nr_workers >= CT_REAP_N && st.nr_workers <= CT_REAP_N + 1,
		 "%u workers for %d parked", st.nr_workers, CT_REAP_N);
	CT_CHECK(r, ct_park_release(p, ctx, CT_REAP_N), "live=%u", ct_live(ctx));
	CT_CHECK(r, ct_wait_until(({ cowrap_ctx_get_stats(ctx, &st);
				     st.nr_workers == 1; }),
				  2 * COWRAP_WORKER_IDLE_MS + 3000),
		 "%u workers %u ms after the last coroutine", st.nr_workers,
		 2 * COWRAP_WORKER_IDLE_MS + 3000);
	CT_CHECK(r, st.nr_reaped >= CT_REAP_N - 1, "reaped %llu",
		 st.nr_reaped);
	ct_note(r, "%d parked on %d workers; idle again: %u worker, %llu reaped",
		CT_REAP_N, CT_REAP_N, st.nr_workers, st.nr_reaped);
	return 0;
}

int ct_reap_idle(struct ct_result *r)
{
	return ct_park_case(r, "t-reap", ct_reap_check);
}

#define CT_FAIL_N	32

static int ct_spawn_fail_check(struct ct_result *r, struct cowrap_ctx *ctx,
			       struct ct_park *p)
{
	struct cowrap_ctx_stats st;

	p->sleep_us = 500;
	cowrap_co_test_fail_spawn(-1);
	/* one CPU's queue, so that FIFO order is what the layer promises */
	get_cpu();
	ct_park_start(p, ctx, CT_FAIL_N);
	put_cpu();
	CT_CHECK(r, ct_wait_idle(ctx, 20000), "live=%u finished=%d", ct_live(ctx),
		 atomic_read(&p->finished));
	cowrap_ctx_get_stats(ctx, &st);
	CT_CHECK(r, atomic_read(&p->finished) == CT_FAIL_N && !atomic_read(&p->bad),
		 "finished=%d out of order=%d", atomic_read(&p->finished),
		 atomic_read(&p->bad));
	CT_CHECK(r, st.nr_workers == 1 && st.nr_spawn_failed >= 1,
		 "workers=%u spawn_failed=%llu", st.nr_workers,
		 st.nr_spawn_failed);
	ct_note(r, "%d coroutines in order on the reserve worker, %llu failed creations",
		CT_FAIL_N, st.nr_spawn_failed);

	/* creation works again: parked coroutines get their own workers */
	cowrap_co_test_fail_spawn(0);
	memset(p, 0, sizeof(*p));
	ct_park_start(p, ctx, 4);
	CT_CHECK(r, ct_wait_until(ct_parked(ctx) == 4, 10000), "parked %u of 4",
		 ct_parked(ctx));
	CT_CHECK(r, ct_park_release(p, ctx, 4), "live=%u", ct_live(ctx));
	return 0;
}

int ct_spawn_failure(struct ct_result *r)
{
	int ret = ct_park_case(r, "t-nospawn", ct_spawn_fail_check);

	cowrap_co_test_fail_spawn(0);
	return ret;
}
