// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: execution contexts and their worker pools.
 *
 * A context owns worker kthreads.  An idle worker waits for a coroutine to
 * be handed to it (worker->next); it runs the coroutine's entry to the end,
 * parking inside it whenever the coroutine yields, then takes the next
 * queued coroutine or goes back to the idle list.  Workers are spawned only
 * by the context's manager thread (or at creation), never on the enter or
 * wake paths, which therefore never sleep nor allocate.
 *
 * A coroutine is started only while fewer than ctx->max_running workers
 * run one that is not parked; the others wait in the run queue and are
 * taken by a worker that finishes or parks, without a wake-up.  A worker
 * that blocks outside the layer still counts as running, so a stall timer
 * starts queued coroutines past the target when none started for
 * COWRAP_CTX_STALL_MS.
 */
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "co_internal.h"

static struct cowrap_ctx *cowrap_default;

/* Sleep until a coroutine is handed to @w; NULL when asked to stop. */
static struct cowrap_co *cowrap_worker_wait(struct cowrap_worker *w)
{
	struct cowrap_co *co;

	for (;;) {
		set_current_state(TASK_IDLE);
		co = smp_load_acquire(&w->next);
		if (co)
			break;
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			return NULL;
		}
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	WRITE_ONCE(w->next, NULL);
	return co;
}

/* May a coroutine be started now?  ctx->lock held. */
static bool cowrap_ctx_may_run(struct cowrap_ctx *ctx)
{
	return ctx->nr_running < ctx->max_running || ctx->stalled;
}

/* The oldest queued coroutine, taken off the run queue, or NULL. */
static struct cowrap_co *cowrap_ctx_dequeue_locked(struct cowrap_ctx *ctx)
{
	struct cowrap_co *co;

	co = list_first_entry_or_null(&ctx->runq, struct cowrap_co, node);
	if (!co)
		return NULL;
	list_del_init(&co->node);
	if (!--ctx->nr_queued)
		ctx->stalled = false;
	return co;
}

/* The most recently idled worker, taken off the idle list, or NULL. */
static struct cowrap_worker *cowrap_ctx_idle_locked(struct cowrap_ctx *ctx)
{
	struct cowrap_worker *w;

	w = list_first_entry_or_null(&ctx->idle, struct cowrap_worker,
				     idle_node);
	if (w) {
		list_del(&w->idle_node);
		ctx->nr_idle--;
	}
	return w;
}

/* Count @co as started on @w; the caller wakes @w.  ctx->lock held. */
static void cowrap_ctx_give_locked(struct cowrap_ctx *ctx,
				   struct cowrap_worker *w,
				   struct cowrap_co *co)
{
	ctx->nr_running++;
	ctx->nr_started++;
	/* pairs with the acquire in cowrap_worker_wait(): @co is set up */
	smp_store_release(&w->next, co);
}

/*
 * Start queued coroutines on idle workers while the concurrency target
 * allows.  ctx->lock held.  Return: whether the manager should spawn a
 * worker for what is still queued.
 */
static bool cowrap_ctx_start_queued_locked(struct cowrap_ctx *ctx)
{
	struct cowrap_worker *w;

	while (ctx->nr_queued && cowrap_ctx_may_run(ctx)) {
		w = cowrap_ctx_idle_locked(ctx);
		if (!w)
			return ctx->nr_workers < ctx->max_workers;
		cowrap_ctx_give_locked(ctx, w, cowrap_ctx_dequeue_locked(ctx));
		wake_up_process(w->task);
	}
	return false;
}

/* Check for a stall in a period from now.  ctx->lock held. */
static void cowrap_ctx_arm_stall_locked(struct cowrap_ctx *ctx)
{
	ctx->stall_mark = ctx->nr_started;
	mod_timer(&ctx->stall_timer,
		  jiffies + msecs_to_jiffies(COWRAP_CTX_STALL_MS));
}

/*
 * Stall timer: coroutines wait for the concurrency target.  If none was
 * started for a whole period, the running ones are blocked outside the
 * layer (possibly on a queued coroutine): start the queue regardless of
 * the target until it is empty.
 */
