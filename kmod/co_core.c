// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: coroutine lifecycle, yield and wake.
 *
 * A coroutine runs on a worker kthread of its context from its first
 * instruction to its return.  Yielding parks that worker; waking moves the
 * coroutine's state back to RUNNING and wakes the worker.  The state
 * machine is documented in co_internal.h.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "co_internal.h"

struct cowrap_co *cowrap_co_current(void)
{
	struct cowrap_worker *w;

	if (!(current->flags & PF_KTHREAD))
		return NULL;
	if (kthread_func(current) != (void *)cowrap_worker_fn)
		return NULL;
	w = kthread_data(current);
	return w->co;
}

struct cowrap_co *cowrap_co_self(void)
{
	if (!in_task())
		return NULL;
	return cowrap_co_current();
}
EXPORT_SYMBOL_GPL(cowrap_co_self);

bool cowrap_in_coroutine(void)
{
	return cowrap_co_self() != NULL;
}
EXPORT_SYMBOL_GPL(cowrap_in_coroutine);

void cowrap_co_init(struct cowrap_co *co, struct cowrap_ctx *ctx,
		    cowrap_co_entry_t entry, void *opaque)
{
	INIT_LIST_HEAD(&co->node);
	co->ctx = ctx ? ctx : cowrap_default_ctx();
	co->entry = entry;
	co->opaque = opaque;
	co->task = NULL;
	co->wait_on = NULL;
	atomic_set(&co->state, COWRAP_CO_RUNNING);
	atomic_set(&co->entered, 0);
	co->flags = 0;
}
EXPORT_SYMBOL_GPL(cowrap_co_init);

struct cowrap_co *cowrap_co_create(struct cowrap_ctx *ctx,
				   cowrap_co_entry_t entry, void *opaque,
				   gfp_t gfp)
{
	struct cowrap_co *co = kmalloc(sizeof(*co), gfp);

	if (!co)
		return NULL;
	cowrap_co_init(co, ctx, entry, opaque);
	co->flags = COWRAP_CO_F_ALLOCATED;
	return co;
}
EXPORT_SYMBOL_GPL(cowrap_co_create);

void cowrap_co_enter(struct cowrap_co *co)
{
	if (WARN_ONCE(!co->ctx, "cowrap: coroutine %ps has no context (layer not initialised)\n",
		      co->entry))
		return;
	if (WARN_ONCE(atomic_xchg(&co->entered, 1),
		      "cowrap: coroutine %ps entered twice\n", co->entry))
		return;
	cowrap_ctx_queue(co->ctx, co);
}
EXPORT_SYMBOL_GPL(cowrap_co_enter);

bool cowrap_co_run(struct cowrap_worker *w, struct cowrap_co *co)
{
	cowrap_co_entry_t entry = co->entry;
	void *opaque = co->opaque;
	bool allocated = co->flags & COWRAP_CO_F_ALLOCATED;
	unsigned int noio;

	/* published to wakers by the full barrier of the parking cmpxchg */
	WRITE_ONCE(co->task, current);
	w->co = co;
	/* reclaim must not recurse into the I/O this coroutine may serve */
	noio = memalloc_noio_save();
	/* indirect call: no checker needs __cowrap_co_context_enter() here */
	entry(opaque);
	memalloc_noio_restore(noio);
	w->co = NULL;
	/* an embedded @co may already be reused by its owner: hands off */
	if (allocated)
		kfree(co);
	return allocated;
}

int coroutine_fn cowrap_co_park(struct cowrap_co *co, bool cancellable)
{
	int parked = cancellable ? COWRAP_CO_PARKED_C : COWRAP_CO_PARKED;
	int old, ret = 0;

	old = atomic_cmpxchg(&co->state, COWRAP_CO_RUNNING, parked);
	if (old == COWRAP_CO_PENDING) {
		/* the wake came first: consume it */
		atomic_set(&co->state, COWRAP_CO_RUNNING);
		return 0;
	}
	WARN_ON_ONCE(old != COWRAP_CO_RUNNING);

	/* a queued coroutine may take this worker's place meanwhile */
	cowrap_ctx_parking(co->ctx);
	for (;;) {
		set_current_state(TASK_IDLE);
		old = atomic_read_acquire(&co->state);
		if (old != COWRAP_CO_PARKED && old != COWRAP_CO_PARKED_C)
			break;
		if (cancellable && READ_ONCE(co->ctx->cancelling) &&
		    atomic_cmpxchg(&co->state, COWRAP_CO_PARKED_C,
				   COWRAP_CO_RUNNING) == COWRAP_CO_PARKED_C) {
			ret = -ECANCELED;
			break;
		}
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	cowrap_ctx_unparked(co->ctx);
	return ret;
}

int coroutine_fn cowrap_co_yield(void)
{
	struct cowrap_co *co = cowrap_co_self();

	if (!co) {
		WARN_ONCE(1, "cowrap: cowrap_co_yield() called outside a coroutine\n");
		return -EPERM;
	}
	might_sleep();
	return cowrap_co_park(co, true);
}
EXPORT_SYMBOL_GPL(cowrap_co_yield);

void cowrap_co_wake(struct cowrap_co *co)
{
	struct task_struct *task;
	int old;

	/*
	 * Once the cmpxchg below succeeds @co may run, finish and even let
	 * its context be destroyed; the RCU section keeps the worker's
	 * task_struct valid until wake_up_process() is done, because
	 * cowrap_ctx_destroy() does synchronize_rcu() before stopping workers.
	 */
	rcu_read_lock();
	for (;;) {
		old = atomic_read_acquire(&co->state);
		if (old == COWRAP_CO_PENDING)
			break;
		if (old == COWRAP_CO_RUNNING) {
			if (atomic_cmpxchg(&co->state, old,
					   COWRAP_CO_PENDING) == old)
				break;
			continue;
		}
		/* parked: ->task was set before the parking cmpxchg */
		task = READ_ONCE(co->task);
		if (atomic_cmpxchg(&co->state, old, COWRAP_CO_RUNNING) == old) {
			wake_up_process(task);
			break;
		}
	}
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(cowrap_co_wake);
