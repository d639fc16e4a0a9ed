// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: crossing between coroutine and ordinary context.
 *
 * cowrap_poll_co() is what generated co_wrapper functions use: it runs a
 * coroutine and sleeps on a completion until the entry has returned (the
 * analogue of QEMU's bdrv_poll_co(); there is no event loop to drive here,
 * the context's workers run on their own).  cowrap_poll_co_killable() is
 * its killable variant for callers that keep the call state on the heap.
 * cowrap_co_call_noco() is the reverse direction, used by no_co_wrapper
 * functions.
 */
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/workqueue.h>

#include "co_internal.h"

static struct workqueue_struct *cowrap_noco_wq;

static void coroutine_fn cowrap_poll_trampoline(void *opaque)
{
	struct cowrap_poll_co *p = opaque;

	p->entry(p->opaque);
	/*
	 * Last access to @p: the waiter takes the completion's lock before it
	 * can return, so complete() is done with @p by then.
	 */
	complete(&p->done);
}

/*
 * Where a synchronous call may wait, and in which context: 0 or -errno.
 * Inlined so that a WARN names the caller, cowrap_poll_co() or
 * cowrap_poll_co_killable().
 */
static __always_inline int cowrap_poll_check(struct cowrap_ctx **ctx,
					     cowrap_co_entry_t entry)
{
	if (cowrap_in_coroutine()) {
		WARN_ONCE(1, "cowrap: synchronous wrapper for %ps called from a coroutine\n",
			  entry);
		return -EDEADLK;
	}
	if (!in_task() || irqs_disabled()) {
		WARN_ONCE(1, "cowrap: synchronous wrapper for %ps called from atomic context\n",
			  entry);
		return -EPERM;
	}
	if (!*ctx)
		*ctx = cowrap_default_ctx();
	if (!*ctx) {
		WARN_ONCE(1, "cowrap: no execution context (layer not initialised)\n");
		return -ENODEV;
	}
	might_sleep();
	return 0;
}

int no_coroutine_fn cowrap_poll_co(struct cowrap_poll_co *p,
				   struct cowrap_ctx *ctx,
				   cowrap_co_entry_t entry, void *opaque)
{
	int ret = cowrap_poll_check(&ctx, entry);

	if (ret)
		return ret;
	p->entry = entry;
	p->opaque = opaque;
	init_completion(&p->done);
	cowrap_co_init(&p->co, ctx, cowrap_poll_trampoline, p);
	cowrap_co_enter(&p->co);
	wait_for_completion(&p->done);
	return 0;
}
EXPORT_SYMBOL_GPL(cowrap_poll_co);

void cowrap_poll_call_init(struct cowrap_poll_call *c,
			   void (*release)(struct cowrap_poll_call *c))
{
	refcount_set(&c->ref, 1);
	c->release = release;
}
EXPORT_SYMBOL_GPL(cowrap_poll_call_init);

void cowrap_poll_call_put(struct cowrap_poll_call *c)
{
	if (refcount_dec_and_test(&c->ref))
		c->release(c);
}
EXPORT_SYMBOL_GPL(cowrap_poll_call_put);

static void coroutine_fn cowrap_poll_killable_trampoline(void *opaque)
{
	struct cowrap_poll_call *c = opaque;

	c->poll.entry(c->poll.opaque);
	complete(&c->poll.done);
	/*
	 * Last action: the caller may be gone (killed), then this frees @c
	 * and the coroutine in it, which the layer allows once the entry
	 * returns.
	 */
	cowrap_poll_call_put(c);
}

int no_coroutine_fn cowrap_poll_co_killable(struct cowrap_poll_call *c,
					    struct cowrap_ctx *ctx,
					    cowrap_co_entry_t entry,
					    void *opaque)
{
	struct cowrap_poll_co *p = &c->poll;
	int ret = cowrap_poll_check(&ctx, entry);

	if (ret)
		return ret;
	p->entry = entry;
	p->opaque = opaque;
	init_completion(&p->done);
	refcount_inc(&c->ref);		/* the coroutine's */
	cowrap_co_init(&p->co, ctx, cowrap_poll_killable_trampoline, c);
	cowrap_co_enter(&p->co);
	if (wait_for_completion_killable(&p->done))
		return -EINTR;
	return 0;
}
EXPORT_SYMBOL_GPL(cowrap_poll_co_killable);

static void cowrap_noco_work(struct work_struct *work)
{
	struct cowrap_noco_call *c = container_of(work, struct cowrap_noco_call,
						  work);
	struct cowrap_co *co = c->co;

	c->fn(c->opaque);
	/* last access: the coroutine (and @c on its stack) may go on now */
	cowrap_co_wake(co);
}

int coroutine_fn cowrap_co_call_noco(struct cowrap_noco_call *c,
				     void (*fn)(void *opaque), void *opaque)
{
	struct cowrap_co *co = cowrap_co_self();

	if (!co) {
		WARN_ONCE(1, "cowrap: cowrap_co_call_noco(%ps) called outside a coroutine\n",
			  fn);
		return -EPERM;
	}
	if (cowrap_co_may_park(co))
		return -EAGAIN;
	c->co = co;
	c->fn = fn;
	c->opaque = opaque;
	INIT_WORK_ONSTACK(&c->work, cowrap_noco_work);
	queue_work(cowrap_noco_wq, &c->work);
	cowrap_co_park(co, false);
	destroy_work_on_stack(&c->work);
	return 0;
}
EXPORT_SYMBOL_GPL(cowrap_co_call_noco);

int cowrap_co_poll_init(void)
{
	cowrap_noco_wq = alloc_workqueue("cowrap_noco",
					 WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	return cowrap_noco_wq ? 0 : -ENOMEM;
}

void cowrap_co_poll_exit(void)
{
	destroy_workqueue(cowrap_noco_wq);
	cowrap_noco_wq = NULL;
}