static void cowrap_ctx_stall_fn(struct timer_list *t)
{
	struct cowrap_ctx *ctx = from_timer(ctx, t, stall_timer);
	unsigned long flags;
	bool kick = false;

	spin_lock_irqsave(&ctx->lock, flags);
	if (ctx->nr_queued) {
		if (!ctx->stalled && ctx->nr_started == ctx->stall_mark) {
			ctx->stalled = true;
			ctx->nr_stalls++;
		}
		kick = cowrap_ctx_start_queued_locked(ctx);
		if (ctx->nr_queued && !ctx->stalled)
			cowrap_ctx_arm_stall_locked(ctx);
	}
	spin_unlock_irqrestore(&ctx->lock, flags);
	/* the manager lives until the timer is shut down */
	if (kick)
		wake_up_process(ctx->manager);
}

/*
 * Account for the coroutine @w has finished and pick its next job: a queued
 * coroutine if the concurrency target allows, or the idle list.  Called
 * with ctx->lock held.
 */
static bool cowrap_worker_done_locked(struct cowrap_worker *w, bool allocated)
{
	struct cowrap_ctx *ctx = w->ctx;
	struct cowrap_co *co = NULL;

	ctx->nr_live--;
	ctx->nr_finished++;
	if (allocated)
		ctx->nr_allocated--;
	ctx->nr_running--;
	if (cowrap_ctx_may_run(ctx))
		co = cowrap_ctx_dequeue_locked(ctx);
	if (co) {
		cowrap_ctx_give_locked(ctx, w, co);
	} else {
		list_add(&w->idle_node, &ctx->idle);
		ctx->nr_idle++;
	}
	return ctx->cancelling && !ctx->nr_live;
}

int cowrap_worker_fn(void *data)
{
	struct cowrap_worker *w = data;
	struct cowrap_ctx *ctx = w->ctx;
	struct cowrap_co *co;
	bool allocated, drained;

	for (;;) {
		co = cowrap_worker_wait(w);
		if (!co)
			break;
		allocated = cowrap_co_run(w, co);
		spin_lock_irq(&ctx->lock);
		drained = cowrap_worker_done_locked(w, allocated);
		spin_unlock_irq(&ctx->lock);
		/* ctx stays alive: destroy stops this thread before freeing */
		if (drained)
			wake_up(&ctx->drain_wq);
	}
	return 0;
}

void cowrap_ctx_queue(struct cowrap_ctx *ctx, struct cowrap_co *co)
{
	struct cowrap_worker *w = NULL;
	unsigned long flags;
	bool kick = false;

	spin_lock_irqsave(&ctx->lock, flags);
	ctx->nr_live++;
	if (co->flags & COWRAP_CO_F_ALLOCATED)
		ctx->nr_allocated++;
	if (cowrap_ctx_may_run(ctx))
		w = cowrap_ctx_idle_locked(ctx);
	if (w) {
		cowrap_ctx_give_locked(ctx, w, co);
	} else {
		list_add_tail(&co->node, &ctx->runq);
		ctx->nr_queued++;
		if (cowrap_ctx_may_run(ctx))
			kick = ctx->nr_workers < ctx->max_workers;
		else if (!timer_pending(&ctx->stall_timer))
			cowrap_ctx_arm_stall_locked(ctx);
	}
	spin_unlock_irqrestore(&ctx->lock, flags);

	/* workers and the manager live as long as ctx */
	if (w)
		wake_up_process(w->task);
	else if (kick)
		wake_up_process(ctx->manager);
}

void cowrap_ctx_parking(struct cowrap_ctx *ctx)
{
	unsigned long flags;
	bool kick;

	spin_lock_irqsave(&ctx->lock, flags);
	ctx->nr_running--;
	kick = cowrap_ctx_start_queued_locked(ctx);
	spin_unlock_irqrestore(&ctx->lock, flags);
	if (kick)
		wake_up_process(ctx->manager);
}

void cowrap_ctx_unparked(struct cowrap_ctx *ctx)
{
	unsigned long flags;

	spin_lock_irqsave(&ctx->lock, flags);
	ctx->nr_running++;
	spin_unlock_irqrestore(&ctx->lock, flags);
}

