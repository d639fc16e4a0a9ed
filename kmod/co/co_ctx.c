// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: execution contexts.
 *
 * A context is a name, limits and a per-CPU pool of workers (co_pool.c).
 * Creating one makes its reserve workers; destroying one cancels the
 * cancellable waits of its coroutines, waits until every coroutine handed
 * to its workers or timers has finished, and stops the workers.
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "co_internal.h"

static struct cowrap_ctx *cowrap_default;

struct cowrap_ctx *cowrap_ctx_create_reserved(const char *name,
					      unsigned int max_workers,
					      unsigned int reserved)
{
	struct cowrap_ctx *ctx;
	int ret;

	if (!name || !max_workers || !reserved || reserved > max_workers)
		return ERR_PTR(-EINVAL);
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&ctx->lock);
	INIT_LIST_HEAD(&ctx->workers);
	INIT_LIST_HEAD(&ctx->dying);
	init_waitqueue_head(&ctx->drain_wq);
	ctx->max_workers = max_workers;
	ctx->nr_reserved = reserved;
	strscpy(ctx->name, name, sizeof(ctx->name));
	ret = cowrap_pools_init(ctx, reserved);
	if (ret) {
		kfree(ctx);
		return ERR_PTR(ret);
	}
	return ctx;
}
EXPORT_SYMBOL_GPL(cowrap_ctx_create_reserved);

struct cowrap_ctx *cowrap_ctx_create(const char *name, unsigned int max_workers)
{
	return cowrap_ctx_create_reserved(name, max_workers,
					  min_t(unsigned int, max_workers,
						COWRAP_CTX_MIN_WORKERS));
}
EXPORT_SYMBOL_GPL(cowrap_ctx_create);

/*
 * Drained when two passes over the pools find nothing live and nothing
 * counted in between (a finishing coroutine may enter another one on a
 * pool the first pass had already read).
 */
static bool cowrap_ctx_drained(struct cowrap_ctx *ctx)
{
	u64 a, b;

	if (cowrap_pools_live(ctx, &a))
		return false;
	return !cowrap_pools_live(ctx, &b) && a == b;
}

/* Wake every worker so that cancellable parkers look at ->cancelling. */
static void cowrap_ctx_wake_all(struct cowrap_ctx *ctx)
{
	struct cowrap_worker *w;

	spin_lock_irq(&ctx->lock);
	list_for_each_entry(w, &ctx->workers, node)
		wake_up_process(w->task);
	spin_unlock_irq(&ctx->lock);
}

static void __cowrap_ctx_destroy(struct cowrap_ctx *ctx)
{
	/*
	 * Parkers read ->cancelling after publishing PARKED_C with a fully
	 * ordered cmpxchg and again after set_current_state(); the wakeups
	 * below order the store before the task-state check, so every
	 * cancellable park either sees the flag or is woken to look again.
	 */
	WRITE_ONCE(ctx->cancelling, true);
	cowrap_ctx_wake_all(ctx);
	/* re-checked now and then: see cowrap_ctx_drained() */
	while (!wait_event_timeout(ctx->drain_wq, cowrap_ctx_drained(ctx),
				   HZ / 10))
		;
	/*
	 * Wakers finish their wake_up_process() inside an RCU section, and
	 * a deferred restart's timer callback is one: both are done after
	 * this, and no module code of theirs runs any more.
	 */
	synchronize_rcu();
	cowrap_pools_exit(ctx);
	kfree(ctx);
}

void cowrap_ctx_destroy(struct cowrap_ctx *ctx)
{
	struct cowrap_co *self = cowrap_co_self();

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

	memset(st, 0, sizeof(*st));
	cowrap_pools_stats(ctx, st);
	spin_lock_irqsave(&ctx->lock, flags);
	st->max_workers = ctx->max_workers;
	st->nr_reserved = ctx->nr_reserved;
	st->nr_spawned = ctx->nr_spawned;
	st->nr_reaped = ctx->nr_reaped;
	st->nr_spawn_failed = ctx->nr_spawn_failed;
	spin_unlock_irqrestore(&ctx->lock, flags);
}
EXPORT_SYMBOL_GPL(cowrap_ctx_get_stats);

struct cowrap_ctx *cowrap_default_ctx(void)
{
	return cowrap_default;
}
EXPORT_SYMBOL_GPL(cowrap_default_ctx);

int cowrap_co_layer_init(void)
{
	struct cowrap_ctx *ctx;
	int ret;

	ret = cowrap_pool_init();
	if (ret)
		return ret;
	ret = cowrap_co_poll_init();
	if (ret)
		goto err_pool;
	ctx = cowrap_ctx_create_reserved("default", COWRAP_DEFAULT_MAX_WORKERS,
					 COWRAP_DEFAULT_RESERVED);
	if (IS_ERR(ctx)) {
		ret = PTR_ERR(ctx);
		goto err_poll;
	}
	cowrap_default = ctx;
	return 0;

err_poll:
	cowrap_co_poll_exit();
err_pool:
	cowrap_pool_exit();
	return ret;
}

void cowrap_co_layer_exit(void)
{
	struct cowrap_ctx *ctx = cowrap_default;

	cowrap_default = NULL;
	if (ctx)
		__cowrap_ctx_destroy(ctx);
	cowrap_co_poll_exit();
	cowrap_pool_exit();
}