/* Create one worker; it takes a queued coroutine or goes idle. */
static int cowrap_ctx_spawn(struct cowrap_ctx *ctx)
{
	struct cowrap_worker *w;
	struct task_struct *task;
	struct cowrap_co *co;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->ctx = ctx;
	INIT_LIST_HEAD(&w->idle_node);
	task = kthread_create(cowrap_worker_fn, w, "cowrap/%s", ctx->name);
	if (IS_ERR(task)) {
		kfree(w);
		return PTR_ERR(task);
	}
	w->task = task;

	spin_lock_irq(&ctx->lock);
	list_add_tail(&w->node, &ctx->all_workers);
	ctx->nr_workers++;
	co = cowrap_ctx_may_run(ctx) ? cowrap_ctx_dequeue_locked(ctx) : NULL;
	if (co) {
		cowrap_ctx_give_locked(ctx, w, co);
	} else {
		list_add(&w->idle_node, &ctx->idle);
		ctx->nr_idle++;
	}
	spin_unlock_irq(&ctx->lock);
	wake_up_process(task);
	return 0;
}

static bool cowrap_ctx_needs_worker(struct cowrap_ctx *ctx)
{
	bool need;

	spin_lock_irq(&ctx->lock);
	need = ctx->nr_queued && !ctx->nr_idle && cowrap_ctx_may_run(ctx) &&
	       ctx->nr_workers < ctx->max_workers;
	spin_unlock_irq(&ctx->lock);
	return need;
}

/* Manager thread: spawns workers while coroutines wait for one. */
static int cowrap_manager_fn(void *data)
{
	struct cowrap_ctx *ctx = data;

	for (;;) {
		set_current_state(TASK_IDLE);
		if (kthread_should_stop())
			break;
		if (!cowrap_ctx_needs_worker(ctx)) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		/* out of memory: retry shortly, queued coroutines wait */
		if (cowrap_ctx_spawn(ctx))
			schedule_timeout_idle(HZ / 50);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Stop and free every worker; the context must be drained. */
static void cowrap_ctx_free_workers(struct cowrap_ctx *ctx)
{
	struct cowrap_worker *w, *tmp;

	list_for_each_entry_safe(w, tmp, &ctx->all_workers, node) {
		kthread_stop(w->task);
		list_del(&w->node);
		kfree(w);
	}
}

struct cowrap_ctx *cowrap_ctx_create_reserved(const char *name,
					      unsigned int max_workers,
					      unsigned int reserved)
{
	struct cowrap_ctx *ctx;
	struct task_struct *task;
	unsigned int i;
	int ret;

	if (!name || !max_workers || reserved > max_workers)
		return ERR_PTR(-EINVAL);
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&ctx->lock);
	INIT_LIST_HEAD(&ctx->runq);
	INIT_LIST_HEAD(&ctx->idle);
	INIT_LIST_HEAD(&ctx->all_workers);
	init_waitqueue_head(&ctx->drain_wq);
	timer_setup(&ctx->stall_timer, cowrap_ctx_stall_fn, 0);
	ctx->max_running = min(max_workers, num_online_cpus());
	ctx->max_workers = max_workers;
	ctx->nr_reserved = reserved;
	strscpy(ctx->name, name, sizeof(ctx->name));

	for (i = 0; i < reserved; i++) {
		ret = cowrap_ctx_spawn(ctx);
		if (ret)
			goto err_workers;
	}
	task = kthread_create(cowrap_manager_fn, ctx, "cowrap-m/%s", ctx->name);
	if (IS_ERR(task)) {
		ret = PTR_ERR(task);
		goto err_workers;
	}
	ctx->manager = task;
	wake_up_process(task);
	return ctx;

err_workers:
	cowrap_ctx_free_workers(ctx);
	kfree(ctx);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(cowrap_ctx_create_reserved);

struct cowrap_ctx *cowrap_ctx_create(const char *name, unsigned int max_workers)
{
	return cowrap_ctx_create_reserved(name, max_workers,
					  min_t(unsigned int, max_workers,
						COWRAP_CTX_MIN_WORKERS));
}
EXPORT_SYMBOL_GPL(cowrap_ctx_create);

static bool cowrap_ctx_drained(struct cowrap_ctx *ctx)
{
	bool drained;

	spin_lock_irq(&ctx->lock);
	drained = !ctx->nr_live;
	spin_unlock_irq(&ctx->lock);
	return drained;
}

static void __cowrap_ctx_destroy(struct cowrap_ctx *ctx)
{
	struct cowrap_worker *w;

	/*
	 * Parkers read ->cancelling after publishing PARKED_C with a fully
	 * ordered cmpxchg and again after set_current_state(); the wakeups
	 * below order the store before the task-state check, so every
	 * cancellable park either sees the flag or is woken to look again.
	 */
	spin_lock_irq(&ctx->lock);
	WRITE_ONCE(ctx->cancelling, true);
	list_for_each_entry(w, &ctx->all_workers, node)
		wake_up_process(w->task);
	spin_unlock_irq(&ctx->lock);

	wait_event(ctx->drain_wq, cowrap_ctx_drained(ctx));
	/* nothing is queued any more: the timer cannot be re-armed */
	del_timer_sync(&ctx->stall_timer);
	kthread_stop(ctx->manager);
	/* wakers finish their wake_up_process() inside an RCU section */
	synchronize_rcu();
	cowrap_ctx_free_workers(ctx);
	kfree(ctx);
}

void cowrap_ctx_destroy(struct cowrap_ctx *ctx)
{
	struct cowrap_co *self = cowrap_co_current();

	if (!ctx)
		return;
	if (WARN_ONCE(self && self->ctx == ctx,
		      "cowrap: context %s destroyed from its own coroutine\n",
		      ctx->name))
		return;
	if (WARN_ONCE(ctx == cowrap_default,
		      "cowrap: the default context cannot be destroyed\n"))
		return;
	might_sleep();
	__cowrap_ctx_destroy(ctx);
}
EXPORT_SYMBOL_GPL(cowrap_ctx_destroy);

void cowrap_ctx_get_stats(struct cowrap_ctx *ctx, struct cowrap_ctx_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&ctx->lock, flags);
	st->nr_live = ctx->nr_live;
	st->nr_queued = ctx->nr_queued;
	st->nr_allocated = ctx->nr_allocated;
	st->nr_workers = ctx->nr_workers;
	st->nr_idle = ctx->nr_idle;
	st->max_workers = ctx->max_workers;
	st->nr_reserved = ctx->nr_reserved;
	st->nr_finished = ctx->nr_finished;
	st->nr_running = ctx->nr_running;
	st->max_running = ctx->max_running;
	st->nr_stalls = ctx->nr_stalls;
	spin_unlock_irqrestore(&ctx->lock, flags);
}
EXPORT_SYMBOL_GPL(cowrap_ctx_get_stats);

void cowrap_ctx_set_max_running(struct cowrap_ctx *ctx, unsigned int n)
{
	unsigned long flags;
	bool kick;

	spin_lock_irqsave(&ctx->lock, flags);
	ctx->max_running = clamp(n, 1U, ctx->max_workers);
	kick = cowrap_ctx_start_queued_locked(ctx);
	spin_unlock_irqrestore(&ctx->lock, flags);
	if (kick)
		wake_up_process(ctx->manager);
}
EXPORT_SYMBOL_GPL(cowrap_ctx_set_max_running);

struct cowrap_ctx *cowrap_default_ctx(void)
{
	return cowrap_default;
}
EXPORT_SYMBOL_GPL(cowrap_default_ctx);

int cowrap_co_layer_init(void)
{
	struct cowrap_ctx *ctx;
	int ret;

	ret = cowrap_co_poll_init();
	if (ret)
		return ret;
	ctx = cowrap_ctx_create_reserved("default", COWRAP_DEFAULT_MAX_WORKERS,
					 COWRAP_DEFAULT_RESERVED);
	if (IS_ERR(ctx)) {
		cowrap_co_poll_exit();
		return PTR_ERR(ctx);
	}
	cowrap_default = ctx;
	return 0;
}

void cowrap_co_layer_exit(void)
{
	struct cowrap_ctx *ctx = cowrap_default;

	cowrap_default = NULL;
	if (ctx)
		__cowrap_ctx_destroy(ctx);
	cowrap_co_poll_exit();
}
